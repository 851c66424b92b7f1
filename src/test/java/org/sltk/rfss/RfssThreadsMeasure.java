package org.sltk.rfss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures thread scaling of the exact solvers on identical instances: for every (n, k) of the
 * issue's table, one seeded batch, and every configuration (solver x threads) solves the same
 * prefix of it, timed alternately (the order rotating per round) in one JVM; prints the median rate
 * per configuration and checks that every configuration returns the same subsets. Not a test (run
 * by hand):
 *
 * <pre>
 * java -cp target/classes:target/test-classes org.sltk.rfss.RfssThreadsMeasure [EPS [SECONDS [ROUNDS]]]
 * </pre>
 */
final class RfssThreadsMeasure {

    private RfssThreadsMeasure() {}

    private static final int[][] SHAPES = {{16, 4}, {20, 5}, {24, 6}, {20, 10}, {30, 3}, {32, 8}};

    public static void main(String[] a) {
        double eps = a.length > 0 ? Double.parseDouble(a[0]) : 0;
        double seconds = a.length > 1 ? Double.parseDouble(a[1]) : 0.3;
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 5;
        System.out.printf(
                Locale.ROOT,
                "eps %s, %.2f s per run, %d rounds, %d processors%n",
                eps,
                seconds,
                rounds,
                Runtime.getRuntime().availableProcessors());
        for (int[] nk : SHAPES) {
            int n = nk[0];
            int k = nk[1];
            List<RfssSolver> cfg = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int t : new int[] {1, 2}) {
                cfg.add(new AutoRfssSolver(t));
                names.add("auto/" + t);
                cfg.add(new MeetInTheMiddleSolver(t, 0));
                names.add("mitm/" + t);
                if (Subsets.count(n, k) <= 200_000) {
                    cfg.add(new BruteForceSolver(t));
                    names.add("brute/" + t);
                }
            }
            int total = 200_000;
            RfssBatch all =
                    RfssInstances.random(
                            1, n * 100L + k, total, n, k, RfssInstances.Distribution.PRODUCT);
            // size: what the slowest configuration solves in about 'seconds' (warm-up included)
            int size = 256;
            double slowest = Double.POSITIVE_INFINITY;
            for (int w = 0; w < 3; w++) {
                slowest = Double.POSITIVE_INFINITY;
                for (RfssSolver s : cfg) {
                    slowest = Math.min(slowest, rate(s, all.slice(0, size), eps));
                }
                size = (int) Math.min(total, Math.max(256, slowest * seconds));
            }
            RfssBatch b = all.slice(0, size);
            double[][] r = new double[cfg.size()][rounds];
            int[][] subsets = new int[cfg.size()][];
            for (int round = 0; round < rounds; round++) {
                for (int j = 0; j < cfg.size(); j++) {
                    int c = (j + round) % cfg.size();
                    long t0 = System.nanoTime();
                    RfssSolution sol = cfg.get(c).solve(b, eps);
                    r[c][round] = size / ((System.nanoTime() - t0) / 1e9);
                    if (subsets[c] == null) {
                        subsets[c] = flat(sol, size, k);
                    }
                }
            }
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "(%d,%d) %d inst:", n, k, size));
            double[] med = new double[cfg.size()];
            for (int c = 0; c < cfg.size(); c++) {
                double[] x = r[c].clone();
                Arrays.sort(x);
                med[c] = x[rounds / 2];
                line.append(String.format(Locale.ROOT, " %s %,.0f", names.get(c), med[c]));
                if (!Arrays.equals(subsets[c], subsets[0])) {
                    throw new AssertionError(names.get(c) + " differs from " + names.get(0));
                }
            }
            int half = cfg.size() / 2;
            line.append(" | 2t/1t:");
            for (int c = 0; c < half; c++) {
                line.append(
                        String.format(
                                Locale.ROOT,
                                " %s %.2f",
                                names.get(c).split("/")[0],
                                med[c + half] / med[c]));
            }
            System.out.println(line);
        }
    }

    private static double rate(RfssSolver s, RfssBatch b, double eps) {
        long t0 = System.nanoTime();
        s.solve(b, eps);
        return b.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private static int[] flat(RfssSolution sol, int size, int k) {
        int[] f = new int[size * k];
        for (int i = 0; i < size; i++) {
            System.arraycopy(sol.subset(i), 0, f, i * k, k);
        }
        return f;
    }
}
