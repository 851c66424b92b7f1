package org.sltk.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sltk.data.InputDomain;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Reports;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.prune.LayerStats;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.util.AtomicFiles;
import org.sltk.util.Engines;
import org.sltk.util.InputException;
import org.sltk.util.Json;
import org.sltk.util.Memory;
import org.sltk.util.Provenance;

/**
 * A run directory: everything needed to reload a ticket and evaluate it again.
 *
 * <ul>
 *   <li>{@code config.json}: the model, the settings (density, n, k, pool, eps, seed, weight
 *       distribution, solver), the input domain the ticket was pruned for ({@code inputDomain}:
 *       {@code id}, {@code lo}, {@code hi} and the {@code reason} it was chosen; its sign is also
 *       {@code nonNegativeInput}), the mask digest and the provenance;
 *   <li>{@code masks.npz}: per pair, the kept hidden units of every output as an int32 array
 *       (outputs, kept per output) named {@code pair<l>}, readable with {@code numpy.load};
 *   <li>{@code prune.json}: per-layer statistics of the pruning;
 *   <li>{@code report.json}: the evaluation, when one was made, with the pruning statistics of
 *       {@code prune.json} unchanged; {@code sltk eval} replaces the evaluation and keeps the ones
 *       before it, in order, under {@code earlierEvaluations}, so nothing a run recorded is lost.
 * </ul>
 *
 * The random network itself is not stored: it is a function of the seed and the settings.
 * Directories and files are written atomically.
 */
public final class RunDirectory {

    /** The format version written into {@code config.json}. */
    public static final int FORMAT = 1;

    /** Settings file. */
    public static final String CONFIG = "config.json";

    /** Masks file. */
    public static final String MASKS = "masks.npz";

    /** Pruning statistics file. */
    public static final String PRUNE = "prune.json";

    /** Evaluation report file. */
    public static final String REPORT = "report.json";

    private RunDirectory() {}

    /**
     * A reloaded run.
     *
     * @param dir the directory
     * @param result the pruning as recorded: settings, solver, the ticket rebuilt from the seed and
     *     the masks, and the statistics of {@code prune.json}
     * @param model the target model
     * @param dataset the dataset the run was made for, or null (an imported target pruned with
     *     {@code --no-eval} and no {@code --data})
     * @param inputDomain the input domain the ticket was pruned for, and why
     */
    public record Run(
            Path dir,
            PruneResult result,
            TargetModel model,
            String dataset,
            InputDomain.Choice inputDomain) {

        /** {@return the run's settings} */
        public PruneConfig config() {
            return result.config();
        }

        /** {@return the ticket, the masked random network} */
        public MaskedNetwork ticket() {
            return result.ticket();
        }
    }

    /**
     * Writes a new run directory (replacing one of the same name only when complete).
     *
     * @param dir the directory
     * @param model the target model
     * @param dataset the dataset name or directory the run is for, or null when it has none
     * @param result the pruning result
     * @param domain the input domain the ticket was pruned for and why; its sign must be the
     *     settings' {@code nonNegativeInput}
     * @param provenance provenance of the run
     * @throws IllegalArgumentException if the domain's sign is not the settings'
     */
    public static void save(
            Path dir,
            TargetModel model,
            String dataset,
            PruneResult result,
            InputDomain.Choice domain,
            Provenance provenance) {
        PruneConfig c = result.config();
        if (domain.domain().nonNegative() != c.nonNegativeInput()) {
            throw new IllegalArgumentException(
                    "input domain "
                            + domain.domain().describe()
                            + " disagrees with nonNegativeInput "
                            + c.nonNegativeInput());
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("format", FORMAT);
        cfg.put("model", model.dir().toString());
        cfg.put("modelParamsSha256", model.paramsSha256());
        cfg.put("target", model.describe());
        if (model.importLog() != null) {
            cfg.put("modelImport", model.importLog());
        }
        if (model.network().architecture().mlpWidths() == null) {
            cfg.put("architecture", ModelDirectory.ARCHITECTURE_CNN);
        }
        cfg.put("dataset", dataset);
        // the input shape the model was loaded for: an imported CNN may take several
        cfg.put("input", model.network().architecture().inputShape());
        cfg.put("density", c.density());
        cfg.put("n", c.n());
        cfg.put("k", c.k());
        cfg.put("pool", c.pool());
        cfg.put("eps", c.eps());
        cfg.put("seed", c.seed());
        cfg.put("distribution", c.distribution().id());
        cfg.put("solver", result.solver());
        cfg.put("nonNegativeInput", c.nonNegativeInput());
        Map<String, Object> dom = domain.domain().toMap();
        dom.put("reason", domain.reason());
        cfg.put("inputDomain", dom);
        cfg.put("maskDigest", result.digest());
        cfg.put("provenance", provenance.toMap());
        List<PairMask> masks = result.ticket().masks();
        AtomicFiles.writeDirectory(
                dir,
                tmp -> {
                    Files.writeString(tmp.resolve(CONFIG), Json.write(cfg));
                    Files.writeString(tmp.resolve(PRUNE), Json.write(pruneSummary(result)));
                    writeMasks(tmp.resolve(MASKS), masks);
                });
    }

    /** The pruning statistics as plain maps for JSON, as {@code prune.json} holds them. */
    private static Map<String, Object> pruneSummary(PruneResult result) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("maskDigest", result.digest());
        s.put("randomNetworkParameters", result.total());
        s.put("keptParameters", result.kept());
        s.put("density", result.density());
        s.put("blockDensity", (double) result.config().k() / result.config().n());
        s.put("seconds", result.seconds());
        List<Object> layers = new ArrayList<>();
        for (LayerStats l : result.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l.layer() + 1);
            m.put("shape", l.in() + "->" + l.out());
            m.put("signed", l.signed());
            m.put("blocks", l.blocks());
            m.put("n", l.n());
            m.put("k", l.k());
            m.put("blockDensity", l.blockDensity());
            m.put("shortBlocks", l.shortBlocks());
            m.put("misses", l.misses());
            m.put("unreachable", l.unreachable());
            m.put("meanError", l.meanError());
            m.put("medianError", l.medianError());
            m.put("p99Error", l.p99Error());
            m.put("maxError", l.maxError());
            m.put("firstLayerKept", l.keptFirst());
            m.put("firstLayerTotal", l.totalFirst());
            m.put("firstLayerDensity", l.densityFirst());
            m.put("secondLayerKept", l.keptSecond());
            m.put("secondLayerTotal", l.totalSecond());
            m.put("secondLayerDensity", l.densitySecond());
            m.put("solveSeconds", l.solveSeconds());
            layers.add(m);
        }
        s.put("layers", layers);
        return s;
    }

    /**
     * Writes {@code report.json} into a run directory, atomically: the evaluation, the run's {@code
     * prune.json} unchanged, and every evaluation the report held before, oldest first, under
     * {@code earlierEvaluations}.
     *
     * @param dir the run directory, written by {@link #save}
     * @param model the target model
     * @param digest the masks' digest
     * @param domain the input domain the evaluation checked
     * @param evaluation the new evaluation
     * @param provenance where it was made
     * @param totalSeconds wall time of the whole job that made it
     * @throws InputException if prune.json belongs to other masks or report.json cannot be kept
     */
    public static void writeReport(
            Path dir,
            TargetModel model,
            String digest,
            InputDomain domain,
            EvalReport evaluation,
            Provenance provenance,
            double totalSeconds) {
        JsonObject pruning = readPruneSummary(dir, digest);
        List<JsonElement> earlier = earlierEvaluations(dir, pruning);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", dir.toString());
        report.put("model", model.dir().toString());
        report.put("maskDigest", digest);
        report.put("inputDomain", domain.toMap());
        report.put("evaluation", Reports.toMap(evaluation));
        report.put("pruning", pruning);
        report.put("totalSeconds", totalSeconds);
        report.put("peakMemoryMiB", Memory.peakMiB());
        report.put("provenance", provenance.toMap());
        JsonArray a = new JsonArray();
        earlier.forEach(a::add);
        report.put("earlierEvaluations", a);
        AtomicFiles.writeString(dir.resolve(REPORT), Json.write(report));
    }

    /** Reads prune.json and checks that it belongs to the masks of {@code digest}. */
    private static JsonObject readPruneSummary(Path dir, String digest) {
        Path f = dir.resolve(PRUNE);
        JsonObject o = Json.read(f);
        String recorded = Json.string(o, "maskDigest", f);
        if (!recorded.equals(digest)) {
            throw new InputException(
                    f
                            + ": field 'maskDigest' is "
                            + shortened(recorded)
                            + ", but the masks are "
                            + digest.substring(0, 12)
                            + "; the file belongs to another run (prune again)");
        }
        return o;
    }

    /**
     * The evaluations a run's report.json holds, oldest first: its {@code earlierEvaluations} and
     * then the report itself (without that list, and without its pruning section where that equals
     * prune.json's); empty when there is no report.
     */
    private static List<JsonElement> earlierEvaluations(Path dir, JsonObject pruning) {
        Path f = dir.resolve(REPORT);
        List<JsonElement> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        JsonObject previous;
        try {
            previous = Json.read(f);
        } catch (InputException e) {
            throw new InputException(
                    e.getMessage()
                            + "; sltk eval keeps it as an earlier evaluation: repair it, or move"
                            + " it away to start a new one",
                    e);
        }
        JsonElement history = previous.remove("earlierEvaluations");
        if (history != null && !history.isJsonArray()) {
            throw new InputException(
                    f
                            + ": field 'earlierEvaluations' must be a list; repair it, or move the file away"
                            + " to start a new one");
        }
        if (history != null) {
            for (JsonElement e : history.getAsJsonArray()) {
                out.add(e);
            }
        }
        if (pruning.equals(previous.get("pruning"))) {
            previous.remove(
                    "pruning"); // the same as prune.json's, kept once at the top of the new report
        }
        out.add(previous);
        return out;
    }

    /** Reads a layer's statistics back from prune.json. */
    private static LayerStats layerStats(JsonObject o, Path f) {
        String shape = Json.string(o, "shape", f);
        String[] io = shape.split("->", -1);
        if (io.length != 2 || !io[0].matches("\\d{1,9}") || !io[1].matches("\\d{1,9}")) {
            throw new InputException(
                    f + ": field 'layers[].shape' must be IN->OUT, found " + shortened(shape));
        }
        return new LayerStats(
                (int) Json.integer(o, "layer", f) - 1,
                Integer.parseInt(io[0]),
                Integer.parseInt(io[1]),
                Json.bool(o, "signed", f),
                Json.integer(o, "blocks", f),
                (int) Json.integer(o, "n", f),
                (int) Json.integer(o, "k", f),
                Json.integer(o, "shortBlocks", f),
                Json.integer(o, "misses", f),
                Json.integer(o, "unreachable", f),
                Json.number(o, "meanError", f),
                Json.number(o, "medianError", f),
                Json.number(o, "p99Error", f),
                Json.number(o, "maxError", f),
                Json.integer(o, "firstLayerKept", f),
                Json.integer(o, "firstLayerTotal", f),
                Json.integer(o, "secondLayerKept", f),
                Json.integer(o, "secondLayerTotal", f),
                Json.number(o, "solveSeconds", f));
    }

    /**
     * Checks, before an evaluation starts, that {@link #writeReport} will be able to keep what the
     * run's report.json holds.
     *
     * @param dir the run directory
     * @param digest the masks' digest
     * @throws InputException if prune.json belongs to other masks, or report.json exists but is not
     *     a JSON object with a list of earlier evaluations
     */
    public static void checkReport(Path dir, String digest) {
        earlierEvaluations(dir, readPruneSummary(dir, digest));
    }

    /** Reads prune.json into the run's pruning result. */
    private static PruneResult readResult(
            Path dir, PruneConfig config, String solver, MaskedNetwork ticket) {
        Path f = dir.resolve(PRUNE);
        JsonObject o = readPruneSummary(dir, ticket.digest());
        JsonElement layers = Json.required(o, "layers", f);
        if (!layers.isJsonArray()) {
            throw new InputException(f + ": field 'layers' must be a list, found " + shown(layers));
        }
        List<LayerStats> stats = new ArrayList<>();
        for (JsonElement e : layers.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                throw new InputException(
                        f + ": field 'layers' must hold objects, found " + shown(e));
            }
            stats.add(layerStats(e.getAsJsonObject(), f));
        }
        return new PruneResult(config, solver, ticket, stats, Json.number(o, "seconds", f));
    }

    private static String shortened(String v) {
        String t = v.length() > 16 ? v.substring(0, 12) : v;
        return "'" + t.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }

    /**
     * Reloads a run: reads the settings, the masks and the statistics, rebuilds the random network
     * from its seed and checks that the masks' digest is the recorded one, and prune.json's.
     *
     * @param dir the run directory
     * @return the run
     * @throws InputException if a file is missing, malformed, or the digest does not match
     */
    public static Run load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(
                    "--run " + dir + ": not a run directory (make one with sltk prune --out DIR)");
        }
        Path cfgFile = dir.resolve(CONFIG);
        Settings s = readConfig(cfgFile);
        Path modelDir = Path.of(s.model());
        if (!Files.exists(modelDir)) {
            throw new InputException(
                    cfgFile
                            + ": model "
                            + modelDir
                            + " not found; run sltk from the directory the run was made in");
        }
        TargetModel model = TargetModels.load(modelDir, s.input());
        if (!s.modelParamsSha256().equals(model.paramsSha256())) {
            throw new InputException(
                    cfgFile
                            + ": the model's parameters in "
                            + modelDir
                            + " changed since the run was made (SHA-256 differs); prune again");
        }
        PruneConfig config = s.config();
        String digest = s.maskDigest();
        RandomNetwork net;
        try {
            net =
                    new RandomNetwork(
                            model.network().architecture(),
                            config.pool(),
                            config.distribution(),
                            config.seed());
        } catch (InputException e) {
            throw new InputException(
                    cfgFile + ": " + e.named(RunDirectory::fieldName).getMessage(), e);
        }
        List<PairMask> masks = readMasks(dir.resolve(MASKS), net);
        MaskedNetwork ticket;
        try {
            ticket = new MaskedNetwork(net, masks);
        } catch (IllegalArgumentException e) {
            throw new InputException(dir.resolve(MASKS) + ": " + e.getMessage());
        }
        checkDigest(dir, digest, ticket.digest());
        return new Run(
                dir,
                readResult(dir, config, s.solver(), ticket),
                model,
                s.dataset(),
                s.inputDomain());
    }

    /**
     * The validated content of a run's {@code config.json}.
     *
     * @param config the pruning settings
     * @param model the model directory as recorded
     * @param modelParamsSha256 the SHA-256 of the model's parameters when the run was made
     * @param maskDigest the digest of the masks
     * @param dataset the dataset of the run, or null
     * @param inputDomain the input domain the ticket was pruned for, and why
     */
    record Settings(
            PruneConfig config,
            String solver,
            String model,
            String modelParamsSha256,
            String maskDigest,
            String dataset,
            InputDomain.Choice inputDomain,
            int[] input) {}

    /** The largest config.json read; sltk writes about 1 KiB. */
    static final long MAX_CONFIG_BYTES = 1 << 20;

    /**
     * Reads and checks a run's {@code config.json}: format, types and ranges of every field, the
     * settings as {@link PruneConfig} checks them, and the digests' form.
     *
     * @param cfgFile the file
     * @return the settings
     * @throws InputException with one line naming the file and the field
     */
    static Settings readConfig(Path cfgFile) {
        try {
            if (Files.isRegularFile(cfgFile) && Files.size(cfgFile) > MAX_CONFIG_BYTES) {
                throw new InputException(
                        cfgFile
                                + ": "
                                + Files.size(cfgFile)
                                + " bytes, more than "
                                + MAX_CONFIG_BYTES
                                + "; not a config.json written by sltk");
            }
        } catch (IOException e) {
            throw new InputException(cfgFile + ": cannot read (" + e.getMessage() + ")", e);
        }
        JsonObject o = Json.read(cfgFile);
        long format = Json.integer(o, "format", cfgFile);
        if (format != FORMAT) {
            throw new InputException(
                    cfgFile
                            + ": format "
                            + format
                            + " is not supported (this sltk reads "
                            + FORMAT
                            + ")");
        }
        String model = Json.string(o, "model", cfgFile);
        String sha = hex64(o, "modelParamsSha256", cfgFile);
        double density = Json.number(o, "density", cfgFile);
        int n = intField(o, "n", cfgFile);
        int k = intField(o, "k", cfgFile);
        int pool = intField(o, "pool", cfgFile);
        double eps = Json.number(o, "eps", cfgFile);
        long seed = Json.integer(o, "seed", cfgFile);
        String dist = Json.string(o, "distribution", cfgFile);
        String solver = Json.string(o, "solver", cfgFile);
        boolean nonNegative = Json.bool(o, "nonNegativeInput", cfgFile);
        InputDomain.Choice domain = inputDomain(o, nonNegative, cfgFile);
        String digest = hex64(o, "maskDigest", cfgFile);
        // absent when an imported target was pruned with --no-eval and no --data
        String dataset =
                o.has("dataset") && !o.get("dataset").isJsonNull()
                        ? Json.string(o, "dataset", cfgFile)
                        : null;
        if (n >= 1 && Math.abs(density * n - k) > 1e-9 * n) {
            throw new InputException(
                    cfgFile
                            + ": field 'k' is "
                            + k
                            + ", but density "
                            + density
                            + " * n "
                            + n
                            + " is "
                            + density * n
                            + "; the settings were edited");
        }
        PruneConfig config;
        try {
            config =
                    new PruneConfig(
                            density,
                            n,
                            k,
                            pool,
                            eps,
                            seed,
                            WeightDistribution.parse(dist),
                            nonNegative,
                            false);
        } catch (InputException e) {
            // the checks name the settings, which are config.json's fields of the same names
            throw new InputException(
                    cfgFile + ": " + e.named(RunDirectory::fieldName).getMessage(), e);
        }
        // absent in runs written before it was recorded: the import infers it as it did then
        int[] input = null;
        if (o.has("input") && o.get("input").isJsonArray()) {
            com.google.gson.JsonArray a = o.getAsJsonArray("input");
            if (a.size() != 3) {
                throw new InputException(cfgFile + ": field 'input' must be [c, h, w], found " + a);
            }
            input = new int[3];
            for (int i = 0; i < 3; i++) {
                com.google.gson.JsonElement e = a.get(i);
                double v =
                        e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()
                                ? e.getAsDouble()
                                : Double.NaN;
                if (!(v >= 1) || v > 1 << 16 || v != Math.rint(v)) {
                    throw new InputException(
                            cfgFile
                                    + ": field 'input' must hold whole numbers in [1, 65536],"
                                    + " found "
                                    + a);
                }
                input[i] = (int) v;
            }
        }
        return new Settings(config, solver, model, sha, digest, dataset, domain, input);
    }

    /**
     * Reads the {@code inputDomain} field and checks it against {@code nonNegativeInput}.
     *
     * <p>Runs written before sltk recorded the domain have no such field. Those pruned with {@code
     * nonNegativeInput} were all made for sltk's data sets (the only data it loads, pixels in [0,
     * 1], which their evaluation checked to be non-negative), so their domain is taken as {@link
     * InputDomain#PIXELS}; the others as {@link InputDomain#SIGNED}.
     */
    private static InputDomain.Choice inputDomain(JsonObject o, boolean nonNegative, Path file) {
        if (!o.has("inputDomain")) {
            return new InputDomain.Choice(
                    nonNegative ? InputDomain.PIXELS : InputDomain.SIGNED,
                    "recorded by an sltk that kept only nonNegativeInput ("
                            + nonNegative
                            + ")"
                            + (nonNegative ? "; its runs were for sltk's pixels in [0, 1]" : ""));
        }
        JsonElement e = o.get("inputDomain");
        if (!e.isJsonObject()) {
            throw new InputException(
                    file
                            + ": field 'inputDomain' must be an object {id, lo, hi, reason}, found "
                            + shown(e));
        }
        JsonObject d = e.getAsJsonObject();
        String id;
        double lo;
        double hi;
        String reason;
        try {
            id = Json.string(d, "id", file);
            lo = Json.number(d, "lo", file);
            hi = Json.number(d, "hi", file);
            reason = Json.string(d, "reason", file);
        } catch (InputException ex) {
            // the reader names the field inside the object; say which object
            throw new InputException(
                    ex.getMessage().replaceFirst("field '", "field 'inputDomain."), ex);
        }
        if (!id.equals(InputDomain.NON_NEGATIVE_ID) && !id.equals(InputDomain.SIGNED_ID)) {
            throw new InputException(
                    file
                            + ": field 'inputDomain.id' must be "
                            + InputDomain.NON_NEGATIVE_ID
                            + " or "
                            + InputDomain.SIGNED_ID
                            + ", found "
                            + shown(d.get("id")));
        }
        InputDomain domain;
        try {
            domain = new InputDomain(lo, hi);
        } catch (IllegalArgumentException ex) {
            throw new InputException(
                    file
                            + ": field 'inputDomain' has lo "
                            + lo
                            + " and hi "
                            + hi
                            + ", not a box lo <= hi; the settings were edited");
        }
        if (!domain.id().equals(id) || domain.nonNegative() != nonNegative) {
            throw new InputException(
                    file
                            + ": field 'inputDomain' is "
                            + id
                            + " "
                            + domain.box()
                            + " with nonNegativeInput "
                            + nonNegative
                            + ", which disagree; the settings were edited");
        }
        return new InputDomain.Choice(domain, reason);
    }

    /** How a message about a setting names it when the setting is a field of config.json. */
    private static String fieldName(String setting) {
        return "field '" + setting + "'";
    }

    /** A found value, short and on one line of printable characters. */
    private static String shown(JsonElement e) {
        String t = e.toString().replaceAll("[^\\x20-\\x7E]", "?");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }

    private static int intField(JsonObject o, String field, Path file) {
        long v = Json.integer(o, field, file);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new InputException(
                    file
                            + ": field '"
                            + field
                            + "' must be in [0, "
                            + Integer.MAX_VALUE
                            + "], found "
                            + v);
        }
        return (int) v;
    }

    private static String hex64(JsonObject o, String field, Path file) {
        String v = Json.string(o, field, file);
        if (!v.matches("[0-9a-f]{64}")) {
            throw new InputException(
                    file
                            + ": field '"
                            + field
                            + "' must be 64 lowercase hex digits, found '"
                            + (v.length() > 70 ? v.substring(0, 70) + "..." : v)
                                    .replaceAll("[^\\x20-\\x7E]", "?")
                            + "'");
        }
        return v;
    }

    private static void checkDigest(Path dir, String recorded, String actual) {
        if (!recorded.equals(actual)) {
            throw new InputException(
                    dir.resolve(MASKS)
                            + ": mask digest "
                            + actual.substring(0, 12)
                            + " does not match "
                            + recorded.substring(0, Math.min(12, recorded.length()))
                            + " recorded in config.json; the masks were changed or the file is damaged");
        }
    }

    /** Writes masks as {@code masks.npz}: one int32 array {@code pair<l>} per mask. */
    static void writeMasks(Path file, List<PairMask> masks) throws IOException {
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDList list = new NDList();
            for (int l = 0; l < masks.size(); l++) {
                PairMask pm = masks.get(l);
                NDArray a = m.create(pm.kept(), new Shape(pm.outputs(), pm.perOutput()));
                a.setName("pair" + l);
                list.add(a);
            }
            try (var out = Files.newOutputStream(file)) {
                list.encode(out, NDList.Encoding.NPZ);
            }
        }
    }

    private static List<PairMask> readMasks(Path file, RandomNetwork net) {
        int[] outputs = new int[net.pairs()];
        int[] units = new int[net.pairs()];
        for (int l = 0; l < net.pairs(); l++) {
            outputs[l] = net.out(l);
            units[l] = net.units(l);
        }
        return NpzMasks.read(file, outputs, units);
    }
}
