package org.sltk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sltk.io.ModelDirectory;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.theory.Overparam;
import org.sltk.theory.OverparamReport;
import org.sltk.theory.OverparamSeeds;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sltk overparam}: the smallest block size that reaches eps, against density, next to the
 * bounds.
 */
@Command(
        name = "overparam",
        header =
                "Measure the smallest n per density and eps against the paper's bounds; CSV and PNG.",
        mixinStandardHelpOptions = true,
        description = {
            "For each block density k/n and per-weight eps, finds the smallest n (density * n whole) at which",
            "the pair construction's real blocks for the target reach eps (a seeded sample of blocks per prunable",
            "layer: every dense layer of an mlp, every conv and dense layer of a cnn;",
            "solved exactly), and reports the random network's overparameterization next to the paper's",
            "sufficient bound, its lower bound's shape and the information floor. With --seeds, one search per",
            "seed and the spread of the implied constant C over the seeds. Writes NAME.csv, NAME-trials.csv",
            "(rows per seed), NAME-seeds.csv (C per point and seed, mean, sd, min, max) and NAME.png to --out",
            "and prints markdown tables."
        })
final class OverparamCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Target model directory.")
    Path model;

    @Option(
            names = "--densities",
            split = ",",
            defaultValue = "0.5,0.25,0.1,0.05",
            paramLabel = "D,...",
            description = "Block densities k/n. Default: ${DEFAULT-VALUE}.")
    List<Double> densities;

    @Option(
            names = "--eps",
            split = ",",
            defaultValue = "1e-2,1e-3",
            paramLabel = "E,...",
            description = "Per-weight tolerances. Default: ${DEFAULT-VALUE}.")
    List<Double> eps;

    @Option(
            names = "--blocks",
            defaultValue = "5000",
            paramLabel = "B",
            description =
                    "Sampled blocks per target layer (all of a smaller layer). Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(
            names = "--quantile",
            defaultValue = "0.99",
            paramLabel = "Q",
            description =
                    "Wanted fraction of blocks within eps, in every layer. Default: ${DEFAULT-VALUE}.")
    double quantile;

    @Option(
            names = "--pool-factor",
            defaultValue = "3",
            paramLabel = "F",
            description =
                    "Pool size = F * n units per input (the pruner's default is 3). Default: ${DEFAULT-VALUE}.")
    int poolFactor;

    @Option(
            names = "--max-n",
            defaultValue = "64",
            paramLabel = "N",
            description = "Largest block size tried. Default: ${DEFAULT-VALUE}.")
    int maxN;

    @Option(
            names = "--dist",
            defaultValue = "uniform",
            paramLabel = "NAME",
            description =
                    "Random network weights: uniform, normal, kaiming-uniform or kaiming-normal. Default: ${DEFAULT-VALUE}.")
    String dist;

    @Option(
            names = "--signed-input",
            description = "Do not assume non-negative inputs (both signs in the first layer).")
    boolean signedInput;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "T",
            description = "Solver threads; 0: all processors. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the CSV and PNG files.")
    Path out;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "File stem of the outputs. Default: overparam-<model directory name>.")
    String name;

    @Option(
            names = "--seeds",
            split = ",",
            paramLabel = "S,...",
            description =
                    "Several seeds, one search each (the seed picks the random network and the sampled blocks);"
                            + " replaces --seed.")
    List<Long> seeds;

    @Mixin Common.SeedOption seed;
    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() {
        String stem =
                name != null
                        ? name
                        : "overparam-" + model.toAbsolutePath().normalize().getFileName();
        if (!stem.matches("[A-Za-z0-9._-]+")) {
            throw new InputException(
                    "--name: use letters, digits, '.', '_' and '-' only, found '" + stem + "'");
        }
        List<Long> runSeeds = seedList();
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        WeightDistribution wd = WeightDistribution.parse(dist);
        List<Overparam.Config> cfgs = new ArrayList<>();
        for (long s : runSeeds) {
            cfgs.add(
                    new Overparam.Config(
                            densities,
                            eps,
                            blocks,
                            quantile,
                            poolFactor,
                            wd,
                            !signedInput,
                            s,
                            maxN,
                            t));
        }
        TargetModel m = ModelDirectory.load(model);
        var w = spec.commandLine().getOut();
        List<Overparam.Result> rs = new ArrayList<>();
        for (Overparam.Config cfg : cfgs) {
            rs.add(
                    Overparam.run(
                            m.network(), model.getFileName() + " " + m.network().describe(), cfg));
        }
        OverparamSeeds.Spread spread = OverparamSeeds.of(rs);
        List<Path> files = OverparamReport.write(rs, spread, out, stem);
        w.print(OverparamReport.markdown(rs, spread));
        w.printf(
                Locale.ROOT,
                "%nsearched in %.1f s; wrote %s%n",
                rs.stream().mapToDouble(Overparam.Result::seconds).sum(),
                files);
        w.flush();
        return 0;
    }

    /** Returns the seeds to run: --seeds (distinct, not with --seed) or the one --seed. */
    private List<Long> seedList() {
        if (seeds == null) {
            return List.of(seed.seed);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            throw new InputException("--seeds: give either --seed or --seeds, not both");
        }
        Set<Long> seen = new HashSet<>();
        for (long s : seeds) {
            if (!seen.add(s)) {
                throw new InputException("--seeds: seed " + s + " given twice");
            }
        }
        return List.copyOf(seeds);
    }
}
