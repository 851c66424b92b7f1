package org.sltk.rfss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.sltk.util.Engines;

/**
 * Exact RFSS by exhaustive search as dense tensor algebra on a DJL device (CPU or CUDA).
 *
 * <p>The C(n, k) subsets are enumerated once, in the lexicographic order of {@link Subsets}, as a
 * one-hot matrix {@code S} of shape [n, C]. The batch is cut into chunks of b instances with
 * {@code b * C <= maxElements}; per chunk, in float64: {@code sums = Z[b, n] x S},
 * {@code err = |sums - w|}, and per row the arg-min and the number of subsets within a rounding
 * bound of the minimum. Only these two integers per instance come back to the host. Ties go to
 * the lowest subset number, i.e. the lexicographically smallest index set: a row whose minimum is
 * unique (the usual case) is settled by the arg-min; a row with near-ties (the matrix product may
 * add in another order than the canonical sum, and padding values tie exactly) is settled on the
 * host by canonical enumeration. The result is exactly that of {@link BruteForceSolver}.
 *
 * <p>Reach: C(n, k) up to {@value #MAX_SUBSETS} (for example (20, 5), (24, 6), (26, 6)); the
 * work is b * C multiply-adds per chunk, which suits a GPU. The same code runs on every device;
 * only the {@link Device} changes. {@code eps} is ignored: every subset is evaluated anyway.
 */
public final class ExhaustiveTensorSolver implements RfssSolver {

    /** The most subsets per instance this solver accepts. */
    public static final long MAX_SUBSETS = 2_000_000;

    /** The default bound on b * C, the elements of one chunk's [b, C] tensors. */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 24;

    private static final double U = 0x1.0p-53;

    private final Device device;
    private final long maxElements;

    /** Creates a solver on the CPU. */
    public ExhaustiveTensorSolver() {
        this(Device.cpu());
    }

    /**
     * Creates a solver on a device.
     *
     * @param device the DJL device, e.g. {@code Device.gpu(0)}
     */
    public ExhaustiveTensorSolver(Device device) {
        this(device, DEFAULT_MAX_ELEMENTS);
    }

    /**
     * Creates a solver on a device with a chunk bound.
     *
     * @param device the DJL device
     * @param maxElements the most elements of one chunk's [b, C] tensors (8 bytes each)
     */
    public ExhaustiveTensorSolver(Device device, long maxElements) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null");
        }
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements must be >= 1, found " + maxElements);
        }
        this.device = device;
        this.maxElements = maxElements;
    }

    /**
     * Tells whether this solver accepts an (n, k).
     *
     * @param n candidates per instance
     * @param k subset size
     * @return true if C(n, k) is at most {@value #MAX_SUBSETS}
     */
    public static boolean fits(int n, int k) {
        long c = Subsets.count(n, k);
        return c >= 0 && c <= MAX_SUBSETS;
    }

    @Override
    public boolean supports(int n, int k) {
        return n >= 1 && n <= RfssBatch.MAX_N && k >= 1 && k <= n && fits(n, k);
    }

    @Override
    public String reach() {
        return "C(n, k) <= " + MAX_SUBSETS;
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        long count = Subsets.count(n, k);
        if (count < 0 || count > MAX_SUBSETS) {
            throw new IllegalArgumentException(
                    "exhaustive tensor search: C(" + n + ", " + k + ") = "
                            + (count < 0 ? "more than 2^63" : Long.toString(count))
                            + " subsets is above the limit " + MAX_SUBSETS + "; use the meet-in-the-middle solver");
        }
        int c = (int) count;
        int size = batch.size();
        int[] out = new int[size * k];
        if (size == 0) {
            return RfssSolution.of(batch, out);
        }
        float[] z = batch.candidatesView();
        float[] w = batch.targetsView();
        int chunk = (int) Math.max(1, Math.min(size, maxElements / c));
        boolean[] fixUp = new boolean[size];
        long[] best = new long[size];
        Engines.engine();
        try (NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
            NDArray oneHot = oneHotTransposed(manager, n, k, c); // [n, C] float64
            for (int from = 0; from < size; from += chunk) {
                int b = Math.min(chunk, size - from);
                try (NDManager sub = manager.newSubManager()) {
                    double[] zd = new double[b * n];
                    double[] wd = new double[b];
                    for (int i = 0; i < b * n; i++) {
                        zd[i] = z[from * n + i];
                    }
                    for (int i = 0; i < b; i++) {
                        wd[i] = w[from + i];
                    }
                    NDArray zs = sub.create(zd, new Shape(b, n));
                    NDArray ws = sub.create(wd, new Shape(b, 1));
                    NDArray err = zs.matMul(oneHot).sub(ws).abs(); // [b, C]
                    NDArray min = err.min(new int[] {1}, true); // [b, 1]
                    // a bound on the difference between two summation orders, per row
                    NDArray tol = zs.abs().sum(new int[] {1}, true).add(ws.abs()).mul(8.0 * (k + 2) * U)
                            .add(Double.MIN_NORMAL);
                    NDArray near = err.lte(min.add(tol)).toType(DataType.INT64, false).sum(new int[] {1});
                    NDArray arg = err.argMin(1).toType(DataType.INT64, false);
                    long[] both = NDArrays.stack(new ai.djl.ndarray.NDList(arg, near)).toLongArray();
                    for (int i = 0; i < b; i++) {
                        best[from + i] = both[i];
                        fixUp[from + i] = both[b + i] != 1;
                    }
                }
            }
        }
        int[] subset = new int[k];
        double[] zz = new double[n];
        int[] cs = new int[k];
        double[] ps = new double[k];
        for (int i = 0; i < size; i++) {
            if (fixUp[i]) {
                for (int j = 0; j < n; j++) {
                    zz[j] = z[i * n + j];
                }
                BruteForceSolver.solveOne(zz, w[i], k, 0, cs, ps, out, i * k);
            } else {
                Subsets.unrank(best[i], n, subset);
                System.arraycopy(subset, 0, out, i * k, k);
            }
        }
        return RfssSolution.of(batch, out);
    }

    private static NDArray oneHotTransposed(NDManager manager, int n, int k, int c) {
        byte[] bits = new byte[n * c];
        int[] s = Subsets.first(k);
        int col = 0;
        do {
            for (int j : s) {
                bits[j * c + col] = 1;
            }
            col++;
        } while (Subsets.next(s, n) >= 0);
        return manager.create(java.nio.ByteBuffer.wrap(bits), new Shape(n, c), DataType.INT8)
                .toType(DataType.FLOAT64, false);
    }

    @Override
    public String name() {
        return "tensor";
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public String toString() {
        return "ExhaustiveTensorSolver(device=" + device + ")";
    }
}
