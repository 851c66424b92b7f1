package org.sltk.bench;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.sltk.rfss.BruteForceSolver;
import org.sltk.rfss.ExhaustiveTensorSolver;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssInstances;
import org.sltk.rfss.RfssSolution;
import org.sltk.rfss.Subsets;
import org.sltk.rfss.SwapSearchSolver;

/**
 * Compares sltk's RFSS solvers with a general-purpose baseline (CP-SAT) on identical seeded
 * instances: candidates a*b with a, b ~ U[-1, 1), targets ~ U[-1, 1), drawn by {@link
 * RfssInstances} from {@link org.sltk.util.CounterRandom}.
 *
 * <p>Timing is robust to a shared machine: the instances of a setting are cut into rounds, and in
 * every round each method solves its slice, the order of the methods rotating from round to round,
 * so load that comes and goes falls on every method alike. Every method is warmed up (JIT, DJL
 * engine, CP-SAT's first model) on other instances before the clock runs. The baseline solves the
 * first {@code baselineInstances} instances of the same batch; exact optima come from meet in the
 * middle on all instances.
 */
public final class RfssBench {

    /** The methods, as named in the tables. */
    public static final String MITM = "sltk mitm";

    /** The exhaustive tensor solver (DJL, CPU). */
    public static final String TENSOR = "sltk tensor";

    /** The swap local-search heuristic. */
    public static final String SWAP = "sltk swap";

    /** Brute-force enumeration. */
    public static final String BRUTE = "sltk brute";

    /** CP-SAT with one worker. */
    public static final String CPSAT_1 = "CP-SAT 1 worker";

    /** CP-SAT with two workers. */
    public static final String CPSAT_2 = "CP-SAT 2 workers";

    /**
     * The tensor solver evaluates every subset (about 7e6 subset sums/s on 2 CPU cores, a GPU
     * workload): on the CPU it solves the first {@code max(20, TENSOR_SUBSET_BUDGET / C(n, k))}
     * instances only, to keep the run short.
     */
    public static final long TENSOR_SUBSET_BUDGET = 20_000_000;

    /**
     * The bench's time budget for its brute-force row, not the solver's limit: brute force is timed
     * where C(n, k) is at most this (the solver itself accepts up to {@link
     * org.sltk.rfss.Subsets#MAX_ENUMERATED}).
     */
    public static final long BRUTE_MAX_SUBSETS = 200_000;

    /**
     * One (n, k) of the benchmark.
     *
     * @param n candidates per instance
     * @param k subset size
     * @param instances instances for sltk's solvers
     * @param baselineInstances the first this many instances also go to the baseline
     * @param timeLimitSeconds the baseline's time limit per instance
     */
    public record Setting(
            int n, int k, int instances, int baselineInstances, double timeLimitSeconds) {

        /**
         * Checks the values.
         *
         * @param n candidates per instance
         * @param k subset size
         * @param instances instances for sltk's solvers
         * @param baselineInstances the first this many instances also go to the baseline
         * @param timeLimitSeconds the baseline's time limit per instance
         */
        public Setting {
            if (n < 2
                    || k < 1
                    || k >= n
                    || instances < 1
                    || baselineInstances < 0
                    || baselineInstances > instances
                    || !(timeLimitSeconds > 0)) {
                throw new IllegalArgumentException(
                        "bad setting ("
                                + n
                                + ","
                                + k
                                + "), "
                                + instances
                                + "/"
                                + baselineInstances
                                + " instances, limit "
                                + timeLimitSeconds);
            }
        }

        /**
         * Returns C(n, k).
         *
         * @return the number of k-subsets
         */
        public long subsets() {
            return Subsets.count(n, k);
        }

        /**
         * Returns the information floor 1 / C(n, k): about the typical optimum for targets in [-1,
         * 1].
         *
         * @return the floor
         */
        public double floor() {
            return 1.0 / subsets();
        }

        /**
         * Returns the integer scale for the baseline: the power of ten at or above 10 (k+1) C(n,
         * k), so rounding never changes the optimum's error (baselines.md).
         *
         * @return S
         */
        public double scale() {
            return Math.pow(10, Math.ceil(Math.log10(10.0 * (k + 1) * subsets())));
        }

        /**
         * Returns the setting as {@code (n,k)}.
         *
         * @return the label
         */
        public String label() {
            return "(" + n + "," + k + ")";
        }
    }

    /**
     * The benchmark's settings.
     *
     * @param seed seed of the instances
     * @param threads threads of sltk's solvers
     * @param rounds rounds over which the methods alternate
     * @param settings the (n, k) settings
     * @param baselineClass the baseline class to load, normally {@link Baselines#CP_SAT_CLASS}
     */
    public record Options(
            long seed, int threads, int rounds, List<Setting> settings, String baselineClass) {}

    /**
     * The settings of issue 8: (16,4), (20,5), (24,6), (32,8); CP-SAT on fewer instances, 10 s
     * limit per instance (at (32,8) it rarely proves optimality within it).
     *
     * @return the settings
     */
    public static List<Setting> defaultSettings() {
        return List.of(
                new Setting(16, 4, 20_000, 100, 10),
                new Setting(20, 5, 5_000, 60, 10),
                new Setting(24, 6, 2_000, 20, 10),
                new Setting(32, 8, 400, 4, 10));
    }

    /**
     * One method on one setting.
     *
     * @param setting the setting
     * @param method the method's name
     * @param exact whether the method is exact
     * @param skipped null if it ran, else why not
     * @param seconds time spent solving (rounds added up)
     * @param errors per solved instance (the first {@code errors.length} of the batch), the
     *     canonical error of the chosen subset
     * @param exactErrors the exact optimum of the same instances
     * @param proven instances proven optimal by the solver (baseline), or -1 where not reported
     * @param found instances with a solution (baseline), or -1
     */
    public record Row(
            Setting setting,
            String method,
            boolean exact,
            String skipped,
            double seconds,
            double[] errors,
            double[] exactErrors,
            int proven,
            int found) {

        /**
         * Returns the number of instances solved.
         *
         * @return the count
         */
        public int instances() {
            return errors == null ? 0 : errors.length;
        }

        /**
         * Returns the throughput.
         *
         * @return instances per second
         */
        public double perSecond() {
            return instances() / seconds;
        }

        /**
         * Returns the median error.
         *
         * @return the median of the errors
         */
        public double medianError() {
            return median(errors);
        }

        /**
         * Returns the median exact optimum over the same instances as this row.
         *
         * @return the median of the exact errors
         */
        public double medianExact() {
            return median(exactErrors);
        }

        /**
         * Counts the instances where the method's error equals the exact optimum.
         *
         * @return the count
         */
        public int atOptimum() {
            int c = 0;
            for (int i = 0; i < instances(); i++) {
                c += errors[i] <= exactErrors[i] ? 1 : 0;
            }
            return c;
        }

        /**
         * Counts the instances where the method's error is below the exact optimum: always 0 unless
         * a solver is wrong.
         *
         * @return the count
         */
        public int belowOptimum() {
            int c = 0;
            for (int i = 0; i < instances(); i++) {
                c += errors[i] < exactErrors[i] ? 1 : 0;
            }
            return c;
        }
    }

    /**
     * All rows of a run.
     *
     * @param rows per setting, per method
     * @param baseline the baseline's name, or null when it was absent
     * @param baselineSkipped why the baseline did not run, or null
     * @param baselineLoadSeconds native loading time of the baseline (not in any timing)
     */
    public record Result(
            List<Row> rows, String baseline, String baselineSkipped, double baselineLoadSeconds) {

        /**
         * Finds a row.
         *
         * @param s the setting
         * @param method the method name
         * @return the row, or null
         */
        public Row row(Setting s, String method) {
            for (Row r : rows) {
                if (r.setting().equals(s) && r.method().equals(method)) {
                    return r;
                }
            }
            return null;
        }

        /**
         * Returns the baseline row with the higher throughput (best of 1 and 2 workers); on a tie
         * within 1% (both at the time limit), the one that reached the exact optimum more often.
         *
         * @param s the setting
         * @return the row, or null when the baseline did not run
         */
        public Row bestBaseline(Setting s) {
            Row a = row(s, CPSAT_1);
            Row b = row(s, CPSAT_2);
            if (a == null || a.skipped() != null) {
                return b == null || b.skipped() != null ? null : b;
            }
            if (b == null || b.skipped() != null) {
                return a;
            }
            double ra = a.perSecond();
            double rb = b.perSecond();
            if (Math.abs(ra - rb) <= 0.01 * Math.max(ra, rb)) {
                // a tie (both ran to the time limit): the one closer to the optimum
                return b.atOptimum() > a.atOptimum()
                                || (b.atOptimum() == a.atOptimum() && b.proven() > a.proven())
                        ? b
                        : a;
            }
            return rb > ra ? b : a;
        }
    }

    /** One method being timed. */
    private static final class Run {
        final String name;
        final boolean exact;
        final int count;
        final Function<RfssBatch, Outcome> solve;
        final double[] errors;
        double seconds;
        int proven;
        int found;
        boolean reportsProof;

        Run(String name, boolean exact, int count, Function<RfssBatch, Outcome> solve) {
            this.name = name;
            this.exact = exact;
            this.count = count;
            this.solve = solve;
            this.errors = new double[count];
        }
    }

    private record Outcome(RfssSolution solution, int proven, int found, boolean reportsProof) {
        static Outcome of(RfssSolution s) {
            return new Outcome(s, 0, 0, false);
        }
    }

    private RfssBench() {}

    /**
     * Runs the benchmark.
     *
     * @param o the options
     * @param log progress lines, one per method and setting
     * @return the rows
     */
    public static Result run(Options o, PrintWriter log) {
        Baselines.Loaded base = Baselines.load(o.baselineClass());
        BaselineSolver cp = base.solver();
        if (cp == null) {
            log.println("CP-SAT baseline skipped: " + base.reason());
        } else {
            log.printf(
                    Locale.ROOT,
                    "%s loaded (native library %.2fs, not timed)%n",
                    cp.name(),
                    cp.loadSeconds());
            // warm-up of CP-SAT's first model for both worker counts, untimed
            RfssBatch warm =
                    RfssInstances.random(
                            o.seed(), 99, 2, 12, 3, RfssInstances.Distribution.PRODUCT);
            cp.solve(warm, 1e5, 1, 5);
            cp.solve(warm, 1e5, 2, 5);
        }
        log.flush();
        List<Row> rows = new ArrayList<>();
        for (Setting s : o.settings()) {
            rows.addAll(runSetting(o, s, cp, base.reason(), log));
        }
        return new Result(
                rows,
                cp == null ? null : cp.name(),
                base.reason(),
                cp == null ? 0 : cp.loadSeconds());
    }

    private static List<Row> runSetting(
            Options o, Setting s, BaselineSolver cp, String cpReason, PrintWriter log) {
        int n = s.n();
        int k = s.k();
        RfssBatch batch =
                RfssInstances.random(
                        o.seed(), 0, s.instances(), n, k, RfssInstances.Distribution.PRODUCT);
        RfssBatch warm =
                RfssInstances.random(
                        o.seed(),
                        1,
                        Math.min(200, s.instances()),
                        n,
                        k,
                        RfssInstances.Distribution.PRODUCT);
        List<Run> runs = new ArrayList<>();
        List<Row> skipped = new ArrayList<>();
        MeetInTheMiddleSolver mitm = new MeetInTheMiddleSolver(o.threads());
        runs.add(new Run(MITM, true, s.instances(), b -> Outcome.of(mitm.solve(b))));
        if (ExhaustiveTensorSolver.fits(n, k)) {
            ExhaustiveTensorSolver tensor = new ExhaustiveTensorSolver(Device.cpu());
            int count =
                    (int) Math.min(s.instances(), Math.max(20, TENSOR_SUBSET_BUDGET / s.subsets()));
            runs.add(new Run(TENSOR, true, count, b -> Outcome.of(tensor.solve(b))));
        } else {
            skipped.add(
                    skippedRow(
                            s,
                            TENSOR,
                            true,
                            "C(n,k) = "
                                    + s.subsets()
                                    + " > "
                                    + ExhaustiveTensorSolver.MAX_SUBSETS));
        }
        SwapSearchSolver swap = new SwapSearchSolver(o.threads(), true);
        runs.add(new Run(SWAP, false, s.instances(), b -> Outcome.of(swap.solve(b))));
        if (s.subsets() <= BRUTE_MAX_SUBSETS) {
            BruteForceSolver brute = new BruteForceSolver(o.threads());
            runs.add(new Run(BRUTE, true, s.instances(), b -> Outcome.of(brute.solve(b))));
        } else {
            skipped.add(
                    skippedRow(
                            s, BRUTE, true, "C(n,k) = " + s.subsets() + " > " + BRUTE_MAX_SUBSETS));
        }
        for (int workers = 1; workers <= 2; workers++) {
            String name = workers == 1 ? CPSAT_1 : CPSAT_2;
            if (cp == null) {
                skipped.add(skippedRow(s, name, false, cpReason));
            } else if (s.baselineInstances() > 0) {
                int w = workers;
                runs.add(
                        new Run(
                                name,
                                false,
                                s.baselineInstances(),
                                b -> {
                                    BaselineSolver.Result r =
                                            cp.solve(b, s.scale(), w, s.timeLimitSeconds());
                                    return new Outcome(
                                            r.solution(), r.provenCount(), r.foundCount(), true);
                                }));
            }
        }
        for (Run r : runs) {
            if (!r.name.startsWith("CP-SAT")) {
                r.solve.apply(warm.slice(0, Math.min(warm.size(), r.count)));
            }
        }
        int rounds = Math.max(1, o.rounds());
        for (int round = 0; round < rounds; round++) {
            for (int m = 0; m < runs.size(); m++) {
                Run r = runs.get((m + round) % runs.size());
                int from = (int) ((long) r.count * round / rounds);
                int to = (int) ((long) r.count * (round + 1) / rounds);
                if (from == to) {
                    continue;
                }
                RfssBatch slice = batch.slice(from, to);
                long t0 = System.nanoTime();
                Outcome out = r.solve.apply(slice);
                r.seconds += (System.nanoTime() - t0) / 1e9;
                for (int i = from; i < to; i++) {
                    r.errors[i] = out.solution().error(i - from);
                }
                r.proven += out.proven();
                r.found += out.found();
                r.reportsProof = out.reportsProof();
            }
        }
        double[] exact = runs.get(0).errors;
        List<Row> rows = new ArrayList<>();
        for (Run r : runs) {
            Row row =
                    new Row(
                            s,
                            r.name,
                            r.exact,
                            null,
                            r.seconds,
                            r.errors,
                            Arrays.copyOf(exact, r.count),
                            r.reportsProof ? r.proven : -1,
                            r.reportsProof ? r.found : -1);
            rows.add(row);
            log.printf(
                    Locale.ROOT,
                    "%-7s %-17s %6d instances %12.1f inst/s  median error %.3e%s%n",
                    s.label(),
                    r.name,
                    row.instances(),
                    row.perSecond(),
                    row.medianError(),
                    r.reportsProof ? "  proven " + r.proven + "/" + r.count : "");
            log.flush();
        }
        rows.addAll(skipped);
        rows.sort((a, b) -> Integer.compare(order(a.method()), order(b.method())));
        return rows;
    }

    private static int order(String method) {
        return List.of(MITM, TENSOR, SWAP, BRUTE, CPSAT_1, CPSAT_2).indexOf(method);
    }

    private static Row skippedRow(Setting s, String method, boolean exact, String why) {
        return new Row(s, method, exact, why, 0, null, null, -1, -1);
    }

    /**
     * Returns the median of values (the mean of the two middle ones for an even count).
     *
     * @param v the values
     * @return the median, NaN for none
     */
    public static double median(double[] v) {
        if (v == null || v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }
}
