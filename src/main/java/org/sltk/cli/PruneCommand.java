package org.sltk.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.eval.Evaluator;
import org.sltk.io.TargetModels;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.util.InputException;
import org.sltk.util.Memory;
import org.sltk.workflow.Pruner;
import org.sltk.workflow.Ticket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sltk prune}: prunes a random network into a fixed-density ticket for a target, then
 * evaluates it.
 */
@Command(
        name = "prune",
        header =
                "Prune a random network into a fixed-density ticket for a target, then evaluate it.",
        mixinStandardHelpOptions = true,
        description = {
            "Builds the seeded random network for a target model, prunes it with one RFSS block per target",
            "weight and sign (exactly k of n candidates kept per block), writes the run directory and",
            "evaluates the ticket against the target on the test split of the model's dataset."
        })
final class PruneCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description =
                    "Target: a model directory (see sltk train), a TorchScript ReLU MLP or CNN (.pt) or NumPy weights (.npz).")
    Path model;

    @Option(
            names = "--density",
            defaultValue = "0.25",
            paramLabel = "D",
            description = "Block density k/n, in (0, 1]. Default: ${DEFAULT-VALUE}.")
    double density;

    @Option(
            names = "--eps",
            defaultValue = "1e-3",
            paramLabel = "E",
            description =
                    "Per-weight tolerance: a block keeps the first subset (lexicographic order) within it, or its closest one if none is. Default: ${DEFAULT-VALUE}.")
    double eps;

    @Option(
            names = "--n",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Candidates per block (0: smallest n >= 24 with density*n whole and C(n,k) >= 10/eps). At most 64.")
    int n;

    @Option(
            names = "--pool",
            defaultValue = "0",
            paramLabel = "P",
            description = "Hidden units per input pool in the random network (0: 3n). At least n.")
    int pool;

    @Option(
            names = "--dist",
            defaultValue = "uniform",
            paramLabel = "NAME",
            description =
                    "Weight distribution of the random network: uniform, normal, kaiming-uniform, kaiming-normal. Default: ${DEFAULT-VALUE}.")
    String dist;

    @Option(
            names = "--solver",
            defaultValue = "auto",
            paramLabel = "NAME",
            description =
                    "RFSS solver: auto (exact: enumeration or meet in the middle, whichever is faster for the block shape), mitm (exact meet in the middle), tensor (exact, DJL tensors on --device), swap (heuristic) or brute (exact enumeration). Default: ${DEFAULT-VALUE}.")
    String solver;

    @Option(
            names = "--data",
            paramLabel = "NAME|DIR",
            description =
                    "Dataset for the evaluation: mnist, fashion-mnist, cifar10, or an IDX or CIFAR-10 directory, optionally with :normalize[=MEANS/STDS]. Default: the model's dataset.")
    String data;

    @Mixin Common.InputDomainOption inputDomain;

    @Option(names = "--no-eval", description = "Only prune and save; skip the evaluation.")
    boolean noEval;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Run directory to write (replaced atomically).")
    Path out;

    @Mixin Common.SeedOption seed;
    @Mixin Common.DeviceOption device;
    @Mixin Common.DebugOption debug;

    /** Seconds from the JVM's start to now (the launcher's and the JVM's own start-up). */
    private static double jvmStartSeconds() {
        return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
                / 1e3;
    }

    /** CPU seconds of this process so far, all threads (NaN where the JVM cannot tell). */
    private static double cpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            return t < 0 ? Double.NaN : t / 1e9;
        }
        return Double.NaN;
    }

    /** Wall and CPU seconds of one stage, as "1.2/2.3s". */
    private static String stage(long wallFrom, long wallTo, double cpuFrom, double cpuTo) {
        return String.format(Locale.ROOT, "%.1f/%.1fs", (wallTo - wallFrom) / 1e9, cpuTo - cpuFrom);
    }

    @Override
    public Integer call() {
        double jvm = jvmStartSeconds();
        double cpuStart = cpuSeconds();
        long start = System.nanoTime();
        // the data first: an imported CNN takes the data's image shape
        ImageSet given = data == null ? null : Datasets.load(data).test();
        TargetModel m = TargetModels.load(model, Common.imageShape(given));
        String dataset = data != null ? data : m.info().dataset();
        if (dataset == null && !noEval) {
            throw new InputException(
                    "--data: "
                            + model
                            + " does not say which data it was trained on; give --data"
                            + " mnist|fashion-mnist|DIR (or --no-eval)");
        }
        InputDomain.Choice domain = inputDomain.choose(m.info().dataset(), data);
        Pruner pruner =
                Pruner.builder()
                        .setDensity(density)
                        .optN(n)
                        .optPool(pool)
                        .optEps(eps)
                        .optSeed(seed.seed)
                        .optDistribution(WeightDistribution.parse(dist))
                        .optSolver(solver)
                        .optDevice(device.device())
                        .optInputDomain(domain)
                        .optDataset(dataset)
                        .build(); // refuses blocks beyond the solver's reach
        Supplier<Ticket> job =
                pruner.prepare(m, !noEval); // refuses a pool too large, too little memory
        ImageSet test = noEval ? null : given != null ? given : Datasets.load(dataset).test();
        if (test != null) {
            // before any work; the evaluation checks again
            Evaluator.checkFits(test, m.network().inputSize());
            domain.domain().check(test);
        }
        var w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "target: %s (%s)%n", m.describe(), model);
        if (m.importLog() != null) {
            w.println("import: " + m.importLog());
        }
        w.println(domain.summary());
        w.flush();
        long loaded = System.nanoTime();
        double cpuLoaded = cpuSeconds();
        Ticket t = job.get();
        w.print(t.result().summary());
        w.flush();
        long pruned = System.nanoTime();
        double cpuPruned = cpuSeconds();
        if (test != null) {
            w.print(t.evaluate(test).summary());
            w.flush();
        }
        long evaluated = System.nanoTime();
        double cpuEvaluated = cpuSeconds();
        t.save(out);
        long saved = System.nanoTime();
        double cpuSaved = cpuSeconds();
        w.printf(
                Locale.ROOT,
                "run written to %s; total %.1fs, peak memory %.0f MiB%n",
                out,
                (saved - start) / 1e9,
                Memory.peakMiB());
        // wall/CPU seconds per stage (CPU: all threads; on a shared machine wall >> CPU / cores)
        w.printf(
                Locale.ROOT,
                "stages (wall/cpu): jvm start %.1f/%.1fs, load %s, prune %s, eval %s, save %s%n",
                jvm,
                cpuStart,
                stage(start, loaded, cpuStart, cpuLoaded),
                stage(loaded, pruned, cpuLoaded, cpuPruned),
                test == null ? "skipped" : stage(pruned, evaluated, cpuPruned, cpuEvaluated),
                stage(evaluated, saved, cpuEvaluated, cpuSaved));
        return 0;
    }
}
