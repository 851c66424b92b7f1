package org.sltk.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssInstances;
import org.sltk.rfss.RfssInstances.Distribution;
import org.sltk.rfss.RfssSolution;
import org.sltk.rfss.RfssSolver;
import org.sltk.rfss.RfssTheory;
import org.sltk.util.AtomicFiles;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code sltk rfss-speed} verb: instances per second of every RFSS solver. */
@Command(
        name = "rfss-speed",
        mixinStandardHelpOptions = true,
        header = "Measure RFSS solver speed (instances/s) on identical seeded instances.",
        description = {
            "For (n, k) = (16,4), (20,5), (24,6), (32,8) (or --shapes), draws one seeded batch (candidates",
            "a*b with a, b ~ U[-1,1], targets U[-1,1]) and times every solver on prefixes of it: brute force",
            "only where C(n, k) <= 2e6, the tensor solver only within its limit. Each solver is warmed up,",
            "its prefix sized to about --seconds, then timed --rounds times, solvers alternating; the",
            "median rate is reported with the median error and the floor 1/C(n, k) (R / (2C), R = 2)."
        })
public final class RfssSpeedCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--shapes",
            defaultValue = "16:4,20:5,24:6,32:8",
            paramLabel = "N:K[,N:K..]",
            description = "The (n, k) to measure. Default: ${DEFAULT-VALUE}.")
    String shapes;

    @Option(
            names = "--solvers",
            defaultValue = "auto,mitm,brute,tensor,swap",
            paramLabel = "S[,S..]",
            description = "Solvers: auto, mitm, brute, tensor, swap. Default: ${DEFAULT-VALUE}.")
    String solvers;

    @Option(
            names = "--instances",
            defaultValue = "100000",
            paramLabel = "COUNT",
            description =
                    "Most instances per (n, k); each solver times a prefix of about --seconds. Default: ${DEFAULT-VALUE}.")
    int instances;

    @Option(
            names = "--seconds",
            defaultValue = "2",
            paramLabel = "SEC",
            description = "Wanted duration of one timed run. Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            paramLabel = "R",
            description =
                    "Timed runs per solver, alternating solvers; the median is reported. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "T[,T..]",
            description =
                    "Threads of the CPU solvers, or a list (each solver is timed at each, alternating in one run); 0 means all processors. Default: ${DEFAULT-VALUE}.")
    String threads;

    @Option(
            names = "--eps",
            defaultValue = "0",
            paramLabel = "E",
            description = "Accuracy passed to the solvers (0: exact). Default: ${DEFAULT-VALUE}.")
    double eps;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Also write the markdown table to FILE (atomically).")
    Path out;

    @Mixin Common.SeedOption seed = new Common.SeedOption();

    @Mixin Common.DeviceOption device = new Common.DeviceOption();

    @Mixin Common.DebugOption debug = new Common.DebugOption();

    private static final class Entry {
        final RfssSolver solver;
        final int threads;
        int size;
        final double[] rates;
        double medianError;

        Entry(RfssSolver solver, int threads, int rounds) {
            this.solver = solver;
            this.threads = threads;
            this.rates = new double[rounds];
        }
    }

    @Override
    public Integer call() {
        if (instances < 1) {
            throw new InputException("--instances: " + instances + " is not >= 1");
        }
        if (!(seconds > 0)) {
            throw new InputException("--seconds: " + seconds + " is not > 0");
        }
        if (rounds < 1) {
            throw new InputException("--rounds: " + rounds + " is not >= 1");
        }
        List<Integer> threadCounts = new ArrayList<>();
        for (String s : threads.split(",")) {
            int v;
            try {
                v = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0) {
                throw new InputException("--threads: '" + s.trim() + "' is not a count >= 0");
            }
            threadCounts.add(v == 0 ? Runtime.getRuntime().availableProcessors() : v);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new InputException("--eps: " + eps + " is not a finite number >= 0");
        }
        List<int[]> nk = new ArrayList<>();
        for (String s : shapes.split(",")) {
            String[] p = s.trim().split(":");
            try {
                int n = Integer.parseInt(p[0]);
                int k = Integer.parseInt(p[1]);
                if (p.length != 2 || n < 1 || n > 64 || k < 1 || k > n) {
                    throw new NumberFormatException();
                }
                nk.add(new int[] {n, k});
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new InputException(
                        "--shapes: '" + s.trim() + "' is not N:K with 1 <= K <= N <= 64");
            }
        }
        List<String> names = new ArrayList<>();
        for (String s : solvers.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            RfssCommand.solverFor(name, 1, device); // validates the name
            names.add(name);
        }
        double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder md = new StringBuilder();
        md.append(
                String.format(
                        Locale.ROOT,
                        "| (n,k) | C(n,k) | floor 1/C | solver | threads | instances | inst/s (median of %d) | median error |%n",
                        rounds));
        md.append("|---|---:|---:|---|---:|---:|---:|---:|\n");
        PrintWriter o = spec.commandLine().getOut();
        for (int[] s : nk) {
            int n = s[0];
            int k = s[1];
            double c = RfssTheory.binom(n, k);
            RfssBatch batch =
                    RfssInstances.random(
                            seed.seed, n * 100L + k, instances, n, k, Distribution.PRODUCT);
            List<Entry> entries = new ArrayList<>();
            for (String name : names) {
                for (int t : name.equals("tensor") ? List.of(1) : threadCounts) {
                    RfssSolver solver = RfssCommand.solverFor(name, t, device);
                    // brute force walks every subset when none is within eps: timed only up to 2e6
                    if (solver.supports(n, k) && (!name.equals("brute") || c <= 2e6)) {
                        entries.add(new Entry(solver, t, rounds));
                    }
                }
            }
            // warm up and size each prefix to about the wanted duration
            for (Entry e : entries) {
                int probe = Math.min(instances, 64);
                e.solver.solve(
                        batch.slice(0, probe), eps); // first call: class loading, engine start
                double dt = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    e.solver.solve(batch.slice(0, probe), eps);
                    dt = (System.nanoTime() - t0) / 1e9;
                    if (dt > 0.5 || probe == instances) {
                        break;
                    }
                    probe = (int) Math.min(instances, probe * 4L);
                }
                double rate = probe / Math.max(dt, 1e-9);
                e.size =
                        (int)
                                Math.max(
                                        Math.min(instances, 500),
                                        Math.min(instances, rate * seconds));
            }
            for (int r = 0; r < rounds; r++) {
                for (Entry e : entries) {
                    RfssBatch part = batch.slice(0, e.size);
                    long t0 = System.nanoTime();
                    RfssSolution sol = e.solver.solve(part, eps);
                    double dt = (System.nanoTime() - t0) / 1e9;
                    e.rates[r] = e.size / dt;
                    double[] err = sol.errors();
                    Arrays.sort(err);
                    e.medianError =
                            err.length % 2 == 1
                                    ? err[err.length / 2]
                                    : 0.5 * (err[err.length / 2 - 1] + err[err.length / 2]);
                }
            }
            for (Entry e : entries) {
                double[] rr = e.rates.clone();
                Arrays.sort(rr);
                double med =
                        rr.length % 2 == 1
                                ? rr[rr.length / 2]
                                : 0.5 * (rr[rr.length / 2 - 1] + rr[rr.length / 2]);
                String line =
                        String.format(
                                Locale.ROOT,
                                "| (%d,%d) | %,.0f | %.3g | %s | %s | %,d | %,.0f | %.3g |%n",
                                n,
                                k,
                                c,
                                1 / c,
                                e.solver.name() + (e.solver.isExact() ? "" : " (heuristic)"),
                                e.solver.name().equals("tensor")
                                        ? "-"
                                        : Integer.toString(e.threads),
                                e.size,
                                med,
                                e.medianError);
                md.append(line);
                o.print(line);
                o.flush();
            }
        }
        double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        md.append(
                String.format(
                        Locale.ROOT,
                        "%nMachine: %d processors, Java %s, %s %s; eps = %s; seed %d; load average %.2f at start, %.2f at end.%n",
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"),
                        System.getProperty("os.name"),
                        System.getProperty("os.arch"),
                        RfssCommand.fmt(eps),
                        seed.seed,
                        load0,
                        load1));
        if (out != null) {
            AtomicFiles.writeString(out, md.toString());
        }
        o.println();
        o.print(md);
        o.flush();
        return 0;
    }
}
