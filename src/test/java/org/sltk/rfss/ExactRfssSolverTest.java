package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

/**
 * Exact solvers against the plain reference enumerator of the tests: same optimal error and the
 * same subset (smallest error, then lexicographically smallest index set), on random instances.
 */
abstract class ExactRfssSolverTest extends RfssSolverContractTest {

    /** (n, k) compared against the reference: k = 1, k = n, k = n / 2 and others. */
    static final int[][] SHAPES = {
        {1, 1}, {4, 1}, {4, 4}, {6, 3}, {7, 2}, {8, 4}, {9, 9}, {10, 5}, {11, 3}, {12, 1},
        {12, 6}, {13, 4}, {14, 7}, {15, 5}, {16, 1}, {16, 4}, {16, 8}, {16, 16}
    };

    /** Scales an instance count; slow solvers (the tensor solver on a CPU) test fewer instances. */
    int scaled(int count) {
        return count;
    }

    @Test
    void matchesTheReferenceEnumerator() {
        RfssSolver solver = createSolver(2);
        assertTrue(solver.isExact());
        long seed = 21;
        int total = 0;
        for (int[] nk : SHAPES) {
            for (Distribution d : Distribution.values()) {
                int size = scaled(nk[0] <= 12 ? 400 : 150);
                RfssBatch batch = RfssInstances.random(seed, nk[0] * 100 + nk[1], size, nk[0], nk[1], d);
                compareWithReference(batch, solver.solve(batch), "seed=" + seed + ", stream=" + (nk[0] * 100 + nk[1]) + ", " + d);
                total += size;
            }
        }
        assertTrue(total >= scaled(5000), "compared " + total);
    }

    @Test
    void tiesGoToTheLexicographicallySmallestSubset() {
        RfssSolver solver = createSolver(2);
        long seed = 22;
        int n = 12;
        RfssBatch raw = RfssInstances.random(seed, 0, 300, n, 4, Distribution.UNIFORM);
        float[] z = raw.candidates();
        float[] w = raw.targets();
        for (int i = 0; i < raw.size(); i++) {
            for (int j = 0; j < n; j++) {
                // few distinct values, many exact ties
                z[i * n + j] = Math.round(z[i * n + j] * 4) / 4f;
            }
            w[i] = Math.round(w[i] * 8) / 8f;
        }
        RfssBatch batch = RfssBatch.of(z, w, n, 4);
        compareWithReference(batch, solver.solve(batch), "seed=" + seed + ", ties");
        // padded blocks with fewer real candidates than k: ties among the padding values
        float[] zp = raw.candidates();
        for (int i = 0; i < raw.size(); i++) {
            for (int j = i % 3 + 1; j < n; j++) {
                zp[i * n + j] = 1e6f;
            }
        }
        RfssBatch padded = RfssBatch.of(zp, raw.targets(), n, 4);
        compareWithReference(padded, solver.solve(padded), "seed=" + seed + ", padding ties");
    }

    @Test
    void deterministicAcrossRunsAndThreadCounts() {
        long seed = 23;
        RfssBatch batch = RfssInstances.random(seed, 0, scaled(3000), 20, 5, Distribution.PRODUCT);
        RfssSolution one = createSolver(1).solve(batch);
        RfssSolution two = createSolver(2).solve(batch);
        RfssSolution again = createSolver(2).solve(batch);
        assertArrayEquals(one.indices(), two.indices(), "seed=" + seed + ": 1 vs 2 threads");
        assertArrayEquals(two.indices(), again.indices(), "seed=" + seed + ": run twice");
        assertArrayEquals(one.errors(), two.errors(), "seed=" + seed);
    }

    @Test
    void epsStopsEarlyButStaysWithinEps() {
        long seed = 24;
        RfssSolver solver = createSolver(2);
        for (int[] nk : new int[][] {{12, 3}, {16, 8}, {20, 5}}) {
            RfssBatch batch = RfssInstances.random(seed, nk[0], scaled(500), nk[0], nk[1], Distribution.PRODUCT);
            RfssSolution exact = solver.solve(batch);
            for (double eps : new double[] {1e-2, 1e-3, 1e-4}) {
                RfssSolution fast = solver.solve(batch, eps);
                CheckContract.run(batch, fast, "seed=" + seed + ", eps=" + eps);
                for (int i = 0; i < batch.size(); i++) {
                    String at = "seed=" + seed + ", (n,k)=(" + nk[0] + "," + nk[1] + "), eps=" + eps + ", instance=" + i;
                    assertTrue(fast.error(i) >= exact.error(i), at + ": better than the optimum");
                    if (exact.error(i) <= eps) {
                        assertTrue(fast.error(i) <= eps, at + ": " + fast.error(i) + " > eps");
                    } else {
                        assertEquals(exact.error(i), fast.error(i), 0.0, at);
                    }
                }
            }
        }
    }

    static void compareWithReference(RfssBatch batch, RfssSolution sol, String what) {
        checkContract(batch, sol, what);
        for (int i = 0; i < batch.size(); i++) {
            int[] ref = ReferenceEnumerator.solve(batch, i);
            String at = what + ", instance=" + i + ", (n,k)=(" + batch.n() + "," + batch.k() + ")";
            RfssSolution r = RfssSolution.of(batch.slice(i, i + 1), ref);
            assertEquals(r.error(0), sol.error(i), 0.0, at + ": error");
            assertArrayEquals(ref, sol.subset(i), at + ": subset");
        }
    }

    /** Indirection so subclasses' static context can reach the contract check. */
    static final class CheckContract {
        static void run(RfssBatch batch, RfssSolution sol, String what) {
            checkContract(batch, sol, what);
        }
    }
}
