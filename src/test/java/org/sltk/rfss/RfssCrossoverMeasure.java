package org.sltk.rfss;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measures the crossovers of {@link AutoRfssSolver}'s table: for every (n, k) in a range, plain
 * enumeration and meet in the middle (its own enumeration off), one thread each, timed alternately
 * on the same seeded instances by the thread's CPU time; prints {@code n k C(n,k) enum/s mitm/s
 * ratio}. Not a test (run by hand):
 *
 * <pre>
 * java -cp target/classes:target/test-classes org.sltk.rfss.RfssCrossoverMeasure EPS NMAX CMAX [NMIN [MAXMIN]]
 * </pre>
 *
 * with EPS the accuracy, NMAX the largest n, CMAX the largest C(n, k), NMIN the smallest n (4) and
 * MAXMIN the largest min(k, n - k) measured (all).
 */
final class RfssCrossoverMeasure {

    private RfssCrossoverMeasure() {}

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Instances per second of one run, by this thread's CPU time (one-thread solvers run in the
     * calling thread), so that other load on a shared machine changes the figure less than wall
     * time would.
     */
    static double rate(RfssSolver s, RfssBatch b, double eps, int size) {
        RfssBatch part = b.slice(0, size);
        long t0 = THREADS.getCurrentThreadCpuTime();
        s.solve(part, eps);
        return size / ((THREADS.getCurrentThreadCpuTime() - t0) / 1e9);
    }

    public static void main(String[] a) {
        double eps = Double.parseDouble(a[0]);
        int nmax = Integer.parseInt(a[1]);
        long cmax = Long.parseLong(a[2]);
        int nmin = a.length > 3 ? Integer.parseInt(a[3]) : 4;
        int maxMin = a.length > 4 ? Integer.parseInt(a[4]) : Integer.MAX_VALUE;
        RfssSolver br = new BruteForceSolver(1);
        RfssSolver mm = new MeetInTheMiddleSolver(1, 0);
        for (int n = nmin; n <= nmax; n++) {
            for (int k = 1; k < n; k++) {
                long c = Subsets.count(n, k);
                if (Math.min(k, n - k) > maxMin || c > cmax || c < 8) {
                    continue;
                }
                if (!MeetInTheMiddleSolver.fits(n, k)) {
                    continue;
                }
                RfssBatch b =
                        RfssInstances.random(
                                7, n * 100L + k, 20000, n, k, RfssInstances.Distribution.PRODUCT);
                int sb = 64;
                int sm = 64;
                for (int w = 0; w < 3; w++) { // warm up, size each run to about 0.05 s
                    double rb = rate(br, b, eps, sb);
                    double rm = rate(mm, b, eps, sm);
                    sb = (int) Math.min(20000, Math.max(64, rb * 0.05));
                    sm = (int) Math.min(20000, Math.max(64, rm * 0.05));
                }
                double[] rb = new double[3];
                double[] rm = new double[3];
                for (int r = 0; r < 3; r++) {
                    if (r % 2 == 0) {
                        rb[r] = rate(br, b, eps, sb);
                        rm[r] = rate(mm, b, eps, sm);
                    } else {
                        rm[r] = rate(mm, b, eps, sm);
                        rb[r] = rate(br, b, eps, sb);
                    }
                }
                Arrays.sort(rb);
                Arrays.sort(rm);
                System.out.printf(
                        Locale.ROOT,
                        "%d %d %d %.0f %.0f %.2f%n",
                        n,
                        k,
                        c,
                        rb[1],
                        rm[1],
                        rb[1] / rm[1]);
            }
        }
    }
}
