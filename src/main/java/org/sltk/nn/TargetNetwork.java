package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * An immutable dense ReLU network (multi-layer perceptron): a chain of {@link DenseLayer}s with a
 * ReLU after every layer but the last, whose outputs are the logits.
 *
 * <pre>
 * jshell&gt; TargetNetwork.random(new int[] {784, 300, 100, 10}, true, 1).describe()
 * $1 ==&gt; "784-300-100-10 ReLU MLP, bias"
 * </pre>
 */
public final class TargetNetwork {

    private final List<DenseLayer> layers;

    private TargetNetwork(List<DenseLayer> layers) {
        this.layers = layers;
    }

    /**
     * Creates a network from its layers, checking that they chain and agree on biases.
     *
     * @param layers at least one layer; layer {@code l}'s {@code in()} equals layer
     *     {@code l-1}'s {@code out()}
     * @return the network
     * @throws InputException if the layers do not chain, or some have biases and others not
     */
    public static TargetNetwork of(List<DenseLayer> layers) {
        Objects.requireNonNull(layers, "layers");
        if (layers.isEmpty()) {
            throw new InputException("a network needs at least one layer");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new InputException(
                        "layer " + (l + 1) + " has " + layers.get(l).in() + " inputs but layer " + l + " has "
                                + layers.get(l - 1).out() + " outputs");
            }
            if (layers.get(l).hasBias() != layers.get(0).hasBias()) {
                throw new InputException("layer " + (l + 1) + (layers.get(l).hasBias() ? " has" : " has no")
                        + " bias, unlike layer 1; all layers or none must have biases");
            }
        }
        return new TargetNetwork(Collections.unmodifiableList(new ArrayList<>(layers)));
    }

    /**
     * Creates a seeded random network, for tests: weights and biases uniform on
     * [-1/sqrt(in), 1/sqrt(in)) (PyTorch's default {@code nn.Linear} range), drawn from
     * {@link CounterRandom} stream {@code 2l} (weights) and {@code 2l+1} (biases) of layer {@code l}.
     *
     * @param widths the layer widths, input first, at least two values, all positive
     * @param bias whether the layers have biases
     * @param seed the seed
     * @return the network, the same for the same arguments on every machine
     */
    public static TargetNetwork random(int[] widths, boolean bias, long seed) {
        checkWidths(widths);
        CounterRandom rng = new CounterRandom(seed);
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            float bound = (float) (1.0 / Math.sqrt(in));
            float[] w = new float[in * out];
            for (int k = 0; k < w.length; k++) {
                w[k] = rng.symmetricFloat(2L * l, k) * bound;
            }
            float[] b = null;
            if (bias) {
                b = new float[out];
                for (int k = 0; k < out; k++) {
                    b[k] = rng.symmetricFloat(2L * l + 1, k) * bound;
                }
            }
            layers.add(DenseLayer.of(w, b, in, out));
        }
        return of(layers);
    }

    static void checkWidths(int[] widths) {
        if (widths == null || widths.length < 2) {
            throw new InputException("widths: need at least an input and an output width, found "
                    + (widths == null ? "none" : java.util.Arrays.toString(widths)));
        }
        for (int w : widths) {
            if (w <= 0) {
                throw new InputException("widths: every width must be positive, found " + java.util.Arrays.toString(widths));
            }
        }
    }

    /**
     * Returns the layers, input side first.
     *
     * @return an unmodifiable list of layers
     */
    public List<DenseLayer> layers() {
        return layers;
    }

    /**
     * Returns the number of inputs.
     *
     * @return the input width
     */
    public int inputSize() {
        return layers.get(0).in();
    }

    /**
     * Returns the number of outputs (logits).
     *
     * @return the output width
     */
    public int outputSize() {
        return layers.get(layers.size() - 1).out();
    }

    /**
     * Returns all widths, input first, e.g. {@code {784, 300, 100, 10}}.
     *
     * @return a new array of {@code layers().size() + 1} widths
     */
    public int[] widths() {
        int[] w = new int[layers.size() + 1];
        w[0] = inputSize();
        for (int l = 0; l < layers.size(); l++) {
            w[l + 1] = layers.get(l).out();
        }
        return w;
    }

    /**
     * Returns whether the layers have biases.
     *
     * @return true if every layer has biases
     */
    public boolean hasBias() {
        return layers.get(0).hasBias();
    }

    /**
     * Returns the number of weights and biases.
     *
     * @return the parameter count
     */
    public long parameterCount() {
        long n = 0;
        for (DenseLayer d : layers) {
            n += (long) d.in() * d.out() + (d.hasBias() ? d.out() : 0);
        }
        return n;
    }

    /**
     * Computes the logits of one input in float64 with plain loops: the reference forward pass.
     *
     * @param x the input, {@link #inputSize()} values
     * @return the logits, {@link #outputSize()} values
     */
    public double[] forward64(double[] x) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("input has " + x.length + " values, network expects " + inputSize());
        }
        double[] h = x;
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            float[] w = d.weightView();
            float[] b = d.biasView();
            double[] y = new double[d.out()];
            for (int o = 0; o < d.out(); o++) {
                double s = b == null ? 0.0 : b[o];
                int row = o * d.in();
                for (int i = 0; i < d.in(); i++) {
                    s += (double) w[row + i] * h[i];
                }
                y[o] = l + 1 < layers.size() && s < 0 ? 0.0 : s;
            }
            h = y;
        }
        return h;
    }

    /**
     * Computes the logits of a batch with DJL in float32, on the device and manager of {@code x};
     * it uses the same kernel as the DJL block of {@link MlpBuilder}, so both give identical logits.
     *
     * @param x inputs of shape (batch, {@link #inputSize()}); other float types are converted
     * @return logits of shape (batch, {@link #outputSize()}), attached to {@code x}'s manager
     */
    public NDArray forward(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 2 || s.get(1) != inputSize()) {
            throw new IllegalArgumentException("input shape " + s + ", network expects (batch, " + inputSize() + ")");
        }
        NDManager parent = x.getManager();
        try (NDManager sub = parent.newSubManager(x.getDevice())) {
            NDArray h;
            if (x.getDataType() == DataType.FLOAT32) {
                x.tempAttach(sub); // results of ops on x now land in sub; x returns to parent on close
                h = x;
            } else {
                h = x.toType(DataType.FLOAT32, true);
                h.attach(sub);
            }
            for (int l = 0; l < layers.size(); l++) {
                DenseLayer d = layers.get(l);
                NDArray w = sub.create(d.weightView(), new Shape(d.out(), d.in()));
                NDArray b = d.hasBias() ? sub.create(d.biasView()) : null;
                h = b == null ? Linear.linear(h, w).head() : Linear.linear(h, w, b).head();
                if (l + 1 < layers.size()) {
                    h = Activation.relu(h);
                }
            }
            h.attach(parent);
            return h;
        }
    }

    /**
     * Describes the architecture in one line, e.g. {@code 784-300-100-10 ReLU MLP, bias}.
     *
     * @return the description
     */
    public String describe() {
        StringJoiner j = new StringJoiner("-");
        for (int w : widths()) {
            j.add(Integer.toString(w));
        }
        return j + " ReLU MLP, " + (hasBias() ? "bias" : "no bias");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetNetwork && layers.equals(((TargetNetwork) o).layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    @Override
    public String toString() {
        return "TargetNetwork(" + describe() + ")";
    }
}
