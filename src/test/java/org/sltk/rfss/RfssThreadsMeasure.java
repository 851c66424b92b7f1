package org.sltk.rfss;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the exact solvers per (n, k) and thread count on identical instances, for the table of
 * issue 19: for every (n, k), one seeded batch (candidates a*b, a, b ~ U[-1, 1), targets U[-1, 1),
 * seed 1); every configuration (solver x threads) solves a prefix of it, the two thread counts of
 * one solver the same prefix (sized to about SECONDS at one thread), all configurations timed
 * alternately (the order rotating per round) in one JVM; prints the median rate per configuration
 * as a markdown table and checks that all return the same subsets on their common prefix. With
 * OLD_CLASSES (the target/classes of another build) that build's auto and mitm solvers are loaded
 * in their own class loader and timed alongside. Not a test (run by hand):
 *
 * <pre>
 * java -cp target/classes:target/test-classes org.sltk.rfss.RfssThreadsMeasure [EPS [SECONDS [ROUNDS [OLD_CLASSES]]]]
 * </pre>
 */
final class RfssThreadsMeasure {

    private RfssThreadsMeasure() {}

    private static final int[][] SHAPES = {{16, 4}, {20, 5}, {24, 6}, {20, 10}, {30, 3}, {32, 8}};

    /** One configuration: a solver (this build's or another's) at a thread count. */
    private interface Config {
        int[] solve(RfssBatch b, double eps) throws Exception;
    }

    /** The solvers of another build, loaded from its classes directory. */
    private static final class Old {
        final Class<?> batch;
        final Method of;
        final Method solve;
        final Method subset;
        final ClassLoader loader;

        Old(Path classes) throws Exception {
            loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
            batch = loader.loadClass("org.sltk.rfss.RfssBatch");
            of = batch.getMethod("of", double[].class, double[].class, int.class, int.class);
            solve =
                    loader.loadClass("org.sltk.rfss.RfssSolver")
                            .getMethod("solve", batch, double.class);
            subset = loader.loadClass("org.sltk.rfss.RfssSolution").getMethod("subset", int.class);
        }

        /** Whether the other build has the class (builds before issue 19 have no auto solver). */
        boolean has(String cls) {
            try {
                loader.loadClass(cls);
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }

        Config config(String cls, int threads, RfssBatch b) throws Exception {
            Object solver = loader.loadClass(cls).getConstructor(int.class).newInstance(threads);
            Object ob = of.invoke(null, b.candidates(), b.targets(), b.n(), b.k());
            Method slice = batch.getMethod("slice", int.class, int.class);
            java.util.Map<Integer, Object> parts = new java.util.HashMap<>();
            return (sub, eps) -> {
                Object part = parts.get(sub.size());
                if (part == null) { // sliced before the timer (the warm-up meets every size)
                    part = slice.invoke(ob, 0, sub.size());
                    parts.put(sub.size(), part);
                }
                Object sol = solve.invoke(solver, part, eps);
                int k = b.k();
                int[] f = new int[sub.size() * k];
                for (int i = 0; i < sub.size(); i++) {
                    System.arraycopy((int[]) subset.invoke(sol, i), 0, f, i * k, k);
                }
                return f;
            };
        }
    }

    public static void main(String[] a) throws Exception {
        double eps = a.length > 0 ? Double.parseDouble(a[0]) : 0;
        double seconds = a.length > 1 ? Double.parseDouble(a[1]) : 0.3;
        int rounds = a.length > 2 ? Integer.parseInt(a[2]) : 5;
        Old old = a.length > 3 ? new Old(Path.of(a[3])) : null;
        System.out.printf(
                Locale.ROOT,
                "eps %s, about %.2f s per run, %d rounds, %d processors%n%n",
                eps,
                seconds,
                rounds,
                Runtime.getRuntime().availableProcessors());
        System.out.println(
                "| (n,k) | solver | instances | 1 thread inst/s | 2 threads inst/s | 2 / 1 |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (int[] nk : SHAPES) {
            int n = nk[0];
            int k = nk[1];
            int total = 400_000;
            RfssBatch all =
                    RfssInstances.random(
                            1, n * 100L + k, total, n, k, RfssInstances.Distribution.PRODUCT);
            List<String> names = new ArrayList<>();
            List<Config[]> families = new ArrayList<>();
            names.add("auto (new)");
            families.add(new Config[] {flat(new AutoRfssSolver(1)), flat(new AutoRfssSolver(2))});
            names.add("mitm (new, no enumeration)");
            families.add(
                    new Config[] {
                        flat(new MeetInTheMiddleSolver(1, 0)), flat(new MeetInTheMiddleSolver(2, 0))
                    });
            if (Subsets.count(n, k) <= 200_000) {
                names.add("brute (plain enumeration)");
                families.add(
                        new Config[] {
                            flat(new BruteForceSolver(1)), flat(new BruteForceSolver(2))
                        });
            }
            if (old != null && old.has("org.sltk.rfss.AutoRfssSolver")) {
                names.add("auto (old build)");
                families.add(
                        new Config[] {
                            old.config("org.sltk.rfss.AutoRfssSolver", 1, all),
                            old.config("org.sltk.rfss.AutoRfssSolver", 2, all)
                        });
            }
            if (old != null) {
                names.add("mitm (old build, its defaults)");
                families.add(
                        new Config[] {
                            old.config("org.sltk.rfss.MeetInTheMiddleSolver", 1, all),
                            old.config("org.sltk.rfss.MeetInTheMiddleSolver", 2, all)
                        });
            }
            int f = families.size();
            int[] size = new int[f];
            for (int c = 0; c < f; c++) { // warm up both thread counts, size to the 1-thread rate
                int s = 128;
                for (int w = 0; w < 3; w++) {
                    double r = rate(families.get(c)[0], all, s, eps);
                    rate(families.get(c)[1], all, s, eps);
                    s = (int) Math.min(total, Math.max(128, r * seconds));
                }
                size[c] = s;
                rate(families.get(c)[0], all, s, eps); // the timed size, once untimed
                rate(families.get(c)[1], all, s, eps);
            }
            double[][][] r = new double[f][2][rounds];
            int common = Arrays.stream(size).min().getAsInt();
            int[][] ref = new int[f][];
            for (int round = 0; round < rounds; round++) {
                for (int j = 0; j < 2 * f; j++) {
                    int idx = (j + round) % (2 * f);
                    int c = idx / 2;
                    int t = idx % 2;
                    RfssBatch b = all.slice(0, size[c]);
                    long t0 = System.nanoTime();
                    int[] sol = families.get(c)[t].solve(b, eps);
                    r[c][t][round] = size[c] / ((System.nanoTime() - t0) / 1e9);
                    int[] head = Arrays.copyOf(sol, common * k);
                    if (ref[c] == null) {
                        ref[c] = head;
                    } else if (!Arrays.equals(ref[c], head)) {
                        throw new AssertionError(names.get(c) + ": thread counts differ");
                    }
                }
            }
            for (int c = 0; c < f; c++) {
                if (!Arrays.equals(ref[c], ref[0])) {
                    throw new AssertionError(names.get(c) + " differs from " + names.get(0));
                }
                double m1 = median(r[c][0]);
                double m2 = median(r[c][1]);
                System.out.printf(
                        Locale.ROOT,
                        "| (%d,%d) | %s | %,d | %,.0f | %,.0f | %.2f |%n",
                        n,
                        k,
                        names.get(c),
                        size[c],
                        m1,
                        m2,
                        m2 / m1);
            }
        }
    }

    private static Config flat(RfssSolver s) {
        return (b, eps) -> {
            RfssSolution sol = s.solve(b, eps);
            int k = b.k();
            int[] f = new int[b.size() * k];
            for (int i = 0; i < b.size(); i++) {
                System.arraycopy(sol.subset(i), 0, f, i * k, k);
            }
            return f;
        };
    }

    private static double rate(Config c, RfssBatch all, int size, double eps) throws Exception {
        RfssBatch b = all.slice(0, size);
        long t0 = System.nanoTime();
        c.solve(b, eps);
        return size / ((System.nanoTime() - t0) / 1e9);
    }

    private static double median(double[] x) {
        double[] y = x.clone();
        Arrays.sort(y);
        return y[y.length / 2];
    }
}
