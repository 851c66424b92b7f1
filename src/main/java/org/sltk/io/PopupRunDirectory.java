package org.sltk.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Reports;
import org.sltk.nn.Architecture;
import org.sltk.nn.EpochStats;
import org.sltk.nn.PairMask;
import org.sltk.nn.PopupNetwork;
import org.sltk.nn.PopupTrainer;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.util.AtomicFiles;
import org.sltk.util.InputException;
import org.sltk.util.Json;
import org.sltk.util.Memory;
import org.sltk.util.Provenance;

/**
 * The run directory of an edge-popup ticket ({@code sltk popup}): a run directory like {@link
 * RunDirectory}'s, with {@code popup.json} in place of {@code config.json} and {@code prune.json}.
 *
 * <ul>
 *   <li>{@code popup.json}: the setting ({@code pair-network}: the 2L network {@code sltk prune}
 *       builds for the target {@code model}, with its {@code pool}, {@code n}, {@code k}, weight
 *       {@code distribution} and {@code pruneSeed}; or {@code plain}: a random network of {@code
 *       widths} with its {@code init}), the density and per-layer kept counts, the training
 *       settings, the per-epoch history, the final test accuracy, the time, the machine, the mask
 *       digest and the provenance;
 *   <li>{@code masks.npz}: per layer {@code l} of the network, an int32 array named {@code pair<l>}
 *       (the name {@link RunDirectory} uses, read by the same strict reader) of the kept parameter
 *       indices: (1, kept) into the flat (out, rowLength) layer, or (out, kept per unit) into each
 *       row ({@link PopupNetwork});
 *   <li>{@code report.json}: written by {@code sltk eval}, which keeps the earlier evaluations.
 * </ul>
 *
 * The random network is not stored: it is a function of the recorded seeds and settings.
 */
public final class PopupRunDirectory {

    /** The format version written into {@code popup.json}. */
    public static final int FORMAT = 1;

    /** Settings and results file. */
    public static final String POPUP = "popup.json";

    /** Setting of a network on the pair network of {@code sltk prune}. */
    public static final String PAIR_NETWORK = "pair-network";

    /** Setting of a plain random network. */
    public static final String PLAIN = "plain";

    private PopupRunDirectory() {}

    /**
     * Returns whether a directory holds an edge-popup run.
     *
     * @param dir the directory
     * @return true if it has a {@code popup.json}
     */
    public static boolean isPopupRun(Path dir) {
        return Files.isRegularFile(dir.resolve(POPUP));
    }

    /**
     * A reloaded edge-popup run.
     *
     * @param dir the directory
     * @param network the random network, rebuilt from the recorded seeds
     * @param masks the ticket, one mask per layer, checked for exact counts and digest
     * @param target the target of a pair-network run, or null
     * @param dataset the dataset the run was trained on
     * @param testAccuracy the test accuracy the run recorded for its final masks
     * @param record the whole of {@code popup.json}
     */
    public record Run(
            Path dir,
            PopupNetwork network,
            List<PairMask> masks,
            TargetModel target,
            String dataset,
            double testAccuracy,
            JsonObject record) {

        /** {@return the masks' digest} */
        public String digest() {
            return PairMask.digest(masks);
        }
    }

    /**
     * Writes a new edge-popup run directory (replacing one of the same name only when complete).
     *
     * @param dir the directory
     * @param net the random network searched
     * @param target the target of a pair network, or null for a plain network
     * @param dataset the dataset trained on
     * @param trainer the trainer, whose settings are recorded
     * @param result the search's result
     * @param extra further fields to record (for example the constructed ticket), or empty
     * @param provenance where the run was made
     */
    public static void save(
            Path dir,
            PopupNetwork net,
            TargetModel target,
            String dataset,
            PopupTrainer trainer,
            PopupTrainer.Result result,
            Map<String, Object> extra,
            Provenance provenance) {
        net.checkMasks(result.masks(), "masks");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("format", FORMAT);
        o.put("method", "edge-popup (Ramanujan et al., CVPR 2020)");
        o.put("dataset", dataset);
        o.put("setting", net.pairNetwork().isPresent() ? PAIR_NETWORK : PLAIN);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("architecture", net.architecture().describe());
        if (net.pairNetwork().isPresent()) {
            RandomNetwork r = net.pairNetwork().get();
            o.put("model", target.dir().toString());
            o.put("modelParamsSha256", target.paramsSha256());
            o.put("target", target.describe());
            n.put("pool", r.pool());
            n.put("distribution", r.distribution().id());
            n.put("pruneSeed", r.seed());
        } else {
            n.put("widths", widths(net.architecture()));
            n.put("init", net.init().id());
            n.put("scaleFan", net.scaleFan());
        }
        n.put("density", net.density());
        n.put("perUnit", net.perUnit());
        n.put("seed", net.seed());
        o.put("network", n);
        o.putAll(extra);
        o.put("randomNetworkParameters", net.parameterCount());
        o.put("keptParameters", net.keptCount());
        o.put("overallDensity", (double) net.keptCount() / net.parameterCount());
        List<Object> layers = new ArrayList<>();
        for (int p = 0; p < net.layerCount(); p++) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("layer", p + 1);
            l.put("shape", net.fanIn(p) + "->" + net.layer(p).out());
            l.put("bias", net.layer(p).bias());
            l.put("parameters", net.size(p));
            l.put("kept", net.kept(p));
            l.put("density", (double) net.kept(p) / net.size(p));
            if (net.perUnit()) {
                l.put("keptPerUnit", net.kept(p) / net.layer(p).out());
            }
            layers.add(l);
        }
        o.put("layers", layers);
        o.put("training", trainer.settings());
        List<Object> history = new ArrayList<>();
        for (EpochStats e : result.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("epoch", e.epoch());
            h.put("loss", e.loss());
            h.put("trainAccuracy", e.trainAccuracy());
            h.put("testAccuracy", e.testAccuracy());
            h.put("seconds", e.seconds());
            history.add(h);
        }
        o.put("history", history);
        o.put("testAccuracy", result.testAccuracy());
        o.put("seconds", result.seconds());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("threads", result.machine().threads());
        machine.put("engine", result.machine().engine());
        if (result.machine().cpu() != null) {
            machine.put("cpu", result.machine().cpu().model());
            machine.put("avx2", result.machine().cpu().avx2());
            machine.put("avx512f", result.machine().cpu().avx512f());
            machine.put("kernelEnv", result.machine().cpu().env());
        }
        o.put("machine", machine);
        o.put("peakMemoryMiB", Memory.peakMiB());
        o.put("maskDigest", PairMask.digest(result.masks()));
        o.put("provenance", provenance.toMap());
        AtomicFiles.writeDirectory(
                dir,
                tmp -> {
                    Files.writeString(tmp.resolve(POPUP), Json.write(o));
                    RunDirectory.writeMasks(tmp.resolve(RunDirectory.MASKS), result.masks());
                });
    }

    private static int[] widths(Architecture a) {
        int[] w = a.mlpWidths();
        if (w == null) {
            throw new IllegalArgumentException("not an MLP: " + a.describe());
        }
        return w;
    }

    /**
     * Reloads an edge-popup run: reads {@code popup.json}, rebuilds the random network from its
     * seeds (and the target model for a pair network), reads the masks and checks their counts and
     * digest.
     *
     * @param dir the run directory
     * @return the run
     * @throws InputException if a file is missing, malformed, or does not match
     */
    public static Run load(Path dir) {
        Path f = dir.resolve(POPUP);
        JsonObject o = Json.read(f);
        long format = Json.integer(o, "format", f);
        if (format != FORMAT) {
            throw new InputException(
                    f
                            + ": format "
                            + format
                            + " is not supported (this sltk reads "
                            + FORMAT
                            + ")");
        }
        String setting = Json.string(o, "setting", f);
        JsonElement ne = Json.required(o, "network", f);
        if (!ne.isJsonObject()) {
            throw Json.wrong(f, "network", "an object", ne);
        }
        JsonObject n = ne.getAsJsonObject();
        double density = Json.number(n, "density", f);
        boolean perUnit = Json.bool(n, "perUnit", f);
        long seed = Json.integer(n, "seed", f);
        String dataset = Json.string(o, "dataset", f);
        PopupNetwork net;
        TargetModel target = null;
        try {
            if (setting.equals(PAIR_NETWORK)) {
                Path modelDir = Path.of(Json.string(o, "model", f));
                if (!Files.exists(modelDir)) {
                    throw new InputException(
                            f
                                    + ": model "
                                    + modelDir
                                    + " not found; run sltk from the directory the run was made in");
                }
                target = TargetModels.load(modelDir);
                if (!Json.string(o, "modelParamsSha256", f).equals(target.paramsSha256())) {
                    throw new InputException(
                            f
                                    + ": the model's parameters in "
                                    + modelDir
                                    + " changed since the run was made (SHA-256 differs); run"
                                    + " sltk popup again");
                }
                RandomNetwork r =
                        new RandomNetwork(
                                target.network().architecture(),
                                (int) Json.integer(n, "pool", f),
                                WeightDistribution.parse(Json.string(n, "distribution", f)),
                                Json.integer(n, "pruneSeed", f));
                net = PopupNetwork.onPairs(r, density, perUnit, seed);
            } else if (setting.equals(PLAIN)) {
                JsonElement we = Json.required(n, "widths", f);
                if (!we.isJsonArray()) {
                    throw Json.wrong(f, "network.widths", "a list of widths", we);
                }
                JsonArray wa = we.getAsJsonArray();
                int[] widths = new int[wa.size()];
                for (int i = 0; i < widths.length; i++) {
                    widths[i] = Json.asInt(wa.get(i), "network.widths", f);
                }
                net =
                        new PopupNetwork(
                                Architecture.mlp(widths, false),
                                density,
                                perUnit,
                                PopupNetwork.Init.parse(Json.string(n, "init", f)),
                                Json.bool(n, "scaleFan", f),
                                seed);
            } else {
                throw new InputException(
                        f
                                + ": field 'setting' must be "
                                + PAIR_NETWORK
                                + " or "
                                + PLAIN
                                + ", found '"
                                + setting.replaceAll("[^\\x20-\\x7E]", "?")
                                + "'");
            }
        } catch (InputException e) {
            throw e.getMessage().startsWith(f.toString())
                    ? e
                    : new InputException(f + ": " + e.getMessage(), e);
        }
        int[] rows = new int[net.layerCount()];
        int[] bound = new int[net.layerCount()];
        for (int p = 0; p < rows.length; p++) {
            rows[p] = net.perUnit() ? net.layer(p).out() : 1;
            bound[p] = net.perUnit() ? net.rowLength(p) : net.size(p);
        }
        Path maskFile = dir.resolve(RunDirectory.MASKS);
        List<PairMask> masks = NpzMasks.read(maskFile, rows, bound);
        net.checkMasks(masks, maskFile.toString());
        String digest = PairMask.digest(masks);
        String recorded = Json.string(o, "maskDigest", f);
        if (!recorded.equals(digest)) {
            throw new InputException(
                    maskFile
                            + ": mask digest "
                            + digest.substring(0, 12)
                            + " does not match the one recorded in "
                            + POPUP
                            + "; the masks were changed or the file is damaged");
        }
        return new Run(dir, net, masks, target, dataset, Json.number(o, "testAccuracy", f), o);
    }

    /**
     * Writes {@code report.json} into an edge-popup run directory, atomically: the evaluation, the
     * run's recorded test accuracy, and the evaluations the report held before, oldest first, under
     * {@code earlierEvaluations}.
     *
     * @param run the run
     * @param evaluation the new evaluation
     * @param provenance where it was made
     * @param totalSeconds wall time of the job that made it
     */
    public static void writeReport(
            Run run, EvalReport evaluation, Provenance provenance, double totalSeconds) {
        Path f = run.dir().resolve(RunDirectory.REPORT);
        JsonArray earlier = new JsonArray();
        if (Files.exists(f)) {
            JsonObject previous = Json.read(f);
            JsonElement h = previous.remove("earlierEvaluations");
            if (h != null && h.isJsonArray()) {
                earlier.addAll(h.getAsJsonArray());
            }
            earlier.add(previous);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", run.dir().toString());
        report.put("method", "edge-popup");
        report.put("maskDigest", run.digest());
        report.put("recordedTestAccuracy", run.testAccuracy());
        report.put("evaluation", Reports.toMap(evaluation));
        report.put("totalSeconds", totalSeconds);
        report.put("peakMemoryMiB", Memory.peakMiB());
        report.put("provenance", provenance.toMap());
        report.put("earlierEvaluations", earlier);
        AtomicFiles.writeString(f, Json.write(report));
    }
}
