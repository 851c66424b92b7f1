package org.sltk.rfss;

/**
 * The one definition of k-subset enumeration in sltk: all k-subsets of {0..n-1} as sorted index
 * arrays in lexicographic order, subset number 0 being {0, 1, .., k-1}.
 *
 * <p>{@link BruteForceSolver} walks this order and {@link ExhaustiveTensorSolver} numbers its
 * one-hot columns by it, so "the lowest subset number" and "the lexicographically smallest index
 * set" mean the same thing everywhere.
 */
public final class Subsets {

    /**
     * sltk's one enumeration limit: the most subsets C(n, k) per instance that a solver which walks
     * every subset accepts ({@link BruteForceSolver}; {@link ExhaustiveTensorSolver} derives its
     * reach from it). Walking them all costs about one addition per subset, some 0.1 s per instance
     * at this limit on one core; it is part of the {@link RfssSolver#supports} contract of those
     * solvers, not a speed setting.
     */
    public static final long MAX_ENUMERATED = 20_000_000;

    /**
     * Tells whether an enumerating solver with a given reach accepts (n, k): a shape of {@link
     * RfssBatch} (1 &lt;= k &lt;= n &lt;= {@value RfssBatch#MAX_N}) with at most {@code maxSubsets}
     * subsets.
     *
     * @param n candidates per instance
     * @param k subset size
     * @param maxSubsets the solver's reach, at most {@link #MAX_ENUMERATED}
     * @return true if C(n, k) is within it
     */
    public static boolean enumerable(int n, int k, long maxSubsets) {
        if (n < 1 || n > RfssBatch.MAX_N || k < 1 || k > n) {
            return false;
        }
        long c = count(n, k);
        return c >= 0 && c <= Math.min(maxSubsets, MAX_ENUMERATED);
    }

    private Subsets() {}

    /**
     * Returns the first subset, {0, 1, .., k-1}.
     *
     * @param k the subset size
     * @return a new array holding the first subset
     */
    public static int[] first(int k) {
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = i;
        }
        return c;
    }

    /**
     * Advances {@code c} to the next k-subset of {0..n-1} in lexicographic order.
     *
     * @param c the current subset (sorted ascending), overwritten with the next one
     * @param n the size of the ground set
     * @return the lowest position of {@code c} that changed, or -1 if {@code c} was the last subset
     *     (then {@code c} is left unchanged)
     */
    public static int next(int[] c, int n) {
        return next(c, c.length, n);
    }

    /**
     * Advances the k-subset held in {@code c[0..k)} to the next one in lexicographic order.
     *
     * @param c the current subset in its first k entries (sorted ascending), overwritten
     * @param k the subset size
     * @param n the size of the ground set
     * @return the lowest position that changed, or -1 if it was the last subset
     */
    public static int next(int[] c, int k, int n) {
        int i = k - 1;
        while (i >= 0 && c[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return -1;
        }
        c[i]++;
        for (int j = i + 1; j < k; j++) {
            c[j] = c[j - 1] + 1;
        }
        return i;
    }

    /**
     * Returns the number of k-subsets of an n-set, or -1 if it exceeds {@code Long.MAX_VALUE}.
     *
     * @param n the size of the ground set
     * @param k the subset size
     * @return C(n, k)
     */
    public static long count(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        k = Math.min(k, n - k);
        long c = 1;
        for (int i = 1; i <= k; i++) {
            // c * (n - k + i) / i is exact at every step
            long num = c;
            long f = n - k + i;
            if (num > Long.MAX_VALUE / f) {
                return -1;
            }
            c = num * f / i;
        }
        return c;
    }

    /**
     * Returns the lexicographic number of a sorted k-subset of {0..n-1}.
     *
     * @param c the subset, sorted ascending
     * @param n the size of the ground set
     * @return its position in the order of {@link #next}
     */
    public static long rank(int[] c, int n) {
        int k = c.length;
        long r = 0;
        int prev = -1;
        for (int i = 0; i < k; i++) {
            for (int v = prev + 1; v < c[i]; v++) {
                r += count(n - v - 1, k - i - 1);
            }
            prev = c[i];
        }
        return r;
    }

    /**
     * Writes the subset with a given lexicographic number.
     *
     * @param rank the position in the order of {@link #next}, in [0, C(n, k))
     * @param n the size of the ground set
     * @param out receives the k sorted indices
     */
    public static void unrank(long rank, int n, int[] out) {
        int k = out.length;
        int v = 0;
        for (int i = 0; i < k; i++) {
            while (true) {
                long c = count(n - v - 1, k - i - 1);
                if (rank < c) {
                    break;
                }
                rank -= c;
                v++;
            }
            out[i] = v++;
        }
    }
}
