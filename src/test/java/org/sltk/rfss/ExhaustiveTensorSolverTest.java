package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

class ExhaustiveTensorSolverTest extends ExactRfssSolverTest {

    @Override
    RfssSolver createSolver(int threads) {
        return new ExhaustiveTensorSolver(ai.djl.Device.cpu(), 1L << 20);
    }

    @Override
    int scaled(int count) {
        return Math.max(20, count / 5);
    }

    @Test
    void refusesTooManySubsets() {
        RfssBatch big = RfssInstances.random(41, 0, 1, 32, 8, Distribution.PRODUCT);
        assertThrows(IllegalArgumentException.class, () -> createSolver(1).solve(big));
        assertTrue(createSolver(1).supports(24, 6) && createSolver(1).supports(28, 7));
        assertFalse(createSolver(1).supports(32, 8) || createSolver(1).supports(40, 10));
    }

    /** Chunks of one instance and of many give the same subsets (the screen is per row). */
    @Test
    void chunkingDoesNotChangeTheResult() {
        RfssBatch batch = RfssInstances.random(42, 0, 60, 14, 5, Distribution.PRODUCT);
        for (double eps : new double[] {0, 1e-3}) {
            assertArrayEquals(
                    new ExhaustiveTensorSolver(ai.djl.Device.cpu(), 2002)
                            .solve(batch, eps)
                            .indices(),
                    new ExhaustiveTensorSolver(ai.djl.Device.cpu()).solve(batch, eps).indices(),
                    "eps=" + eps);
        }
    }
}
