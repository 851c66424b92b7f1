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
 * timed alternately in one JVM by the thread's CPU time, median of 3 runs of about 0.05 s each, for
 * every (n, k) with 8 &lt;= n &lt;= 40, C(n, k) &lt;= 20,000 and min(k, n - k) &lt;= 5 (2-core AMD
 * EPYC Zen 5 shared with other jobs, load 7.7-8.7, 2026-12-04, after the pool reuse and occupancy
 * bitmap of issue 19; the earlier table, wall-clock, load 0.6-2.3, covered C(n, k) &lt;= 300,000
 * and n up to 64 for min(k, n - k) &lt;= 4). Ratio = enumeration's rate / meet in the middle's:
 *
 * <pre>
 * eps = 0                                  ratio (enumeration / mitm)
 * k &lt;= 2 or n - k &lt;= 2, every n            2.8 .. 1900
 * k = 3, n &lt;= 31                           1.04 .. 3.5; (30,3) 1.14, (31,3) 1.04
 * k = 3, n = 32 .. 40                       0.88 .. 1.18, no consistent winner: mitm
 * k = 4, n &lt;= 15                           1.01 .. 1.7; (16,4) 0.92, (20,4) 0.68, (24,4) 0.54
 * n - k = 3, n &lt;= 13 or n &gt;= 19             1.02 .. 1.8 and 1.11 .. 30 ((19,16) 1.11)
 * n - k = 3, n = 14 .. 18                   0.89 .. 1.00: mitm
 * n - k = 4, n &gt;= 30                        (earlier table) 1.12 (30,26) .. 6.9 (41,37)
 * otherwise C(n, k) &lt;= 252                  1.18 (10,5) .. 1.6; (10,6) 0.99, (11,6) 0.94
 * otherwise                                 below 1; (20,5) 0.32, (14,10) 0.60, (27,23) 0.81
 * </pre>
 *
 * <p>With eps &gt; 0 (a search that stops at the first subset within eps) a second table decides,
 * measured the same way at eps = 1e-3 (the pruning default) for 8 &lt;= n &lt;= 26, C(n, k) &lt;=
 * 20,000, min(k, n - k) &lt;= 5 (load 8.3-8.7): enumeration wins for k &lt;= 2 or n - k &lt;= 2
 * (2.0 .. 12), k = 3 up to n = 25 ((25,3) 1.04, (26,3) 0.84), n - k = 3 up to n = 14 ((14,11) 1.23,
 * (15,12) 0.81), k = 4 up to n = 16 ((16,4) 1.13, (17,4) 0.82), k = 5 up to n = 14 ((14,5) 1.06,
 * (15,5) 0.72), n - k = 4 up to n = 13 ((13,9) 1.12, (14,10) 0.93), otherwise up to C(n, k) = 500
 * ((11,6) 462: 1.60, (12,7) 792: 0.89); (20,5) 0.36 and larger shapes below 0.5. Other eps &gt; 0
 * use the same table, unmeasured. Where meet in the middle does not fit ({@link
 * MeetInTheMiddleSolver#fits}) enumeration is the only exact method and is used up to its reach.
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
                return n <= 25;
            }
            if (rest == 3) {
                return n <= 14;
            }
            if (k == 4) {
                return n <= 16;
            }
            if (k == 5) {
                return n <= 14;
            }
            if (rest == 4) {
                return n <= 13;
            }
            return Subsets.count(n, k) <= 500;
        }
        if (k <= 2 || rest <= 2) {
            return true;
        }
        if (k == 3) {
            return n <= 31;
        }
        if (rest == 3) {
            return n <= 13 || n >= 19;
        }
        if (k == 4) {
            return n <= 15;
        }
        if (rest == 4 && n >= 30) {
            return true;
        }
        return Subsets.count(n, k) <= 252;
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
