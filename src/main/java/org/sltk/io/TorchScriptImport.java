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

    private static final String REFUSE = "; sltk prunes only Linear+ReLU MLPs";

    private static final Set<String> LEAVES =
            Set.of("Linear", "ReLU", "Flatten", "Identity", "Dropout");
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
                    "detach");
    private static final Set<String> FUNCTIONAL = Set.of("relu", "linear", "dropout", "flatten");
    private static final Pattern CLASS = Pattern.compile("^class (\\w+)\\((\\w+)\\):");
    private static final Pattern ATTR = Pattern.compile("^  (\\w+) : (.+)$");
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
            List<String> lines) {}

    /**
     * Reads a TorchScript ReLU MLP.
     *
     * @param file the {@code .pt} file
     * @return the network, float32
     * @throws InputException if the file is not TorchScript, or not a plain Linear+ReLU MLP
     */
    public static TargetNetwork load(Path file) {
        String label = file.getFileName().toString();
        checkGraph(file, label);
        Engines.engine();
        try (Model model = Model.newInstance("import", Device.cpu(), "PyTorch")) {
            try {
                model.load(file);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new InputException(
                        file + ": libtorch cannot load it: " + firstLine(e.getMessage()), e);
            }
            TargetNetwork net = layers(model.getBlock().getDirectParameters(), label);
            probe(model, net, label);
            return net;
        }
    }

    /**
     * Checks the module graph from the archive's code entries.
     *
     * @param file the archive
     * @param label how messages name the file
     * @throws InputException naming the first layer or call that is not Linear/ReLU
     */
    static void checkGraph(Path file, String label) {
        Map<String, ScriptClass> classes = new LinkedHashMap<>();
        Map<String, List<String>> functions = new LinkedHashMap<>();
        String root;
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": file not found");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String top = null;
            byte[] pickle = null;
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
        visit(rc, "", classes, label);
        for (Map.Entry<String, List<String>> f : functions.entrySet()) {
            checkCalls(f.getValue(), "function " + f.getKey(), label);
        }
    }

    private static void visit(
            ScriptClass c, String path, Map<String, ScriptClass> classes, String label) {
        String where =
                path.isEmpty()
                        ? "forward of '" + simpleName(c.qualifiedName) + "'"
                        : "layer '" + path + "'";
        checkCalls(c.lines, where, label);
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
            visit(child, childPath, classes, label);
        }
    }

    private static void checkCalls(List<String> lines, String where, String label) {
        for (String line : lines) {
            Matcher m = TORCH_CALL.matcher(line);
            while (m.find()) {
                if (!TORCH_OPS.contains(m.group(1))) {
                    throw new InputException(
                            label + ": " + where + " calls torch." + m.group(1) + REFUSE);
                }
            }
            m = FUNCTIONAL_CALL.matcher(line);
            while (m.find()) {
                if (!FUNCTIONAL.contains(m.group(1))) {
                    throw new InputException(
                            label
                                    + ": "
                                    + where
                                    + " calls torch.nn.functional."
                                    + m.group(1)
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
                                    + REFUSE);
                }
            }
        }
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
