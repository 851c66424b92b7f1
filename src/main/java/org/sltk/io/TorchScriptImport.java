package org.sltk.io;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Imports a pretrained ReLU MLP from a TorchScript file ({@code torch.jit.script} or {@code
 * torch.jit.trace} output).
 *
 * <p>Three checks, in order, each refusing the file with one line:
 *
 * <ol>
 *   <li>the graph: the archive's {@code code/} entries are read (parameters alone cannot tell a
 *       ReLU MLP from a Tanh one). Every submodule must be a {@code Linear}, {@code ReLU}, {@code
 *       Flatten}, {@code Identity} or {@code Dropout} (identity in eval mode), inside {@code
 *       Sequential}/{@code ModuleList} or user containers, and every {@code torch.*} call in the
 *       code must be one of a short list of linear, ReLU and shape operations;
 *   <li>the parameters, read through DJL's PyTorch engine ({@code getDirectParameters()}, names
 *       such as {@code fc1.weight}): weights (out, in) and optional biases (out), grouped by the
 *       name before {@code weight}/{@code bias}, in the module's parameter order, chaining in to
 *       out, finite;
 *   <li>the function: the module is run on random inputs and must agree with the Linear+ReLU chain
 *       of those parameters (this catches a different wiring, e.g. a missing ReLU).
 * </ol>
 */
public final class TorchScriptImport {

    /** The modules sltk imports, as the refusals list them. */
    static final String MODULES =
            "Conv2d, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Linear, Dropout and"
                    + " Identity";

    private static final String REFUSE = "; sltk imports only sequential networks of " + MODULES;

    private static final Set<String> LEAVES =
            Set.of(
                    "Linear",
                    "ReLU",
                    "Flatten",
                    "Identity",
                    "Dropout",
                    "Conv2d",
                    "BatchNorm2d",
                    "MaxPool2d",
                    "AvgPool2d");
    private static final Set<String> CNN_LEAVES =
            Set.of("Conv2d", "BatchNorm2d", "MaxPool2d", "AvgPool2d");

    /** Ops a network's own forward may call in the CNN path, besides the normalisation. */
    private static final Set<String> CNN_USER_OPS =
            Set.of(
                    "flatten",
                    "reshape",
                    "view",
                    "contiguous",
                    "size",
                    "dim",
                    "len",
                    "numel",
                    "dropout",
                    "feature_dropout",
                    "__is__",
                    "__isnot__",
                    "eq",
                    "ne",
                    "format",
                    "warn",
                    "detach");

    private static final Set<String> CONTAINERS = Set.of("Sequential", "ModuleList");
    private static final Set<String> TORCH_OPS =
            Set.of(
                    "linear",
                    "relu",
                    "relu_",
                    "matmul",
                    "mm",
                    "addmm",
                    "t",
                    "add",
                    "add_",
                    "flatten",
                    "reshape",
                    "view",
                    "contiguous",
                    "size",
                    "dim",
                    "len",
                    "numel",
                    "dropout",
                    "dropout_",
                    "feature_dropout",
                    "__is__",
                    "__isnot__",
                    "eq",
                    "ne",
                    "format",
                    "warn",
                    "detach",
                    "sub",
                    "div");
    private static final Set<String> FUNCTIONAL = Set.of("relu", "linear", "dropout", "flatten");
    private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\((\\w+)\\):");
    private static final Pattern ATTR = Pattern.compile("^  (\\w+) : (.+)$");
    private static final Pattern FINAL = Pattern.compile("^  (\\w+) : Final\\[.*\\] = (.+)$");
    private static final Pattern ALIAS = Pattern.compile("^\\s*(\\w+) = self\\.(\\w+)$");
    private static final Pattern ANNOTATION =
            Pattern.compile("^  __annotations__\\[\"([^\"]+)\"\\] = (.+)$");
    private static final Pattern TORCH_CALL = Pattern.compile("(?<![\\w.])torch\\.(\\w+)\\(");
    private static final Pattern FUNCTIONAL_CALL =
            Pattern.compile("__torch__\\.torch\\.nn\\.functional\\.(\\w+)\\(");
    private static final Pattern OPS_CALL = Pattern.compile("(?<![\\w.])ops\\.(\\w+)\\.(\\w+)\\(");

    private TorchScriptImport() {}

    /** One class of the archive's code: its attributes (name to type) and its source lines. */
    private record ScriptClass(
            String qualifiedName,
            String base,
            Map<String, String> attributes,
            Map<String, String> finals,
            List<String> lines) {}

    /** What the graph check read: the classes, the root class and the archive's layout. */
    private record Graph(
            Map<String, ScriptClass> classes,
            String root,
            String top,
            byte[] pickle,
            boolean cnn) {}

    /**
     * Reads a TorchScript ReLU MLP.
     *
     * @param file the {@code .pt} file
     * @return the network, float32
     * @throws InputException if the file is not TorchScript, or not a plain Linear+ReLU MLP
     */
    public static TargetNetwork load(Path file) {
        return importFile(file).network();
    }

    /**
     * What an import made and did: the network, the batch norms folded into their convs and the
     * error of that folding, in one line for logs and run records.
     *
     * @param network the network, float32
     * @param foldedBatchNorms the number of BatchNorm2d layers folded into the conv before them
     * @param foldingError the largest |logit| difference, on the function check's inputs, between
     *     the folded float32 network and the unfolded conv + batch norm network, both computed in
     *     float64 (0 without batch norm)
     * @param log the import in one line: architecture, input shape, folding error
     */
    public record Result(
            TargetNetwork network, int foldedBatchNorms, double foldingError, String log) {}

    /**
     * Reads a TorchScript network: a ReLU MLP, or a sequential CNN of Conv2d, BatchNorm2d (folded),
     * ReLU, MaxPool2d, AvgPool2d, Flatten, Linear, Dropout and Identity modules, optionally after
     * an input normalisation {@code (x - mean) / std} in {@code forward} (carried exactly, as a
     * {@link Layer.Normalize} first layer).
     *
     * <p>The layers of a CNN are its modules in the order they are declared (registered); the
     * function check refuses a module whose {@code forward} calls them in another order. The input
     * is square, c x s x s, with s the smallest size for which the first Linear gets the features
     * it takes; {@link #importFile(Path, int[])} takes the data's shape instead.
     *
     * @param file the {@code .pt} file
     * @return the network and what the import did
     * @throws InputException if the file is not TorchScript, or holds something sltk cannot prune
     */
    public static Result importFile(Path file) {
        return importFile(file, null);
    }

    /**
     * Reads a TorchScript network, as {@link #importFile(Path)}, for inputs of a given shape: a
     * CNN's layers often chain for several input sizes (28 x 28 and 23 x 23 both give a LeNet's
     * first Linear its features), so the data decides.
     *
     * @param file the {@code .pt} file
     * @param input the data's image shape (channels, height, width), or null to infer the smallest
     * @return the network and what the import did
     * @throws InputException if the file is not TorchScript, holds something sltk cannot prune, or
     *     its layers do not take inputs of that shape
     */
    public static Result importFile(Path file, int[] input) {
        String label = file.getFileName().toString();
        Graph g = checkGraph(file, label);
        Engines.engine();
        if (!g.cnn) {
            try (Model model = loadModel(file)) {
                TargetNetwork net = layers(model.getBlock().getDirectParameters(), label);
                probe(model, net, label);
                return new Result(net, 0, 0, label + ": " + net.describe());
            }
        }
        CnnSpec spec = cnnSpec(file, g, label, input);
        try (Model model = loadModel(file)) {
            checkParameters(model.getBlock().getDirectParameters(), spec, label);
            TargetNetwork net = spec.network(label);
            double[][] x = probeInputs(net);
            probeCnn(model, net, x, spec.float64, label);
            double err = spec.folded == 0 ? 0 : spec.foldingError(net, x);
            String log =
                    String.format(
                            java.util.Locale.ROOT,
                            "%s: %s, input %dx%dx%d %s%s",
                            label,
                            net.describe(),
                            spec.input[0],
                            spec.input[1],
                            spec.input[2],
                            input == null ? "inferred from the first Linear" : "from the data",
                            spec.folded == 0
                                    ? ""
                                    : String.format(
                                            java.util.Locale.ROOT,
                                            "; %d BatchNorm2d folded into their convs in float64,"
                                                    + " folding error %.3g (max |logit| difference"
                                                    + " to conv + batch norm, float64, on %d random"
                                                    + " inputs)",
                                            spec.folded,
                                            err,
                                            x.length));
            return new Result(net, spec.folded, err, log);
        }
    }

    private static Model loadModel(Path file) {
        Model model = Model.newInstance("import", Device.cpu(), "PyTorch");
        try {
            model.load(file);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new InputException(
                    file + ": libtorch cannot load it: " + firstLine(e.getMessage()), e);
        }
        return model;
    }

    /**
     * Checks the module graph from the archive's code entries.
     *
     * @param file the archive
     * @param label how messages name the file
     * @throws InputException naming the first layer or call that sltk cannot import
     */
    private static Graph checkGraph(Path file, String label) {
        Map<String, ScriptClass> classes = new LinkedHashMap<>();
        Map<String, List<String>> functions = new LinkedHashMap<>();
        String root;
        String top = null;
        byte[] pickle = null;
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": file not found");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                int slash = name.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String inner = name.substring(slash + 1);
                if (inner.equals("data.pkl")) {
                    top = name.substring(0, slash);
                    pickle = read(zip, e);
                } else if (inner.startsWith("code/") && inner.endsWith(".py")) {
                    String qualifier = inner.substring(5, inner.length() - 3).replace('/', '.');
                    parse(
                            qualifier,
                            new String(read(zip, e), StandardCharsets.UTF_8),
                            classes,
                            functions);
                }
            }
            if (top == null || classes.isEmpty()) {
                throw new InputException(
                        file
                                + ": not a TorchScript module (no data.pkl or code/ in the archive; a torch.save"
                                + " state dict? save with torch.jit.script(model).save(path), or export the weights to .npz)");
            }
            root = rootClass(pickle, file);
        } catch (ZipException e) {
            throw new InputException(file + ": not a TorchScript file (not a ZIP archive)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        ScriptClass rc = classes.get(root);
        if (rc == null) {
            throw new InputException(
                    file + ": the module's class " + root + " has no code in the archive");
        }
        boolean cnn =
                usesCnnModules(rc, classes)
                        || rc.lines.stream()
                                .anyMatch(
                                        l -> l.contains("torch.sub(") || l.contains("torch.div("));
        visit(rc, "", classes, label, cnn);
        for (Map.Entry<String, List<String>> f : functions.entrySet()) {
            if (!f.getKey().startsWith("__torch__.torch.nn.functional.")) {
                checkCalls(f.getValue(), "function " + f.getKey(), label, cnn, false);
            }
        }
        return new Graph(classes, root, top, pickle, cnn);
    }

    private static boolean usesCnnModules(ScriptClass c, Map<String, ScriptClass> classes) {
        for (String type : c.attributes.values()) {
            ScriptClass child = classes.get(type.trim());
            if (child == null) {
                continue;
            }
            if (isTorchNn(child.qualifiedName)
                    && CNN_LEAVES.contains(simpleName(child.qualifiedName))) {
                return true;
            }
            if (!isTorchNn(child.qualifiedName) || CONTAINERS.contains(simpleName(type))) {
                if (usesCnnModules(child, classes)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void visit(
            ScriptClass c,
            String path,
            Map<String, ScriptClass> classes,
            String label,
            boolean cnn) {
        String where =
                path.isEmpty()
                        ? "forward of '" + simpleName(c.qualifiedName) + "'"
                        : "layer '" + path + "'";
        checkCalls(c.lines, where, label, cnn, path.isEmpty());
        for (Map.Entry<String, String> a : c.attributes.entrySet()) {
            String type = a.getValue().trim();
            ScriptClass child = classes.get(type);
            if (child == null) {
                if (type.startsWith("__torch__.") && !type.startsWith("__torch__.torch.classes")) {
                    throw new InputException(
                            label
                                    + ": layer '"
                                    + join(path, a.getKey())
                                    + "' has type "
                                    + type
                                    + " whose code is missing from the archive");
                }
                continue; // Tensor, bool, int, ... attributes
            }
            String childPath = join(path, a.getKey());
            String simple = simpleName(type);
            if (isTorchNn(type)) {
                if (!LEAVES.contains(simple) && !CONTAINERS.contains(simple)) {
                    throw new InputException(
                            label + ": layer '" + childPath + "' is " + simple + REFUSE);
                }
                if (LEAVES.contains(simple)) {
                    continue;
                }
            }
            visit(child, childPath, classes, label, cnn);
        }
    }

    private static void checkCalls(
            List<String> lines, String where, String label, boolean cnn, boolean root) {
        for (String line : lines) {
            Matcher m = TORCH_CALL.matcher(line);
            while (m.find()) {
                String op = m.group(1);
                if (cnn && (op.equals("add") || op.equals("add_"))) {
                    throw new InputException(
                            label
                                    + ": "
                                    + where
                                    + " calls torch."
                                    + op
                                    + " "
                                    + quote(line)
                                    + ", a residual add"
                                    + REFUSE);
                }
                boolean ok =
                        cnn
                                ? CNN_USER_OPS.contains(op)
                                        || (root && (op.equals("sub") || op.equals("div")))
                                : TORCH_OPS.contains(op) && !op.equals("sub") && !op.equals("div");
                if (!ok) {
                    String hint =
                            cnn && (op.equals("relu") || op.equals("relu_"))
                                    ? " (use nn.ReLU modules: sltk reads a CNN's layers in the"
                                            + " order its modules are declared)"
                                    : cnn && (op.equals("sub") || op.equals("div"))
                                            ? " (the input normalisation belongs at the start of"
                                                    + " the top module's forward)"
                                            : "";
                    throw new InputException(
                            label
                                    + ": "
                                    + where
                                    + " calls torch."
                                    + op
                                    + " "
                                    + quote(line)
                                    + hint
                                    + REFUSE);
                }
            }
            m = FUNCTIONAL_CALL.matcher(line);
            while (m.find()) {
                String f = m.group(1);
                boolean ok =
                        cnn ? f.equals("dropout") || f.equals("flatten") : FUNCTIONAL.contains(f);
                if (!ok) {
                    throw new InputException(
                            label
                                    + ": "
                                    + where
                                    + " calls torch.nn.functional."
                                    + f
                                    + " "
                                    + quote(line)
                                    + REFUSE);
                }
            }
            m = OPS_CALL.matcher(line);
            while (m.find()) {
                if (!m.group(1).equals("prim")) {
                    throw new InputException(
                            label
                                    + ": "
                                    + where
                                    + " calls ops."
                                    + m.group(1)
                                    + "."
                                    + m.group(2)
                                    + " "
                                    + quote(line)
                                    + REFUSE);
                }
            }
        }
    }

    /** The code line of a refused call, trimmed, in quotes. */
    private static String quote(String line) {
        String t = line.trim();
        return "(\"" + (t.length() > 100 ? t.substring(0, 97) + "..." : t) + "\")";
    }

    private static void parse(
            String qualifier,
            String source,
            Map<String, ScriptClass> classes,
            Map<String, List<String>> functions) {
        ScriptClass current = null;
        List<String> function = null;
        for (String line : source.split("\n")) {
            Matcher c = CLASS.matcher(line);
            if (c.find()) {
                current =
                        new ScriptClass(
                                qualifier + "." + c.group(1),
                                c.group(2),
                                new LinkedHashMap<>(),
                                new LinkedHashMap<>(),
                                new ArrayList<>());
                classes.put(current.qualifiedName, current);
                function = null;
                continue;
            }
            if (line.startsWith("def ")) {
                current = null;
                function = new ArrayList<>();
                functions.put(
                        qualifier + "." + line.substring(4, Math.max(4, line.indexOf('('))),
                        function);
            }
            if (current != null) {
                Matcher a = ATTR.matcher(line);
                Matcher n = ANNOTATION.matcher(line);
                Matcher f = FINAL.matcher(line);
                if (f.matches()) {
                    current.finals.put(f.group(1), f.group(2).trim());
                }
                if (a.matches()) {
                    current.attributes.put(a.group(1), a.group(2).replaceFirst("\\s*=.*$", ""));
                } else if (n.matches()) {
                    current.attributes.put(n.group(1), n.group(2));
                } else {
                    current.lines.add(line);
                }
            } else if (function != null) {
                function.add(line);
            }
        }
    }

    /**
     * Reads the class of the pickled module: data.pkl starts with PROTO 2, GLOBAL 'module\nname\n'.
     */
    private static String rootClass(byte[] pickle, Path file) {
        if (pickle != null && pickle.length > 3 && (pickle[0] & 0xFF) == 0x80 && pickle[2] == 'c') {
            int a = indexOf(pickle, 3);
            int b = a < 0 ? -1 : indexOf(pickle, a + 1);
            if (b > 0) {
                return new String(pickle, 3, a - 3, StandardCharsets.UTF_8)
                        + "."
                        + new String(pickle, a + 1, b - a - 1, StandardCharsets.UTF_8);
            }
        }
        throw new InputException(
                file + ": data.pkl does not start with a module object; not a TorchScript module");
    }

    private static TargetNetwork layers(
            ai.djl.util.PairList<String, Parameter> params, String label) {
        Map<String, NDArray[]> groups = new LinkedHashMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : params) {
            String name = p.getKey();
            boolean weight = name.endsWith("weight");
            if (!weight && !name.endsWith("bias")) {
                throw new InputException(
                        label
                                + ": parameter '"
                                + name
                                + "' is neither a weight nor a bias"
                                + REFUSE);
            }
            String prefix = name.substring(0, name.length() - (weight ? 6 : 4));
            groups.computeIfAbsent(prefix, k -> new NDArray[2])[weight ? 0 : 1] =
                    p.getValue().getArray();
            names.computeIfAbsent(prefix, k -> new String[2])[weight ? 0 : 1] = name;
        }
        List<WeightArrays.Layer> layers = new ArrayList<>();
        for (Map.Entry<String, NDArray[]> g : groups.entrySet()) {
            String[] n = names.get(g.getKey());
            if (g.getValue()[0] == null) {
                throw new InputException(label + ": bias '" + n[1] + "' has no weight" + REFUSE);
            }
            layers.add(new WeightArrays.Layer(n[0], g.getValue()[0], n[1], g.getValue()[1]));
        }
        return WeightArrays.network(layers, label);
    }

    private static void probe(Model model, TargetNetwork net, String label) {
        int batch = 16;
        int d = net.inputSize();
        float[] x = new float[batch * d];
        CounterRandom rng = new CounterRandom(17);
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.symmetricFloat(0, i) * 2;
        }
        try (Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator())) {
            NDArray in = model.getNDManager().create(x, new Shape(batch, d));
            NDList out;
            try {
                out = p.predict(new NDList(in));
            } catch (Exception e) {
                throw new InputException(
                        label
                                + ": running the module on a ("
                                + batch
                                + ", "
                                + d
                                + ") input failed: "
                                + firstLine(String.valueOf(e.getMessage()))
                                + REFUSE,
                        e);
            }
            if (out.size() != 1
                    || !out.head().getShape().equals(new Shape(batch, net.outputSize()))) {
                throw new InputException(
                        label
                                + ": the module returns "
                                + out.getShapes()
                                + " for a ("
                                + batch
                                + ", "
                                + d
                                + ") input, expected ("
                                + batch
                                + ", "
                                + net.outputSize()
                                + ")"
                                + REFUSE);
            }
            float[] got = out.head().toType(DataType.FLOAT32, false).toFloatArray();
            float[] want = net.forward(in).toFloatArray();
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
            }
            if (!(worst <= 1e-4)) {
                throw new InputException(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s: the module does not compute the Linear+ReLU chain of its parameters in their stored order"
                                        + " (relative difference %.3g on random inputs)%s",
                                label,
                                worst,
                                REFUSE));
            }
        }
    }

    // ---------------------------------------------------------------- the CNN path

    /** One imported layer: sltk's layer and, for conv and dense, its float64 parameters. */
    private static final class Step {
        final String path;
        Layer layer; // null for a conv until its shape is final
        final String kind; // Conv2d, Linear, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Norm
        double[] weight; // (out, in, r, r) or (out, in), as read
        double[] bias; // as read, or null
        int out;
        int in;
        int kernel;
        int stride = 1;
        int padding;
        int dilation = 1;
        int pool;
        Step bn; // the BatchNorm2d folded into this conv
        double[] gamma;
        double[] beta;
        double[] mean;
        double[] var;
        double eps;

        Step(String path, String kind) {
            this.path = path;
            this.kind = kind;
        }
    }

    /** A CNN read from the archive: its steps, input shape and whether it is float64. */
    private static final class CnnSpec {
        final List<Step> steps = new ArrayList<>();
        Map<String, double[]> params = new LinkedHashMap<>();
        Layer.Normalize normalize;
        int[] input;
        int folded;
        boolean float64;

        /** The network with every batch norm folded, float32. */
        TargetNetwork network(String label) {
            List<Layer> layers = new ArrayList<>();
            List<float[]> w = new ArrayList<>();
            List<float[]> b = new ArrayList<>();
            if (normalize != null) {
                layers.add(normalize);
            }
            for (Step s : steps) {
                layers.add(s.layer);
                if (s.layer instanceof Layer.Parametric) {
                    double[][] f = folded(s);
                    w.add(toFloat(f[0]));
                    b.add(f[1] == null ? null : toFloat(f[1]));
                }
            }
            Architecture arch;
            try {
                arch = new Architecture(input, layers);
            } catch (InputException e) {
                throw new InputException(label + ": " + e.getMessage(), e);
            }
            return TargetNetwork.of(arch, w, b, label);
        }

        /**
         * Folds the batch norm of a conv in float64: w' = w g / sqrt(v + eps), b' = beta + (b - m)
         * g / sqrt(v + eps).
         */
        static double[][] folded(Step s) {
            if (s.bn == null) {
                return new double[][] {s.weight, s.bias};
            }
            Step n = s.bn;
            int fan = s.weight.length / s.out;
            double[] w = new double[s.weight.length];
            double[] b = new double[s.out];
            for (int o = 0; o < s.out; o++) {
                double scale = n.gamma[o] / Math.sqrt(n.var[o] + n.eps);
                for (int j = 0; j < fan; j++) {
                    w[o * fan + j] = s.weight[o * fan + j] * scale;
                }
                b[o] = n.beta[o] + ((s.bias == null ? 0 : s.bias[o]) - n.mean[o]) * scale;
            }
            return new double[][] {w, b};
        }

        /** The folding error: folded float32 network vs conv + batch norm, both in float64. */
        double foldingError(TargetNetwork net, double[][] xs) {
            double worst = 0;
            for (double[] x : xs) {
                double[] got = net.forward64(x);
                double[] want = reference64(x);
                for (int i = 0; i < got.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - want[i]));
                }
            }
            return worst;
        }

        /** The unfolded network in float64: conv, then batch norm, as PyTorch defines them. */
        double[] reference64(double[] x) {
            int[] shape = input.clone();
            double[] h = x.clone();
            if (normalize != null) {
                int area = shape[1] * shape[2];
                for (int t = 0; t < h.length; t++) {
                    h[t] = normalize.apply(x[t], t / area);
                }
            }
            for (Step s : steps) {
                Layer l = s.layer;
                if (l instanceof Layer.Parametric p) {
                    int r = p.kernel();
                    int ho =
                            (shape[1] + 2 * p.padding() - p.dilation() * (r - 1) - 1) / p.stride()
                                    + 1;
                    int wo =
                            (shape[2] + 2 * p.padding() - p.dilation() * (r - 1) - 1) / p.stride()
                                    + 1;
                    if (l instanceof Layer.Linear) {
                        ho = 1;
                        wo = 1;
                    }
                    double[] z = new double[p.out() * ho * wo];
                    int cin = l instanceof Layer.Linear ? h.length : shape[0];
                    for (int o = 0; o < p.out(); o++) {
                        for (int y = 0; y < ho; y++) {
                            for (int xx = 0; xx < wo; xx++) {
                                double acc = s.bias == null ? 0 : s.bias[o];
                                for (int i = 0; i < cin; i++) {
                                    for (int dy = 0; dy < r; dy++) {
                                        int iy = y * p.stride() - p.padding() + dy * p.dilation();
                                        if (l instanceof Layer.Conv2d
                                                && (iy < 0 || iy >= shape[1])) {
                                            continue;
                                        }
                                        for (int dx = 0; dx < r; dx++) {
                                            int ix =
                                                    xx * p.stride()
                                                            - p.padding()
                                                            + dx * p.dilation();
                                            if (l instanceof Layer.Conv2d
                                                    && (ix < 0 || ix >= shape[2])) {
                                                continue;
                                            }
                                            int at =
                                                    l instanceof Layer.Linear
                                                            ? i
                                                            : (i * shape[1] + iy) * shape[2] + ix;
                                            acc +=
                                                    s.weight[((o * cin + i) * r + dy) * r + dx]
                                                            * h[at];
                                        }
                                    }
                                }
                                if (s.bn != null) {
                                    Step n = s.bn;
                                    acc =
                                            (acc - n.mean[o])
                                                            / Math.sqrt(n.var[o] + n.eps)
                                                            * n.gamma[o]
                                                    + n.beta[o];
                                }
                                z[(o * ho + y) * wo + xx] = acc;
                            }
                        }
                    }
                    h = z;
                    shape = new int[] {p.out(), ho, wo};
                } else if (l instanceof Layer.ReLU) {
                    for (int t = 0; t < h.length; t++) {
                        h[t] = Math.max(0, h[t]);
                    }
                } else if (l instanceof Layer.MaxPool2d || l instanceof Layer.AvgPool2d) {
                    int k = s.pool;
                    int ho = shape[1] / k;
                    int wo = shape[2] / k;
                    double[] z = new double[shape[0] * ho * wo];
                    for (int c = 0; c < shape[0]; c++) {
                        for (int y = 0; y < ho; y++) {
                            for (int xx = 0; xx < wo; xx++) {
                                double acc =
                                        l instanceof Layer.MaxPool2d ? Double.NEGATIVE_INFINITY : 0;
                                for (int dy = 0; dy < k; dy++) {
                                    for (int dx = 0; dx < k; dx++) {
                                        double v =
                                                h[
                                                        (c * shape[1] + y * k + dy) * shape[2]
                                                                + xx * k
                                                                + dx];
                                        acc =
                                                l instanceof Layer.MaxPool2d
                                                        ? Math.max(acc, v)
                                                        : acc + v;
                                    }
                                }
                                z[(c * ho + y) * wo + xx] =
                                        l instanceof Layer.MaxPool2d ? acc : acc / (k * k);
                            }
                        }
                    }
                    h = z;
                    shape = new int[] {shape[0], ho, wo};
                } else { // flatten
                    shape = new int[] {h.length, 1, 1};
                }
            }
            return h;
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Reads the CNN's layers from the pickled module tree, in declaration order. */
    private static CnnSpec cnnSpec(Path file, Graph g, String label, int[] input) {
        CnnSpec spec = new CnnSpec();
        Object root;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            try {
                root = TorchPickle.read(g.pickle);
            } catch (InputException e) {
                throw new InputException(label + ": " + e.getMessage(), e);
            }
            if (!(root instanceof TorchPickle.Obj r)) {
                throw new InputException(label + ": data.pkl does not hold a module object");
            }
            Tensors t = new Tensors(zip, g.top, label, spec);
            ScriptClass rc = g.classes.get(g.root);
            spec.normalize = normalisation(r, rc, t, label);
            walk(r, "", g, t, spec, label, true);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (spec.steps.stream()
                .noneMatch(s -> s.kind.equals("Linear") || s.kind.equals("Conv2d"))) {
            throw new InputException(label + ": no Conv2d or Linear layer" + REFUSE);
        }
        Step last = spec.steps.get(spec.steps.size() - 1);
        if (!last.kind.equals("Linear")) {
            throw new InputException(
                    label
                            + ": the last layer '"
                            + last.path
                            + "' is "
                            + last.kind
                            + "; sltk needs a Linear last, to give the logits and to infer the input size");
        }
        inferInput(spec, label, input);
        return spec;
    }

    /** Reads the tensors of the archive's {@code data/} records. */
    private record Tensors(ZipFile zip, String top, String label, CnnSpec spec) {
        double[] read(TorchPickle.TensorRef ref, String name) {
            ZipEntry e = zip.getEntry(top + "/data/" + ref.key());
            if (e == null) {
                throw new InputException(
                        label + ": tensor '" + name + "' has no record data/" + ref.key());
            }
            if (ref.storageType().equals("DoubleStorage")) {
                spec.float64 = true;
            }
            try {
                return ref.values(TorchScriptImport.read(zip, e));
            } catch (IOException ex) {
                throw new InputException(label + ": cannot read tensor '" + name + "'", ex);
            } catch (InputException ex) {
                throw new InputException(label + ": tensor '" + name + "': " + ex.getMessage(), ex);
            }
        }
    }

    /** Finds {@code (x - self.a) / self.b} in the top module's forward. */
    private static Layer.Normalize normalisation(
            TorchPickle.Obj root, ScriptClass rc, Tensors t, String label) {
        Map<String, String> alias = new LinkedHashMap<>();
        String sub = null;
        String div = null;
        for (String line : rc.lines) {
            Matcher a = ALIAS.matcher(line);
            if (a.matches()) {
                alias.put(a.group(1), a.group(2));
            }
            List<String> s = args(line, "torch.sub(");
            if (s != null) {
                if (sub != null || s.size() != 2) {
                    throw new InputException(
                            label
                                    + ": forward of '"
                                    + simpleName(rc.qualifiedName)
                                    + "' calls torch.sub "
                                    + quote(line)
                                    + "; sltk takes one (x - mean) / std at the start of forward"
                                    + REFUSE);
                }
                sub = s.get(1);
            }
            List<String> d = args(line, "torch.div(");
            if (d != null) {
                if (div != null || d.size() != 2) {
                    throw new InputException(
                            label
                                    + ": forward of '"
                                    + simpleName(rc.qualifiedName)
                                    + "' calls torch.div "
                                    + quote(line)
                                    + "; sltk takes one (x - mean) / std at the start of forward"
                                    + REFUSE);
                }
                div = d.get(1);
            }
        }
        if (sub == null && div == null) {
            return null;
        }
        if (sub == null || div == null) {
            throw new InputException(
                    label
                            + ": forward of '"
                            + simpleName(rc.qualifiedName)
                            + "' calls torch."
                            + (sub == null ? "div" : "sub")
                            + " without torch."
                            + (sub == null ? "sub" : "div")
                            + "; sltk takes an input normalisation (x - mean) / std with both as buffers"
                            + REFUSE);
        }
        double[] mean = buffer(root, alias.getOrDefault(sub, sub), t, label, rc);
        double[] std = buffer(root, alias.getOrDefault(div, div), t, label, rc);
        if (mean.length != std.length && mean.length != 1 && std.length != 1) {
            throw new InputException(
                    label
                            + ": the normalisation's mean has "
                            + mean.length
                            + " values, its std "
                            + std.length);
        }
        int c = Math.max(mean.length, std.length);
        float[] m = new float[c];
        float[] s = new float[c];
        for (int i = 0; i < c; i++) {
            m[i] = (float) mean[mean.length == 1 ? 0 : i];
            s[i] = (float) std[std.length == 1 ? 0 : i];
        }
        try {
            return new Layer.Normalize(m, s);
        } catch (InputException e) {
            throw new InputException(label + ": " + e.getMessage(), e);
        }
    }

    private static double[] buffer(
            TorchPickle.Obj root, String name, Tensors t, String label, ScriptClass rc) {
        Object v = root.state().get(name);
        if (!(v instanceof TorchPickle.TensorRef ref)) {
            throw new InputException(
                    label
                            + ": forward of '"
                            + simpleName(rc.qualifiedName)
                            + "' normalises with '"
                            + name
                            + "', which is not a tensor attribute (register mean and std as buffers)"
                            + REFUSE);
        }
        long[] size = ref.size();
        long channels = ref.numel();
        boolean perChannel =
                channels == 1
                        || (size.length >= 3 && size[size.length - 3] == channels)
                        || (size.length <= 2 && size[size.length - 1] == channels);
        if (!perChannel) {
            throw new InputException(
                    label
                            + ": normalisation buffer '"
                            + name
                            + "' has shape "
                            + java.util.Arrays.toString(size)
                            + "; sltk takes one value per channel, shape (1, C, 1, 1)");
        }
        return t.read(ref, name);
    }

    /** Walks the module tree depth-first in declaration order, adding a step per layer. */
    private static void walk(
            TorchPickle.Obj obj,
            String path,
            Graph g,
            Tensors t,
            CnnSpec spec,
            String label,
            boolean root) {
        for (Map.Entry<String, Object> e : obj.state().entrySet()) {
            String childPath = join(path, e.getKey());
            Object v = e.getValue();
            if (v instanceof TorchPickle.TensorRef) {
                if (!root) {
                    throw new InputException(
                            label
                                    + ": tensor '"
                                    + childPath
                                    + "' belongs to no layer; sltk reads weights from "
                                    + MODULES
                                    + " modules only");
                }
                continue; // the normalisation's buffers, checked by normalisation()
            }
            if (!(v instanceof TorchPickle.Obj child)
                    || !child.className().startsWith("__torch__.")) {
                continue;
            }
            String type = child.className();
            String simple = simpleName(type);
            if (!isTorchNn(type) || CONTAINERS.contains(simple)) {
                walk(child, childPath, g, t, spec, label, false);
                continue;
            }
            ScriptClass code = g.classes.get(type);
            leaf(child, childPath, simple, code, t, spec, label);
        }
    }

    private static void leaf(
            TorchPickle.Obj m,
            String path,
            String type,
            ScriptClass code,
            Tensors t,
            CnnSpec spec,
            String label) {
        Map<String, String> fin = code == null ? Map.of() : code.finals;
        List<String> lines = code == null ? List.of() : code.lines;
        String at = label + ": layer '" + path + "' is " + type;
        switch (type) {
            case "Identity", "Dropout" -> {
                return; // identity at eval
            }
            case "ReLU" -> spec.steps.add(step(path, type, new Layer.ReLU()));
            case "Flatten" -> {
                int[] start = ints(fin.get("start_dim"));
                int[] end = ints(fin.get("end_dim"));
                List<String> a = callArgs(lines, "torch.flatten(");
                if (start == null && a != null && a.size() >= 2) {
                    start = ints(a.get(1));
                    end = a.size() >= 3 ? ints(a.get(2)) : new int[] {-1};
                }
                if ((start != null && start[0] != 1) || (end != null && end[0] != -1)) {
                    throw new InputException(
                            at
                                    + " with start_dim "
                                    + fin.get("start_dim")
                                    + " and end_dim "
                                    + fin.get("end_dim")
                                    + "; sltk flattens (c, h, w) to features only (start_dim 1, end_dim -1)");
                }
                spec.steps.add(step(path, type, new Layer.Flatten()));
            }
            case "Linear" -> {
                Step s = new Step(path, type);
                TorchPickle.TensorRef w = tensor(m, "weight", path, label);
                s.out = (int) w.size()[0];
                s.in = (int) w.size()[1];
                s.weight = t.read(w, path + ".weight");
                s.bias = optTensor(m, "bias", path, t, label);
                s.layer = new Layer.Linear(s.in, s.out, s.bias != null);
                spec.params.put(path + ".weight", s.weight);
                if (s.bias != null) {
                    spec.params.put(path + ".bias", s.bias);
                }
                spec.steps.add(s);
            }
            case "Conv2d" -> spec.steps.add(conv(m, path, fin, lines, t, spec, at, label));
            case "BatchNorm2d" -> batchNorm(m, path, fin, lines, t, spec, at, label);
            case "MaxPool2d", "AvgPool2d" -> {
                boolean max = type.equals("MaxPool2d");
                int[] k;
                int[] st;
                int[] pad;
                int[] dil = {1};
                boolean ceil;
                if (fin.containsKey("kernel_size")) {
                    k = ints(fin.get("kernel_size"));
                    st = fin.containsKey("stride") ? ints(fin.get("stride")) : k;
                    pad = ints(fin.getOrDefault("padding", "0"));
                    if (max) {
                        dil = ints(fin.getOrDefault("dilation", "1"));
                    }
                    ceil = "True".equals(fin.get("ceil_mode"));
                    if (!max && !"None".equals(fin.getOrDefault("divisor_override", "None"))) {
                        throw new InputException(
                                at
                                        + " with divisor_override "
                                        + fin.get("divisor_override")
                                        + "; sltk averages over the window");
                    }
                } else {
                    List<String> a =
                            callArgs(lines, max ? "torch.max_pool2d(" : "torch.avg_pool2d(");
                    if (a == null || a.size() < 4) {
                        throw new InputException(
                                at + " whose pooling call sltk cannot read" + REFUSE);
                    }
                    k = ints(a.get(1));
                    st = ints(a.get(2));
                    if (st != null && st.length == 0) {
                        st = k;
                    }
                    pad = ints(a.get(3));
                    if (max) {
                        dil = a.size() > 4 ? ints(a.get(4)) : new int[] {1};
                        ceil = a.size() > 5 && a.get(5).equals("True");
                    } else {
                        ceil = a.size() > 4 && a.get(4).equals("True");
                        if (a.size() > 6 && !a.get(6).equals("None")) {
                            throw new InputException(
                                    at
                                            + " with divisor_override "
                                            + a.get(6)
                                            + "; sltk averages over the window");
                        }
                    }
                }
                int ks = square(k, at, "kernel_size");
                int ss = square(st, at, "stride");
                int ps = square(pad, at, "padding");
                int ds = square(dil, at, "dilation");
                if (ss != ks || ps != 0 || ds != 1 || ceil) {
                    throw new InputException(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%s with kernel_size %d, stride %d, padding %d%s%s; sltk pools"
                                            + " non-overlapping windows only (stride = kernel_size,"
                                            + " padding 0, dilation 1, ceil_mode False)",
                                    at,
                                    ks,
                                    ss,
                                    ps,
                                    ds != 1 ? ", dilation " + ds : "",
                                    ceil ? ", ceil_mode True" : ""));
                }
                Step s = step(path, type, max ? new Layer.MaxPool2d(ks) : new Layer.AvgPool2d(ks));
                s.pool = ks;
                spec.steps.add(s);
            }
            default -> throw new InputException(at + REFUSE);
        }
    }

    private static Step step(String path, String kind, Layer l) {
        Step s = new Step(path, kind);
        s.layer = l;
        return s;
    }

    private static Step conv(
            TorchPickle.Obj m,
            String path,
            Map<String, String> fin,
            List<String> lines,
            Tensors t,
            CnnSpec spec,
            String at,
            String label) {
        int[] stride;
        int[] padding;
        int[] dilation;
        int groups;
        String mode = fin.get("padding_mode");
        if (mode != null) {
            stride = ints(fin.get("stride"));
            padding = ints(fin.get("padding"));
            dilation = ints(fin.get("dilation"));
            groups = ints(fin.getOrDefault("groups", "1"))[0];
            mode = mode.replace("\"", "").replace("'", "");
        } else {
            List<String> a = callArgs(lines, "torch._convolution(");
            List<String> b = a == null ? callArgs(lines, "torch.conv2d(") : null;
            if (a != null && a.size() >= 9) {
                stride = ints(a.get(3));
                padding = ints(a.get(4));
                dilation = ints(a.get(5));
                if (a.get(6).equals("True")) {
                    throw new InputException(at + " transposed" + REFUSE);
                }
                groups = ints(a.get(8)) == null ? -1 : ints(a.get(8))[0];
            } else if (b != null && b.size() >= 6) {
                stride = ints(b.get(3));
                padding = ints(b.get(4));
                dilation = ints(b.get(5));
                groups = b.size() > 6 ? (ints(b.get(6)) == null ? -1 : ints(b.get(6))[0]) : 1;
            } else {
                throw new InputException(at + " whose convolution call sltk cannot read" + REFUSE);
            }
            mode = "zeros";
            for (String line : lines) {
                Matcher c = TORCH_CALL.matcher(line);
                while (c.find()) {
                    String op = c.group(1);
                    if (!op.equals("_convolution") && !op.equals("conv2d")) {
                        throw new InputException(
                                at
                                        + " calling torch."
                                        + op
                                        + " "
                                        + quote(line)
                                        + "; sltk takes zero-padded convolutions only"
                                        + REFUSE);
                    }
                }
            }
        }
        if (groups != 1) {
            throw new InputException(at + " with groups " + groups + "; sltk takes groups 1 only");
        }
        if (!mode.equals("zeros")) {
            throw new InputException(
                    at + " with padding_mode '" + mode + "'; sltk takes padding_mode 'zeros' only");
        }
        TorchPickle.TensorRef w = tensor(m, "weight", path, label);
        long[] ws = w.size();
        if (ws.length != 4) {
            throw new InputException(
                    at + " with a weight of shape " + java.util.Arrays.toString(ws));
        }
        if (ws[2] != ws[3]) {
            throw new InputException(
                    at
                            + " with kernel "
                            + ws[2]
                            + "x"
                            + ws[3]
                            + "; sltk takes square kernels only");
        }
        Step s = new Step(path, "Conv2d");
        s.out = (int) ws[0];
        s.in = (int) ws[1];
        s.kernel = (int) ws[2];
        s.stride = square(stride, at, "stride");
        s.padding = square(padding, at, "padding");
        s.dilation = square(dilation, at, "dilation");
        s.weight = t.read(w, path + ".weight");
        s.bias = optTensor(m, "bias", path, t, label);
        spec.params.put(path + ".weight", s.weight);
        if (s.bias != null) {
            spec.params.put(path + ".bias", s.bias);
        }
        s.layer = convLayer(s);
        return s;
    }

    private static Layer.Conv2d convLayer(Step s) {
        return new Layer.Conv2d(
                s.in,
                s.out,
                s.kernel,
                s.stride,
                s.padding,
                s.dilation,
                s.bias != null || s.bn != null);
    }

    private static void batchNorm(
            TorchPickle.Obj m,
            String path,
            Map<String, String> fin,
            List<String> lines,
            Tensors t,
            CnnSpec spec,
            String at,
            String label) {
        Step prev = spec.steps.isEmpty() ? null : spec.steps.get(spec.steps.size() - 1);
        if (prev == null || !prev.kind.equals("Conv2d") || prev.bn != null) {
            throw new InputException(
                    at
                            + " after "
                            + (prev == null
                                    ? (spec.normalize != null
                                            ? "the input normalisation"
                                            : "the input")
                                    : prev.bn != null
                                            ? "another BatchNorm2d '" + prev.bn.path + "'"
                                            : prev.kind + " '" + prev.path + "'")
                            + "; sltk folds a BatchNorm2d only into the Conv2d right before it");
        }
        boolean training = Boolean.TRUE.equals(m.state().get("training"));
        List<String> call = callArgs(lines, "torch.batch_norm(");
        double eps;
        if (fin.containsKey("eps")) {
            eps = Double.parseDouble(fin.get("eps"));
        } else if (call != null && call.size() >= 8) {
            training |= call.get(5).equals("True");
            eps = Double.parseDouble(call.get(7));
        } else {
            throw new InputException(at + " whose batch_norm call sltk cannot read" + REFUSE);
        }
        if (training) {
            throw new InputException(
                    at + " in training mode; call model.eval() before torch.jit.script or trace");
        }
        if (!(m.state().get("running_mean") instanceof TorchPickle.TensorRef)
                || !(m.state().get("running_var") instanceof TorchPickle.TensorRef)) {
            throw new InputException(
                    at
                            + " without running statistics (track_running_stats=False); sltk folds eval-mode statistics only");
        }
        Step n = new Step(path, "BatchNorm2d");
        n.mean =
                t.read(
                        (TorchPickle.TensorRef) m.state().get("running_mean"),
                        path + ".running_mean");
        n.var = t.read((TorchPickle.TensorRef) m.state().get("running_var"), path + ".running_var");
        n.gamma = optTensor(m, "weight", path, t, label);
        n.beta = optTensor(m, "bias", path, t, label);
        if (n.gamma != null) {
            spec.params.put(path + ".weight", n.gamma);
        }
        if (n.beta != null) {
            spec.params.put(path + ".bias", n.beta);
        }
        int c = n.mean.length;
        if (c != prev.out || n.var.length != c) {
            throw new InputException(at + " of " + c + " channels after a conv of " + prev.out);
        }
        if (n.gamma == null) {
            n.gamma = new double[c];
            java.util.Arrays.fill(n.gamma, 1);
        }
        if (n.beta == null) {
            n.beta = new double[c];
        }
        n.eps = eps;
        prev.bn = n;
        prev.layer = convLayer(prev);
        spec.folded++;
    }

    private static TorchPickle.TensorRef tensor(
            TorchPickle.Obj m, String name, String path, String label) {
        if (!(m.state().get(name) instanceof TorchPickle.TensorRef r)) {
            throw new InputException(label + ": layer '" + path + "' has no tensor '" + name + "'");
        }
        return r;
    }

    private static double[] optTensor(
            TorchPickle.Obj m, String name, String path, Tensors t, String label) {
        Object v = m.state().get(name);
        return v instanceof TorchPickle.TensorRef r ? t.read(r, path + "." + name) : null;
    }

    /** One value from a symmetric pair, refusing (a, b) with a != b. */
    private static int square(int[] v, String at, String what) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new InputException(at + " whose " + what + " sltk cannot read" + REFUSE);
        }
        if (v.length == 2 && v[0] != v[1]) {
            throw new InputException(
                    at
                            + " with "
                            + what
                            + " ("
                            + v[0]
                            + ", "
                            + v[1]
                            + "); sltk takes the same "
                            + what
                            + " in both directions only");
        }
        return v[0];
    }

    /** Parses {@code 2}, {@code (1, 2)} or {@code [1, 2]}; null if it is not a list of ints. */
    static int[] ints(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if ((t.startsWith("(") && t.endsWith(")")) || (t.startsWith("[") && t.endsWith("]"))) {
            t = t.substring(1, t.length() - 1).trim();
        }
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",");
        List<Integer> v = new ArrayList<>();
        for (String p : parts) {
            if (p.isBlank()) {
                continue;
            }
            try {
                v.add(Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return v.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The top-level arguments of the first call {@code head} in the lines, or null. */
    private static List<String> callArgs(List<String> lines, String head) {
        for (String line : lines) {
            List<String> a = args(line, head);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    /** The top-level arguments of call {@code head} in one line, or null. */
    private static List<String> args(String line, String head) {
        int i = line.indexOf(head);
        if (i < 0
                || (i > 0
                        && (Character.isLetterOrDigit(line.charAt(i - 1))
                                || line.charAt(i - 1) == '.'
                                || line.charAt(i - 1) == '_'))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (int k = i + head.length(); k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '(' || c == '[') {
                depth++;
            } else if (c == ')' || c == ']') {
                if (depth == 0) {
                    if (!cur.toString().isBlank()) {
                        out.add(cur.toString().trim());
                    }
                    return out;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(cur.toString().trim());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        return null;
    }

    /**
     * Infers the square input c x s x s: the smallest s for which the layers chain and the first
     * Linear gets the features it takes.
     */
    private static void inferInput(CnnSpec spec, String label, int[] data) {
        Step first =
                spec.steps.stream()
                        .filter(s -> s.layer instanceof Layer.Parametric)
                        .findFirst()
                        .orElseThrow();
        if (first.layer instanceof Layer.Linear) {
            spec.input = new int[] {first.in, 1, 1};
            insertFlattens(spec);
            return;
        }
        insertFlattens(spec);
        List<Layer> layers = new ArrayList<>();
        if (spec.normalize != null) {
            layers.add(spec.normalize);
        }
        spec.steps.forEach(s -> layers.add(s.layer));
        if (data != null) {
            spec.input = data.clone();
            try {
                new Architecture(spec.input, layers);
            } catch (InputException e) {
                throw new InputException(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s: does not take the data's %dx%dx%d images: %s; use --data"
                                        + " matching the model",
                                label,
                                data[0],
                                data[1],
                                data[2],
                                e.getMessage()),
                        e);
            }
            return;
        }
        for (int size = 1; size <= 4096; size++) {
            spec.input = new int[] {first.in, size, size};
            try {
                new Architecture(spec.input, layers);
                return;
            } catch (InputException e) {
                // not this size
            }
        }
        throw new InputException(
                label
                        + ": no square input of "
                        + first.in
                        + " channels up to 4096 x 4096 gives the layers' shapes (the first Linear's in_features)");
    }

    /** Adds a Flatten before a Linear that follows a conv or pooling layer without one. */
    private static void insertFlattens(CnnSpec spec) {
        boolean spatial =
                spec.steps.get(0).layer instanceof Layer.Conv2d
                        || spec.steps.get(0).layer instanceof Layer.MaxPool2d
                        || spec.steps.get(0).layer instanceof Layer.AvgPool2d;
        List<Step> out = new ArrayList<>();
        for (Step s : spec.steps) {
            if (s.layer instanceof Layer.Flatten || s.layer instanceof Layer.Linear) {
                if (s.layer instanceof Layer.Linear && spatial) {
                    out.add(step(s.path, "Flatten", new Layer.Flatten()));
                }
                spatial = false;
            } else if (s.layer instanceof Layer.Conv2d
                    || s.layer instanceof Layer.MaxPool2d
                    || s.layer instanceof Layer.AvgPool2d) {
                spatial = true;
            }
            out.add(s);
        }
        spec.steps.clear();
        spec.steps.addAll(out);
    }

    /** The parameter check: libtorch's parameters are the ones read from the archive. */
    private static void checkParameters(
            ai.djl.util.PairList<String, Parameter> params, CnnSpec spec, String label) {
        int seen = 0;
        for (Pair<String, Parameter> p : params) {
            double[] mine = spec.params.get(p.getKey());
            if (mine == null) {
                throw new InputException(
                        label
                                + ": parameter '"
                                + p.getKey()
                                + "' belongs to no layer sltk imports"
                                + REFUSE);
            }
            double[] theirs =
                    p.getValue().getArray().toType(DataType.FLOAT64, false).toDoubleArray();
            if (!java.util.Arrays.equals(mine, theirs)) {
                throw new InputException(
                        label
                                + ": parameter '"
                                + p.getKey()
                                + "' read from the archive differs from libtorch's");
            }
            seen++;
        }
        if (seen != spec.params.size()) {
            throw new InputException(
                    label
                            + ": libtorch lists "
                            + seen
                            + " parameters, the archive's layers "
                            + spec.params.size());
        }
    }

    private static double[][] probeInputs(TargetNetwork net) {
        int batch = 16;
        int d = net.inputSize();
        CounterRandom rng = new CounterRandom(17);
        double[][] x = new double[batch][d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                x[b][i] = rng.symmetricFloat(0, (long) b * d + i) * 2;
            }
        }
        return x;
    }

    /** The function check of a CNN: the module gives the logits of the imported network. */
    private static void probeCnn(
            Model model, TargetNetwork net, double[][] xs, boolean float64, String label) {
        int batch = xs.length;
        int d = net.inputSize();
        int[] in = net.architecture().inputShape();
        float[] x = new float[batch * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                x[b * d + i] = (float) xs[b][i];
            }
        }
        Shape shape =
                in[1] == 1 && in[2] == 1
                        ? new Shape(batch, d)
                        : new Shape(batch, in[0], in[1], in[2]);
        try (Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator())) {
            NDArray input = model.getNDManager().create(x, shape);
            NDList out;
            try {
                out =
                        p.predict(
                                new NDList(
                                        float64 ? input.toType(DataType.FLOAT64, false) : input));
            } catch (Exception e) {
                throw new InputException(
                        label
                                + ": running the module on a "
                                + shape
                                + " input failed: "
                                + firstLine(String.valueOf(e.getMessage()))
                                + REFUSE,
                        e);
            }
            if (out.size() != 1
                    || !out.head().getShape().equals(new Shape(batch, net.outputSize()))) {
                throw new InputException(
                        label
                                + ": the module returns "
                                + out.getShapes()
                                + " for a "
                                + shape
                                + " input, expected ("
                                + batch
                                + ", "
                                + net.outputSize()
                                + ")"
                                + REFUSE);
            }
            float[] got = out.head().toType(DataType.FLOAT32, false).toFloatArray();
            float[] want = net.forward(input).toFloatArray();
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
            }
            if (!(worst <= 1e-4)) {
                throw new InputException(
                        String.format(
                                java.util.Locale.ROOT,
                                "%s: the module does not compute the chain of its layers in the order they"
                                        + " are declared (%s; relative difference %.3g on random inputs)%s",
                                label,
                                net.describe(),
                                worst,
                                REFUSE));
            }
        }
    }

    private static byte[] read(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length && i < from + 512; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isTorchNn(String qualifiedName) {
        return qualifiedName.startsWith("__torch__.torch.nn.");
    }

    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
