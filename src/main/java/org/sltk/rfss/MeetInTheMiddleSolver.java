package org.sltk.rfss;

/**
 * Exact RFSS by meet in the middle, multi-threaded over the batch.
 *
 * <p>Per instance, the candidates are split into two halves A and B. For every subset size s,
 * the sums of the size-s subsets of each half are built as sorted lists by merging (one element
 * at a time: {@code L_s <- merge(L_s, L_{s-1} + x)}), each sum carrying its subset as a bit mask.
 * Then, for every size split (s, k - s), one two-pointer sweep over A's list ascending and B's
 * list descending finds the pair whose sum is closest to the target:
 *
 * <pre>
 * for each size split (s, k-s), most pairs first:
 *     skip it if [min A_s + min B_(k-s), max A_s + max B_(k-s)] cannot come within best of w
 *     j = last of B
 *     for a in A_s ascending:
 *         move j down while a + B[j] &gt; w
 *         look at B[j] (just below w) and B[j+1] (just above) and their near-ties
 * </pre>
 *
 * <p>The sums of the sweep are added in another order than the canonical ascending-index sum of
 * {@link RfssSolution}, so they can differ from it in the last bits. The sweep therefore keeps as
 * contenders all pairs within a proven rounding bound of the best sweep error, evaluates each
 * contender canonically, and keeps the smallest canonical error, then the lexicographically
 * smallest index set: exactly the result of {@link BruteForceSolver}, tie for tie. Where C(n, k)
 * is small, enumeration is faster and is used instead (same result by construction).
 *
 * <p>Cost per instance is about 2^(n/2) list entries for k near n/2, and sum_(s &lt;= k) C(n/2, s)
 * in general. Reach: up to n = 40 for every k, and n = 64 for small k; each half may hold at
 * most {@value #MAX_LIST_ENTRIES} list entries. Measured on 2 shared cores: see
 * {@code docs/rfss-speed.md}.
 */
public final class MeetInTheMiddleSolver implements RfssSolver {

    /** The most sorted-list entries (all sizes together) one half may hold. */
    public static final int MAX_LIST_ENTRIES = 1 << 21;

    /** Up to this many subsets, plain enumeration is used instead (it is faster there). */
    static final long DEFAULT_BRUTE_BELOW = 3_000;

    private static final int CHUNK = 128;
    private static final double U = 0x1.0p-53;

    private final int threads;
    private final long bruteBelow;

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
        this(threads, DEFAULT_BRUTE_BELOW);
    }

    /**
     * Creates a solver with a chosen switch-over to enumeration (for benchmarks and tests).
     *
     * @param threads worker threads, at least 1
     * @param bruteBelow instances with at most this many subsets are enumerated; 0 never
     */
    MeetInTheMiddleSolver(int threads, long bruteBelow) {
        this.threads = BatchRunner.checkThreads(threads);
        this.bruteBelow = bruteBelow;
    }

    /**
     * Checks that an (n, k) fits the list limit.
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
    public RfssSolution solve(RfssBatch batch, double eps) {
        BatchRunner.checkEps(eps);
        int n = batch.n();
        int k = batch.k();
        long subsets = Subsets.count(n, k);
        boolean brute = subsets >= 0 && subsets <= bruteBelow;
        if (!brute && !fits(n, k)) {
            throw new IllegalArgumentException(
                    "meet in the middle: (n, k) = (" + n + ", " + k + ") needs more than "
                            + MAX_LIST_ENTRIES + " list entries per half; use a smaller n or the swap heuristic");
        }
        int[] out = new int[batch.size() * k];
        float[] z = batch.candidatesView();
        float[] w = batch.targetsView();
        BatchRunner.run(batch.size(), CHUNK, threads, (from, to) -> {
            if (brute) {
                double[] zz = new double[n];
                int[] c = new int[k];
                double[] ps = new double[k];
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < n; j++) {
                        zz[j] = z[i * n + j];
                    }
                    BruteForceSolver.solveOne(zz, w[i], k, eps, c, ps, out, i * k);
                }
            } else {
                Scratch sc = new Scratch(n, k);
                for (int i = from; i < to; i++) {
                    sc.solve(z, i * n, w[i], eps, out, i * k);
                }
            }
        });
        return RfssSolution.of(batch, out);
    }

    /** Per-thread working memory for one (n, k); no allocation per instance. */
    static final class Scratch {
        final int n;
        final int k;
        final int hA;
        final int hB;
        final int[] idxA;
        final int[] idxB;
        final double[] vA;
        final double[] vB;
        final Half a;
        final Half b;
        final int[] splitOrder;
        // champion of the current instance
        double champErr;
        long champMask;
        double bound;
        double tol;
        double lim;
        boolean done;
        double eps;
        float[] z;
        int zOff;
        double w;

        Scratch(int n, int k) {
            this.n = n;
            this.k = k;
            this.hA = n / 2;
            this.hB = n - hA;
            this.idxA = new int[hA];
            this.idxB = new int[hB];
            this.vA = new double[hA];
            this.vB = new double[hB];
            this.a = new Half(hA, Math.min(k, hA));
            this.b = new Half(hB, Math.min(k, hB));
            int sLo = Math.max(0, k - hB);
            int sHi = Math.min(k, hA);
            int m = sHi - sLo + 1;
            long[] weight = new long[m];
            Integer[] order = new Integer[m];
            for (int s = sLo; s <= sHi; s++) {
                weight[s - sLo] = Subsets.count(hA, s) * Subsets.count(hB, k - s);
                order[s - sLo] = s;
            }
            java.util.Arrays.sort(order, (x, y) -> {
                int c = Long.compare(weight[y - sLo], weight[x - sLo]);
                return c != 0 ? c : Integer.compare(x, y);
            });
            splitOrder = new int[m];
            for (int i = 0; i < m; i++) {
                splitOrder[i] = order[i];
            }
        }

        void solve(float[] zs, int off, float target, double eps, int[] out, int outOff) {
            this.z = zs;
            this.zOff = off;
            this.w = target;
            this.eps = eps;
            double absSum = Math.abs(w);
            for (int j = 0; j < hA; j++) {
                idxA[j] = j;
                vA[j] = zs[off + j];
                absSum += Math.abs(vA[j]);
            }
            for (int j = 0; j < hB; j++) {
                idxB[j] = hA + j;
                vB[j] = zs[off + hA + j];
                absSum += Math.abs(vB[j]);
            }
            // twice the largest possible difference between two evaluation orders, with margin
            tol = 8.0 * (k + 2) * U * absSum + Double.MIN_NORMAL;
            a.build(vA);
            b.build(vB);
            champErr = Double.POSITIVE_INFINITY;
            champMask = 0;
            bound = Double.POSITIVE_INFINITY;
            lim = Double.POSITIVE_INFINITY;
            done = false;
            for (int s : splitOrder) {
                sweep(s, k - s);
                if (done) {
                    break;
                }
            }
            int r = 0;
            for (long m = champMask; m != 0; m &= m - 1) {
                out[outOff + r++] = Long.numberOfTrailingZeros(m);
            }
        }

        private void sweep(int s, int t) {
            final double[] as = a.sum[s];
            final int[] am = a.mask[s];
            final int la = a.len[s];
            final double[] bs = b.sum[t];
            final int[] bm = b.mask[t];
            final int lb = b.len[t];
            final double w = this.w;
            double lo = as[0] + bs[0];
            double hi = as[la - 1] + bs[lb - 1];
            if (lo - w > lim || w - hi > lim) {
                return;
            }
            int j = lb - 1;
            for (int i = 0; i < la; i++) {
                double x = as[i];
                while (j >= 0 && x + bs[j] > w) {
                    j--;
                }
                double below = j >= 0 ? w - (x + bs[j]) : Double.POSITIVE_INFINITY;
                double above = j + 1 < lb ? (x + bs[j + 1]) - w : Double.POSITIVE_INFINITY;
                if (below <= lim || above <= lim) {
                    for (int q = j; q >= 0; q--) {
                        double e = Math.abs((x + bs[q]) - w);
                        if (e > lim) {
                            break;
                        }
                        contender(e, am[i], bm[q]);
                        if (done) {
                            return;
                        }
                    }
                    for (int q = j + 1; q < lb; q++) {
                        double e = Math.abs((x + bs[q]) - w);
                        if (e > lim) {
                            break;
                        }
                        contender(e, am[i], bm[q]);
                        if (done) {
                            return;
                        }
                    }
                } else if (j < 0) {
                    return; // every later a only moves further above w
                }
            }
        }

        private void contender(double approxErr, int maskA, int maskB) {
            long mask = Integer.toUnsignedLong(maskA) | (Integer.toUnsignedLong(maskB) << hA);
            double s = RfssSolution.canonicalSum(z, zOff, mask);
            double e = Math.abs(s - w);
            if (e < champErr || (e == champErr && lexLess(mask, champMask))) {
                champErr = e;
                champMask = mask;
            }
            if (approxErr < bound) {
                bound = approxErr;
                lim = bound * (1 + 0x1.0p-40) + tol;
            }
            if (eps > 0 && champErr <= eps) {
                done = true;
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

        Half(int h, int smax) {
            this.h = h;
            this.smax = smax;
            sum = new double[smax + 1][];
            mask = new int[smax + 1][];
            sumTmp = new double[smax + 1][];
            maskTmp = new int[smax + 1][];
            len = new int[smax + 1];
            for (int s = 0; s <= smax; s++) {
                int cap = (int) Subsets.count(h, s);
                sum[s] = new double[cap];
                mask[s] = new int[cap];
                sumTmp[s] = new double[cap];
                maskTmp[s] = new int[cap];
            }
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
                    int i = 0;
                    int j = 0;
                    int o = 0;
                    while (i < lp && j < lq) {
                        double p = ps[i];
                        double q = qs[j] + x;
                        if (p <= q) {
                            os[o] = p;
                            om[o] = pm[i];
                            i++;
                        } else {
                            os[o] = q;
                            om[o] = qm[j] | bit;
                            j++;
                        }
                        o++;
                    }
                    while (i < lp) {
                        os[o] = ps[i];
                        om[o++] = pm[i++];
                    }
                    while (j < lq) {
                        os[o] = qs[j] + x;
                        om[o++] = qm[j++] | bit;
                    }
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
