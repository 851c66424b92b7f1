package org.sltk.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.eval.Evaluator;
import org.sltk.io.PopupRunDirectory;
import org.sltk.prune.MemoryEstimate;
import org.sltk.util.InputException;
import org.sltk.util.Provenance;
import org.sltk.workflow.Ticket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sltk eval}: reloads a run directory, checks its masks and evaluates the ticket again. */
@Command(
        name = "eval",
        header = "Reload a run directory, check its masks, and evaluate the ticket again.",
        mixinStandardHelpOptions = true,
        description = {
            "Reloads a run: rebuilds the random network from its seed, reads the masks, checks their digest",
            "and that every block keeps exactly k units, then evaluates the ticket against the target.",
            "report.json keeps the run's pruning statistics (prune.json) unchanged; the new evaluation replaces",
            "the previous one, which is kept, with all before it, under earlierEvaluations.",
            "An edge-popup run (sltk popup) is reloaded the same way (digest, exact counts per layer) and",
            "evaluated for its accuracy, with agreement and logit errors against its target where it has one."
        })
final class EvalCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--run",
            required = true,
            paramLabel = "DIR",
            description = "Run directory written by sltk prune or sltk popup.")
    Path run;

    @Option(
            names = "--data",
            paramLabel = "NAME|DIR",
            description =
                    "Dataset: mnist, fashion-mnist, cifar10, or an IDX or CIFAR-10 directory, optionally with :normalize[=MEANS/STDS]. Default: the run's dataset.")
    String data;

    @Option(
            names = "--images",
            paramLabel = "N",
            description =
                    "Evaluate on the first N test images only (0: all of them). The report records how many were evaluated. Default: 0.")
    int images;

    @Mixin Common.DeviceOption device;
    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() {
        if (PopupRunDirectory.isPopupRun(run)) {
            return evaluatePopup();
        }
        Ticket t =
                Ticket.load(
                        run,
                        device.device()); // checks the digest and that every block keeps k units
        String dataset =
                data != null
                        ? data
                        : t.dataset()
                                .orElseThrow(
                                        () ->
                                                new InputException(
                                                        "--data: the run "
                                                                + run
                                                                + " records no dataset (an imported target pruned with --no-eval); give --data mnist|fashion-mnist|DIR"));
        if (images < 0) {
            throw new InputException(
                    "--images " + images + ": must be 0 (all test images) or a positive count");
        }
        ImageSet test = Datasets.load(dataset).test();
        if (images > test.size()) {
            throw new InputException(
                    "--images "
                            + images
                            + ": the test split of "
                            + dataset
                            + " has "
                            + test.size()
                            + " images; give at most that, or 0 for all");
        }
        if (images > 0) {
            test = test.subset(0, images);
        }
        t.inputDomain().domain().check(test); // before any output; the evaluation checks again
        MemoryEstimate.of(t.target().network().architecture(), t.config(), true)
                .requireFits(Runtime.getRuntime().maxMemory(), MemoryEstimate.physicalMemory());
        t.checkReportCanBeKept(); // the pruning statistics and every earlier evaluation are
        // kept in the new report
        var w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "run %s: mask digest %s verified; every block keeps exactly k=%d of n=%d%n",
                run,
                t.digest().substring(0, 16),
                t.config().k(),
                t.config().n());
        w.println(t.inputDomain().summary());
        w.flush();
        w.print(t.evaluate(test).summary());
        w.flush();
        t.save(run);
        return 0;
    }

    /** An edge-popup run: the ticket's accuracy, and agreement with its target where it has one. */
    private int evaluatePopup() {
        long start = System.nanoTime();
        PopupRunDirectory.Run r = PopupRunDirectory.load(run); // digest and exact counts
        ImageSet test = Datasets.load(data != null ? data : r.dataset()).test();
        var w = spec.commandLine().getOut();
        w.printf(
                Locale.ROOT,
                "edge-popup run %s: mask digest %s verified; %,d of %,d parameters kept, exactly as"
                        + " recorded per layer%n",
                run,
                r.digest().substring(0, 16),
                r.network().keptCount(),
                r.network().parameterCount());
        w.flush();
        var e =
                new Evaluator(device.device())
                        .evaluateTrained(
                                r.target() != null ? r.target().network() : null,
                                r.network().ticket(r.masks()),
                                test);
        w.print(e.summary());
        w.printf(
                Locale.ROOT,
                "recorded test accuracy %.4f, now %.4f%n",
                r.testAccuracy(),
                e.ticketAccuracy());
        w.flush();
        PopupRunDirectory.writeReport(
                r,
                e,
                Provenance.current(device.device().toString()),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
