package org.sltk.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The aggregation of C implied over seeds, on synthetic points with hand-computed spreads. */
class OverparamSeedsTest {

    /**
     * A point with only the fields the aggregation reads set; n99 &lt;= 0 means not reached; C
     * below = c - 0.1.
     */
    private static Overparam.Point point(double density, double eps, int n99, double c) {
        return point(density, eps, n99, c, c - 0.1);
    }

    private static Overparam.Point point(
            double density, double eps, int n99, double c, double below) {
        return new Overparam.Point(
                density,
                eps,
                n99,
                n99 > 0 ? (int) Math.round(density * n99) : -1,
                1,
                1,
                1,
                n99,
                64,
                1,
                1,
                new double[0],
                n99 > 0 ? c : Double.NaN,
                Double.NaN,
                1,
                1,
                n99 > 0 ? n99 - 2 : -1,
                n99 > 0 ? below : Double.NaN);
    }

    @Test
    void perSeedMaximumThenSpreadOverSeeds() {
        // three seeds, three points; seed 30 misses the last point
        List<List<Overparam.Point>> per =
                List.of(
                        List.of(
                                point(0.5, 1e-2, 18, 1.8),
                                point(0.5, 1e-3, 20, 1.5),
                                point(0.1, 1e-2, 30, 1.7)),
                        List.of(
                                point(0.5, 1e-2, 16, 1.6),
                                point(0.5, 1e-3, 20, 1.5),
                                point(0.1, 1e-2, 40, 2.2)),
                        List.of(
                                point(0.5, 1e-2, 20, 2.0),
                                point(0.5, 1e-3, 18, 1.4),
                                point(0.1, 1e-2, -1, 0)));
        OverparamSeeds.Spread s = OverparamSeeds.of(new long[] {10, 20, 30}, per);
        assertArrayEquals(new double[] {1.8, 2.2, 2.0}, s.cFit(), 0);
        assertArrayEquals(new int[] {0, 2, 0}, s.cFitAt());
        assertArrayEquals(new int[] {0, 0, 1}, s.unreached());
        assertEquals(2.0, s.cFitMean(), 1e-12);
        assertEquals(0.2, s.cFitSd(), 1e-12, "sample sd of 1.8, 2.2, 2.0");
        assertEquals(1.8, s.cFitMin(), 0);
        assertEquals(2.2, s.cFitMax(), 0);

        OverparamSeeds.PointSpread p0 = s.points().get(0);
        assertEquals(0.5, p0.density(), 0);
        assertEquals(1e-2, p0.eps(), 0);
        assertEquals(3, p0.reached());
        assertArrayEquals(new int[] {18, 16, 20}, p0.n99());
        assertEquals(1.8, p0.cMean(), 1e-12);
        assertEquals(0.2, p0.cSd(), 1e-12);
        assertEquals(1.6, p0.cMin(), 0);
        assertEquals(2.0, p0.cMax(), 0);

        OverparamSeeds.PointSpread p2 = s.points().get(2);
        assertEquals(2, p2.reached(), "the unreached seed is left out");
        assertArrayEquals(new int[] {30, 40, -1}, p2.n99());
        assertTrue(Double.isNaN(p2.c()[2]));
        assertEquals(1.95, p2.cMean(), 1e-12);
        assertEquals(Math.sqrt(2 * 0.25 * 0.25), p2.cSd(), 1e-12);
        assertArrayEquals(new double[] {1.6, 2.1, Double.NaN}, p2.cBelow(), 1e-12);
    }

    @Test
    void theSeedsBracketIsTheLargestLowerEndUpToTheLargestC() {
        // the largest C at point 0, the largest lower end at point 1: the constant lies in (1.75,
        // 1.8]
        OverparamSeeds.Spread s =
                OverparamSeeds.of(
                        new long[] {1},
                        List.of(
                                List.of(
                                        point(0.5, 1e-2, 18, 1.8, 1.6),
                                        point(0.1, 1e-2, 30, 1.78, 1.75),
                                        point(0.05, 1e-2, 20, 1.5, Double.NaN))));
        assertEquals(1.8, s.cFit()[0], 0);
        assertEquals(1.75, s.cFitBelow()[0], 0);
    }

    @Test
    void equalValuesHaveSpreadExactlyZero() {
        double c = 18 * org.sltk.rfss.RfssTheory.binaryEntropy(0.5) / Stats.log2(9 / 1e-2);
        List<List<Overparam.Point>> per =
                List.of(
                        List.of(point(0.5, 1e-2, 18, c)),
                        List.of(point(0.5, 1e-2, 18, c)),
                        List.of(point(0.5, 1e-2, 18, c)),
                        List.of(point(0.5, 1e-2, 18, c)),
                        List.of(point(0.5, 1e-2, 18, c)));
        OverparamSeeds.Spread s = OverparamSeeds.of(new long[] {1, 2, 3, 4, 5}, per);
        assertEquals(0, s.cFitSd(), 0);
        assertEquals(c, s.cFitMean(), 0);
    }

    @Test
    void oneSeedHasNoSpreadAndAgreesWithTheRunsFit() {
        OverparamSeeds.Spread s =
                OverparamSeeds.of(
                        new long[] {1},
                        List.of(List.of(point(0.25, 1e-2, 16, 1.5), point(0.25, 1e-3, 20, 1.32))));
        assertEquals(1.5, s.cFitMean(), 0);
        assertEquals(1.5, s.cFitMax(), 0);
        assertTrue(Double.isNaN(s.cFitSd()));
        assertTrue(Double.isNaN(s.points().get(0).cSd()));
    }

    @Test
    void noPointReachedGivesNoFit() {
        OverparamSeeds.Spread s =
                OverparamSeeds.of(
                        new long[] {1, 2},
                        List.of(
                                List.of(point(0.5, 1e-2, -1, 0)),
                                List.of(point(0.5, 1e-2, 18, 1.8))));
        assertTrue(Double.isNaN(s.cFit()[0]));
        assertEquals(-1, s.cFitAt()[0]);
        assertEquals(1.8, s.cFitMean(), 0, "only the seed with a fit counts");
    }

    @Test
    void differentGridsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        OverparamSeeds.of(
                                new long[] {1, 2},
                                List.of(
                                        List.of(point(0.5, 1e-2, 18, 1.8)),
                                        List.of(point(0.25, 1e-2, 16, 1.5)))));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        OverparamSeeds.of(
                                new long[] {1, 2},
                                List.of(List.of(point(0.5, 1e-2, 18, 1.8)), List.of())));
        assertThrows(
                IllegalArgumentException.class,
                () -> OverparamSeeds.of(new long[] {1}, List.of(List.of(), List.of())));
    }
}
