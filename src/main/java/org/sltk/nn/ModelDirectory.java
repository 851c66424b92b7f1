package org.sltk.nn;

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
import org.sltk.util.AtomicFiles;
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
 *       the block of {@link MlpBuilder} (Linear weights of shape (out, in), then biases);
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
     * atomically.
     *
     * @param dir the model directory, e.g. {@code models/lenet-300-100-mnist}
     * @param network the network
     * @param info the description; its architecture fields must match the network
     * @return the model as written (with the parameter file's SHA-256)
     * @throws java.io.UncheckedIOException on a write error
     */
    public static TargetModel save(Path dir, TargetNetwork network, ModelInfo info) {
        if (!Arrays.equals(info.widths(), network.widths()) || info.bias() != network.hasBias()) {
            throw new IllegalArgumentException("ModelInfo describes " + Arrays.toString(info.widths())
                    + (info.bias() ? " with" : " without") + " bias, network is " + network.describe());
        }
        String[] sha = new String[1];
        AtomicFiles.writeDirectory(dir, tmp -> {
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
                writeParams(tmp, MlpBuilder.toBlock(network, manager));
            }
            sha[0] = sha256(tmp.resolve(PARAMS_FILE));
            Files.writeString(tmp.resolve(JSON_FILE), toJson(info, sha[0]), StandardCharsets.UTF_8);
        });
        return new TargetModel(network, info, dir, sha[0]);
    }

    /**
     * Writes a sequential (cnn) network and its description to a model directory, atomically.
     *
     * @param dir the model directory, e.g. {@code models/lenet5-mnist}
     * @param target the network
     * @param info the description, architecture {@code cnn} with the network's layer list
     * @return the model as written
     */
    public static TargetModel save(Path dir, SequentialTarget target, ModelInfo info) {
        if (!ARCHITECTURE_CNN.equals(info.architecture()) || !target.spec().equals(info.sequential())) {
            throw new IllegalArgumentException("ModelInfo does not describe " + target.describe());
        }
        String[] sha = new String[1];
        AtomicFiles.writeDirectory(dir, tmp -> {
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
                writeParams(tmp, CnnBuilder.toBlock(target, manager), CNN_MODEL_NAME);
            }
            sha[0] = sha256(tmp.resolve(PARAMS_FILE_CNN));
            Files.writeString(tmp.resolve(JSON_FILE), toJson(info, sha[0]), StandardCharsets.UTF_8);
        });
        return new TargetModel(null, info, dir, sha[0], target);
    }

    /**
     * Writes an initialized block's parameters as {@value #PARAMS_FILE} with DJL's {@code Model.save}.
     *
     * @param dir the directory
     * @param block the initialized block
     * @throws IOException on a write error
     */
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
        String arch = j.string("architecture");
        if (!ARCHITECTURE.equals(arch) && !ARCHITECTURE_CNN.equals(arch)) {
            throw new InputException(json + ": unknown architecture \"" + arch + "\"; this sltk reads \""
                    + ARCHITECTURE + "\" and \"" + ARCHITECTURE_CNN + "\"");
        }
        boolean cnn = ARCHITECTURE_CNN.equals(arch);
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
        SequentialSpec spec = cnn ? j.sequential(bias) : null;
        String expectedSha = j.string("params_sha256");
        if (!expectedSha.matches("[0-9a-f]{64}")) {
            throw new InputException(json + ": field \"params_sha256\" must be 64 lowercase hex digits, found \""
                    + expectedSha + "\"");
        }
        ModelInfo info = j.info(version, arch, act, widths, bias, spec);

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
        if (cnn) {
            return new TargetModel(null, info, dir, sha, readCnnParams(dir, params, spec));
        }
        long weights = 0;
        try {
            for (int l = 0; l + 1 < widths.length; l++) {
                weights = Math.addExact(weights, (long) widths[l] * widths[l + 1] + (bias ? widths[l + 1] : 0));
            }
        } catch (ArithmeticException e) {
            weights = Long.MAX_VALUE / 4;
        }
        if (4 * weights > paramsBytes) {
            // before DJL reads anything: absurd widths are refused by their size alone
            throw new InputException(json + ": widths " + dash(widths) + (bias ? " with" : " without") + " bias need "
                    + weights + " float32 parameters (" + 4 * weights + " bytes), but " + PARAMS_FILE + " has only "
                    + paramsBytes + " bytes");
        }
        TargetNetwork network = readParams(dir, params, widths, bias);
        return new TargetModel(network, info, dir, sha);
    }

    private static SequentialTarget readCnnParams(Path dir, Path params, SequentialSpec spec) {
        Engines.engine();
        try (Model model = Model.newInstance(CNN_MODEL_NAME, ai.djl.Device.cpu(), "PyTorch")) {
            SequentialBlock block = CnnBuilder.block(spec);
            model.setBlock(block);
            try {
                model.load(dir, CNN_MODEL_NAME);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new InputException(params + ": not the DJL parameters of " + spec.describe() + " as " + JSON_FILE
                        + " says (" + firstLine(why) + ")", e);
            }
            return CnnBuilder.toTarget(block, spec, params.toString());
        }
    }

    private static TargetNetwork readParams(Path dir, Path params, int[] widths, boolean bias) {
        Engines.engine();
        String arch = dash(widths) + (bias ? " with" : " without") + " bias";
        try (Model model = Model.newInstance(MODEL_NAME, ai.djl.Device.cpu(), "PyTorch")) {
            SequentialBlock block = MlpBuilder.block(widths, bias);
            model.setBlock(block);
            try {
                model.load(dir, MODEL_NAME);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new InputException(params + ": not the DJL parameters of a " + arch + " MLP as " + JSON_FILE
                        + " says (" + firstLine(why) + ")", e);
            }
            for (int l = 0; l + 1 < widths.length; l++) {
                Shape expected = new Shape(widths[l + 1], widths[l]);
                Shape found = block.getChildren().values().stream()
                        .filter(b -> b instanceof ai.djl.nn.core.Linear)
                        .skip(l).findFirst().orElseThrow()
                        .getParameters().get("weight").getArray().getShape();
                if (!expected.equals(found)) {
                    throw new InputException(params + ": layer " + (l + 1) + " weight has shape " + found + " but "
                            + JSON_FILE + " says widths " + dash(widths) + ", i.e. " + expected);
                }
            }
            for (var p : block.getParameters().values()) {
                if (p.getArray().getDataType() != DataType.FLOAT32) {
                    throw new InputException(params + ": parameter " + p.getName() + " is " + p.getArray().getDataType()
                            + ", expected float32");
                }
            }
            return MlpBuilder.toNetwork(block, params.toString());
        }
    }

    private static JsonObject parse(Path json) {
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement e = new JsonParser().parse(r);
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
        o.addProperty("architecture", info.architecture());
        o.addProperty("activation", info.activation());
        JsonArray w = new JsonArray();
        for (int x : info.widths()) {
            w.add(new JsonPrimitive(x));
        }
        o.add("widths", w);
        o.addProperty("bias", info.bias());
        SequentialSpec seq = info.sequential();
        if (seq != null) {
            JsonArray shape = new JsonArray();
            for (int x : seq.inputShape()) {
                shape.add(new JsonPrimitive(x));
            }
            o.add("input_shape", shape);
            JsonArray layers = new JsonArray();
            for (LayerSpec l : seq.layers()) {
                JsonObject e = new JsonObject();
                e.addProperty("type", l.kind().id());
                switch (l.kind()) {
                    case CONV2D:
                        e.addProperty("out_channels", l.out());
                        e.addProperty("in_channels", l.in());
                        e.addProperty("kernel", l.kernel());
                        e.addProperty("stride", l.stride());
                        e.addProperty("padding", l.padding());
                        e.addProperty("dilation", l.dilation());
                        break;
                    case DENSE:
                        e.addProperty("out", l.out());
                        e.addProperty("in", l.in());
                        break;
                    case MAXPOOL:
                    case AVGPOOL:
                        e.addProperty("size", l.kernel());
                        break;
                    default:
                        break;
                }
                layers.add(e);
            }
            o.add("layers", layers);
        }
        o.addProperty("params_file", seq != null ? PARAMS_FILE_CNN : PARAMS_FILE);
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

    /**
     * Returns the SHA-256 of a file as lowercase hex.
     *
     * @param file the file
     * @return 64 hex digits
     * @throws IOException on a read error
     */
    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
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

        SequentialSpec sequential(boolean bias) {
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
            List<LayerSpec> layers = new ArrayList<>();
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
                LayerSpec.Kind kind;
                try {
                    kind = LayerSpec.parseKind(te.getAsString(), q);
                } catch (InputException ex) {
                    throw new InputException(file + ": " + ex.getMessage(), ex);
                }
                try {
                    switch (kind) {
                        case CONV2D:
                            layers.add(LayerSpec.conv(req(l, "out_channels", path), req(l, "in_channels", path),
                                    req(l, "kernel", path), opt(l, "stride", path, 1), opt(l, "padding", path, 0),
                                    opt(l, "dilation", path, 1)));
                            break;
                        case DENSE:
                            layers.add(LayerSpec.dense(req(l, "out", path), req(l, "in", path)));
                            break;
                        case MAXPOOL:
                            layers.add(LayerSpec.maxPool(req(l, "size", path)));
                            break;
                        case AVGPOOL:
                            layers.add(LayerSpec.avgPool(req(l, "size", path)));
                            break;
                        case RELU:
                            layers.add(LayerSpec.relu());
                            break;
                        default:
                            layers.add(LayerSpec.flatten());
                    }
                } catch (InputException ex) {
                    if (ex.getMessage().startsWith(file.toString())) {
                        throw ex;
                    }
                    throw new InputException(file + ": " + path + ": " + ex.getMessage(), ex);
                }
            }
            try {
                return new SequentialSpec(shape, layers, bias);
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

        ModelInfo info(int version, String arch, String act, int[] widths, boolean bias, SequentialSpec spec) {
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
                    version, arch, act, widths, bias,
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
                    spec,
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
