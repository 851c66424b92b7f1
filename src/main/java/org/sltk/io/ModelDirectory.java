package org.sltk.io;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.sltk.nn.Architecture;
import org.sltk.nn.DjlBlocks;
import org.sltk.nn.EpochStats;
import org.sltk.nn.Layer;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.AtomicFiles;
import org.sltk.util.CpuKernels;
import org.sltk.util.Engines;
import org.sltk.util.Hashing;
import org.sltk.util.InputException;
import org.sltk.util.Json;
import org.sltk.util.Provenance;

/**
 * Saves a target network to a model directory and loads it back, validating everything.
 *
 * <p>A model directory (e.g. {@code models/lenet-300-100-mnist/}) holds two files:
 *
 * <ul>
 *   <li>{@value #PARAMS_FILE}: the parameters in DJL's format, written by {@code Model.save} from
 *       the block of {@link DjlBlocks} (weights of shape (out, in) or (out, in, r, r), then
 *       biases);
 *   <li>{@value #JSON_FILE}: format version, architecture ({@code mlp}), activation ({@code relu}),
 *       widths, bias, the parameter file's name and SHA-256, the dataset and its files' SHA-256,
 *       the training configuration and history, accuracies, software versions and the date.
 * </ul>
 *
 * <p>The directory is written atomically ({@link AtomicFiles#writeDirectory}). Loading checks that
 * both files exist, the JSON fields and their types, the format version, architecture and
 * activation, the parameter file's SHA-256, that its shapes match the JSON widths, and that every
 * value is finite; each failure is an {@link InputException} whose one-line message names the file.
 */
public final class ModelDirectory {

    /** The format version this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** The only architecture of format 1: a dense multi-layer perceptron. */
    public static final String ARCHITECTURE = "mlp";

    /** The architecture of sequential (convolutional) models: a layer list in model.json. */
    public static final String ARCHITECTURE_CNN = "cnn";

    /**
     * The name under which DJL saves a cnn model's parameters (model name {@code cnn}, epoch 0).
     */
    public static final String PARAMS_FILE_CNN = "cnn-0000.params";

    /** The only hidden activation of format 1. */
    public static final String ACTIVATION = "relu";

    /** The name of the JSON description. */
    public static final String JSON_FILE = "model.json";

    /** The name under which DJL saves the parameters (model name {@code mlp}, epoch 0). */
    public static final String PARAMS_FILE = "mlp-0000.params";

    private static final String MODEL_NAME = "mlp";

    private static final String CNN_MODEL_NAME = "cnn";

    private ModelDirectory() {}

    /**
     * Writes a network and its description to a model directory, replacing any previous one
     * atomically. An MLP is written as architecture {@code mlp} (widths), anything else as {@code
     * cnn} (a layer list); both hold DJL's parameter file of the {@link DjlBlocks} block.
     *
     * @param dir the model directory, e.g. {@code models/lenet-300-100-mnist}
     * @param network the network
     * @param info the description; its architecture must be the network's
     * @return the model as written (with the parameter file's SHA-256)
     * @throws java.io.UncheckedIOException on a write error
     */
    public static TargetModel save(Path dir, TargetNetwork network, ModelInfo info) {
        if (!info.architecture().equals(network.architecture())) {
            throw new IllegalArgumentException(
                    "ModelInfo describes "
                            + info.architecture().describe()
                            + ", network is "
                            + network.describe());
        }
        Architecture arch = network.architecture();
        if (!arch.allBiased() && !arch.noBias()) {
            throw new IllegalArgumentException(
                    network.describe()
                            + ": model directories of format "
                            + FORMAT_VERSION
                            + " hold networks whose conv and dense layers all have biases or none has");
        }
        boolean mlp = arch.mlpWidths() != null;
        String name = mlp ? MODEL_NAME : CNN_MODEL_NAME;
        String[] sha = new String[1];
        AtomicFiles.writeDirectory(
                dir,
                tmp -> {
                    try (NDManager manager =
                            NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
                        writeParams(tmp, DjlBlocks.toBlock(network, manager), name);
                    }
                    sha[0] = sha256(tmp.resolve(mlp ? PARAMS_FILE : PARAMS_FILE_CNN));
                    Files.writeString(
                            tmp.resolve(JSON_FILE), toJson(info, sha[0]), StandardCharsets.UTF_8);
                });
        return new TargetModel(network, info, dir, sha[0]);
    }

    /** Writes an MLP block's parameters as {@value #PARAMS_FILE} (tests write broken ones). */
    static void writeParams(Path dir, Block block) throws IOException {
        writeParams(dir, block, MODEL_NAME);
    }

    private static void writeParams(Path dir, Block block, String name) throws IOException {
        Engines.engine();
        try (Model model = Model.newInstance(name, ai.djl.Device.cpu(), "PyTorch")) {
            model.setBlock(block);
            model.setProperty("Epoch", "0");
            model.save(dir, name);
        }
    }

    /**
     * Loads and validates a model directory.
     *
     * @param dir the model directory
     * @return the network and its description
     * @throws InputException with a one-line message naming the file if anything is missing or
     *     invalid
     */
    public static TargetModel load(Path dir) {
        Path json = dir.resolve(JSON_FILE);
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": model directory not found");
        }
        if (!Files.isRegularFile(json)) {
            throw new InputException(
                    json
                            + ": file not found; a model directory holds "
                            + JSON_FILE
                            + " and "
                            + PARAMS_FILE
                            + " (write one with 'sltk train')");
        }
        Fields j = new Fields(json, Json.read(json));
        int version = j.integer("format_version");
        if (version != FORMAT_VERSION) {
            throw new InputException(
                    json
                            + ": unknown format_version "
                            + version
                            + "; this sltk reads format_version "
                            + FORMAT_VERSION);
        }
        String kind = j.string("architecture");
        if (!ARCHITECTURE.equals(kind) && !ARCHITECTURE_CNN.equals(kind)) {
            throw new InputException(
                    json
                            + ": unknown architecture \""
                            + kind
                            + "\"; this sltk reads \""
                            + ARCHITECTURE
                            + "\" and \""
                            + ARCHITECTURE_CNN
                            + "\"");
        }
        boolean cnn = ARCHITECTURE_CNN.equals(kind);
        String paramsFile = cnn ? PARAMS_FILE_CNN : PARAMS_FILE;
        String act = j.string("activation");
        if (!ACTIVATION.equals(act)) {
            throw new InputException(
                    json
                            + ": unknown activation \""
                            + act
                            + "\"; this sltk reads \""
                            + ACTIVATION
                            + "\"");
        }
        int[] widths = j.widths("widths");
        boolean bias = j.bool("bias");
        String paramsName = j.string("params_file");
        if (!paramsName.equals(paramsFile)) {
            throw Json.wrong(
                    json,
                    "params_file",
                    "\"" + paramsFile + "\"",
                    Json.required(j.root, "params_file", json));
        }
        Architecture arch = cnn ? j.sequential(bias) : mlp(json, widths, bias);
        String expectedSha = j.string("params_sha256");
        if (!expectedSha.matches("[0-9a-f]{64}")) {
            throw Json.wrong(
                    json,
                    "params_sha256",
                    "64 lowercase hex digits",
                    Json.required(j.root, "params_sha256", json));
        }
        ModelInfo info = j.info(version, arch);

        Path params = dir.resolve(paramsFile);
        if (!Files.isRegularFile(params)) {
            throw new InputException(
                    params + ": file not found; the model directory is incomplete");
        }
        long paramsBytes;
        String sha;
        try {
            paramsBytes = Files.size(params);
            sha = sha256(params);
        } catch (IOException e) {
            throw new InputException(params + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!sha.equals(expectedSha)) {
            throw new InputException(
                    params
                            + ": SHA-256 "
                            + sha
                            + " does not match "
                            + JSON_FILE
                            + " ("
                            + expectedSha
                            + "); the file is corrupted or was replaced");
        }
        long weights = 0;
        try {
            for (Layer.Parametric l : arch.parametric()) {
                weights =
                        Math.addExact(
                                weights,
                                Math.multiplyExact((long) l.out(), l.fanIn())
                                        + (l.bias() ? l.out() : 0));
            }
        } catch (ArithmeticException e) {
            weights = Long.MAX_VALUE / 4;
        }
        if (4 * weights > paramsBytes) {
            // before DJL reads anything: absurd sizes are refused by their size alone
            throw new InputException(
                    json
                            + ": "
                            + (cnn
                                    ? "layers " + arch.describe()
                                    : "widths "
                                            + dash(widths)
                                            + (bias ? " with" : " without")
                                            + " bias")
                            + " need "
                            + weights
                            + " float32 parameters ("
                            + 4 * weights
                            + " bytes), but "
                            + paramsFile
                            + " has only "
                            + paramsBytes
                            + " bytes");
        }
        return new TargetModel(readParams(dir, params, arch, cnn), info, dir, sha);
    }

    private static Architecture mlp(Path json, int[] widths, boolean bias) {
        try {
            return Architecture.mlp(widths, bias);
        } catch (InputException e) {
            throw new InputException(json + ": " + e.getMessage(), e);
        }
    }

    private static TargetNetwork readParams(Path dir, Path params, Architecture arch, boolean cnn) {
        Engines.engine();
        String name = cnn ? CNN_MODEL_NAME : MODEL_NAME;
        String what =
                cnn
                        ? arch.describe()
                        : "a "
                                + dash(arch.mlpWidths())
                                + (arch.allBiased() ? " with" : " without")
                                + " bias MLP";
        try (Model model = Model.newInstance(name, ai.djl.Device.cpu(), "PyTorch")) {
            SequentialBlock block = DjlBlocks.block(arch);
            model.setBlock(block);
            try {
                model.load(dir, name);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new InputException(
                        params
                                + ": not the DJL parameters of "
                                + what
                                + " as "
                                + JSON_FILE
                                + " says ("
                                + firstLine(why)
                                + ")",
                        e);
            }
            return DjlBlocks.toNetwork(block, arch, params.toString());
        }
    }

    static String toJson(ModelInfo info, String paramsSha256) {
        JsonObject o = new JsonObject();
        o.addProperty("format_version", info.formatVersion());
        Architecture arch = info.architecture();
        boolean cnn = arch.mlpWidths() == null;
        o.addProperty("architecture", cnn ? ARCHITECTURE_CNN : ARCHITECTURE);
        o.addProperty("activation", ACTIVATION);
        JsonArray w = new JsonArray();
        for (int x : info.widths()) {
            w.add(new JsonPrimitive(x));
        }
        o.add("widths", w);
        o.addProperty("bias", arch.allBiased());
        if (cnn) {
            JsonArray shape = new JsonArray();
            for (int x : arch.inputShape()) {
                shape.add(new JsonPrimitive(x));
            }
            o.add("input_shape", shape);
            JsonArray layers = new JsonArray();
            for (Layer l : arch.layers()) {
                JsonObject e = new JsonObject();
                e.addProperty("type", l.kind().id());
                if (l instanceof Layer.Conv2d c) {
                    e.addProperty("out_channels", c.out());
                    e.addProperty("in_channels", c.in());
                    e.addProperty("kernel", c.kernel());
                    e.addProperty("stride", c.stride());
                    e.addProperty("padding", c.padding());
                    e.addProperty("dilation", c.dilation());
                } else if (l instanceof Layer.Linear d) {
                    e.addProperty("out", d.out());
                    e.addProperty("in", d.in());
                } else if (l instanceof Layer.Normalize n) {
                    e.add("mean", floats(n.mean()));
                    e.add("std", floats(n.std()));
                } else if (l instanceof Layer.MaxPool2d || l instanceof Layer.AvgPool2d) {
                    e.addProperty(
                            "size",
                            l instanceof Layer.MaxPool2d m
                                    ? m.size()
                                    : ((Layer.AvgPool2d) l).size());
                }
                layers.add(e);
            }
            o.add("layers", layers);
        }
        o.addProperty("params_file", cnn ? PARAMS_FILE_CNN : PARAMS_FILE);
        o.addProperty("params_sha256", paramsSha256);
        JsonObject data = new JsonObject();
        data.addProperty("name", info.dataset());
        data.addProperty("train_size", info.trainSize());
        data.addProperty("test_size", info.testSize());
        JsonObject files = new JsonObject();
        if (info.datasetFiles() != null) {
            info.datasetFiles().forEach(files::addProperty);
        }
        data.add("files_sha256", files);
        o.add("dataset", data);
        JsonObject t = new JsonObject();
        t.addProperty("seed", info.seed());
        t.addProperty("epochs", info.epochs());
        t.addProperty("learning_rate", info.learningRate());
        t.addProperty("batch_size", info.batchSize());
        t.addProperty("optimizer", "adam");
        t.addProperty("loss", "softmax_cross_entropy");
        t.addProperty("device", info.device());
        t.addProperty("threads", info.threads());
        if (info.validationSize() >= 0) {
            JsonObject v = new JsonObject();
            v.addProperty("size", info.validationSize());
            if (info.validationSize() > 0) {
                v.addProperty("seed", info.validationSeed());
                v.addProperty("accuracy", info.validationAccuracy());
            }
            t.add("validation", v);
        }
        if (info.cpu() != null) {
            JsonObject c = new JsonObject();
            c.addProperty("model", info.cpu().model());
            c.addProperty("avx2", info.cpu().avx2());
            c.addProperty("avx512f", info.cpu().avx512f());
            JsonObject env = new JsonObject();
            info.cpu().env().forEach(env::addProperty);
            c.add("kernel_env", env);
            t.add("cpu", c);
        }
        t.addProperty("seconds", round(info.trainSeconds(), 3));
        o.add("training", t);
        o.addProperty("train_accuracy", info.trainAccuracy());
        o.addProperty("test_accuracy", info.testAccuracy());
        JsonArray h = new JsonArray();
        for (EpochStats s : info.history()) {
            JsonObject e = new JsonObject();
            e.addProperty("epoch", s.epoch());
            e.addProperty("loss", s.loss());
            e.addProperty("train_accuracy", s.trainAccuracy());
            e.addProperty("test_accuracy", s.testAccuracy());
            e.addProperty("seconds", round(s.seconds(), 3));
            h.add(e);
        }
        o.add("history", h);
        // the one provenance format, util.Provenance; its time is model.json's "created"
        Provenance p = info.software();
        JsonObject sw = new JsonObject();
        sw.addProperty("sltk", p.sltk());
        sw.addProperty("djl", p.djl());
        sw.addProperty("engine", p.engine());
        sw.addProperty("java", p.java());
        sw.addProperty("os", p.os());
        if (p.cores() > 0) {
            sw.addProperty("cores", p.cores());
        }
        if (p.device() != null) {
            sw.addProperty("device", p.device());
        }
        o.add("software", sw);
        o.addProperty("created", p.time());
        Gson gson =
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeNulls()
                        .serializeSpecialFloatingPointValues()
                        .create();
        return gson.toJson(o) + "\n";
    }

    private static JsonArray floats(float[] v) {
        JsonArray a = new JsonArray();
        for (float x : v) {
            a.add(new JsonPrimitive((double) x));
        }
        return a;
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The SHA-256 of a file, an I/O failure as the checked exception of the callers' contexts. */
    private static String sha256(Path file) throws IOException {
        try {
            return Hashing.sha256(file);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String dash(int[] widths) {
        StringJoiner j = new StringJoiner("-");
        for (int w : widths) {
            j.add(Integer.toString(w));
        }
        return j.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        // parser messages quote the input: keep them on one printable line
        return (nl < 0 ? s : s.substring(0, nl)).replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * The fields of one model.json, read through {@link Json}'s typed getters (errors name the file
     * and field).
     */
    private static final class Fields {
        private final Path file;
        private final JsonObject root;

        Fields(Path file, JsonObject root) {
            this.file = file;
            this.root = root;
        }

        int integer(String field) {
            return Json.asInt(Json.required(root, field, file), field, file);
        }

        String string(String field) {
            return Json.string(root, field, file);
        }

        boolean bool(String field) {
            return Json.bool(root, field, file);
        }

        int[] widths(String field) {
            JsonElement e = Json.required(root, field, file);
            String what = "an array of at least two positive integers";
            if (!e.isJsonArray() || e.getAsJsonArray().size() < 2) {
                throw Json.wrong(file, field, what, e);
            }
            JsonArray a = e.getAsJsonArray();
            int[] w = new int[a.size()];
            for (int i = 0; i < w.length; i++) {
                JsonElement x = a.get(i);
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw Json.wrong(file, field, what, e);
                }
                try {
                    w[i] = Json.asInt(x, field, file);
                } catch (InputException ex) {
                    throw Json.wrong(file, field, what, e);
                }
                if (w[i] < 1) {
                    throw Json.wrong(file, field, what, e);
                }
            }
            return w;
        }

        Architecture sequential(boolean bias) {
            JsonElement se = Json.required(root, "input_shape", file);
            if (!se.isJsonArray() || se.getAsJsonArray().size() != 3) {
                throw Json.wrong(
                        file, "input_shape", "an array of three positive integers (c, h, w)", se);
            }
            int[] shape = new int[3];
            for (int i = 0; i < 3; i++) {
                shape[i] = Json.asInt(se.getAsJsonArray().get(i), "input_shape[" + i + "]", file);
            }
            JsonElement le = Json.required(root, "layers", file);
            if (!le.isJsonArray() || le.getAsJsonArray().isEmpty()) {
                throw Json.wrong(file, "layers", "a non-empty array of layer objects", le);
            }
            List<Layer> layers = new ArrayList<>();
            JsonArray a = le.getAsJsonArray();
            for (int q = 0; q < a.size(); q++) {
                String path = "layers[" + q + "]";
                if (!a.get(q).isJsonObject()) {
                    throw Json.wrong(file, path, "a layer object", a.get(q));
                }
                JsonObject l = a.get(q).getAsJsonObject();
                String type =
                        Json.asString(
                                Json.required(l, "type", path + ".type", file),
                                path + ".type",
                                file);
                Layer.Kind kind;
                try {
                    kind = Layer.Kind.parse(type, q);
                } catch (InputException ex) {
                    throw new InputException(file + ": " + ex.getMessage(), ex);
                }
                try {
                    switch (kind) {
                        case CONV2D:
                            layers.add(
                                    new Layer.Conv2d(
                                            req(l, "in_channels", path),
                                            req(l, "out_channels", path),
                                            req(l, "kernel", path),
                                            opt(l, "stride", path, 1),
                                            opt(l, "padding", path, 0),
                                            opt(l, "dilation", path, 1),
                                            bias));
                            break;
                        case DENSE:
                            layers.add(
                                    new Layer.Linear(
                                            req(l, "in", path), req(l, "out", path), bias));
                            break;
                        case MAXPOOL:
                            layers.add(new Layer.MaxPool2d(req(l, "size", path)));
                            break;
                        case AVGPOOL:
                            layers.add(new Layer.AvgPool2d(req(l, "size", path)));
                            break;
                        case RELU:
                            layers.add(new Layer.ReLU());
                            break;
                        case NORMALIZE:
                            layers.add(
                                    new Layer.Normalize(
                                            floatsOf(l, "mean", path), floatsOf(l, "std", path)));
                            break;
                        default:
                            layers.add(new Layer.Flatten());
                    }
                } catch (InputException ex) {
                    if (ex.getMessage().startsWith(file.toString())) {
                        throw ex;
                    }
                    throw new InputException(file + ": " + path + ": " + ex.getMessage(), ex);
                }
            }
            try {
                return new Architecture(shape, layers);
            } catch (InputException ex) {
                throw new InputException(file + ": " + ex.getMessage(), ex);
            }
        }

        private float[] floatsOf(JsonObject o, String field, String path) {
            String p = path + "." + field;
            JsonElement e = Json.required(o, field, p, file);
            if (!e.isJsonArray()) {
                throw Json.wrong(file, p, "an array of numbers", e);
            }
            JsonArray a = e.getAsJsonArray();
            float[] v = new float[a.size()];
            for (int i = 0; i < v.length; i++) {
                JsonElement x = a.get(i);
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw Json.wrong(file, p + "[" + i + "]", "a number", x);
                }
                v[i] = (float) x.getAsDouble();
            }
            return v;
        }

        private int req(JsonObject o, String field, String path) {
            String p = path + "." + field;
            return Json.asInt(Json.required(o, field, p, file), p, file);
        }

        private int opt(JsonObject o, String field, String path, int dflt) {
            return Json.optInt(o, field, path + "." + field, file, dflt);
        }

        private String optString(JsonObject o, String field, String path) {
            return Json.optString(o, field, path, file);
        }

        private double optNumber(JsonObject o, String field, String path) {
            return Json.optNumber(o, field, path, file);
        }

        private int optInt(JsonObject o, String field, String path) {
            return Json.optInt(o, field, path, file, -1);
        }

        ModelInfo info(int version, Architecture arch) {
            JsonObject data = Json.optObject(root, "dataset", "dataset", file);
            JsonObject train = Json.optObject(root, "training", "training", file);
            JsonObject sw = Json.optObject(root, "software", "software", file);
            JsonObject validation =
                    Json.optObject(train, "validation", "training.validation", file);
            Map<String, String> files = null;
            JsonElement fe = Json.optional(data, "files_sha256");
            if (fe != null) {
                if (!fe.isJsonObject()) {
                    throw Json.wrong(
                            file, "dataset.files_sha256", "an object of file name to SHA-256", fe);
                }
                files = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> en : fe.getAsJsonObject().entrySet()) {
                    files.put(
                            en.getKey(),
                            optString(
                                    fe.getAsJsonObject(),
                                    en.getKey(),
                                    "dataset.files_sha256." + en.getKey()));
                }
            }
            List<EpochStats> history = new ArrayList<>();
            JsonElement he = Json.optional(root, "history");
            int epochs = optInt(train, "epochs", "training.epochs");
            if (he != null) {
                if (!he.isJsonArray()) {
                    throw Json.wrong(file, "history", "an array", he);
                }
                JsonArray ha = he.getAsJsonArray();
                for (int i = 0; i < ha.size(); i++) {
                    String p = "history[" + i + "]";
                    if (!ha.get(i).isJsonObject()) {
                        throw Json.wrong(file, p, "an object", ha.get(i));
                    }
                    JsonObject h = ha.get(i).getAsJsonObject();
                    history.add(
                            new EpochStats(
                                    optInt(h, "epoch", p + ".epoch"),
                                    epochs,
                                    optNumber(h, "loss", p + ".loss"),
                                    optNumber(h, "train_accuracy", p + ".train_accuracy"),
                                    optNumber(h, "test_accuracy", p + ".test_accuracy"),
                                    optNumber(h, "seconds", p + ".seconds")));
                }
            }
            return new ModelInfo(
                    version,
                    arch,
                    optString(data, "name", "dataset.name"),
                    files,
                    optInt(data, "train_size", "dataset.train_size"),
                    optInt(data, "test_size", "dataset.test_size"),
                    Json.optLong(train, "seed", "training.seed", file, 0),
                    epochs,
                    optNumber(train, "learning_rate", "training.learning_rate"),
                    optInt(train, "batch_size", "training.batch_size"),
                    optString(train, "device", "training.device"),
                    optInt(train, "threads", "training.threads"),
                    optNumber(root, "train_accuracy", "train_accuracy"),
                    optNumber(root, "test_accuracy", "test_accuracy"),
                    optNumber(train, "seconds", "training.seconds"),
                    history,
                    new Provenance(
                            optString(sw, "sltk", "software.sltk"),
                            optString(sw, "java", "software.java"),
                            optString(sw, "os", "software.os"),
                            optInt(sw, "cores", "software.cores"),
                            optString(sw, "djl", "software.djl"),
                            optString(sw, "engine", "software.engine"),
                            optString(sw, "device", "software.device"),
                            optString(root, "created", "created")),
                    validation.has("size")
                            ? optInt(validation, "size", "training.validation.size")
                            : -1,
                    Json.optLong(validation, "seed", "training.validation.seed", file, 0),
                    optNumber(validation, "accuracy", "training.validation.accuracy"),
                    cpu(Json.optObject(train, "cpu", "training.cpu", file)));
        }

        /** The training CPU record, or null where model.json has none. */
        private CpuKernels.Info cpu(JsonObject c) {
            if (c.size() == 0) {
                return null;
            }
            Map<String, String> env = new LinkedHashMap<>();
            JsonObject e = Json.optObject(c, "kernel_env", "training.cpu.kernel_env", file);
            for (String k : e.keySet()) {
                env.put(k, optString(e, k, "training.cpu.kernel_env." + k));
            }
            return new CpuKernels.Info(
                    optString(c, "model", "training.cpu.model"),
                    Json.optBool(c, "avx2", "training.cpu.avx2", file, false),
                    Json.optBool(c, "avx512f", "training.cpu.avx512f", file, false),
                    env);
        }
    }
}
