package org.sltk.nn;

import java.util.Arrays;
import org.sltk.util.InputException;

/**
 * One immutable fully connected layer {@code y = W x + b}: weights row-major [out][in], so the
 * weight from input {@code i} to output {@code o} is {@code weight()[o * in() + i]}, the layout of
 * DJL's and PyTorch's {@code Linear} weight of shape (out, in).
 */
public final class DenseLayer {

    private final int in;
    private final int out;
    private final float[] weight;
    private final float[] bias;

    private DenseLayer(float[] weight, float[] bias, int in, int out) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * Creates a layer from copies of the given arrays, checking sizes and finiteness.
     *
     * @param w the weights, {@code out * in} values, row-major [out][in]
     * @param b the biases, {@code out} values, or null for a bias-free layer
     * @param in the number of inputs, positive
     * @param out the number of outputs, positive
     * @return the layer
     * @throws InputException if a size is wrong or a value is NaN or infinite (message names the
     *     layer as {@code layer in->out})
     */
    public static DenseLayer of(float[] w, float[] b, int in, int out) {
        return of(w, b, in, out, "layer " + in + "->" + out);
    }

    /**
     * Creates a layer like {@link #of(float[], float[], int, int)}, naming it in error messages.
     *
     * @param w the weights, row-major [out][in]
     * @param b the biases or null
     * @param in the number of inputs
     * @param out the number of outputs
     * @param label how messages name the layer, e.g. {@code model.json layer 2 (300->100)}
     * @return the layer
     * @throws InputException if a size is wrong or a value is NaN or infinite
     */
    static DenseLayer of(float[] w, float[] b, int in, int out, String label) {
        if (in <= 0 || out <= 0) {
            throw new InputException(label + ": sizes must be positive, found in=" + in + ", out=" + out);
        }
        if (w == null || (long) in * out != w.length) {
            throw new InputException(
                    label + ": expected " + ((long) in * out) + " weights (" + out + "x" + in + "), found "
                            + (w == null ? "none" : String.valueOf(w.length)));
        }
        if (b != null && b.length != out) {
            throw new InputException(label + ": expected " + out + " biases, found " + b.length);
        }
        for (int k = 0; k < w.length; k++) {
            if (!Float.isFinite(w[k])) {
                throw new InputException(
                        label + ": weight [" + (k / in) + "][" + (k % in) + "] is " + w[k] + "; weights must be finite");
            }
        }
        if (b != null) {
            for (int k = 0; k < b.length; k++) {
                if (!Float.isFinite(b[k])) {
                    throw new InputException(label + ": bias [" + k + "] is " + b[k] + "; biases must be finite");
                }
            }
        }
        return new DenseLayer(w.clone(), b == null ? null : b.clone(), in, out);
    }

    /**
     * Returns the number of inputs.
     *
     * @return the input width
     */
    public int in() {
        return in;
    }

    /**
     * Returns the number of outputs.
     *
     * @return the output width
     */
    public int out() {
        return out;
    }

    /**
     * Returns a copy of the weights, row-major [out][in].
     *
     * @return {@code out * in} weights
     */
    public float[] weight() {
        return weight.clone();
    }

    /**
     * Returns a copy of the biases, or null for a bias-free layer.
     *
     * @return {@code out} biases or null
     */
    public float[] bias() {
        return bias == null ? null : bias.clone();
    }

    /**
     * Returns whether the layer has biases.
     *
     * @return true if {@link #bias()} is not null
     */
    public boolean hasBias() {
        return bias != null;
    }

    /**
     * Returns one weight without copying the array.
     *
     * @param o the output index
     * @param i the input index
     * @return {@code weight()[o * in() + i]}
     */
    public float weight(int o, int i) {
        return weight[o * in + i];
    }

    /**
     * Returns one bias without copying the array, 0 for a bias-free layer.
     *
     * @param o the output index
     * @return the bias of output {@code o}
     */
    public float bias(int o) {
        return bias == null ? 0f : bias[o];
    }

    // shared read-only views for this package (no copies on hot paths)
    float[] weightView() {
        return weight;
    }

    float[] biasView() {
        return bias;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DenseLayer)) {
            return false;
        }
        DenseLayer d = (DenseLayer) o;
        return in == d.in && out == d.out && Arrays.equals(weight, d.weight) && Arrays.equals(bias, d.bias);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * in + out) + Arrays.hashCode(weight)) + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "DenseLayer(" + in + "->" + out + (bias == null ? ", no bias)" : ", bias)");
    }
}
