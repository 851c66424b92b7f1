package org.sltk.rfss;

/**
 * Heuristic RFSS (not exact) by greedy construction and swap local search, for blocks where exact
 * search costs too much (n above about 40 with k near n/2).
 *
 * <pre>
 * greedy: for r = k down to 1, add the unused candidate closest to (w - sum) / r
 * repeat: apply the best 1-swap (one chosen out, one unchosen in) that lowers |sum - w|;
 *         if none does, the best improving 2-swap; stop when neither improves
 * </pre>
 *
 * <p>Each pass costs O(k (n - k)) for 1-swaps and O(k^2 (n - k)^2) for 2-swaps, so any (n, k) up to
 * n = 64 is fast; the result is a local optimum, usually a small factor above the exact error. Ties
 * go to the first swap in index order, all arithmetic is plain Java double, so the result is
 * deterministic. With {@code eps > 0} the search stops once the error is at most eps. Being a
 * heuristic, it does not follow the canonical rule of {@link RfssSolver}: its subset within eps is
 * the first its own search reaches, not the lexicographically first, and where it finds none it
 * returns a local optimum. Multi-threaded over the batch.
 */
public final class SwapSearchSolver implements RfssSolver {

    private final int threads;
    private final boolean twoSwaps;

    /** Creates a solver using all available processors, with 1-swaps and 2-swaps. */
    public SwapSearchSolver() {
        this(Runtime.getRuntime().availableProcessors(), true);
    }

    /**
     * Creates a solver.
     *
     * @param threads worker threads, at least 1
     * @param twoSwaps whether to try 2-swaps when no 1-swap improves
     */
    public SwapSearchSolver(int threads, boolean twoSwaps) {
        this.threads = BatchRunner.checkThreads(threads);
        this.twoSwaps = twoSwaps;
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        int[] out = new int[batch.size() * k];
        double[] z = batch.candidatesView();
        double[] w = batch.targetsView();
        BatchRunner.run(
                batch.size(),
                threads,
                () -> new boolean[n],
                (in, from, to) -> {
                    double[] zz = new double[n];
                    for (int i = from; i < to; i++) {
                        System.arraycopy(z, i * n, zz, 0, n);
                        solveOne(zz, w[i], k, eps, in);
                        int r = 0;
                        for (int j = 0; j < n; j++) {
                            if (in[j]) {
                                out[i * k + r++] = j;
                            }
                        }
                    }
                });
        return RfssSolution.of(batch, out);
    }

    private void solveOne(double[] z, double w, int k, double eps, boolean[] in) {
        int n = z.length;
        java.util.Arrays.fill(in, false);
        double s = 0.0;
        for (int r = k; r >= 1; r--) {
            double want = (w - s) / r;
            int bj = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (!in[j]) {
                    double d = Math.abs(z[j] - want);
                    if (d < bd) {
                        bd = d;
                        bj = j;
                    }
                }
            }
            in[bj] = true;
            s += z[bj];
        }
        s = sum(z, in);
        double err = Math.abs(s - w);
        while (err > eps) {
            // best 1-swap
            int bo = -1;
            int bi = -1;
            double be = err;
            for (int o = 0; o < n; o++) {
                if (!in[o]) {
                    continue;
                }
                double base = s - z[o];
                for (int j = 0; j < n; j++) {
                    if (in[j]) {
                        continue;
                    }
                    double e = Math.abs((base + z[j]) - w);
                    if (e < be) {
                        be = e;
                        bo = o;
                        bi = j;
                    }
                }
            }
            if (bo >= 0) {
                in[bo] = false;
                in[bi] = true;
                s = sum(z, in);
                err = Math.abs(s - w);
                continue;
            }
            if (!twoSwaps || k < 2 || n - k < 2 || !twoSwap(z, w, in, s, err)) {
                break;
            }
            s = sum(z, in);
            err = Math.abs(s - w);
        }
    }

    /** Applies the best improving 2-swap, if any; returns whether one was applied. */
    private static boolean twoSwap(double[] z, double w, boolean[] in, double s, double err) {
        int n = z.length;
        int b1 = -1;
        int b2 = -1;
        int b3 = -1;
        int b4 = -1;
        double be = err;
        for (int o1 = 0; o1 < n; o1++) {
            if (!in[o1]) {
                continue;
            }
            for (int o2 = o1 + 1; o2 < n; o2++) {
                if (!in[o2]) {
                    continue;
                }
                double base = s - z[o1] - z[o2];
                for (int i1 = 0; i1 < n; i1++) {
                    if (in[i1]) {
                        continue;
                    }
                    double base2 = base + z[i1];
                    for (int i2 = i1 + 1; i2 < n; i2++) {
                        if (in[i2]) {
                            continue;
                        }
                        double e = Math.abs((base2 + z[i2]) - w);
                        if (e < be) {
                            be = e;
                            b1 = o1;
                            b2 = o2;
                            b3 = i1;
                            b4 = i2;
                        }
                    }
                }
            }
        }
        if (b1 < 0) {
            return false;
        }
        in[b1] = false;
        in[b2] = false;
        in[b3] = true;
        in[b4] = true;
        return true;
    }

    private static double sum(double[] z, boolean[] in) {
        double s = 0.0;
        for (int j = 0; j < z.length; j++) {
            if (in[j]) {
                s += z[j];
            }
        }
        return s;
    }

    @Override
    public boolean supports(int n, int k) {
        return n >= 1 && n <= RfssBatch.MAX_N && k >= 1 && k <= n;
    }

    @Override
    public String reach() {
        return "any n up to " + RfssBatch.MAX_N;
    }

    @Override
    public String name() {
        return "swap";
    }

    @Override
    public boolean isExact() {
        return false;
    }

    @Override
    public String toString() {
        return "SwapSearchSolver(threads=" + threads + ",twoSwaps=" + twoSwaps + ")";
    }
}
