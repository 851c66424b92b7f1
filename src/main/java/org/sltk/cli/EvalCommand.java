package org.sltk.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.data.ImageSet;
import org.sltk.io.RunDirectory;
import org.sltk.prune.BlockCheck;
import org.sltk.prune.MemoryEstimate;
import org.sltk.util.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sltk eval}: reloads a run directory, checks its masks and evaluates the ticket again. */
@Command(
        name = "eval",
        header = "Reload a run directory, check its masks, and evaluate the ticket again.",
        mixinStandardHelpOptions = true,
        description = {
            "Reloads a run: rebuilds the random network from its seed, reads the masks, checks their digest",
            "and that every block keeps exactly k units, then evaluates the ticket against the target.",
            "report.json keeps the run's pruning statistics (prune.json) unchanged; the new evaluation replaces",
            "the previous one, which is kept, with all before it, under earlierEvaluations."
        })
final class EvalCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run directory written by sltk prune.")
    Path run;

    @Option(names = "--data", paramLabel = "NAME|DIR",
            description = "Dataset: mnist, fashion-mnist or an IDX directory. Default: the run's dataset.")
    String data;

    @Mixin Common.DeviceOption device;
    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        RunDirectory.Run r = RunDirectory.load(run);
        String dataset = data != null ? data : r.dataset();
        if (dataset == null) {
            throw new InputException("--data: the run " + run + " records no dataset (an imported target pruned with"
                    + " --no-eval); give --data mnist|fashion-mnist|DIR");
        }
        ImageSet test = TicketJob.testSet(dataset);
        r.inputDomain().domain().check(test); // before any output; the evaluator checks again
        MemoryEstimate.of(r.model().network().architecture(), r.config(), true)
                .requireFits(Runtime.getRuntime().maxMemory(), MemoryEstimate.physicalMemory());
        var w = spec.commandLine().getOut();
        List<String> bad = BlockCheck.violations(r.ticket(), r.config().n(), r.config().k(),
                r.config().nonNegativeInput(), 5);
        String digest = r.ticket().digest();
        // what the run recorded: the pruning statistics and every earlier evaluation are kept in the new report
        JsonObject pruning = RunDirectory.readPruneSummary(run, digest);
        List<JsonElement> earlier = RunDirectory.earlierEvaluations(run, pruning);
        if (!bad.isEmpty()) {
            throw new InputException(run.resolve(RunDirectory.MASKS) + ": not a fixed-density ticket: " + bad.get(0));
        }
        w.printf(Locale.ROOT, "run %s: mask digest %s verified; every block keeps exactly k=%d of n=%d%n",
                run, digest.substring(0, 16), r.config().k(), r.config().n());
        TicketJob.printDomain(r.inputDomain(), w);
        TicketJob.reevaluate(r, pruning, earlier, test, r.inputDomain().domain(), device.device(), w, start);
        return 0;
    }
}
