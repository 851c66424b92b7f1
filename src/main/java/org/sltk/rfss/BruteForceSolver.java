package org.sltk.rfss;

/**
 * Exact RFSS by enumerating all C(n, k) subsets in lexicographic order ({@link Subsets}).
 *
 * <p>Sums are kept as prefix sums in ascending index order, so every subset's error is computed
 * exactly as {@link RfssSolution} computes it, and a strict comparison keeps the
 * lexicographically smallest subset among equal errors: the result is the reference optimum. Cost
 * is about one addition per subset, so it is practical up to C(n, k) of about 1e6 per instance
 * (n = 20, k = 5: 15,504 subsets, some 50,000 instances/s per core), and it is also the fastest
 * exact method below about 1e3 subsets. Multi-threaded over the batch.
 */
public final class BruteForceSolver implements RfssSolver {

    /** The largest C(n, k) this solver {@linkplain #supports supports}. */
    public static final long LIMIT = 20_000_000;

    private static final int CHUNK = 64;

    private final int threads;

    /** Creates a solver using all available processors. */
    public BruteForceSolver() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates a solver.
     *
     * @param threads worker threads, at least 1
     */
    public BruteForceSolver(int threads) {
        this.threads = BatchRunner.checkThreads(threads);
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        int[] out = new int[batch.size() * k];
        float[] z = batch.candidatesView();
        float[] w = batch.targetsView();
        BatchRunner.run(batch.size(), CHUNK, threads, (from, to) -> {
            double[] zz = new double[n];
            int[] c = new int[k];
            double[] ps = new double[k];
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    zz[j] = z[i * n + j];
                }
                solveOne(zz, w[i], k, eps, c, ps, out, i * k);
            }
        });
        return RfssSolution.of(batch, out);
    }

    /**
     * Solves one instance; writes the best subset to {@code out[off..off+k)}.
     *
     * @param z the n candidates widened to double
     * @param target the target
     * @param k the subset size
     * @param eps stop once the error is at most eps (0: never stop early)
     * @param c scratch of length k
     * @param ps scratch of length k (prefix sums)
     * @param out receives the subset
     * @param off offset into out
     */
    static void solveOne(double[] z, float target, int k, double eps, int[] c, double[] ps, int[] out, int off) {
        int n = z.length;
        double w = target;
        for (int i = 0; i < k; i++) {
            c[i] = i;
        }
        // ps[d] = canonical sum of c[0..d)
        ps[0] = 0.0;
        for (int d = 1; d < k; d++) {
            ps[d] = ps[d - 1] + z[c[d - 1]];
        }
        double best = Double.POSITIVE_INFINITY;
        int bestLast = -1;
        int last = k - 1;
        while (true) {
            double p = ps[last];
            int bj = -1;
            double be = best;
            for (int j = c[last]; j < n; j++) {
                double e = Math.abs((p + z[j]) - w);
                if (e < be) {
                    be = e;
                    bj = j;
                }
            }
            if (bj >= 0) {
                best = be;
                bestLast = bj;
                System.arraycopy(c, 0, out, off, last);
                out[off + last] = bj;
                if (best <= eps && eps > 0) {
                    return;
                }
            }
            c[last] = n - 1;
            int d = Subsets.next(c, n);
            if (d < 0) {
                break;
            }
            for (int q = d + 1; q <= last; q++) {
                ps[q] = ps[q - 1] + z[c[q - 1]];
            }
        }
        assert bestLast >= 0;
    }

    @Override
    public boolean supports(int n, int k) {
        long c = Subsets.count(n, k);
        return n >= 1 && n <= RfssBatch.MAX_N && k >= 1 && k <= n && c >= 0 && c <= LIMIT;
    }

    @Override
    public String reach() {
        return "C(n, k) <= " + LIMIT;
    }

    @Override
    public String name() {
        return "brute";
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public String toString() {
        return "BruteForceSolver(threads=" + threads + ")";
    }
}
