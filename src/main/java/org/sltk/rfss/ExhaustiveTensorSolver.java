package org.sltk.rfss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.sltk.util.Engines;

/**
 * Exact RFSS by exhaustive search as dense tensor algebra on a DJL device (CPU or CUDA); follows
 * the canonical rule of {@link RfssSolver}.
 *
 * <p>The C(n, k) subsets are enumerated once, in the lexicographic order of {@link Subsets}, as a
 * one-hot matrix {@code S} of shape [n, C]: column r is the subset of lexicographic rank r. The
 * batch is cut into chunks of b instances with {@code b * C <= maxElements}; per chunk, in float64,
 * {@code err = |Z[b, n] x S - w|}. The matrix product adds a subset's candidates in an order of its
 * own, so its errors may differ from the canonical ones ({@link RfssSolution}) by a few ulps; each
 * row gets a rigorous bound delta on that difference (see {@link #delta}), the device screens with
 * it and only a few integers per instance come back to the host:
 *
 * <ul>
 *   <li>eps &gt; 0: the first column whose error is at most eps - delta (within eps for sure) and
 *       the first one at most eps + delta (possibly within eps). Every column before the second is
 *       farther than eps for sure; the columns from the second up to the first are re-checked in
 *       Java, canonically and in order, until one is within eps (none to check in the usual case,
 *       where both are the same column or none exists);
 *   <li>no column within eps, or eps == 0: the arg-min and the number of columns within 2 delta of
 *       the minimum. One such column (the usual case) is the optimum; more are re-checked
 *       canonically in Java (smallest error, then lowest rank, i.e. the lexicographically smallest
 *       index set).
 * </ul>
 *
 * <p>The result is exactly that of {@link BruteForceSolver}. Reach: C(n, k) up to {@value
 * #MAX_SUBSETS} on a CPU (for example (20, 5), (24, 6), (26, 6)), {@value #MAX_SUBSETS_GPU} on a
 * GPU (also (32, 8), whose one-hot table takes 2.7 GB there); the work is b * C multiply-adds per
 * chunk whatever eps, which suits a GPU. The same code runs on every device; only the {@link
 * Device}, and with it the reach and the chunk size, changes.
 */
public final class ExhaustiveTensorSolver implements RfssSolver {

    /**
     * The most subsets per instance this solver accepts: sltk's enumeration limit {@link
     * Subsets#MAX_ENUMERATED}, cut by ten because this solver holds an [n, C] float64 one-hot table
     * on the device (n * C * 8 bytes, 1 GiB at n = 64) besides its [b, C] chunks.
     */
    public static final long MAX_SUBSETS = Subsets.MAX_ENUMERATED / 10;

    /**
     * The most subsets per instance on a GPU: sltk's enumeration limit, whose [n, C] table at (32,
     * 8) is 2.7 GB of device memory (and its int8 source 0.34 GB of Java heap while it is built).
     */
    public static final long MAX_SUBSETS_GPU = Subsets.MAX_ENUMERATED;

    /** The default bound on b * C, the elements of one chunk's [b, C] tensors, on a CPU. */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 24;

    /**
     * The bound on b * C on a GPU whose free memory cannot be read (DJL reads it through
     * libcudart): 2 GiB per float64 [b, C] tensor, a few of them alive at once, which suits a GPU
     * of 16 GB or more.
     */
    public static final long DEFAULT_MAX_ELEMENTS_GPU = 1L << 28;

    /**
     * The chunk bound for a GPU from its free memory: a quarter of it for the [b, C] tensors of a
     * chunk, about eight of them float64 at once (errors, masks and their casts), between 2^20 and
     * 2^31 elements; {@link #DEFAULT_MAX_ELEMENTS_GPU} when the free memory cannot be read.
     *
     * @param device the GPU
     * @return the most elements of one chunk's [b, C] tensors
     */
    static long gpuMaxElements(Device device) {
        try {
            java.lang.management.MemoryUsage m = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
            long free = m.getMax() - m.getUsed();
            return Math.max(1L << 20, Math.min(free / 4 / (8L * 8), 1L << 31));
        } catch (RuntimeException | LinkageError e) {
            return DEFAULT_MAX_ELEMENTS_GPU;
        }
    }

    private static final double U = 0x1.0p-53;

    /** More window columns than this are settled by plain enumeration on the host instead. */
    private static final int MAX_RECHECK = 1 << 16;

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
        this(
                device,
                device != null && device.isGpu() ? gpuMaxElements(device) : DEFAULT_MAX_ELEMENTS);
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
        return Subsets.enumerable(n, k, MAX_SUBSETS);
    }

    /** {@return the most subsets per instance on this solver's device} */
    private long limit() {
        return device.isGpu() ? MAX_SUBSETS_GPU : MAX_SUBSETS;
    }

    @Override
    public boolean supports(int n, int k) {
        return Subsets.enumerable(n, k, limit());
    }

    @Override
    public String reach() {
        return "C(n, k) <= " + limit() + (device.isGpu() ? " on a GPU" : "");
    }

    /**
     * Returns a bound on the difference between the tensor's error and the canonical error of any
     * k-subset of one instance, with margin.
     *
     * <p>Derivation. Let A = sum_j |z_j| over the instance's n candidates and W = |w|. The product
     * {@code Z x S} multiplies by exact 0s and 1s and adds exact zeros, so a column's value is the
     * float64 sum of the subset's k candidates in some order. For any order of summation, |computed
     * - exact| &lt;= gamma_(k-1) sum_(i in S) |z_i| &lt;= gamma_(k-1) A with gamma_m = m u / (1 - m
     * u), u = 2^-53 (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., eq. 4.4), so
     * two orders differ by at most 2 gamma_(k-1) A. Each error |s - w| takes one more rounding,
     * relative u, on a value at most (1 + gamma_(k-1)) A + W. So |e_tensor - e_canonical| &lt;= 2
     * gamma_(k-1) A + 2 u ((1 + gamma_(k-1)) A + W) &lt;= (2.02 k + 0.01) u (A + W) for k &lt;= 64
     * (where gamma_(k-1) &lt;= 1.01 (k - 1) u). delta = 4 (k + 1) u (A + W + eps) is about twice
     * that: the margin covers the rounding of A itself (relative n u) and of the thresholds eps +-
     * delta and min + 2 delta on the device (relative u of eps + delta); {@code Double.MIN_NORMAL}
     * keeps it positive.
     *
     * @param z the candidates
     * @param off the instance's first candidate
     * @param n candidates per instance
     * @param k subset size
     * @param w the target
     * @param eps the accuracy
     * @return delta
     */
    static double delta(double[] z, int off, int n, int k, double w, double eps) {
        double a = 0;
        for (int j = 0; j < n; j++) {
            a += Math.abs(z[off + j]);
        }
        return 4.0 * (k + 1) * U * (a + Math.abs(w) + eps) + Double.MIN_NORMAL;
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        long count = Subsets.count(n, k);
        if (count < 0 || count > limit()) {
            throw new IllegalArgumentException(
                    "exhaustive tensor search: C("
                            + n
                            + ", "
                            + k
                            + ") = "
                            + (count < 0 ? "more than 2^63" : Long.toString(count))
                            + " subsets is above the limit "
                            + limit()
                            + "; use the meet-in-the-middle solver");
        }
        int c = (int) count;
        int size = batch.size();
        int[] out = new int[size * k];
        if (size == 0) {
            return RfssSolution.of(batch, out);
        }
        double[] z = batch.candidatesView();
        double[] w = batch.targetsView();
        int chunk = (int) Math.max(1, Math.min(size, maxElements / c));
        Host host = new Host(n, k);
        Engines.engine();
        try (NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
            NDArray oneHot =
                    oneHotTransposed(manager, n, k, c); // [n, C] float64, column r = rank r
            // [1, C]: C - r for column r, so that max(mask * gap) = C - (first column of the mask),
            // 0 if none
            // built in Java rather than with arange, which sltk's own libtorch bridge does not
            // implement
            double[] gaps = new double[c];
            for (int r = 0; r < c; r++) {
                gaps[r] = c - r;
            }
            NDArray gap = manager.create(gaps, new Shape(1, c));
            for (int from = 0; from < size; from += chunk) {
                int b = Math.min(chunk, size - from);
                try (NDManager sub = manager.newSubManager()) {
                    double[] wd = new double[b];
                    double[] dd = new double[b];
                    double[] lowD = new double[b];
                    double[] highD = new double[b];
                    for (int i = 0; i < b; i++) {
                        wd[i] = w[from + i];
                        dd[i] = delta(z, (from + i) * n, n, k, wd[i], eps);
                        lowD[i] = eps - dd[i];
                        highD[i] = eps + dd[i];
                    }
                    NDArray zs =
                            sub.create(
                                    java.util.Arrays.copyOfRange(z, from * n, (from + b) * n),
                                    new Shape(b, n));
                    NDArray ws = sub.create(wd, new Shape(b, 1));
                    NDArray ds = sub.create(dd, new Shape(b, 1));
                    NDArray err = zs.matMul(oneHot).sub(ws).abs(); // [b, C]
                    NDArray window =
                            err.lte(err.min(new int[] {1}, true).add(ds.mul(2.0))); // [b, C]
                    NDList parts =
                            new NDList(
                                    err.argMin(1).toType(DataType.INT64, false),
                                    window.toType(DataType.INT64, false).sum(new int[] {1}));
                    if (eps > 0) {
                        NDArray low = sub.create(lowD, new Shape(b, 1));
                        NDArray high = sub.create(highD, new Shape(b, 1));
                        parts.add(firstColumn(err.lte(low), gap, c));
                        parts.add(firstColumn(err.lte(high), gap, c));
                    }
                    long[] v = NDArrays.stack(parts).toLongArray(); // [parts, b]
                    for (int i = 0; i < b; i++) {
                        int inst = from + i;
                        int zOff = inst * n;
                        long rank = -1;
                        if (eps > 0) {
                            long sure = v[2 * b + i];
                            long maybe = v[3 * b + i];
                            if (maybe < sure) {
                                rank =
                                        host.firstWithin(
                                                z, zOff, w[inst], eps, maybe, Math.min(sure, c));
                            }
                            if (rank < 0 && sure < c) {
                                rank = sure;
                            }
                        }
                        if (rank < 0) {
                            long near = v[b + i];
                            if (near == 1) {
                                rank = v[i];
                            } else if (near <= MAX_RECHECK) {
                                long[] cols = columns(window.get(i).toBooleanArray(), near);
                                rank = host.best(z, zOff, w[inst], cols);
                            } else {
                                host.brute(z, zOff, w[inst], out, inst * k);
                                continue;
                            }
                        }
                        Subsets.unrank(rank, n, host.subset);
                        System.arraycopy(host.subset, 0, out, inst * k, k);
                    }
                }
            }
        }
        return RfssSolution.of(batch, out);
    }

    /**
     * Per row of a [b, C] mask, the first column set in it, or C if none (exact in float64: C &lt;=
     * 2e7).
     */
    private static NDArray firstColumn(NDArray mask, NDArray gap, int c) {
        return mask.toType(DataType.FLOAT64, false)
                .mul(gap)
                .max(new int[] {1})
                .neg()
                .add(c)
                .toType(DataType.INT64, false);
    }

    /**
     * The canonical re-checks on the host, in Java, for the few instances the screen leaves open.
     */
    private static final class Host {
        final int n;
        final int k;
        final int[] subset;
        final int[] cs;
        final double[] ps;
        final double[] zz;

        Host(int n, int k) {
            this.n = n;
            this.k = k;
            subset = new int[k];
            cs = new int[k];
            ps = new double[k];
            zz = new double[n];
        }

        double canonicalError(double[] z, int zOff, double w, long rank) {
            Subsets.unrank(rank, n, subset);
            return Math.abs(RfssSolution.canonicalSum(z, zOff, subset, 0, k) - w);
        }

        /** The first rank in [from, to) whose canonical error is at most eps, or -1. */
        long firstWithin(double[] z, int zOff, double w, double eps, long from, long to) {
            for (long r = from; r < to; r++) {
                if (canonicalError(z, zOff, w, r) <= eps) {
                    return r;
                }
            }
            return -1;
        }

        /**
         * Of the given ranks (ascending), the one of smallest canonical error, the lowest among
         * ties.
         */
        long best(double[] z, int zOff, double w, long[] ranks) {
            long best = -1;
            double be = Double.POSITIVE_INFINITY;
            for (long r : ranks) {
                double e = canonicalError(z, zOff, w, r);
                if (best < 0 || e < be) {
                    be = e;
                    best = r;
                }
            }
            return best;
        }

        void brute(double[] z, int zOff, double w, int[] out, int off) {
            System.arraycopy(z, zOff, zz, 0, n);
            BruteForceSolver.solveOne(zz, w, k, 0, cs, ps, out, off);
        }
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
        return "ExhaustiveTensorSolver(device=" + device + ", chunk=" + maxElements + ")";
    }

    /**
     * Returns the indices of a row's true entries, in ascending order (read in Java: sltk's own
     * libtorch bridge has no nonzero).
     */
    private static long[] columns(boolean[] row, long count) {
        long[] cols = new long[(int) count];
        int q = 0;
        for (int r = 0; r < row.length && q < cols.length; r++) {
            if (row[r]) {
                cols[q++] = r;
            }
        }
        return q == cols.length ? cols : java.util.Arrays.copyOf(cols, q);
    }
}
