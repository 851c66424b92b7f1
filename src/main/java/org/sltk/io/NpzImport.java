package org.sltk.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Imports a ReLU MLP from a NumPy {@code .npz} file ({@code np.savez} or {@code
 * np.savez_compressed}). The activation cannot be stored in an .npz: the file is taken to be a ReLU
 * MLP (ReLU after every layer but the last).
 *
 * <p>Naming conventions (weights are (out, in) as in {@code torch.nn.Linear}, biases (out)):
 *
 * <ul>
 *   <li>{@code w0, b0, w1, b1, ...} (or from 1): layer order is the number; biases all or none;
 *   <li>PyTorch state-dict style, e.g. {@code fc1.weight, fc1.bias, fc2.weight, ...} or {@code
 *       0.weight, 2.weight}: names ending in {@code weight}/{@code bias}, grouped by what comes
 *       before, in the order the arrays appear in the file ({@code np.savez(f,
 *       **model.state_dict())} keeps the module's order).
 * </ul>
 *
 * Arrays must be float32 or float64 (stored as float32), finite, and chain; every refusal is one
 * line naming the array.
 */
public final class NpzImport {

    private static final Pattern NUMBERED = Pattern.compile("([wWbB])(\\d+)");

    private NpzImport() {}

    /**
     * Reads an MLP from an .npz file.
     *
     * @param file the file
     * @return the network
     * @throws InputException if the file is not an .npz, or its arrays do not form an MLP
     */
    public static TargetNetwork load(Path file) {
        String label = file.getFileName().toString();
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                InputStream in = Files.newInputStream(file)) {
            NDList list;
            try {
                list = NDList.decode(m, in);
            } catch (RuntimeException e) {
                throw new InputException(
                        file
                                + ": not a NumPy .npz file ("
                                + TorchScriptImport.firstLine(e.getMessage())
                                + ")");
            }
            return WeightArrays.network(layers(list, label), label);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static List<WeightArrays.Layer> layers(NDList list, String label) {
        List<String> names = new ArrayList<>();
        for (NDArray a : list) {
            if (a.getName() == null || a.getName().isEmpty()) {
                throw new InputException(
                        label
                                + ": arrays without names; save with np.savez(file, w0=..., b0=..., w1=...)");
            }
            names.add(a.getName());
        }
        if (names.stream().allMatch(n -> NUMBERED.matcher(n).matches())) {
            return numbered(list, label);
        }
        if (names.stream().allMatch(n -> n.endsWith("weight") || n.endsWith("bias"))) {
            return stateDict(list, label);
        }
        throw new InputException(
                label
                        + ": cannot tell the layers from the array names "
                        + names
                        + "; name them w0, b0, w1, b1, ... or fc1.weight, fc1.bias, ... (weights (out, in))");
    }

    private static List<WeightArrays.Layer> numbered(NDList list, String label) {
        TreeMap<Integer, NDArray> w = new TreeMap<>();
        TreeMap<Integer, NDArray> b = new TreeMap<>();
        Map<Integer, String> wn = new LinkedHashMap<>();
        Map<Integer, String> bn = new LinkedHashMap<>();
        for (NDArray a : list) {
            Matcher mt = NUMBERED.matcher(a.getName());
            mt.matches();
            int idx = Integer.parseInt(mt.group(2));
            boolean weight = mt.group(1).equalsIgnoreCase("w");
            if ((weight ? w : b).put(idx, a) != null) {
                throw new InputException(label + ": two arrays numbered " + a.getName());
            }
            (weight ? wn : bn).put(idx, a.getName());
        }
        if (w.isEmpty()) {
            throw new InputException(label + ": no weight arrays (w0, w1, ...)");
        }
        int first = w.firstKey();
        List<WeightArrays.Layer> layers = new ArrayList<>();
        for (int i = first; i < first + w.size(); i++) {
            if (!w.containsKey(i)) {
                throw new InputException(
                        label
                                + ": weights "
                                + wn.values()
                                + " are not numbered consecutively; w"
                                + i
                                + " is missing");
            }
            if (!b.isEmpty() && !b.containsKey(i)) {
                throw new InputException(
                        label
                                + ": biases "
                                + bn.values()
                                + " given but b"
                                + i
                                + " is missing; give all or none");
            }
            layers.add(new WeightArrays.Layer(wn.get(i), w.get(i), bn.get(i), b.get(i)));
        }
        for (Map.Entry<Integer, String> e : bn.entrySet()) {
            if (!w.containsKey(e.getKey())) {
                throw new InputException(label + ": bias '" + e.getValue() + "' has no weight");
            }
        }
        return layers;
    }

    private static List<WeightArrays.Layer> stateDict(NDList list, String label) {
        Map<String, NDArray[]> groups = new LinkedHashMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        for (NDArray a : list) {
            String n = a.getName();
            boolean weight = n.endsWith("weight");
            String prefix = n.substring(0, n.length() - (weight ? 6 : 4));
            NDArray[] g = groups.computeIfAbsent(prefix, k -> new NDArray[2]);
            if (g[weight ? 0 : 1] != null) {
                throw new InputException(label + ": two arrays named " + n);
            }
            g[weight ? 0 : 1] = a;
            names.computeIfAbsent(prefix, k -> new String[2])[weight ? 0 : 1] = n;
        }
        List<WeightArrays.Layer> layers = new ArrayList<>();
        for (Map.Entry<String, NDArray[]> g : groups.entrySet()) {
            String[] n = names.get(g.getKey());
            if (g.getValue()[0] == null) {
                throw new InputException(label + ": bias '" + n[1] + "' has no weight");
            }
            layers.add(new WeightArrays.Layer(n[0], g.getValue()[0], n[1], g.getValue()[1]));
        }
        return layers;
    }
}
