package org.sltk.rfss;

/**
 * Exact RFSS by the fastest exact method for the batch's (n, k) and eps: plain enumeration ({@link
 * BruteForceSolver}) or meet in the middle ({@link MeetInTheMiddleSolver}, its own enumeration
 * crossover off). Both follow the canonical rule of {@link RfssSolver}, so the choice changes the
 * time only, never a mask.
 *
 * <p>The choice ({@link #enumerates}) is a table of crossovers measured with {@code
 * RfssCrossoverMeasure} (in the tests; it prints the table below): on 20,000 seeded instances per
 * (n, k) (candidates a*b, a, b ~ U[-1, 1), targets U[-1, 1)), one thread each, the two methods
 * timed alternately in one JVM, median of 3 runs of about 0.05-0.1 s each, for every (n, k) with 4
 * &lt;= n &lt;= 40 and C(n, k) &lt;= 300,000, and n up to 64 for min(k, n - k) &lt;= 4 (2-core AMD
 * EPYC Zen 3 shared with other jobs, load 0.6-2.3, 2026-12-04). Ratio = enumeration's rate / meet
 * in the middle's:
 *
 * <pre>
 * eps = 0                                  ratio (enumeration / mitm)
 * k &lt;= 2, every n up to 64                  2.7 .. 11 (k = 1), 2.7 .. 5 (k = 2)
 * k = 3, n &lt;= 40                           1.04 .. 2.6; (30,3) 1.11, (40,3) 1.09
 * k = 3, n = 41 .. 58                       0.79 .. 1.16, no consistent winner: mitm
 * k = 4, n &lt;= 12                           1.18 .. 1.70; (13,4) 0.94, (16,4) 0.81, (24,4) 0.47
 * n - k &lt;= 3, every n                       1.6 .. 2900 (meet in the middle is slow for k &gt; n/2)
 * n - k = 4, n &gt;= 30                        1.12 (30,26) .. 6.9 (41,37); (29,25) 0.81
 * otherwise C(n, k) &lt;= 210                  1.13 .. 1.6; (10,5) C = 252: 0.94
 * otherwise                                 below 1; (20,5) 0.26, (24,6) 0.09, (20,10) 0.04
 * </pre>
 *
 * <p>With eps &gt; 0 (a search that stops at the first subset within eps) a second table decides,
 * measured the same way at eps = 1e-3 (the pruning default) for n &lt;= 23, C(n, k) &lt;= 200,000
 * (load 1.9-2.5): enumeration wins for k &lt;= 2 or n - k &lt;= 2 (1.6 .. 12), k = 3 up to n = 22
 * ((22,3) 1.04, (23,3) 0.89), n - k = 3 up to n = 13 ((13,10) 1.13, (14,11) 0.88), k = 4 up to n =
 * 14 ((14,4) 1.13, (15,4) 0.91), k = 5 up to n = 12 ((12,5) 1.12, (13,5) 0.64), n - k = 4 up to n =
 * 11 ((11,7) 1.21, (12,8) 0.90), otherwise up to C(n, k) = 330 ((11,6) 462: 0.78); (16,4) 0.64,
 * (20,5) 0.24, (24,6) and larger below 0.1. Other eps &gt; 0 use the same table, unmeasured. Where
 * meet in the middle does not fit ({@link MeetInTheMiddleSolver#fits}) enumeration is the only
 * exact method and is used up to its reach.
 */
public final class AutoRfssSolver implements RfssSolver {

    private final int threads;
    private final BruteForceSolver brute;
    private final MeetInTheMiddleSolver mitm;

    /** Creates a solver using all available processors. */
    public AutoRfssSolver() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates a solver.
     *
     * @param threads worker threads, at least 1
     */
    public AutoRfssSolver(int threads) {
        this.threads = BatchRunner.checkThreads(threads);
        this.brute = new BruteForceSolver(threads);
        this.mitm = new MeetInTheMiddleSolver(threads, 0);
    }

    /**
     * Tells whether plain enumeration is the faster exact method for (n, k) and eps, by the
     * measured table of the class comment (meet in the middle otherwise, where it fits).
     *
     * @param n candidates per instance
     * @param k subset size
     * @param eps the accuracy of the search
     * @return true to enumerate
     */
    public static boolean enumerates(int n, int k, double eps) {
        if (!MeetInTheMiddleSolver.fits(n, k)) {
            return true;
        }
        int rest = n - k;
        if (eps > 0) {
            // meet in the middle's first step is a pruned lexicographic walk that stops at the
            // first hit too, so enumeration wins on fewer shapes than for the optimum
            if (k <= 2 || rest <= 2) {
                return true;
            }
            if (k == 3) {
                return n <= 22;
            }
            if (rest == 3) {
                return n <= 13;
            }
            if (k == 4) {
                return n <= 14;
            }
            if (k == 5) {
                return n <= 12;
            }
            if (rest == 4) {
                return n <= 11;
            }
            return Subsets.count(n, k) <= 330;
        }
        if (k <= 2 || rest <= 3) {
            return true;
        }
        if (k == 3) {
            return n <= 40;
        }
        if (k == 4 && n <= 12) {
            return true;
        }
        if (rest == 4 && n >= 30) {
            return true;
        }
        return Subsets.count(n, k) <= 210;
    }

    /**
     * Returns the method {@link #solve} uses for (n, k) and eps.
     *
     * @param n candidates per instance
     * @param k subset size
     * @param eps the accuracy of the search
     * @return {@code brute} or {@code mitm}
     */
    public static String method(int n, int k, double eps) {
        return enumerates(n, k, eps) && Subsets.enumerable(n, k, Subsets.MAX_ENUMERATED)
                ? "brute"
                : "mitm";
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        if (!supports(n, k)) {
            throw new IllegalArgumentException(
                    "auto: (n, k) = ("
                            + n
                            + ", "
                            + k
                            + ") is beyond both exact methods ("
                            + reach()
                            + "); use a smaller n or the swap heuristic");
        }
        return method(n, k, eps).equals("brute") ? brute.solve(batch, eps) : mitm.solve(batch, eps);
    }

    @Override
    public boolean supports(int n, int k) {
        return mitm.supports(n, k) || brute.supports(n, k);
    }

    @Override
    public String reach() {
        return mitm.reach() + "; else C(n, k) <= " + Subsets.MAX_ENUMERATED;
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
        return "AutoRfssSolver(threads=" + threads + ")";
    }
}
