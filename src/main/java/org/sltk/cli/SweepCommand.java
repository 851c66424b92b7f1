package org.sltk.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.eval.SweepChart;
import org.sltk.eval.SweepPoint;
import org.sltk.io.TargetModels;
import org.sltk.nn.TargetModel;
import org.sltk.prune.PruneConfig;
import org.sltk.rfss.RfssSolver;
import org.sltk.rfss.RfssSolvers;
import org.sltk.rfss.RfssTheory;
import org.sltk.util.AtomicFiles;
import org.sltk.util.InputException;
import org.sltk.workflow.Pruner;
import org.sltk.workflow.Ticket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sltk sweep}: prunes and evaluates a target at several densities, with a table and a
 * figure.
 */
@Command(
        name = "sweep",
        header = "Prune and evaluate a target at several densities; CSV and PNG.",
        mixinStandardHelpOptions = true,
        description = {
            "Prunes the random network for a target at each density, evaluates each ticket, and writes",
            "one run directory per density plus sweep.csv and sweep.png (accuracy and logit error vs density)."
        })
final class SweepCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description =
                    "Target: a model directory, a TorchScript ReLU MLP or CNN (.pt) or NumPy weights (.npz).")
    Path model;

    @Option(
            names = "--densities",
            split = ",",
            defaultValue = "0.5,0.25,0.1",
            paramLabel = "D,...",
            description = "Block densities k/n. Default: ${DEFAULT-VALUE}.")
    List<Double> densities;

    @Option(
            names = "--eps",
            defaultValue = "1e-3",
            paramLabel = "E",
            description = "Per-weight tolerance. Default: ${DEFAULT-VALUE}.")
    double eps;

    @Option(
            names = "--solver",
            defaultValue = "auto",
            paramLabel = "NAME",
            description = "RFSS solver. Default: ${DEFAULT-VALUE}.")
    String solver;

    @Option(
            names = "--data",
            paramLabel = "NAME|DIR",
            description = "Dataset for the evaluation. Default: the model's.")
    String data;

    @Mixin Common.InputDomainOption inputDomain;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory for the runs, sweep.csv and sweep.png.")
    Path out;

    @Mixin Common.SeedOption seed;
    @Mixin Common.DeviceOption device;
    @Mixin Common.DebugOption debug;

    /**
     * Refuses, in sweep's own flags (it has no --n), a density whose default blocks are beyond the
     * solver's reach; the pruner would refuse them too, naming prune's flags.
     */
    private static void checkReach(PruneConfig cfg, RfssSolver s) {
        if (s.supports(cfg.n(), cfg.k())) {
            return;
        }
        String blocks =
                "blocks of (n, k) = ("
                        + cfg.n()
                        + ", "
                        + cfg.k()
                        + "), beyond the "
                        + RfssSolvers.describe(s)
                        + "'s reach ("
                        + s.reach()
                        + ")";
        String alt = "--solver " + RfssSolvers.alternative(s, cfg.n(), cfg.k());
        if (cfg.n()
                != RfssTheory.defaultN(
                        cfg.density(), Double.MAX_VALUE)) { // eps, not the density alone, set n
            throw new InputException(
                    "--eps "
                            + PruneConfig.typed(cfg.eps())
                            + ": density "
                            + PruneConfig.typed(cfg.density())
                            + " needs "
                            + blocks
                            + "; give a larger --eps or "
                            + alt);
        }
        throw new InputException(
                "--densities: density "
                        + PruneConfig.typed(cfg.density())
                        + " needs "
                        + blocks
                        + "; leave it out or give "
                        + alt);
    }

    /** The pruner of one density (a refusal of the density names sweep's flag, --densities). */
    private Pruner pruner(double d, InputDomain.Choice domain, String dataset) {
        return Pruner.builder()
                .setDensity(d)
                .optEps(eps)
                .optSeed(seed.seed)
                .optSolver(solver)
                .optDevice(device.device())
                .optInputDomain(domain)
                .optDataset(dataset)
                .build();
    }

    @Override
    public Integer call() {
        // the data first: an imported CNN takes the data's image shape
        ImageSet given = data == null ? null : Datasets.load(data).test();
        TargetModel m = TargetModels.load(model, Common.imageShape(given));
        String dataset = data != null ? data : m.info().dataset();
        if (dataset == null) {
            throw new InputException(
                    "--data: "
                            + model
                            + " does not say which data it was trained on; give --data mnist|fashion-mnist|DIR");
        }
        InputDomain.Choice domain = inputDomain.choose(m.info().dataset(), data);
        if (densities.isEmpty()) {
            throw new InputException("--densities: give at least one density");
        }
        List<Pruner> pruners = new ArrayList<>();
        List<Supplier<Ticket>> jobs = new ArrayList<>();
        for (double d : densities) {
            PruneConfig cfg =
                    PruneConfig.builder()
                            .setDensity(d)
                            .optEps(eps)
                            .optSeed(seed.seed)
                            .optNonNegativeInput(domain.domain().nonNegative())
                            .build();
            checkReach(cfg, RfssSolvers.create(solver, 1, device.device()));
            Pruner p = pruner(d, domain, dataset);
            pruners.add(p);
            jobs.add(p.prepare(m, true)); // every density checked before any work
        }
        ImageSet test = given != null ? given : Datasets.load(dataset).test();
        // before any work; the evaluation checks again
        Evaluator.checkFits(test, m.network().inputSize());
        domain.domain().check(test);
        var w = spec.commandLine().getOut();
        w.println(domain.summary());
        w.flush();
        List<SweepPoint> points = new ArrayList<>();
        for (int c = 0; c < jobs.size(); c++) {
            double d = densities.get(c);
            Path run = out.resolve(String.format(Locale.ROOT, "density-%s", d));
            PruneConfig cfg = pruners.get(c).configFor(m);
            w.printf(
                    Locale.ROOT,
                    "== density %s (n=%d, k=%d) -> %s%n",
                    cfg.density(),
                    cfg.n(),
                    cfg.k(),
                    run);
            w.flush();
            Ticket t = jobs.get(c).get();
            w.print(t.result().summary());
            w.flush();
            EvalReport e = t.evaluate(test);
            w.print(e.summary());
            w.flush();
            t.save(run);
            points.add(
                    new SweepPoint(
                            cfg.density(),
                            cfg.n(),
                            cfg.k(),
                            t.result().density(),
                            e,
                            t.result().seconds()));
        }
        points.sort(Comparator.comparingDouble(SweepPoint::density));
        StringBuilder csv =
                new StringBuilder(
                        "density,n,k,overall_density,target_accuracy,ticket_accuracy,agreement,max_logit_error,mean_logit_error,bound_on_data,prune_seconds\n");
        for (SweepPoint p : points) {
            EvalReport e = p.report();
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%s,%d,%d,%.6g,%.4f,%.4f,%.4f,%.4g,%.4g,%.4g,%.2f%n",
                            p.density(),
                            p.n(),
                            p.k(),
                            p.overallDensity(),
                            e.targetAccuracy(),
                            e.ticketAccuracy(),
                            e.agreement(),
                            e.maxLogitError(),
                            e.meanLogitError(),
                            e.boundOnData(),
                            p.pruneSeconds()));
        }
        AtomicFiles.writeString(out.resolve("sweep.csv"), csv.toString());
        SweepChart.write(points, m.describe() + ", " + test.name(), out.resolve("sweep.png"));
        w.print(csv);
        w.printf("wrote %s and %s%n", out.resolve("sweep.csv"), out.resolve("sweep.png"));
        return 0;
    }
}
