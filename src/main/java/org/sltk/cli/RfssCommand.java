package org.sltk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.rfss.RfssExperiment;
import org.sltk.rfss.RfssInstances.Distribution;
import org.sltk.rfss.RfssSolver;
import org.sltk.rfss.RfssSolvers;
import org.sltk.rfss.RfssTheory;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code sltk rfss} verb: success probability and error of random RFSS over a grid. */
@Command(
        name = "rfss",
        mixinStandardHelpOptions = true,
        header = "Measure random fixed-size subset sum: success probability and error against n.",
        description = {
            "For every n, density (k = round(density * n); grid points with k < 1 are skipped) and eps,",
            "solves the same seeded instances (candidates from --dist, targets uniform on [-1, 1]) and",
            "reports the fraction whose error is at most eps, the mean and median error, and the",
            "information floor R / (2 C(n, k)) with R = 2. Writes DIR/rfss.csv and DIR/rfss.png."
        })
public final class RfssCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--n",
            defaultValue = "8,12,16,20,24",
            paramLabel = "N[,N..]",
            description =
                    "Candidates per instance, each in [1, 64] (brute, tensor: C(n, k) within their limits). Default: ${DEFAULT-VALUE}.")
    String n;

    @Option(
            names = "--density",
            defaultValue = "0.5,0.25,0.1",
            paramLabel = "D[,D..]",
            description = "Densities k / n, each in (0, 1]. Default: ${DEFAULT-VALUE}.")
    String density;

    @Option(
            names = "--eps",
            defaultValue = "1e-2,1e-3,1e-4",
            paramLabel = "E[,E..]",
            description = "Accuracies, each > 0. Default: ${DEFAULT-VALUE}.")
    String eps;

    @Option(
            names = "--instances",
            defaultValue = "2000",
            paramLabel = "COUNT",
            description = "Instances per (n, density), at least 1. Default: ${DEFAULT-VALUE}.")
    int instances;

    @Option(
            names = "--dist",
            defaultValue = "product",
            paramLabel = "DIST",
            description =
                    "Candidate distribution: product (a*b, a, b ~ U[-1,1]) or uniform (U[-1,1]). Default: ${DEFAULT-VALUE}.")
    String dist;

    @Option(
            names = "--solver",
            defaultValue = "auto",
            paramLabel = "SOLVER",
            description =
                    "auto (exact: enumeration or meet in the middle, whichever is faster for the shape), mitm (exact meet in the middle), tensor (exact, DJL on --device), swap (heuristic) or brute (exact enumeration). Default: ${DEFAULT-VALUE}.")
    String solver;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "T",
            description =
                    "Worker threads of the CPU solvers; 0 means all processors. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--out",
            defaultValue = "rfss-out",
            paramLabel = "DIR",
            description = "Output directory for rfss.csv and rfss.png. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Mixin Common.SeedOption seed = new Common.SeedOption();

    @Mixin Common.DeviceOption device = new Common.DeviceOption();

    @Mixin Common.DebugOption debug = new Common.DebugOption();

    @Override
    public Integer call() {
        int[] ns = parseInts("--n", n);
        double[] ds = parseDoubles("--density", density);
        double[] es = parseDoubles("--eps", eps);
        for (int v : ns) {
            if (v < 1 || v > 64) {
                throw new InputException("--n: " + v + " is outside [1, 64]");
            }
        }
        for (double d : ds) {
            if (!(d > 0 && d <= 1)) {
                throw new InputException("--density: " + fmt(d) + " is outside (0, 1]");
            }
        }
        for (double e : es) {
            if (!(e > 0) || Double.isInfinite(e)) {
                throw new InputException("--eps: " + fmt(e) + " is not > 0");
            }
        }
        if (instances < 1) {
            throw new InputException("--instances: " + instances + " is not >= 1");
        }
        if (threads < 0) {
            throw new InputException("--threads: " + threads + " is not >= 0");
        }
        Distribution d;
        try {
            d = Distribution.parse(dist);
        } catch (IllegalArgumentException e) {
            throw new InputException(
                    "--dist: unknown distribution '" + dist + "'; use product or uniform");
        }
        String name = solver.trim().toLowerCase(Locale.ROOT);
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        RfssSolver s = solverFor(name, t, device);
        for (int v : ns) {
            for (double den : ds) {
                int k = RfssTheory.kFor(den, v);
                if (k < 1) {
                    continue;
                }
                RfssSolvers.checkReach(s, v, k);
            }
        }
        List<RfssExperiment.Row> rows =
                new RfssExperiment(ns, ds, es, instances, d, s, seed.seed).run();
        RfssExperiment.write(rows, out, s.name(), d, seed.seed);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "%4s %3s %8s %8s %8s %12s %12s %12s%n",
                "n",
                "k",
                "density",
                "eps",
                "success",
                "mean_err",
                "median_err",
                "floor");
        for (RfssExperiment.Row r : rows) {
            o.printf(
                    Locale.ROOT,
                    "%4d %3d %8s %8s %8.4f %12.4e %12.4e %12.4e%n",
                    r.n(),
                    r.k(),
                    fmt(r.density()),
                    fmt(r.eps()),
                    r.success(),
                    r.meanError(),
                    r.medianError(),
                    r.floor());
        }
        o.println("wrote " + out.resolve("rfss.csv") + " and " + out.resolve("rfss.png"));
        o.flush();
        return 0;
    }

    static RfssSolver solverFor(String name, int threads, Common.DeviceOption device) {
        return RfssSolvers.create(
                name, threads, "tensor".equals(name) ? device.device() : ai.djl.Device.cpu());
    }

    static int[] parseInts(String flag, String list) {
        String[] parts = list.split(",");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InputException(flag + ": '" + parts[i].trim() + "' is not an integer");
            }
        }
        return v;
    }

    static double[] parseDoubles(String flag, String list) {
        String[] parts = list.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InputException(flag + ": '" + parts[i].trim() + "' is not a number");
            }
        }
        return v;
    }

    static String fmt(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
