package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

class SwapSearchSolverTest extends RfssSolverContractTest {

    @Override
    RfssSolver createSolver(int threads) {
        return new SwapSearchSolver(threads, true);
    }

    @Test
    void neverBeatsTheExactOptimumAndReportsItsGap() {
        RfssSolver swap = createSolver(2);
        assertFalse(swap.isExact());
        long seed = 51;
        for (int[] nk : new int[][] {{12, 3}, {16, 8}, {20, 5}, {24, 6}}) {
            RfssBatch batch =
                    RfssInstances.random(seed, nk[0], 1000, nk[0], nk[1], Distribution.PRODUCT);
            RfssSolution exact = new MeetInTheMiddleSolver(2).solve(batch);
            RfssSolution heur = swap.solve(batch);
            double gap = 0;
            int optimal = 0;
            for (int i = 0; i < batch.size(); i++) {
                assertTrue(
                        heur.error(i) >= exact.error(i) - 1e-12,
                        "seed=" + seed + ", instance=" + i + ": heuristic beat the exact optimum");
                gap += heur.error(i) - exact.error(i);
                optimal += heur.error(i) == exact.error(i) ? 1 : 0;
            }
            System.out.printf(
                    "swap search (n,k)=(%d,%d): mean gap to the optimum %.3g, optimal in %d of %d%n",
                    nk[0], nk[1], gap / batch.size(), optimal, batch.size());
        }
    }

    @Test
    void deterministicAcrossThreadCounts() {
        RfssBatch batch = RfssInstances.random(52, 0, 2000, 20, 5, Distribution.PRODUCT);
        assertArrayEquals(
                createSolver(1).solve(batch).indices(),
                createSolver(2).solve(batch).indices(),
                "seed=52");
    }
}
