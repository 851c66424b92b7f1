package org.sltk.rfss;

/**
 * Exact RFSS by enumerating all C(n, k) subsets in lexicographic order ({@link Subsets}): the
 * reference implementation of the canonical rule of {@link RfssSolver}.
 *
 * <p>Sums are kept as prefix sums in ascending index order, so every subset's error is computed
 * exactly as {@link RfssSolution} computes it. The walk returns the first subset whose error is at
 * most eps; while walking it keeps the optimum (a strict comparison keeps the lexicographically
 * smallest among equal errors), which is the answer when no subset is within eps. Cost is about one
 * addition per subset, so it is practical up to C(n, k) of {@value Subsets#MAX_ENUMERATED} per
 * instance when it has to walk them all (n = 20, k = 5: 15,504 subsets, some 50,000 instances/s per
 * core), and it is also the fastest exact method below about 1e3 subsets (the speed crossover
 * {@link MeetInTheMiddleSolver#ENUMERATION_CROSSOVER}). Multi-threaded over the batch.
 */
public final class BruteForceSolver implements RfssSolver {

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
        solveAll(batch, eps, threads, out);
        return RfssSolution.of(batch, out);
    }

    /** One worker's scratch: the instance's candidates, the index set and its prefix sums. */
    private static final class Scratch {
        final double[] z;
        final int[] c;
        final double[] ps;

        Scratch(int n, int k) {
            z = new double[n];
            c = new int[k];
            ps = new double[k];
        }
    }

    /**
     * Solves every instance of the batch by the canonical rule into {@code out} (k entries per
     * instance).
     */
    static void solveAll(RfssBatch batch, double eps, int threads, int[] out) {
        int n = batch.n();
        int k = batch.k();
        double[] z = batch.candidatesView();
        double[] w = batch.targetsView();
        BatchRunner.run(
                batch.size(),
                threads,
                () -> new Scratch(n, k),
                (sc, from, to) -> {
                    for (int i = from; i < to; i++) {
                        System.arraycopy(z, i * n, sc.z, 0, n);
                        solveOne(sc.z, w[i], k, eps, sc.c, sc.ps, out, i * k);
                    }
                });
    }

    /**
     * Solves one instance by the canonical rule; writes the subset to {@code out[off..off+k)}.
     *
     * @param z the n candidates
     * @param w the target
     * @param k the subset size
     * @param eps return the first subset (lexicographic order) with error at most eps; if there is
     *     none, the optimum
     * @param c scratch of length k
     * @param ps scratch of length k (prefix sums)
     * @param out receives the subset
     * @param off offset into out
     */
    static void solveOne(
            double[] z, double w, int k, double eps, int[] c, double[] ps, int[] out, int off) {
        int n = z.length;
        for (int i = 0; i < k; i++) {
            c[i] = i;
            out[off + i] = i; // the answer if every error overflows to infinity
        }
        // ps[d] = canonical sum of c[0..d)
        ps[0] = 0.0;
        for (int d = 1; d < k; d++) {
            ps[d] = ps[d - 1] + z[c[d - 1]];
        }
        double best = Double.POSITIVE_INFINITY;
        int last = k - 1;
        while (true) {
            // the subsets c[0..last) + {j}, j = c[last] .. n-1, in lexicographic order
            double p = ps[last];
            int bj = -1;
            double be = best;
            for (int j = c[last]; j < n; j++) {
                double e = Math.abs((p + z[j]) - w);
                if (e <= eps) {
                    System.arraycopy(c, 0, out, off, last);
                    out[off + last] = j;
                    return;
                }
                if (e < be) {
                    be = e;
                    bj = j;
                }
            }
            if (bj >= 0) {
                best = be;
                System.arraycopy(c, 0, out, off, last);
                out[off + last] = bj;
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
    }

    @Override
    public boolean supports(int n, int k) {
        return Subsets.enumerable(n, k, Subsets.MAX_ENUMERATED);
    }

    @Override
    public String reach() {
        return "C(n, k) <= " + Subsets.MAX_ENUMERATED;
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
