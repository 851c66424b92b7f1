package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sltk.util.CounterRandom;

/**
 * One enumeration limit: the enumerating solvers' reach is {@link Subsets#MAX_ENUMERATED} (the
 * tensor solver a tenth of it), checked over every shape; the meet in the middle's crossover to
 * enumeration is a speed setting that never changes a result.
 */
class EnumerationLimitTest {

    @Test
    void enumeratingSolversAcceptExactlyTheShapesWithinTheOneLimit() {
        BruteForceSolver brute = new BruteForceSolver(1);
        ExhaustiveTensorSolver tensor = new ExhaustiveTensorSolver();
        int bruteShapes = 0;
        for (int n = 1; n <= RfssBatch.MAX_N; n++) {
            for (int k = 1; k <= n; k++) {
                double c = RfssTheory.binom(n, k);
                boolean within = c <= Subsets.MAX_ENUMERATED;
                assertEquals(
                        within, brute.supports(n, k), "brute (" + n + ", " + k + "), C = " + c);
                assertEquals(
                        c <= Subsets.MAX_ENUMERATED / 10,
                        tensor.supports(n, k),
                        "tensor (" + n + ", " + k + ")");
                bruteShapes += within ? 1 : 0;
            }
        }
        // C(32, 7) = 3,365,856 is in brute force's reach and beyond the tensor solver's; C(34, 8) =
        // 18,156,204
        // is the largest of n = 34 within the limit, C(35, 8) = 23,535,820 beyond it
        assertEquals(true, brute.supports(32, 7) && !tensor.supports(32, 7));
        assertEquals(true, brute.supports(34, 8) && !brute.supports(35, 8));
        assertEquals(
                false,
                brute.supports(0, 0)
                        || brute.supports(RfssBatch.MAX_N + 1, 1)
                        || tensor.supports(5, 6));
        assertEquals("C(n, k) <= 20000000", brute.reach());
        assertEquals("C(n, k) <= 2000000", tensor.reach());
        assertEquals(true, bruteShapes > 300, "brute force reaches " + bruteShapes + " shapes");
    }

    @Test
    void theCrossoverToEnumerationIsASpeedSettingOnly() {
        CounterRandom rng = new CounterRandom(16);
        int n = 14;
        int k = 4; // C = 1001, below the default crossover of 1500
        int m = 40;
        double[] z = new double[m * n];
        double[] w = new double[m];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.uniformDouble(1, i) * 2 - 1;
        }
        for (int i = 0; i < m; i++) {
            w[i] = rng.uniformDouble(2, i) * 2 - 1;
        }
        RfssBatch b = RfssBatch.of(z, w, n, k);
        for (double eps : new double[] {0, 1e-3, 0.05}) {
            int[] enumerated = new MeetInTheMiddleSolver(1).solve(b, eps).indices();
            assertArrayEquals(
                    new BruteForceSolver(1).solve(b, eps).indices(), enumerated, "eps " + eps);
            assertArrayEquals(
                    enumerated,
                    new MeetInTheMiddleSolver(1, 0).solve(b, eps).indices(),
                    "never enumerate");
        }
    }
}
