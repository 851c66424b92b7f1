package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

/**
 * The dispatcher: the whole exact-solver battery, and the same subset as plain enumeration on
 * shapes either side of every crossover of its table, random instances and instances full of exact
 * ties, for the optimum and for eps stops.
 */
class AutoRfssSolverTest extends ExactRfssSolverTest {

    @Override
    RfssSolver createSolver(int threads) {
        return new AutoRfssSolver(threads);
    }

    /** Shapes next to each crossover of the table, both methods, and the shapes. */
    static final int[][] CROSSOVER_SHAPES = {
        {5, 3}, {9, 5}, {10, 5}, {10, 6}, {11, 7}, {12, 4}, {13, 4}, {14, 4}, {16, 4}, {12, 5},
        {20, 5}, {24, 6}, {20, 10}, {30, 3}, {40, 3}, {41, 3}, {29, 25}, {30, 26}, {22, 19},
        {40, 2}, {64, 2}, {18, 9}
    };

    @Test
    void agreesWithEnumerationEitherSideOfEveryCrossover() {
        RfssSolver auto = new AutoRfssSolver(2);
        RfssSolver brute = new BruteForceSolver(2);
        long seed = 41;
        boolean[] seen = new boolean[2];
        for (int[] nk : CROSSOVER_SHAPES) {
            int n = nk[0];
            int k = nk[1];
            seen[AutoRfssSolver.enumerates(n, k, 0) ? 1 : 0] = true;
            int size = Subsets.count(n, k) > 50_000 ? 40 : 150;
            RfssBatch random =
                    RfssInstances.random(seed, n * 100 + k, size, n, k, Distribution.PRODUCT);
            // few distinct values: many subsets with exactly equal sums and errors
            double[] z = random.candidates();
            double[] w = random.targets();
            for (int i = 0; i < z.length; i++) {
                z[i] = Math.round(z[i] * 16) / 16.0;
            }
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.round(w[i] * 32) / 32.0;
            }
            RfssBatch ties = RfssBatch.of(z, w, n, k);
            for (double eps : new double[] {0, 1e-4, 1e-3, 1e-2, 0.1}) {
                for (RfssBatch b : new RfssBatch[] {random, ties}) {
                    String at = "(" + n + "," + k + "), eps=" + eps + (b == ties ? ", ties" : "");
                    RfssSolution want = brute.solve(b, eps);
                    RfssSolution got = auto.solve(b, eps);
                    for (int i = 0; i < b.size(); i++) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(
                                want.subset(i), got.subset(i), at + ", instance " + i);
                    }
                }
            }
        }
        assertTrue(seen[0] && seen[1], "the shapes cover both methods");
    }

    /** (32, 8): the largest of the shapes, a few instances against enumeration. */
    @Test
    void agreesWithEnumerationAt32x8() {
        RfssBatch b = RfssInstances.random(42, 3208, 4, 32, 8, Distribution.PRODUCT);
        for (double eps : new double[] {0, 1e-3}) {
            RfssSolution want = new BruteForceSolver(2).solve(b, eps);
            RfssSolution got = new AutoRfssSolver(2).solve(b, eps);
            for (int i = 0; i < b.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        want.subset(i), got.subset(i), "eps=" + eps + ", instance " + i);
            }
        }
    }

    @Test
    void theTablePicksTheMeasuredWinners() {
        // enumeration where it was measured faster
        assertTrue(AutoRfssSolver.enumerates(30, 3, 0));
        assertTrue(AutoRfssSolver.enumerates(12, 4, 0));
        assertTrue(AutoRfssSolver.enumerates(30, 26, 0));
        assertEquals("brute", AutoRfssSolver.method(40, 2, 0));
        // meet in the middle where it was
        assertFalse(AutoRfssSolver.enumerates(16, 4, 0));
        assertFalse(AutoRfssSolver.enumerates(20, 5, 0));
        assertFalse(AutoRfssSolver.enumerates(24, 6, 0));
        assertFalse(AutoRfssSolver.enumerates(20, 10, 0));
        assertEquals("mitm", AutoRfssSolver.method(32, 8, 1e-3));
        // the edges of the table re-measured after issue 19's pool reuse and occupancy bitmap
        assertTrue(AutoRfssSolver.enumerates(15, 4, 0));
        assertTrue(AutoRfssSolver.enumerates(31, 3, 0));
        assertFalse(AutoRfssSolver.enumerates(32, 3, 0));
        assertTrue(AutoRfssSolver.enumerates(13, 10, 0));
        assertFalse(AutoRfssSolver.enumerates(15, 12, 0));
        assertTrue(AutoRfssSolver.enumerates(19, 16, 0));
        assertTrue(AutoRfssSolver.enumerates(10, 5, 0));
        assertFalse(AutoRfssSolver.enumerates(11, 6, 0));
        assertTrue(AutoRfssSolver.enumerates(16, 4, 1e-3));
        assertFalse(AutoRfssSolver.enumerates(17, 4, 1e-3));
        assertTrue(AutoRfssSolver.enumerates(25, 3, 1e-3));
        assertFalse(AutoRfssSolver.enumerates(26, 3, 1e-3));
        assertTrue(AutoRfssSolver.enumerates(11, 6, 1e-3));
        assertFalse(AutoRfssSolver.enumerates(12, 7, 1e-3));
        assertFalse(AutoRfssSolver.enumerates(24, 6, 1e-3));
        // beyond meet in the middle's lists only enumeration is exact
        assertTrue(AutoRfssSolver.enumerates(64, 62, 0));
        assertTrue(new AutoRfssSolver(1).supports(64, 62));
        assertFalse(new AutoRfssSolver(1).supports(64, 32));
    }

    @Test
    void isTheNamedDefault() {
        RfssSolver s = RfssSolvers.create("auto", 1, Device.cpu());
        assertEquals("auto", s.name());
        assertTrue(s instanceof AutoRfssSolver);
    }
}
