package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * The GPU path's code on the CPU, at the shapes the GPU check measures: thousands of instances
     * per (n, k), index set for index set the meet-in-the-middle's, exact and with the main job's
     * eps, with chunks of many instances as on a GPU.
     */
    @Test
    void matchesTheMeetInTheMiddleOnThousandsOfInstances() {
        RfssSolver mitm = new MeetInTheMiddleSolver(2);
        int[][] shapes = {{16, 4, 2000}, {20, 5, 2000}, {24, 6, 200}};
        for (int[] s : shapes) {
            RfssBatch batch = RfssInstances.random(43, 0, s[2], s[0], s[1], Distribution.PRODUCT);
            RfssSolver tensor = new ExhaustiveTensorSolver(ai.djl.Device.cpu(), 1L << 24);
            for (double eps : new double[] {0, 1e-3}) {
                assertArrayEquals(
                        mitm.solve(batch, eps).indices(),
                        tensor.solve(batch, eps).indices(),
                        "(" + s[0] + ", " + s[1] + ") eps=" + eps);
            }
        }
    }

    /** On a GPU the reach covers (32, 8), and {@code auto} runs there; nothing is run here. */
    @Test
    void onAGpuTheReachGrowsAndAutoPrunesThere() {
        ai.djl.Device gpu = ai.djl.Device.gpu(0);
        RfssSolver tensor = new ExhaustiveTensorSolver(gpu);
        assertTrue(tensor.supports(32, 8) && !tensor.supports(40, 10));
        assertEquals("C(n, k) <= 20000000 on a GPU", tensor.reach());
        // no GPU here: the free memory cannot be read, the fixed chunk is used
        assertEquals(
                ExhaustiveTensorSolver.DEFAULT_MAX_ELEMENTS_GPU,
                ExhaustiveTensorSolver.gpuMaxElements(gpu));
        RfssSolver auto = RfssSolvers.create("auto", 2, gpu);
        assertEquals("auto", auto.name());
        assertTrue(auto.isExact() && auto.supports(32, 8) && auto.supports(40, 10));
        assertTrue(auto.reach().startsWith("C(n, k) <= 20000000 on a GPU on the device"));
        assertEquals(
                AutoRfssSolver.class,
                RfssSolvers.create("auto", 2, ai.djl.Device.cpu()).getClass());
    }
}
