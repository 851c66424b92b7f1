package org.sltk.rfss;

/**
 * An independent, deliberately plain exact RFSS solver for the tests: recursive enumeration of
 * all k-subsets in lexicographic order, canonical float64 sums, first minimum kept.
 */
final class ReferenceEnumerator {

    private ReferenceEnumerator() {}

    /** Returns the optimal subset of one instance of the batch. */
    static int[] solve(RfssBatch batch, int instance) {
        int n = batch.n();
        int k = batch.k();
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            z[j] = batch.candidate(instance, j);
        }
        State st = new State(z, batch.target(instance), k);
        st.recurse(0, 0);
        return st.best;
    }

    private static final class State {
        final double[] z;
        final double w;
        final int[] cur;
        int[] best;
        double bestErr = Double.POSITIVE_INFINITY;

        State(double[] z, double w, int k) {
            this.z = z;
            this.w = w;
            this.cur = new int[k];
        }

        void recurse(int depth, int start) {
            if (depth == cur.length) {
                double s = 0.0;
                for (int j : cur) {
                    s += z[j];
                }
                double e = Math.abs(s - w);
                if (e < bestErr) {
                    bestErr = e;
                    best = cur.clone();
                }
                return;
            }
            for (int j = start; j <= z.length - (cur.length - depth); j++) {
                cur[depth] = j;
                recurse(depth + 1, j + 1);
            }
        }
    }
}
