package org.sltk.cli;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.sltk.data.DataSplit;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.eval.Reports;
import org.sltk.io.RunDirectory;
import org.sltk.nn.TargetModel;
import org.sltk.prune.ConvPairPruner;
import org.sltk.prune.ConvPruneResult;
import org.sltk.prune.LayerStats;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.prune.PruneSummary;
import org.sltk.prune.Solvers;
import org.sltk.rfss.RfssSolver;
import org.sltk.util.Memory;
import org.sltk.util.Provenance;

/** The steps the prune, eval and sweep verbs share: prune, save, evaluate, print. */
final class TicketJob {

    private TicketJob() {}

    /** Returns the test split of a dataset given by name or directory. */
    static ImageSet testSet(String data) {
        DataSplit split = Datasets.load(data);
        return split.test();
    }

    /** Prints the input domain a run is pruned for and why, the line {@code input domain: ...}. */
    static void printDomain(InputDomain.Choice domain, PrintWriter w) {
        w.printf(Locale.ROOT, "input domain: %s (%s)%n", domain.domain().describe(), domain.reason());
        w.flush();
    }

    /**
     * Builds the pruner of a run (dense or conv, by the model's architecture) before any work: this
     * is where settings beyond the solver's reach ({@link PairPruner#PairPruner}) and pools too large
     * for the random network are refused.
     *
     * @return the pruning step, to run with {@link #prune}
     */
    static Supplier<PruneSummary> pruner(TargetModel model, PruneConfig cfg, Device device) {
        RfssSolver solver = Solvers.create(cfg.solver(), device);
        // building the random network (cheap: its weights are drawn when read) checks --pool
        if (model.isCnn()) {
            ConvPairPruner p = new ConvPairPruner(cfg, solver);
            p.randomNetworkFor(model.sequential());
            return () -> p.prune(model.sequential());
        }
        PairPruner p = new PairPruner(cfg, solver);
        p.randomNetworkFor(model.network());
        return () -> p.prune(model.network());
    }

    /** Prunes with a pruner of {@link #pruner}, writes the run directory, and prints the per-layer table. */
    static PruneSummary prune(TargetModel model, Supplier<PruneSummary> pruner, Device device, String dataset,
            InputDomain.Choice domain, Path out, PrintWriter w) {
        PruneSummary r = pruner.get();
        RunDirectory.save(out, model, dataset, r, domain, Provenance.current(device.toString()));
        printPrune(r, w);
        return r;
    }

    /** Evaluates a fresh pruning result on a dataset inside its input domain, writes report.json into its run directory, prints it. */
    static EvalReport evaluate(TargetModel model, PruneSummary r, ImageSet test, InputDomain domain, Device device, Path out,
            PrintWriter w, long startNanos) {
        EvalReport e = r instanceof ConvPruneResult c
                ? new Evaluator(device).evaluate(model.sequential(), c.ticket(), test, domain)
                : new Evaluator(device).evaluate(model.network(), ((PruneResult) r).ticket(), test, domain);
        writeReport(out, model, r.digest(), domain, e, RunDirectory.pruneSummary(r), List.of(), device, startNanos);
        printEval(e, w);
        return e;
    }

    /**
     * Evaluates a reloaded run again and writes its report.json: the pruning section is the run's
     * prune.json unchanged, the earlier evaluations are kept in order after the new one.
     */
    static EvalReport reevaluate(RunDirectory.Run run, JsonObject pruning, List<JsonElement> earlier, ImageSet test,
            InputDomain domain, Device device, PrintWriter w, long startNanos) {
        EvalReport e = run.convTicket() != null
                ? new Evaluator(device).evaluate(run.model().sequential(), run.convTicket(), test, domain)
                : new Evaluator(device).evaluate(run.model().network(), run.ticket(), test, domain);
        String digest = run.convTicket() != null ? run.convTicket().digest() : run.ticket().digest();
        writeReport(run.dir(), run.model(), digest, domain, e, pruning, earlier, device, startNanos);
        printEval(e, w);
        return e;
    }

    private static void writeReport(Path out, TargetModel model, String digest, InputDomain domain, EvalReport e,
            Object pruning, List<JsonElement> earlier, Device device, long startNanos) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", out.toString());
        report.put("model", model.dir().toString());
        report.put("maskDigest", digest);
        report.put("inputDomain", domain.toMap());
        report.put("evaluation", Reports.toMap(e));
        report.put("pruning", pruning);
        report.put("totalSeconds", (System.nanoTime() - startNanos) / 1e9);
        report.put("peakMemoryMiB", Memory.peakMiB());
        report.put("provenance", Provenance.current(device.toString()));
        RunDirectory.writeReport(out, RunDirectory.withEarlier(report, earlier));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static void printPrune(PruneSummary r, PrintWriter w) {
        PruneConfig c = r.config();
        w.printf(Locale.ROOT, "random network: %,d parameters (%s, seed %d, pool %d); blocks of n=%d keep k=%d (block density %.4f)%n",
                r.total(), c.distribution().id(), c.seed(), c.pool(), c.n(), c.k(), (double) c.k() / c.n());
        w.printf(Locale.ROOT, "%-6s %-10s %9s %9s %9s %10s %10s %10s %7s %7s %7s%n",
                "layer", "shape", "blocks", "dens.1st", "dens.2nd", "median err", "p99 err", "max err", "misses",
                "unreach", "short");
        for (LayerStats s : r.layers()) {
            w.printf(Locale.ROOT, "%-6d %-10s %,9d %9.5f %9.5f %10.2e %10.2e %10.2e %7d %7d %7d%n",
                    s.layer() + 1, s.in() + "->" + s.out(), s.blocks(), s.densityFirst(), s.densitySecond(),
                    s.medianError(), s.p99Error(), s.maxError(), s.misses(), s.unreachable(), s.shortBlocks());
        }
        long unreachable = r.layers().stream().mapToLong(LayerStats::unreachable).sum();
        if (unreachable > 0) {
            w.printf(Locale.ROOT, "note: %d block(s) have a target weight outside the range any k of their n products can"
                    + " reach; they keep their closest k (counted in misses and in the bound); a larger --n makes this rarer%n",
                    unreachable);
        }
        w.printf(Locale.ROOT, "ticket: %,d of %,d parameters kept (overall density %.5f); mask digest %s; pruned in %.2fs%n",
                r.kept(), r.total(), r.density(), r.digest().substring(0, 16), r.seconds());
        w.flush();
    }

    static void printEval(EvalReport e, PrintWriter w) {
        w.printf(Locale.ROOT, "%s (%d images): target accuracy %.4f, ticket accuracy %.4f (diff %+.2f pp), agreement %.4f%n",
                e.dataset(), e.images(), e.targetAccuracy(), e.ticketAccuracy(),
                100 * (e.ticketAccuracy() - e.targetAccuracy()), e.agreement());
        w.printf(Locale.ROOT, "logit error: max %.3e, mean %.3e, relative L2 %.3e%n",
                e.maxLogitError(), e.meanLogitError(), e.relativeL2());
        w.printf(Locale.ROOT, "guaranteed bound (%s arithmetic): per image up to %.3e (%.0fx the measured max), a priori"
                + " %.3e for every input with values in [%s, %s]; %s%n",
                e.arithmetic(), e.boundOnData(), e.maxLogitError() > 0 ? e.boundOnData() / e.maxLogitError() : 0.0,
                e.boundOverBox(), num(e.boxLow()), num(e.boxHigh()), e.verdict());
        for (EvalReport.LayerError l : e.layers()) {
            w.printf(Locale.ROOT, "  layer %d activation error: max %.3e, relative L2 %.3e, bound %.3e%n",
                    l.layer() + 1, l.maxError(), l.relativeL2(), l.bound());
        }
        w.printf(Locale.ROOT, "compact vs plain masked pass (first %d images): max diff %.2e%n",
                e.denseCheckedImages(), e.compactVsDense());
        w.flush();
    }
}
