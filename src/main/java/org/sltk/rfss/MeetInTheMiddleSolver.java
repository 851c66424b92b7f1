package org.sltk.rfss;

/**
 * Exact RFSS by meet in the middle, multi-threaded over the batch; follows the canonical rule of
 * {@link RfssSolver}.
 *
 * <p>Per instance, the candidates are split into halves A = [0, n/2) and B = [n/2, n). A k-subset
 * is a size-s subset of A plus a size-(k - s) subset of B. For every size split the half with fewer
 * subsets is the small side: its subset sums form a sorted list (built by merging, one element at a
 * time, {@code L_s <- merge(L_s, L_(s-1) + x)}, each sum carrying its bit mask) with occupancy
 * bits. The other half is the big side: its subset sums are enumerated as the sum of two
 * quarter-subset lists grouped by size and sorted (built by the same merging), and each one is
 * looked up in the small list through an occupancy bitmap (a binary search where a bit is set or
 * the window is wide). As the low quarter's list is sorted, only its sums within the small list's
 * range (widened by the window) are looked up at all: a binary search finds the first, the scan
 * stops after the last.
 *
 * <pre>
 * for every big-side sum b (half x, size t), small list L = sorted sums of half y, size k - t:
 *     skip whole groups whose sum range cannot come within the current window of w
 *     find the first entry of L at or above (w - b) - window   (occupancy bit, then binary search)
 *     if one lies within the window: every entry a there is a contender for |a + b - w|
 * </pre>
 *
 * <p>Search sums are added in another order than the canonical ascending-index sum of {@link
 * RfssSolution}, so they may differ from it in the last bits. The window is therefore the best
 * search error plus a proven rounding bound; every pair inside it is a contender, judged by its
 * canonical error and then lexicographically. That gives the optimum, tie for tie.
 *
 * <p>With {@code eps > 0} the answer is the lexicographically first subset within eps (or the
 * optimum when there is none). It is looked for first by a depth-first walk over index prefixes in
 * lexicographic order, the canonical prefix sums carried along, pruned where even the r smallest
 * (largest) candidates of the remaining suffix cannot bring the sum within eps (suffix bounds
 * precomputed per instance, with a rounding margin). Where subsets within eps are dense, as in
 * pruning, it meets the first one after a few hundred leaves. The walk has a node budget; when it
 * runs out, the meet in the middle runs with its window never narrower than eps, so that it meets
 * every subset within eps and the optimum, and the lexicographically smallest subset within eps
 * wins (the optimum if there is none). A walk that ends within the budget without a hit has proven
 * there is none, and the meet in the middle looks for the optimum alone. Where C(n, k) is small,
 * enumeration ({@link BruteForceSolver}, the same rule) is faster and is used instead.
 *
 * <p>Work per instance is at most the sum over size splits of the big side's subset count, roughly
 * sum_(s &lt;= k) C(n/2, s), and much less where the small list is short (its range admits few
 * low-quarter sums); memory is the small side's and the quarters' lists only. Practical reach: n up
 * to about 40 for every k, n = 64 for small k; (n, k) with more than {@value #MAX_LIST_ENTRIES}
 * subset sums per half are refused. Speed on 2 shared cores: {@code docs/rfss-speed.md}.
 */
public final class MeetInTheMiddleSolver implements RfssSolver {

    /** The most subset sums (all sizes up to k together) one half may have. */
    public static final int MAX_LIST_ENTRIES = 1 << 21;

    /**
     * A speed crossover, not a limit: up to this many subsets C(n, k), this solver enumerates (the
     * same canonical rule as {@link BruteForceSolver}), which is faster there than splitting into
     * halves. The result does not depend on it; the reach of enumerating solvers is {@link
     * Subsets#MAX_ENUMERATED}.
     */
    static final long ENUMERATION_CROSSOVER = 1_500;

    private static final double U = 0x1.0p-53;

    /** Depth-first nodes per instance at least, before the meet in the middle takes over. */
    static final long MIN_DFS_BUDGET = 4096;

    private final int threads;
    private final long enumerateUpTo;
    private final long dfsBudget;

    /** Creates a solver using all available processors. */
    public MeetInTheMiddleSolver() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Creates a solver.
     *
     * @param threads worker threads, at least 1
     */
    public MeetInTheMiddleSolver(int threads) {
        this(threads, ENUMERATION_CROSSOVER);
    }

    /**
     * Creates a solver with a chosen speed crossover to enumeration (for benchmarks and tests).
     *
     * @param threads worker threads, at least 1
     * @param enumerateUpTo instances with at most this many subsets are enumerated; 0 never
     */
    MeetInTheMiddleSolver(int threads, long enumerateUpTo) {
        this(threads, enumerateUpTo, -1);
    }

    /**
     * Creates a solver with a chosen switch-over and depth-first budget (for tests): the result
     * does not depend on either, only the time does.
     *
     * @param threads worker threads, at least 1
     * @param enumerateUpTo instances with at most this many subsets are enumerated; 0 never
     * @param dfsBudget nodes of the depth-first walk per instance with eps &gt; 0 (0: no walk, the
     *     meet in the middle at once; {@code Long.MAX_VALUE}: the walk alone decides whether a
     *     subset lies within eps); negative for the default, {@link #defaultDfsBudget}
     */
    MeetInTheMiddleSolver(int threads, long enumerateUpTo, long dfsBudget) {
        this.threads = BatchRunner.checkThreads(threads);
        this.enumerateUpTo = enumerateUpTo;
        this.dfsBudget = dfsBudget;
    }

    /**
     * Returns the default node budget of the depth-first walk: 64 sqrt(C(n, k)), at least {@value
     * #MIN_DFS_BUDGET}; a fraction of the meet in the middle's own work, which grows about like
     * sqrt(C(n, k)) too.
     *
     * @param n candidates per instance
     * @param k subset size
     * @return the budget in nodes
     */
    static long defaultDfsBudget(int n, int k) {
        return Math.max(MIN_DFS_BUDGET, (long) (64 * Math.sqrt(RfssTheory.binom(n, k))));
    }

    /**
     * Tells whether an (n, k) is within this solver's reach ({@value #MAX_LIST_ENTRIES} subset sums
     * per half).
     *
     * @param n candidates per instance
     * @param k subset size
     * @return true if meet in the middle can solve (n, k)
     */
    public static boolean fits(int n, int k) {
        int h = (n + 1) / 2;
        long total = 0;
        for (int s = 0; s <= Math.min(k, h); s++) {
            total += Subsets.count(h, s);
        }
        return total <= MAX_LIST_ENTRIES;
    }

    @Override
    public boolean supports(int n, int k) {
        if (n < 1 || n > RfssBatch.MAX_N || k < 1 || k > n) {
            return false;
        }
        long subsets = Subsets.count(n, k);
        return (subsets >= 0 && subsets <= enumerateUpTo) || fits(n, k);
    }

    @Override
    public String reach() {
        return "at most "
                + MAX_LIST_ENTRIES
                + " subset sums per half: n up to about 40 for every k, 64 for small k";
    }

    @Override
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        long subsets = Subsets.count(n, k);
        boolean brute = subsets >= 0 && subsets <= enumerateUpTo;
        long budget = dfsBudget >= 0 ? dfsBudget : defaultDfsBudget(n, k);
        if (!brute && !fits(n, k)) {
            throw new IllegalArgumentException(
                    "meet in the middle: (n, k) = ("
                            + n
                            + ", "
                            + k
                            + ") has more than "
                            + MAX_LIST_ENTRIES
                            + " subset sums per half; use a smaller n or the swap heuristic");
        }
        int[] out = new int[batch.size() * k];
        double[] z = batch.candidatesView();
        double[] w = batch.targetsView();
        if (brute) {
            BruteForceSolver.solveAll(batch, eps, threads, out);
        } else {
            BatchRunner.run(
                    batch.size(),
                    threads,
                    () -> new Scratch(n, k),
                    (sc, from, to) -> {
                        for (int i = from; i < to; i++) {
                            sc.solve(z, i * n, w[i], eps, budget, out, i * k);
                        }
                    });
        }
        return RfssSolution.of(batch, out);
    }

    /**
     * Per-thread working memory for one (n, k); nothing is allocated per instance.
     *
     * <p>Half 0 holds candidates [0, n/2), half 1 the rest. For each size split, the half with
     * fewer subsets of its size is the "small" side: its sums are a sorted list (built by merging)
     * with occupancy bits. The other, "big" side is enumerated as the sum of two quarter subsets,
     * sorted quarter lists grouped by subset size, and every big-side sum is looked up in the small
     * list: only entries within the current window around the target are examined.
     */
    static final class Scratch {
        final int n;
        final int k;
        final int[] h = new int[2];
        final int[] shift = new int[2];
        final int[] ql = new int[2]; // size of the low quarter of each half
        final double[][] v = new double[2][];
        final Half[] half = new Half[2];
        final boolean[][] smallNeeded = new boolean[2][];
        final int[] bigLo = {Integer.MAX_VALUE, Integer.MAX_VALUE};
        final int[] bigHi = {-1, -1};
        final int[] halfOrder = new int[2];

        /**
         * Quarter lists [half][quarter]: the sums of all subsets of each size, sorted ascending,
         * with quarter-local masks (the high quarter's shifted by {@code ql} to half-local bits).
         */
        final Half[][] quarter = new Half[2][2];

        final double[][][] qv = new double[2][2][];
        final int[] order;

        /**
         * Depth-first walk: suffix bounds [(n + 1) * (k + 1)], sorted suffix, prefix and its sums.
         */
        final double[] minS;

        final double[] maxS;
        final double[] srt;
        final int[] dc;
        final double[] dps;
        // the current instance
        double[] z;
        int zOff;
        double w;
        double tol;
        double bound;
        double lim;

        /**
         * The window never narrows below this: eps while subsets within eps are looked for, else 0.
         */
        double floor;

        /**
         * Whether contenders within eps are collected (hitMask: the lexicographically smallest).
         */
        boolean hits;

        double eps;
        double champErr;
        long champMask;
        long hitMask;

        Scratch(int n, int k) {
            this.n = n;
            this.k = k;
            h[0] = n / 2;
            h[1] = n - h[0];
            shift[1] = h[0];
            int[] smallMax = {0, 0};
            smallNeeded[0] = new boolean[k + 1];
            smallNeeded[1] = new boolean[k + 1];
            int sLo = Math.max(0, k - h[1]);
            int sHi = Math.min(k, h[0]);
            long[] bigWeight = new long[2];
            for (int s = sLo; s <= sHi; s++) {
                long ca = Subsets.count(h[0], s);
                long cb = Subsets.count(h[1], k - s);
                int small = ca <= cb ? 0 : 1;
                int big = 1 - small;
                int smallSize = small == 0 ? s : k - s;
                int bigSize = k - smallSize;
                smallMax[small] = Math.max(smallMax[small], smallSize);
                smallNeeded[small][smallSize] = true;
                bigLo[big] = Math.min(bigLo[big], bigSize);
                bigHi[big] = Math.max(bigHi[big], bigSize);
                bigWeight[big] = Math.max(bigWeight[big], ca * cb);
            }
            // the half holding the split with most pairs goes first: its bound prunes the rest
            halfOrder[0] = bigWeight[1] > bigWeight[0] ? 1 : 0;
            halfOrder[1] = 1 - halfOrder[0];
            for (int x = 0; x < 2; x++) {
                v[x] = new double[h[x]];
                half[x] = new Half(h[x], smallMax[x], smallNeeded[x]); // bits on every small list
                ql[x] = h[x] / 2;
                int[] qsize = {ql[x], h[x] - ql[x]};
                for (int r = 0; r < 2; r++) {
                    int pmax = Math.min(Math.max(bigHi[x], 0), qsize[r]);
                    quarter[x][r] = new Half(qsize[r], pmax, null);
                    qv[x][r] = new double[qsize[r]];
                }
            }
            order = new int[n];
            minS = new double[(n + 1) * (k + 1)];
            maxS = new double[(n + 1) * (k + 1)];
            srt = new double[n];
            dc = new int[k];
            dps = new double[k + 1];
        }

        void solve(
                double[] zs,
                int off,
                double target,
                double eps,
                long budget,
                int[] out,
                int outOff) {
            this.z = zs;
            this.zOff = off;
            this.w = target;
            this.eps = eps;
            double absSum = Math.abs(w);
            for (int x = 0; x < 2; x++) {
                double[] vx = v[x];
                for (int j = 0; j < h[x]; j++) {
                    vx[j] = zs[off + shift[x] + j];
                    absSum += Math.abs(vx[j]);
                }
            }
            // more than twice the largest difference between two summation orders of k terms
            tol = 8.0 * (k + 2) * U * absSum + Double.MIN_NORMAL;
            hits = eps > 0;
            if (hits && budget > 0) {
                int r = walk(eps, budget);
                if (r == HIT) {
                    for (int t = 0; t < k; t++) {
                        out[outOff + t] = dc[t];
                    }
                    return;
                }
                hits = r != NO_HIT; // a complete walk without a hit proves there is none
            }
            long shortcut = outsideReach(zs, off);
            // the shortcut's subset is the unique optimum; with a hit possible it only answers
            // when it is not within eps itself (then no subset is)
            if (shortcut != 0
                    && (!hits
                            || Math.abs(RfssSolution.canonicalSum(zs, off, shortcut) - w) > eps)) {
                write(shortcut, out, outOff);
                return;
            }
            for (int x = 0; x < 2; x++) {
                half[x].build(v[x]);
                for (int s = 0; s <= k; s++) {
                    if (smallNeeded[x][s]) {
                        half[x].index(s);
                    }
                }
                if (bigHi[x] >= 0) {
                    quarters(x);
                }
            }
            floor = hits ? eps : 0;
            bound = Double.POSITIVE_INFINITY;
            lim = Double.POSITIVE_INFINITY;
            champErr = Double.POSITIVE_INFINITY;
            champMask = 0;
            hitMask = 0;
            for (int o = 0; o < 2; o++) {
                int x = halfOrder[o];
                if (bigHi[x] >= 0) {
                    sweepBig(x);
                }
            }
            write(hitMask != 0 ? hitMask : champMask, out, outOff);
        }

        private void write(long mask, int[] out, int outOff) {
            int r = 0;
            for (long mk = mask; mk != 0; mk &= mk - 1) {
                out[outOff + r++] = Long.numberOfTrailingZeros(mk);
            }
        }

        static final int HIT = 0;
        static final int NO_HIT = 1;
        static final int OUT_OF_BUDGET = 2;

        /**
         * Walks the index prefixes depth first in lexicographic order, looking for the first subset
         * whose canonical error is at most eps; leaves are the subsets themselves, in lexicographic
         * order, their sums the canonical prefix sums. A prefix is cut when its sum plus the r
         * smallest (largest) candidates after it stays above (below) the target's eps window
         * widened by the rounding margin: no subset within eps extends it.
         *
         * @return {@link #HIT} (the subset in {@code dc}), {@link #NO_HIT} (none within eps) or
         *     {@link #OUT_OF_BUDGET}
         */
        int walk(double eps, long budget) {
            final double[] zs = z;
            final int off = zOff;
            final int k1 = k + 1;
            suffixBounds();
            double margin = eps * (1 + 0x1.0p-40) + tol;
            double lo = w - margin;
            double hi = w + margin;
            if (minS[k] > hi || maxS[k] < lo) {
                return NO_HIT;
            }
            final int[] cc = dc;
            final double[] ps = dps;
            final int last = k - 1;
            long nodes = 0;
            int d = 0;
            cc[0] = 0;
            ps[0] = 0.0;
            while (true) {
                if (d == last) {
                    double p = ps[d];
                    int from = cc[d];
                    for (int j = from; j < n; j++) {
                        if (Math.abs((p + zs[off + j]) - w) <= eps) {
                            cc[d] = j;
                            return HIT;
                        }
                    }
                    nodes += n - from;
                    if (nodes > budget) {
                        return OUT_OF_BUDGET;
                    }
                    if (--d < 0) {
                        return NO_HIT;
                    }
                    cc[d]++;
                    continue;
                }
                int j = cc[d];
                int rem = last - d; // still to choose after j
                if (j >= n - rem) { // no room left for rem more after j
                    if (--d < 0) {
                        return NO_HIT;
                    }
                    cc[d]++;
                    continue;
                }
                double s = ps[d] + zs[off + j];
                int b = (j + 1) * k1 + rem;
                nodes++;
                if (s + minS[b] > hi || s + maxS[b] < lo) {
                    cc[d]++;
                    continue;
                }
                if (nodes > budget) {
                    return OUT_OF_BUDGET;
                }
                ps[d + 1] = s;
                cc[d + 1] = j + 1;
                d++;
            }
        }

        /**
         * Fills minS[m * (k + 1) + r] (maxS) with the sum of the r smallest (largest) of the
         * candidates m..n-1, for r up to min(k, n - m).
         */
        private void suffixBounds() {
            final int k1 = k + 1;
            minS[n * k1] = 0.0;
            maxS[n * k1] = 0.0;
            for (int m = n - 1; m >= 0; m--) {
                double x = z[zOff + m];
                int len = n - 1 - m; // sorted entries so far: srt[0..len)
                int p = len - 1;
                while (p >= 0 && srt[p] > x) {
                    srt[p + 1] = srt[p];
                    p--;
                }
                srt[p + 1] = x;
                len++;
                int rMax = Math.min(k, len);
                double lo = 0.0;
                double hi = 0.0;
                int base = m * k1;
                minS[base] = 0.0;
                maxS[base] = 0.0;
                for (int r = 1; r <= rMax; r++) {
                    lo += srt[r - 1];
                    hi += srt[len - r];
                    minS[base + r] = lo;
                    maxS[base + r] = hi;
                }
            }
        }

        /**
         * Answers an instance whose target lies at or beyond the sum of its k smallest (or k
         * largest) candidates: every other subset's sum is then farther from the target, so that
         * subset is the unique optimum and no search is needed. This is the common case among
         * blocks that miss (products too unbalanced in sign for a small target). Taken only when
         * the k-th and (k+1)-th values differ by more than twice the rounding tolerance, so that no
         * other subset can tie or overtake it in float64.
         *
         * @return the mask of that subset, or 0 when the shortcut does not apply
         */
        long outsideReach(double[] zs, int off) {
            if (k == n) {
                return 0;
            }
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            for (int a = 1; a < n; a++) { // insertion sort of the indices by value, n <= 64
                int idx = order[a];
                double val = zs[off + idx];
                int b = a - 1;
                while (b >= 0 && zs[off + order[b]] > val) {
                    order[b + 1] = order[b];
                    b--;
                }
                order[b + 1] = idx;
            }
            if (zs[off + order[k]] - zs[off + order[k - 1]] > 2 * tol
                    && w <= RfssSolution.canonicalSum(zs, off, maskOf(order, 0))) {
                return maskOf(order, 0);
            } else if (zs[off + order[n - k]] - zs[off + order[n - k - 1]] > 2 * tol
                    && w >= RfssSolution.canonicalSum(zs, off, maskOf(order, n - k))) {
                return maskOf(order, n - k);
            }
            return 0;
        }

        private long maskOf(int[] ord, int from) {
            long mask = 0;
            for (int t = from; t < from + k; t++) {
                mask |= 1L << ord[t];
            }
            return mask;
        }

        /** Builds the sorted quarter lists of half x. */
        private void quarters(int x) {
            double[] vx = v[x];
            for (int r = 0; r < 2; r++) {
                int base = r == 0 ? 0 : ql[x];
                double[] q = qv[x][r];
                System.arraycopy(vx, base, q, 0, q.length);
                quarter[x][r].build(q);
            }
        }

        /**
         * The first position of the sorted {@code a[from, len)} whose value is at least {@code x}
         * ({@code len} if none).
         */
        private static int lowerBound(double[] a, int from, int len, double x) {
            int lo = from;
            int hi = len;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        /** Enumerates the big-side subsets of half x and looks each up in the small lists. */
        private void sweepBig(int x) {
            final int y = 1 - x;
            final Half small = half[y];
            final double w = this.w;
            final Half q0 = quarter[x][0];
            final Half q1 = quarter[x][1];
            final int sh1 = ql[x];
            for (int ph = 0; ph <= q1.smax && ph <= bigHi[x]; ph++) {
                final double[] g1 = q1.sum[ph];
                final int[] gm1 = q1.mask[ph];
                final int n1 = q1.len[ph];
                int tFrom = Math.max(bigLo[x], ph);
                int tTo = Math.min(bigHi[x], ph + sh1);
                for (int jdx = 0; jdx < n1; jdx++) {
                    final double bh = g1[jdx];
                    final int mh = gm1[jdx] << sh1;
                    for (int t = tFrom; t <= tTo; t++) {
                        int p = t - ph;
                        if (p > q0.smax) {
                            break;
                        }
                        final int ss = k - t;
                        final double[] ls = small.sum[ss];
                        final int len = small.len[ss];
                        final double lo = ls[0];
                        final double hi = ls[len - 1];
                        final double[] g0 = q0.sum[p];
                        final int[] gm0 = q0.mask[p];
                        final int n0 = q0.len[p];
                        double reach = lim + tol;
                        if (bh + g0[n0 - 1] + hi < w - reach || bh + g0[0] + lo > w + reach) {
                            continue;
                        }
                        // the quarter list is sorted: only sums b whose w - b can lie within the
                        // small list's range (widened by the window and a rounding margin) are
                        // looked up; the window only narrows, so the range stays conservative
                        final double upTo = (w - bh - lo) + reach + tol;
                        int from = lowerBound(g0, 0, n0, (w - bh - hi) - reach - tol);
                        final long[] bits = small.bits[ss];
                        final double bsc = small.bscale[ss];
                        final int bm = small.bmax[ss];
                        for (int idx = from; idx < n0; idx++) {
                            final double gv = g0[idx];
                            if (gv > upTo) {
                                break;
                            }
                            double b = bh + gv;
                            double xx = w - b;
                            double r2 = lim + tol;
                            double u = xx - r2;
                            if (bits != null) {
                                int bu = Half.fine(u, lo, bsc, bm);
                                if (r2 * bsc <= 0.25
                                        ? ((bits[bu >>> 6] >>> bu) & 1L) == 0
                                        : !Half.mayHold(
                                                bits, bu, Half.fine(xx + r2, lo, bsc, bm))) {
                                    // under half a fine bucket wide, an entry in the window has
                                    // the fine bucket of u or the next one, and sets u's bit
                                    // too; a wider window needs its whole range of bits clear
                                    continue;
                                }
                            }
                            int pos = lowerBound(ls, 0, len, u);
                            if (pos < len && ls[pos] <= xx + r2) {
                                window(b, mh | gm0[idx], xx, y, ss, x, pos);
                            }
                        }
                    }
                }
            }
        }

        /**
         * Evaluates the entries of the small list (half sh, size s) near {@code x = w - b}: from
         * the crossing outwards, while within the current window.
         */
        private void window(double b, int bm, double x, int sh, int s, int bh, int from) {
            double[] ls = half[sh].sum[s];
            int[] sm = half[sh].mask[s];
            int len = half[sh].len[s];
            // first position at or above x ('from' is below the window)
            int lo = lowerBound(ls, from, len, x);
            for (int p = lo; p < len && ls[p] <= x + lim + tol; p++) {
                double e = Math.abs((ls[p] + b) - w);
                if (e <= lim) {
                    contender(e, sh, sm[p], bh, bm);
                }
            }
            for (int p = lo - 1; p >= 0 && ls[p] >= x - lim - tol; p--) {
                double e = Math.abs((ls[p] + b) - w);
                if (e <= lim) {
                    contender(e, sh, sm[p], bh, bm);
                }
            }
        }

        private void contender(double approxErr, int ha, int maskA, int hbIdx, int maskB) {
            long mask =
                    (Integer.toUnsignedLong(maskA) << shift[ha])
                            | (Integer.toUnsignedLong(maskB) << shift[hbIdx]);
            double sum = RfssSolution.canonicalSum(z, zOff, mask);
            double e = Math.abs(sum - w);
            if (e < champErr || (e == champErr && lexLess(mask, champMask))) {
                champErr = e;
                champMask = mask;
            }
            if (hits && e <= eps && (hitMask == 0 || lexLess(mask, hitMask))) {
                hitMask = mask;
            }
            if (approxErr < bound) {
                bound = approxErr;
                // never narrower than eps while looking for subsets within it: every one is met
                lim = Math.max(bound, floor) * (1 + 0x1.0p-40) + tol;
            }
        }

        static boolean lexLess(long x, long y) {
            long d = x ^ y;
            return d != 0 && (x & (d & -d)) != 0;
        }
    }

    /** Sorted subset-sum lists of one half, per subset size, with their masks. */
    static final class Half {
        final int h;
        final int smax;
        final double[][] sum;
        final int[][] mask;
        final double[][] sumTmp;
        final int[][] maskTmp;
        final int[] len;

        /**
         * Occupancy bitmaps of the sorted lists: bit q of {@code bits[s]} is set iff some entry's
         * fine bucket ({@link #fine} with {@code bscale[s]} and {@code bmax[s]}) is q or q + 1.
         * About 256 bits per entry, small enough for the first-level cache, so most look-ups of a
         * narrow window are answered "nothing here" by one bit; the others by a binary search.
         */
        final long[][] bits;

        final double[] bscale;
        final int[] bmax;

        /**
         * Occupancy bits per entry, rounded to a power of two; measured on 2026-12-05 (one thread,
         * load under 0.2): bits on every small list at about 256 per entry, against bits only on
         * lists looked up at least 8 times per entry at about 32 per entry, took (24,6) from 23,651
         * to 32,078/s and (32,8) from 2,484 to 4,009/s; (20,5) and (16,4) did not change beyond the
         * noise. Dropping the bucket index for a binary search on the few look-ups the bits do not
         * answer added 6-13% at (32,8) and 18-25% at (20,10).
         */
        static final int BITS_PER_ENTRY = 256;

        /**
         * Makes the lists of one half.
         *
         * @param h the half's candidates
         * @param smax the largest subset size listed
         * @param withBits which sizes get occupancy bits (null: none)
         */
        Half(int h, int smax, boolean[] withBits) {
            this.h = h;
            this.smax = smax;
            sum = new double[smax + 1][];
            mask = new int[smax + 1][];
            sumTmp = new double[smax + 1][];
            maskTmp = new int[smax + 1][];
            len = new int[smax + 1];
            bits = new long[smax + 1][];
            bscale = new double[smax + 1];
            bmax = new int[smax + 1];
            for (int s = 0; s <= smax; s++) {
                if (withBits != null && s < withBits.length && withBits[s]) {
                    int nbits =
                            Math.max(
                                    64,
                                    Integer.highestOneBit((int) Subsets.count(h, s))
                                            * BITS_PER_ENTRY);
                    bits[s] = new long[nbits >>> 6];
                    bmax[s] = nbits - 1;
                }
                int cap = (int) Subsets.count(h, s) + 1; // + 1 for the sentinel
                sum[s] = new double[cap];
                mask[s] = new int[cap];
                sumTmp[s] = new double[cap];
                maskTmp[s] = new int[cap];
            }
        }

        /** Builds the occupancy bits of the sorted size-s list (if it has them). */
        void index(int s) {
            double[] ls = sum[s];
            int m = len[s];
            double lo = ls[0];
            double span = ls[m - 1] - lo;
            long[] bs = bits[s];
            if (bs == null) {
                return;
            }
            java.util.Arrays.fill(bs, 0L);
            int bm = bmax[s];
            double bsc = span > 0 ? bm / span : 0.0;
            bscale[s] = bsc;
            for (int i = 0; i < m; i++) {
                int f = fine(ls[i], lo, bsc, bm);
                bs[f >>> 6] |= 1L << f;
                if (f > 0) {
                    bs[(f - 1) >>> 6] |= 1L << (f - 1);
                }
            }
        }

        /**
         * The fine bucket of a value, in [0, max]: monotone in the value (rounding included), and
         * branch-free (Java's double-to-int conversion saturates).
         */
        static int fine(double value, double lo, double sc, int max) {
            return Math.min(max, Math.max(0, (int) ((value - lo) * sc)));
        }

        /**
         * Tells whether an entry may lie in a window whose ends have the fine buckets {@code from}
         * and {@code to}: false only when every bit in [from, to] is clear. An entry in the window
         * has a fine bucket in [from, to] (the bucket function is monotone) and set its own bit, so
         * false proves the window empty. Windows over 192 buckets wide answer true (look it up).
         *
         * @param bits the list's occupancy bits
         * @param from the fine bucket of the window's lower end
         * @param to the fine bucket of its upper end, at least {@code from}
         * @return false if no entry lies in the window
         */
        static boolean mayHold(long[] bits, int from, int to) {
            int wa = from >>> 6;
            int wb = to >>> 6;
            if (wb - wa > 2) {
                return true;
            }
            long first = -1L << from; // the bits at or above from's, in its word
            long last = -1L >>> (63 - (to & 63)); // the bits at or below to's, in its word
            if (wa == wb) {
                return (bits[wa] & first & last) != 0;
            }
            return (bits[wa] & first) != 0
                    || (bits[wb] & last) != 0
                    || (wb - wa == 2 && bits[wa + 1] != 0);
        }

        void build(double[] v) {
            len[0] = 1;
            sum[0][0] = 0.0;
            mask[0][0] = 0;
            for (int s = 1; s <= smax; s++) {
                len[s] = 0;
            }
            for (int e = 0; e < h; e++) {
                double x = v[e];
                int bit = 1 << e;
                for (int s = Math.min(e + 1, smax); s >= 1; s--) {
                    double[] ps = sum[s];
                    int[] pm = mask[s];
                    int lp = len[s];
                    double[] qs = sum[s - 1];
                    int[] qm = mask[s - 1];
                    int lq = len[s - 1];
                    double[] os = sumTmp[s];
                    int[] om = maskTmp[s];
                    // sentinels: both inputs end with +infinity, so the loop runs exactly lp + lq
                    // times without bounds tests
                    ps[lp] = Double.POSITIVE_INFINITY;
                    qs[lq] = Double.POSITIVE_INFINITY;
                    int i = 0;
                    int j = 0;
                    int total = lp + lq;
                    for (int o = 0; o < total; o++) {
                        double p = ps[i];
                        double q = qs[j] + x;
                        if (p <= q) {
                            os[o] = p;
                            om[o] = pm[i++];
                        } else {
                            os[o] = q;
                            om[o] = qm[j++] | bit;
                        }
                    }
                    int o = total;
                    sumTmp[s] = ps;
                    maskTmp[s] = pm;
                    sum[s] = os;
                    mask[s] = om;
                    len[s] = o;
                }
            }
        }
    }

    @Override
    public String name() {
        return "mitm";
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public String toString() {
        return "MeetInTheMiddleSolver(threads=" + threads + ")";
    }
}
