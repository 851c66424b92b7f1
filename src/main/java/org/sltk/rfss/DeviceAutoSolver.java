package org.sltk.rfss;

import ai.djl.Device;

/**
 * {@code auto} on a GPU: the exhaustive tensor solver on the device wherever it reaches (n, k), the
 * CPU's {@link AutoRfssSolver} elsewhere. Both follow the canonical rule of {@link RfssSolver}, so
 * the masks are those of the CPU, tie for tie, whichever runs.
 */
final class DeviceAutoSolver implements RfssSolver {

    private final ExhaustiveTensorSolver tensor;
    private final AutoRfssSolver cpu;

    /**
     * Creates the solver.
     *
     * @param device the GPU
     * @param threads CPU threads for the blocks beyond the tensor solver's reach
     */
    DeviceAutoSolver(Device device, int threads) {
        this.tensor = new ExhaustiveTensorSolver(device);
        this.cpu = new AutoRfssSolver(threads);
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        return tensor.supports(batch.n(), batch.k())
                ? tensor.solve(batch, eps)
                : cpu.solve(batch, eps);
    }

    @Override
    public boolean supports(int n, int k) {
        return tensor.supports(n, k) || cpu.supports(n, k);
    }

    @Override
    public String reach() {
        return tensor.reach() + " on the device, else " + cpu.reach() + " on the CPU";
    }

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public String toString() {
        return "DeviceAutoSolver(" + tensor + ", " + cpu + ")";
    }
}
