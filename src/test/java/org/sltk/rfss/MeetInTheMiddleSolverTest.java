package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

class MeetInTheMiddleSolverTest extends ExactRfssSolverTest {

    @Override
    RfssSolver createSolver(int threads) {
        // never switch to enumeration, so the meet-in-the-middle code itself is tested
        return new MeetInTheMiddleSolver(threads, 0);
    }

    @Test
    void agreesWithEnumerationOnLargerBlocks() {
        long seed = 31;
        for (int[] nk : new int[][] {{20, 5}, {22, 11}, {24, 3}, {17, 8}, {40, 3}, {64, 2}}) {
            int size = nk[0] > 24 ? 20 : 200;
            RfssBatch batch = RfssInstances.random(seed, nk[0], size, nk[0], nk[1], Distribution.PRODUCT);
            RfssSolution m = createSolver(2).solve(batch);
            RfssSolution b = new BruteForceSolver(2).solve(batch);
            assertArrayEquals(b.indices(), m.indices(), "seed=" + seed + ", (n,k)=(" + nk[0] + "," + nk[1] + ")");
        }
    }

    @Test
    void defaultSwitchOverGivesTheSameSubsets() {
        long seed = 32;
        RfssBatch batch = RfssInstances.random(seed, 0, 500, 14, 3, Distribution.PRODUCT);
        assertArrayEquals(createSolver(2).solve(batch).indices(), new MeetInTheMiddleSolver(2).solve(batch).indices(),
                "seed=" + seed);
    }

    @Test
    void largeBlocksWorkAndTooLargeOnesAreRefused() {
        RfssBatch batch = RfssInstances.random(33, 0, 3, 64, 3, Distribution.PRODUCT);
        ExactRfssSolverTest.CheckContract.run(batch, createSolver(1).solve(batch), "seed=33, (64,3)");
        RfssBatch big = RfssInstances.random(33, 0, 1, 64, 32, Distribution.PRODUCT);
        assertThrows(IllegalArgumentException.class, () -> createSolver(1).solve(big));
    }
}
