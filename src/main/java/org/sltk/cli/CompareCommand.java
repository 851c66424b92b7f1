package org.sltk.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sltk.eval.CompareChart;
import org.sltk.io.PopupRunDirectory;
import org.sltk.io.RunDirectory;
import org.sltk.io.TargetModels;
import org.sltk.util.AtomicFiles;
import org.sltk.util.InputException;
import org.sltk.util.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sltk compare}: tickets constructed by {@code sltk prune} and found by {@code sltk popup},
 * side by side: a CSV and a PNG of test accuracy against overall density and against time.
 */
@Command(
        name = "compare",
        header = "Compare constructed (sltk prune) and trained (sltk popup) tickets: CSV and PNG.",
        mixinStandardHelpOptions = true,
        description = {
            "Reads run directories as they were recorded (no recomputation): for a run of sltk prune its",
            "report.json (ticket and target accuracy, agreement) and prune.json (overall density, pruning",
            "seconds); for a run of sltk popup its popup.json (overall density, test accuracy of the final",
            "masks, search seconds, epochs and training images) and, where sltk eval made one, report.json",
            "(agreement with the target). Writes compare.csv and compare.png (test accuracy against overall",
            "density and against the wall-clock seconds to the ticket, the dense target as a line)."
        })
final class CompareCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--run",
            required = true,
            arity = "1..*",
            paramLabel = "DIR",
            description = "Run directories of sltk prune or sltk popup.")
    List<Path> runs;

    @Option(
            names = "--model",
            paramLabel = "DIR",
            description = "Target model whose recorded test accuracy is drawn as a line.")
    Path model;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "Directory for compare.csv and compare.png (created).")
    Path out;

    @Mixin Common.DebugOption debug;

    @Override
    public Integer call() throws Exception {
        for (Path r : runs) {
            if (!PopupRunDirectory.isPopupRun(r)
                    && !Files.isRegularFile(r.resolve(RunDirectory.REPORT))) {
                throw new InputException(
                        "--run "
                                + r
                                + ": neither an evaluated sltk prune run (report.json) nor an sltk"
                                + " popup run (popup.json)");
            }
        }
        double target = Double.NaN;
        if (model != null) {
            target = TargetModels.load(model).info().testAccuracy();
        }
        List<CompareChart.Point> points = new ArrayList<>();
        StringBuilder csv =
                new StringBuilder(
                        "method,run,overall_density,kept,parameters,test_accuracy,target_accuracy,"
                                + "agreement,seconds,peak_memory_mib,block_density,epochs,train_images\n");
        for (Path r : runs) {
            Row row = PopupRunDirectory.isPopupRun(r) ? popup(r) : constructed(r);
            if (Double.isNaN(target) && !Double.isNaN(row.targetAccuracy)) {
                target = row.targetAccuracy;
            }
            points.add(new CompareChart.Point(row.method, row.density, row.accuracy, row.seconds));
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%s,%s,%.6g,%d,%d,%.4f,%s,%s,%.2f,%.0f,%s,%s,%s%n",
                            row.method,
                            r,
                            row.density,
                            row.kept,
                            row.parameters,
                            row.accuracy,
                            num(row.targetAccuracy, "%.4f"),
                            num(row.agreement, "%.4f"),
                            row.seconds,
                            row.memory,
                            num(row.blockDensity, "%s"),
                            row.epochs < 0 ? "" : Integer.toString(row.epochs),
                            row.trainImages < 0 ? "" : Integer.toString(row.trainImages)));
        }
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("compare.csv"), csv.toString());
        CompareChart.write(
                points, target, "constructed vs edge-popup tickets", out.resolve("compare.png"));
        var w = spec.commandLine().getOut();
        w.print(csv);
        w.printf("wrote %s and %s%n", out.resolve("compare.csv"), out.resolve("compare.png"));
        w.flush();
        return 0;
    }

    private static String num(double v, String f) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, f, v);
    }

    /** One line of the comparison. */
    private static final class Row {
        String method;
        double density;
        long kept;
        long parameters;
        double accuracy;
        double targetAccuracy = Double.NaN;
        double agreement = Double.NaN;
        double seconds;
        double memory = Double.NaN;
        double blockDensity = Double.NaN;
        int epochs = -1;
        int trainImages = -1;
    }

    private static Row constructed(Path r) {
        Path f = r.resolve(RunDirectory.REPORT);
        JsonObject o = Json.read(f);
        JsonObject e = object(o, "evaluation", f);
        JsonObject p = object(o, "pruning", f);
        Row row = new Row();
        row.method = "constructed (sltk prune)";
        row.density = Json.number(p, "density", f);
        row.kept = Json.integer(p, "keptParameters", f);
        row.parameters = Json.integer(p, "randomNetworkParameters", f);
        row.accuracy = Json.number(e, "ticketAccuracy", f);
        row.targetAccuracy = Json.number(e, "targetAccuracy", f);
        row.agreement = Json.number(e, "agreement", f);
        row.seconds = Json.number(p, "seconds", f);
        row.memory = Json.optNumber(o, "peakMemoryMiB", "peakMemoryMiB", f);
        row.blockDensity = Json.number(p, "blockDensity", f);
        return row;
    }

    private static Row popup(Path r) {
        Path f = r.resolve(PopupRunDirectory.POPUP);
        JsonObject o = Json.read(f);
        Row row = new Row();
        String setting = Json.string(o, "setting", f);
        row.method =
                setting.equals(PopupRunDirectory.PAIR_NETWORK)
                        ? "edge-popup pair network"
                        : "edge-popup plain "
                                + Json.string(object(o, "network", f), "architecture", f)
                                        .replaceAll(" ReLU MLP.*", "");
        row.method +=
                String.format(
                        Locale.ROOT,
                        " lr %s",
                        Float.toString((float) Json.number(object(o, "training", f), "lr", f)));
        row.density = Json.number(o, "overallDensity", f);
        row.kept = Json.integer(o, "keptParameters", f);
        row.parameters = Json.integer(o, "randomNetworkParameters", f);
        row.accuracy = Json.number(o, "testAccuracy", f);
        row.seconds = Json.number(o, "seconds", f);
        row.memory = Json.optNumber(o, "peakMemoryMiB", "peakMemoryMiB", f);
        row.epochs = (int) Json.integer(object(o, "training", f), "epochs", f);
        row.trainImages = Json.optInt(o, "trainImages", "trainImages", f, -1);
        JsonElement pn = o.get("pairNetwork");
        if (pn != null && pn.isJsonObject()) {
            row.blockDensity = Json.number(pn.getAsJsonObject(), "blockDensity", f);
        }
        Path rep = r.resolve(RunDirectory.REPORT);
        if (Files.isRegularFile(rep)) {
            JsonObject e = object(Json.read(rep), "evaluation", rep);
            row.targetAccuracy = Json.number(e, "targetAccuracy", rep);
            row.agreement = Json.number(e, "agreement", rep);
        }
        return row;
    }

    private static JsonObject object(JsonObject o, String field, Path f) {
        JsonElement e = Json.required(o, field, f);
        if (!e.isJsonObject()) {
            throw Json.wrong(f, field, "an object", e);
        }
        return e.getAsJsonObject();
    }
}
