package org.sltk.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.sltk.nn.Architecture;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.InputException;

/** Turns named weight arrays (from TorchScript or .npz) into a checked {@link TargetNetwork}. */
final class WeightArrays {

    private WeightArrays() {}

    /** One layer's arrays with the names the file gives them; bias may be null. */
    record Layer(String weightName, NDArray weight, String biasName, NDArray bias) {}

    /**
     * Checks shapes (weights (out, in), biases (out), chaining), types (float32 or float64) and
     * values (finite), naming the offending array.
     */
    static TargetNetwork network(List<Layer> layers, String label) {
        if (layers.isEmpty()) {
            throw new InputException(label + ": no weight arrays found");
        }
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        int[] widths = new int[layers.size() + 1];
        boolean transposedChains = true;
        for (int l = 0; l < layers.size(); l++) {
            Layer y = layers.get(l);
            Shape ws = y.weight.getShape();
            if (ws.dimension() != 2) {
                throw new InputException(
                        label
                                + ": '"
                                + y.weightName
                                + "' has shape "
                                + ws
                                + ", a weight must be 2-D (out, in)");
            }
            if (l > 0) {
                Shape prev = layers.get(l - 1).weight.getShape();
                if (prev.get(1) != ws.get(0)) {
                    transposedChains = false;
                }
                if (prev.get(0) != ws.get(1)) {
                    String hint =
                            transposedChains && l == layers.size() - 1
                                    ? "; the weights look (in, out): sltk reads them (out, in) like torch.nn.Linear, transpose them"
                                    : "";
                    throw new InputException(
                            label
                                    + ": '"
                                    + y.weightName
                                    + "' has shape "
                                    + ws
                                    + " but '"
                                    + layers.get(l - 1).weightName
                                    + "' has "
                                    + prev.get(0)
                                    + " outputs; layers must chain"
                                    + hint);
                }
            }
            int o = (int) ws.get(0);
            int i = (int) ws.get(1);
            float[] w = values(y.weight, y.weightName, label);
            float[] b = null;
            if (y.bias != null) {
                if (y.bias.getShape().dimension() != 1 || y.bias.getShape().get(0) != o) {
                    throw new InputException(
                            label
                                    + ": '"
                                    + y.biasName
                                    + "' has shape "
                                    + y.bias.getShape()
                                    + ", expected ("
                                    + o
                                    + ") for weight '"
                                    + y.weightName
                                    + "' "
                                    + ws);
                }
                b = values(y.bias, y.biasName, label);
            }
            if (l > 0 && (b != null) != (biases.get(0) != null)) {
                throw new InputException(
                        label
                                + ": '"
                                + y.weightName
                                + "' "
                                + (b != null ? "has" : "has no")
                                + " bias, unlike the first layer; all layers or none must have biases");
            }
            weights.add(w);
            biases.add(b);
            widths[l] = i;
            widths[l + 1] = o;
        }
        return TargetNetwork.of(
                Architecture.mlp(widths, biases.get(0) != null), weights, biases, label);
    }

    private static float[] values(NDArray a, String name, String label) {
        DataType t = a.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64 && t != DataType.FLOAT16) {
            throw new InputException(
                    label
                            + ": '"
                            + name
                            + "' has type "
                            + t
                            + "; weights must be float32 or float64");
        }
        float[] v = a.toType(DataType.FLOAT32, false).toFloatArray();
        double[] exact = t == DataType.FLOAT64 ? a.toDoubleArray() : null;
        Shape s = a.getShape();
        for (int k = 0; k < v.length; k++) {
            double x = exact != null ? exact[k] : v[k];
            if (!Double.isFinite(x)) {
                String at =
                        s.dimension() == 2
                                ? "[" + (k / s.get(1)) + ", " + (k % s.get(1)) + "]"
                                : "[" + k + "]";
                throw new InputException(
                        label
                                + ": '"
                                + name
                                + "' has "
                                + x
                                + " at "
                                + at
                                + "; weights must be finite");
            }
            if (!Float.isFinite(v[k])) {
                throw new InputException(
                        label
                                + ": '"
                                + name
                                + "' has "
                                + x
                                + ", beyond float32's range; weights must fit float32");
            }
        }
        return v;
    }
}
