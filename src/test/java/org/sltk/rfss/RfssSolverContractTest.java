package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

/**
 * The contract every {@link RfssSolver} meets: exactly k distinct sorted indices in range per
 * instance, and sums and errors that match a float64 recomputation from those indices.
 */
abstract class RfssSolverContractTest {

    /** Creates the solver under test with the given thread count (ignored where meaningless). */
    abstract RfssSolver createSolver(int threads);

    /** The (n, k) shapes the contract is checked on. */
    int[][] contractShapes() {
        return new int[][] {{1, 1}, {5, 1}, {6, 6}, {8, 3}, {12, 6}, {16, 4}, {20, 5}};
    }

    @Test
    void everyInstanceGetsAValidSubsetWithMatchingSumAndError() {
        RfssSolver solver = createSolver(2);
        long seed = 11;
        for (int[] nk : contractShapes()) {
            for (Distribution d : Distribution.values()) {
                RfssBatch batch =
                        RfssInstances.random(seed, nk[0] * 100 + nk[1], 200, nk[0], nk[1], d);
                checkContract(batch, solver.solve(batch), "seed=" + seed + ", " + d);
            }
        }
    }

    @Test
    void statesItsReach() {
        RfssSolver solver = createSolver(1);
        assertTrue(solver.supports(16, 4), "(16, 4)");
        assertTrue(
                !solver.supports(0, 1)
                        && !solver.supports(65, 2)
                        && !solver.supports(8, 9)
                        && !solver.supports(8, 0),
                "shapes no batch can have");
        assertTrue(!solver.reach().isEmpty());
    }

    @Test
    void paddedBlocksAreSolvedToo() {
        RfssSolver solver = createSolver(2);
        long seed = 12;
        RfssBatch raw = RfssInstances.random(seed, 0, 100, 12, 4, Distribution.PRODUCT);
        double[] z = raw.candidates();
        for (int i = 0; i < raw.size(); i++) {
            for (int j = 0; j < 12; j++) {
                if (j % 3 == i % 3 || j >= 12 - i % 5) {
                    z[i * 12 + j] = 1e6; // unusable
                }
            }
        }
        RfssBatch batch = RfssBatch.of(z, raw.targets(), 12, 4);
        RfssSolution sol = solver.solve(batch);
        checkContract(batch, sol, "seed=" + seed + ", padded");
        for (int i = 0; i < batch.size(); i++) {
            for (int j : sol.subset(i)) {
                assertTrue(
                        batch.candidate(i, j) != 1e6,
                        "seed=" + seed + ", instance=" + i + ": chose padding");
            }
        }
    }

    static void checkContract(RfssBatch batch, RfssSolution sol, String what) {
        int n = batch.n();
        int k = batch.k();
        assertEquals(batch.size(), sol.size(), what);
        assertEquals(k, sol.k(), what);
        int[] all = sol.indices();
        assertEquals(batch.size() * k, all.length, what);
        for (int i = 0; i < batch.size(); i++) {
            String at = what + ", instance=" + i + ", (n,k)=(" + n + "," + k + ")";
            int[] s = sol.subset(i);
            assertEquals(k, s.length, at);
            double sum = 0.0;
            for (int r = 0; r < k; r++) {
                assertTrue(s[r] >= 0 && s[r] < n, at + ": index out of range " + s[r]);
                if (r > 0) {
                    assertTrue(s[r] > s[r - 1], at + ": not sorted/distinct");
                }
                assertEquals(s[r], all[i * k + r], at);
                sum += batch.candidate(i, s[r]);
            }
            assertEquals(sum, sol.sum(i), 0.0, at);
            assertEquals(Math.abs(sum - batch.target(i)), sol.error(i), 0.0, at);
            assertEquals(sol.error(i), sol.errors()[i], 0.0, at);
        }
    }
}
