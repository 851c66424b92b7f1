package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        MeetInTheMiddleSolver m = new MeetInTheMiddleSolver(1);
        assertTrue(m.supports(40, 10) && m.supports(64, 3) && m.supports(42, 21));
        assertFalse(m.supports(48, 12) || m.supports(64, 32) || m.supports(44, 22));
    }

    @Test
    void targetsBeyondReachGetTheExtremeSubsetsAsEnumerationDoes() {
        // (24,12) products: many small targets cannot be reached when the signs are unbalanced;
        // targets at +-5 can never be reached; both go through the shortcut and must agree with
        // plain enumeration subset for subset
        for (long seed = 40; seed < 42; seed++) {
            RfssBatch base = RfssInstances.random(seed, 0, 60, 24, 12, Distribution.PRODUCT);
            float[] t = base.targets();
            for (int i = 0; i < t.length; i++) {
                t[i] = i % 3 == 0 ? 5f : i % 3 == 1 ? -5f : t[i] * 0.01f;
            }
            RfssBatch batch = RfssBatch.of(base.candidates(), t, 24, 12);
            RfssSolution m = createSolver(2).solve(batch);
            RfssSolution b = new BruteForceSolver(2).solve(batch);
            assertArrayEquals(b.indices(), m.indices(), "seed=" + seed);
            ExactRfssSolverTest.CheckContract.run(batch, m, "seed=" + seed);
        }
    }
}
