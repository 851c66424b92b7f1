package org.sltk.io;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
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
import org.sltk.util.Hashing;
import org.sltk.util.CpuKernels;
import org.sltk.util.CpuKernels;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Saves a target network to a model directory and loads it back, validating everything.
 *
 * <p>A model directory (e.g. {@code models/lenet-300-100-mnist/}) holds two files:
 *
 * <ul>
 *   <li>{@value #PARAMS_FILE}: the parameters in DJL's format, written by {@code Model.save} from
 *       the block of {@link DjlBlocks} (weights of shape (out, in) or (out, in, r, r), then biases);
 *   <li>{@value #JSON_FILE}: format version, architecture ({@code mlp}), activation
 *       ({@code relu}), widths, bias, the parameter file's name and SHA-256, the dataset and its
 *       files' SHA-256, the training configuration and history, accuracies, software versions and
 *       the date.
 * </ul>
 *
 * <p>The directory is written atomically ({@link AtomicFiles#writeDirectory}). Loading checks
 * that both files exist, the JSON fields and their types, the format version, architecture and
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

    /** The name under which DJL saves a cnn model's parameters (model name {@code cnn}, epoch 0). */
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
     * atomically. An MLP is written as architecture {@code mlp} (widths), anything else as
     * {@code cnn} (a layer list); both hold DJL's parameter file of the {@link DjlBlocks} block.
     *
     * @param dir the model directory, e.g. {@code models/lenet-300-100-mnist}
     * @param network the network
     * @param info the description; its architecture must be the network's
     * @return the model as written (with the parameter file's SHA-256)
     * @throws java.io.UncheckedIOException on a write error
     */
    public static TargetModel save(Path dir, TargetNetwork network, ModelInfo info) {
        if (!info.architecture().equals(network.architecture())) {
            throw new IllegalArgumentException("ModelInfo describes " + info.architecture().describe() + ", network is "
                    + network.describe());
        }
        Architecture arch = network.architecture();
        if (!arch.allBiased() && !arch.noBias()) {
            throw new IllegalArgumentException(network.describe() + ": model directories of format " + FORMAT_VERSION
                    + " hold networks whose conv and dense layers all have biases or none has");
        }
        boolean mlp = arch.mlpWidths() != null;
        String name = mlp ? MODEL_NAME : CNN_MODEL_NAME;
        String[] sha = new String[1];
        AtomicFiles.writeDirectory(dir, tmp -> {
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
                writeParams(tmp, DjlBlocks.toBlock(network, manager), name);
            }
            sha[0] = sha256(tmp.resolve(mlp ? PARAMS_FILE : PARAMS_FILE_CNN));
            Files.writeString(tmp.resolve(JSON_FILE), toJson(info, sha[0]), StandardCharsets.UTF_8);
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
            throw new InputException(json + ": file not found; a model directory holds " + JSON_FILE + " and "
                    + PARAMS_FILE + " (write one with 'sltk train')");
        }
        Json j = new Json(json, parse(json));
        int version = j.integer("format_version");
        if (version != FORMAT_VERSION) {
            throw new InputException(json + ": unknown format_version " + version + "; this sltk reads format_version "
                    + FORMAT_VERSION);
        }
        String kind = j.string("architecture");
        if (!ARCHITECTURE.equals(kind) && !ARCHITECTURE_CNN.equals(kind)) {
            throw new InputException(json + ": unknown architecture \"" + kind + "\"; this sltk reads \""
                    + ARCHITECTURE + "\" and \"" + ARCHITECTURE_CNN + "\"");
        }
        boolean cnn = ARCHITECTURE_CNN.equals(kind);
        String paramsFile = cnn ? PARAMS_FILE_CNN : PARAMS_FILE;
        String act = j.string("activation");
        if (!ACTIVATION.equals(act)) {
            throw new InputException(json + ": unknown activation \"" + act + "\"; this sltk reads \""
                    + ACTIVATION + "\"");
        }
        int[] widths = j.widths("widths");
        boolean bias = j.bool("bias");
        String paramsName = j.string("params_file");
        if (!paramsName.equals(paramsFile)) {
            throw new InputException(json + ": field \"params_file\" must be \"" + paramsFile + "\", found \""
                    + paramsName + "\"");
        }
        Architecture arch = cnn ? j.sequential(bias) : mlp(json, widths, bias);
        String expectedSha = j.string("params_sha256");
        if (!expectedSha.matches("[0-9a-f]{64}")) {
            throw new InputException(json + ": field \"params_sha256\" must be 64 lowercase hex digits, found \""
                    + expectedSha + "\"");
        }
        ModelInfo info = j.info(version, arch);

        Path params = dir.resolve(paramsFile);
        if (!Files.isRegularFile(params)) {
            throw new InputException(params + ": file not found; the model directory is incomplete");
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
            throw new InputException(params + ": SHA-256 " + sha + " does not match " + JSON_FILE + " (" + expectedSha
                    + "); the file is corrupted or was replaced");
        }
        long weights = 0;
        try {
            for (Layer.Parametric l : arch.parametric()) {
                weights = Math.addExact(weights, Math.multiplyExact((long) l.out(), l.fanIn()) + (l.bias() ? l.out() : 0));
            }
        } catch (ArithmeticException e) {
            weights = Long.MAX_VALUE / 4;
        }
        if (4 * weights > paramsBytes) {
            // before DJL reads anything: absurd sizes are refused by their size alone
            throw new InputException(json + ": " + (cnn ? "layers " + arch.describe() : "widths " + dash(widths)
                    + (bias ? " with" : " without") + " bias") + " need " + weights + " float32 parameters ("
                    + 4 * weights + " bytes), but " + paramsFile + " has only " + paramsBytes + " bytes");
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
        String what = cnn ? arch.describe() : "a " + dash(arch.mlpWidths()) + (arch.allBiased() ? " with" : " without")
                + " bias MLP";
        try (Model model = Model.newInstance(name, ai.djl.Device.cpu(), "PyTorch")) {
            SequentialBlock block = DjlBlocks.block(arch);
            model.setBlock(block);
            try {
                model.load(dir, name);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new InputException(params + ": not the DJL parameters of " + what + " as " + JSON_FILE
                        + " says (" + firstLine(why) + ")", e);
            }
            return DjlBlocks.toNetwork(block, arch, params.toString());
        }
    }

    private static JsonObject parse(Path json) {
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) {
                throw new InputException(json + ": expected a JSON object, found " + kind(e));
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new InputException(json + ": not valid JSON (" + firstLine(String.valueOf(why)) + ")", e);
        } catch (IOException e) {
            throw new InputException(json + ": cannot read (" + e.getMessage() + ")", e);
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
                } else if (l instanceof Layer.MaxPool2d || l instanceof Layer.AvgPool2d) {
                    e.addProperty("size", l instanceof Layer.MaxPool2d m ? m.size() : ((Layer.AvgPool2d) l).size());
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
        JsonObject sw = new JsonObject();
        sw.addProperty("sltk", info.sltkVersion());
        sw.addProperty("djl", info.djlVersion());
        sw.addProperty("engine", info.engine());
        sw.addProperty("java", info.javaVersion());
        sw.addProperty("os", info.os());
        o.add("software", sw);
        o.addProperty("created", info.created());
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues().create();
        return gson.toJson(o) + "\n";
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

    private static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        return e.toString();
    }

    /** Typed access to the JSON fields, with one-line errors naming the file and the field. */
    private static final class Json {
        private final Path file;
        private final JsonObject root;

        Json(Path file, JsonObject root) {
            this.file = file;
            this.root = root;
        }

        private JsonElement required(JsonObject o, String field, String path) {
            JsonElement e = o.get(field);
            if (e == null || e.isJsonNull()) {
                throw new InputException(file + ": missing field \"" + path + "\"");
            }
            return e;
        }

        private InputException wrong(String path, String what, JsonElement found) {
            return new InputException(file + ": field \"" + path + "\" must be " + what + ", found " + kind(found));
        }

        int integer(String field) {
            JsonElement e = required(root, field, field);
            return asInt(e, field);
        }

        private int asInt(JsonElement e, String path) {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                double d = e.getAsDouble();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
            throw wrong(path, "an integer", e);
        }

        String string(String field) {
            JsonElement e = required(root, field, field);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                return e.getAsString();
            }
            throw wrong(field, "a string", e);
        }

        boolean bool(String field) {
            JsonElement e = required(root, field, field);
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
                return e.getAsBoolean();
            }
            throw wrong(field, "true or false", e);
        }

        int[] widths(String field) {
            JsonElement e = required(root, field, field);
            if (!e.isJsonArray() || e.getAsJsonArray().size() < 2) {
                throw wrong(field, "an array of at least two positive integers", e);
            }
            JsonArray a = e.getAsJsonArray();
            int[] w = new int[a.size()];
            for (int i = 0; i < w.length; i++) {
                JsonElement x = a.get(i);
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber() || x.getAsDouble() != Math.rint(x.getAsDouble())
                        || x.getAsDouble() < 1 || x.getAsDouble() > Integer.MAX_VALUE) {
                    throw wrong(field, "an array of at least two positive integers", e);
                }
                w[i] = x.getAsInt();
            }
            return w;
        }

        private JsonObject optObject(JsonObject o, String field) {
            JsonElement e = o.get(field);
            if (e == null || e.isJsonNull()) {
                return new JsonObject();
            }
            if (!e.isJsonObject()) {
                throw wrong(field, "an object", e);
            }
            return e.getAsJsonObject();
        }

        private String optString(JsonObject o, String field, String path) {
            JsonElement e = o.get(field);
            if (e == null || e.isJsonNull()) {
                return null;
            }
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                return e.getAsString();
            }
            throw wrong(path, "a string", e);
        }

        private double optNumber(JsonObject o, String field, String path) {
            JsonElement e = o.get(field);
            if (e == null || e.isJsonNull()) {
                return Double.NaN;
            }
            if (e.isJsonPrimitive() && (e.getAsJsonPrimitive().isNumber() || e.getAsJsonPrimitive().isString())) {
                try {
                    return e.getAsDouble(); // NaN is written as the bare token NaN
                } catch (NumberFormatException ex) {
                    // fall through
                }
            }
            throw wrong(path, "a number", e);
        }

        private int optInt(JsonObject o, String field, String path) {
            JsonElement e = o.get(field);
            return e == null || e.isJsonNull() ? -1 : asInt(e, path);
        }

        Architecture sequential(boolean bias) {
            JsonElement se = required(root, "input_shape", "input_shape");
            if (!se.isJsonArray() || se.getAsJsonArray().size() != 3) {
                throw wrong("input_shape", "an array of three positive integers (c, h, w)", se);
            }
            int[] shape = new int[3];
            for (int i = 0; i < 3; i++) {
                shape[i] = asInt(se.getAsJsonArray().get(i), "input_shape");
            }
            JsonElement le = required(root, "layers", "layers");
            if (!le.isJsonArray() || le.getAsJsonArray().isEmpty()) {
                throw wrong("layers", "a non-empty array of layer objects", le);
            }
            List<Layer> layers = new ArrayList<>();
            JsonArray a = le.getAsJsonArray();
            for (int q = 0; q < a.size(); q++) {
                if (!a.get(q).isJsonObject()) {
                    throw wrong("layers", "an array of layer objects", le);
                }
                JsonObject l = a.get(q).getAsJsonObject();
                String path = "layers[" + q + "]";
                JsonElement te = required(l, "type", path + ".type");
                if (!te.isJsonPrimitive() || !te.getAsJsonPrimitive().isString()) {
                    throw wrong(path + ".type", "a string", te);
                }
                Layer.Kind kind;
                try {
                    kind = Layer.Kind.parse(te.getAsString(), q);
                } catch (InputException ex) {
                    throw new InputException(file + ": " + ex.getMessage(), ex);
                }
                try {
                    switch (kind) {
                        case CONV2D:
                            layers.add(new Layer.Conv2d(req(l, "in_channels", path), req(l, "out_channels", path),
                                    req(l, "kernel", path), opt(l, "stride", path, 1), opt(l, "padding", path, 0),
                                    opt(l, "dilation", path, 1), bias));
                            break;
                        case DENSE:
                            layers.add(new Layer.Linear(req(l, "in", path), req(l, "out", path), bias));
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

        private int req(JsonObject o, String field, String path) {
            return asInt(required(o, field, path + "." + field), path + "." + field);
        }

        private int opt(JsonObject o, String field, String path, int dflt) {
            JsonElement e = o.get(field);
            return e == null || e.isJsonNull() ? dflt : asInt(e, path + "." + field);
        }

        ModelInfo info(int version, Architecture arch) {
            JsonObject data = optObject(root, "dataset");
            JsonObject train = optObject(root, "training");
            JsonObject sw = optObject(root, "software");
            JsonObject validation = optObject(train, "validation");
            Map<String, String> files = null;
            JsonElement fe = data.get("files_sha256");
            if (fe != null && !fe.isJsonNull()) {
                if (!fe.isJsonObject()) {
                    throw wrong("dataset.files_sha256", "an object of file name to SHA-256", fe);
                }
                files = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> en : fe.getAsJsonObject().entrySet()) {
                    files.put(en.getKey(), optString(fe.getAsJsonObject(), en.getKey(), "dataset.files_sha256." + en.getKey()));
                }
            }
            List<EpochStats> history = new ArrayList<>();
            JsonElement he = root.get("history");
            int epochs = optInt(train, "epochs", "training.epochs");
            if (he != null && !he.isJsonNull()) {
                if (!he.isJsonArray()) {
                    throw wrong("history", "an array", he);
                }
                for (JsonElement x : he.getAsJsonArray()) {
                    if (!x.isJsonObject()) {
                        throw wrong("history", "an array of objects", he);
                    }
                    JsonObject h = x.getAsJsonObject();
                    history.add(new EpochStats(
                            optInt(h, "epoch", "history.epoch"),
                            epochs,
                            optNumber(h, "loss", "history.loss"),
                            optNumber(h, "train_accuracy", "history.train_accuracy"),
                            optNumber(h, "test_accuracy", "history.test_accuracy"),
                            optNumber(h, "seconds", "history.seconds")));
                }
            }
            JsonElement se = train.get("seed");
            long seedValue = 0;
            if (se != null && !se.isJsonNull()) {
                try {
                    seedValue = se.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
                } catch (RuntimeException ex) {
                    throw wrong("training.seed", "an integer", se);
                }
            }
            return new ModelInfo(
                    version, arch,
                    optString(data, "name", "dataset.name"),
                    files,
                    optInt(data, "train_size", "dataset.train_size"),
                    optInt(data, "test_size", "dataset.test_size"),
                    seedValue,
                    epochs,
                    optNumber(train, "learning_rate", "training.learning_rate"),
                    optInt(train, "batch_size", "training.batch_size"),
                    optString(train, "device", "training.device"),
                    optInt(train, "threads", "training.threads"),
                    optNumber(root, "train_accuracy", "train_accuracy"),
                    optNumber(root, "test_accuracy", "test_accuracy"),
                    optNumber(train, "seconds", "training.seconds"),
                    history,
                    optString(sw, "sltk", "software.sltk"),
                    optString(sw, "djl", "software.djl"),
                    optString(sw, "engine", "software.engine"),
                    optString(sw, "java", "software.java"),
                    optString(sw, "os", "software.os"),
                    optString(root, "created", "created"),
                    validation.has("size") ? optInt(validation, "size", "training.validation.size") : -1,
                    validation.has("seed") ? asLong(validation.get("seed"), "training.validation.seed") : 0,
                    optNumber(validation, "accuracy", "training.validation.accuracy"),
                    cpu(optObject(train, "cpu")));
        }

        private long asLong(JsonElement e, String path) {
            try {
                return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (RuntimeException ex) {
                throw wrong(path, "an integer", e);
            }
        }

        /** The training CPU record, or null where model.json has none. */
        private CpuKernels.Info cpu(JsonObject c) {
            if (c.size() == 0) {
                return null;
            }
            Map<String, String> env = new LinkedHashMap<>();
            JsonObject e = optObject(c, "kernel_env");
            for (String k : e.keySet()) {
                env.put(k, optString(e, k, "training.cpu.kernel_env." + k));
            }
            return new CpuKernels.Info(optString(c, "model", "training.cpu.model"), flag(c, "avx2"), flag(c, "avx512f"),
                    env);
        }

        private boolean flag(JsonObject o, String field) {
            JsonElement e = o.get(field);
            if (e == null || e.isJsonNull()) {
                return false;
            }
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) {
                return e.getAsBoolean();
            }
            throw wrong("training.cpu." + field, "true or false", e);
        }
    }
}
