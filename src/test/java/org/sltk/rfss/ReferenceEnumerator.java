package org.sltk.rfss;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent, deliberately plain implementation of the canonical rule of {@link RfssSolver} for
 * the tests: list all k-subsets in lexicographic order (recursively), compute each one's error from
 * scratch (candidates added in ascending index order from 0.0, then |sum - w|), and apply the rule:
 * with eps &gt; 0 the first subset whose error is at most eps; otherwise, or if there is none, the
 * first subset of smallest error.
 */
final class ReferenceEnumerator {

    private ReferenceEnumerator() {}

    /** Returns the optimal subset of one instance of the batch (the rule with eps = 0). */
    static int[] solve(RfssBatch batch, int instance) {
        return solve(batch, instance, 0);
    }

    /** Returns the subset the canonical rule names for one instance and eps. */
    static int[] solve(RfssBatch batch, int instance, double eps) {
        int n = batch.n();
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            z[j] = batch.candidate(instance, j);
        }
        double w = batch.target(instance);
        List<int[]> all = new ArrayList<>();
        list(n, batch.k(), 0, new int[batch.k()], 0, all);
        if (eps > 0) {
            for (int[] s : all) {
                if (error(z, w, s) <= eps) {
                    return s;
                }
            }
        }
        int[] best = null;
        double bestErr = Double.NaN;
        for (int[] s : all) {
            double e = error(z, w, s);
            if (best == null || e < bestErr) {
                best = s;
                bestErr = e;
            }
        }
        return best;
    }

    /** The canonical error of a sorted subset. */
    static double error(double[] z, double w, int[] s) {
        double sum = 0.0;
        for (int j : s) {
            sum += z[j];
        }
        return Math.abs(sum - w);
    }

    /** Appends all k-subsets of {start..n-1} extending cur[0..depth), in lexicographic order. */
    private static void list(int n, int k, int start, int[] cur, int depth, List<int[]> out) {
        if (depth == k) {
            out.add(cur.clone());
            return;
        }
        for (int j = start; j <= n - (k - depth); j++) {
            cur[depth] = j;
            list(n, k, j + 1, cur, depth + 1, out);
        }
    }
}
