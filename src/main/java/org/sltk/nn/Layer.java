package org.sltk.nn;

import java.util.Locale;
import org.sltk.util.InputException;

/**
 * One layer of an {@link Architecture}: the layers the pair construction handles. A layer holds
 * shapes only; the weights of the parametric ones live in a {@link TargetNetwork}.
 *
 * <pre>
 * jshell&gt; new Layer.Conv2d(1, 16, 5, 1, 0, 1, true).describe()
 * $1 ==&gt; "conv5x5(1-&gt;16)"
 * </pre>
 *
 * <p>A {@link Linear} layer is the 1 x 1 convolution of a 1 x 1 image with {@code in} channels: the
 * pruner, the random network and the bound treat both alike through {@link Parametric}.
 */
public sealed interface Layer
        permits Layer.Parametric,
                Layer.ReLU,
                Layer.MaxPool2d,
                Layer.AvgPool2d,
                Layer.Flatten,
                Layer.Normalize {

    /** The kinds of layers, with their names in {@code model.json}. */
    enum Kind {
        /** {@link Conv2d}. */
        CONV2D("conv2d"),
        /** {@link Linear}. */
        DENSE("dense"),
        /** {@link ReLU}. */
        RELU("relu"),
        /** {@link MaxPool2d}. */
        MAXPOOL("maxpool"),
        /** {@link AvgPool2d}. */
        AVGPOOL("avgpool"),
        /** {@link Flatten}. */
        FLATTEN("flatten"),
        /** {@link Normalize}. */
        NORMALIZE("normalize");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /**
         * Returns the name in {@code model.json}.
         *
         * @return the name, e.g. {@code conv2d}
         */
        public String id() {
            return id;
        }

        /**
         * Parses a layer type of {@code model.json}, refusing what the pruner cannot handle.
         *
         * @param type the type, e.g. {@code conv2d}
         * @param index the layer's position, from 0
         * @return the kind
         * @throws InputException naming the layer if the type is not supported
         */
        public static Kind parse(String type, int index) {
            String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                if (k.id.equals(t)) {
                    return k;
                }
            }
            throw new InputException(
                    "layer "
                            + (index + 1)
                            + " is '"
                            + type
                            + "', which sltk cannot prune; supported layers: conv2d, dense, relu, maxpool, avgpool, flatten, normalize"
                            + " (fold batch norm into the preceding conv first)");
        }
    }

    /**
     * Returns the kind of the layer.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * Describes the layer in one token, e.g. {@code conv5x5(1->6)} or {@code maxpool2}.
     *
     * @return the description
     */
    String describe();

    /**
     * Returns whether the layer has weights.
     *
     * @return true for {@link Parametric} layers
     */
    default boolean parametric() {
        return this instanceof Parametric;
    }

    /** A layer with weights (out, in, r, r) and optionally {@code out} biases: conv or dense. */
    sealed interface Parametric extends Layer permits Linear, Conv2d {

        /**
         * Returns the input channels (dense: inputs).
         *
         * @return in
         */
        int in();

        /**
         * Returns the output channels (dense: outputs).
         *
         * @return out
         */
        int out();

        /**
         * Returns the kernel side r (1 for a dense layer).
         *
         * @return r
         */
        int kernel();

        /**
         * Returns the stride (1 for a dense layer).
         *
         * @return the stride
         */
        int stride();

        /**
         * Returns the zero padding on every side (0 for a dense layer).
         *
         * @return the padding
         */
        int padding();

        /**
         * Returns the kernel dilation (1 for a dense layer).
         *
         * @return the dilation
         */
        int dilation();

        /**
         * Returns whether the layer has biases.
         *
         * @return the flag
         */
        boolean bias();

        /**
         * Returns the fan-in {@code in * r * r}, the length of a patch.
         *
         * @return the fan-in
         */
        default int fanIn() {
            return in() * kernel() * kernel();
        }
    }

    /**
     * A fully connected layer {@code y = W x + b}, weight (out, in).
     *
     * @param in the inputs
     * @param out the outputs
     * @param bias whether it has biases
     */
    record Linear(int in, int out, boolean bias) implements Parametric {

        /**
         * Checks the sizes.
         *
         * @param in the inputs
         * @param out the outputs
         * @param bias whether it has biases
         */
        public Linear {
            if (in < 1 || out < 1) {
                throw new InputException(
                        "dense layer: sizes must be positive, found in=" + in + ", out=" + out);
            }
        }

        @Override
        public Kind kind() {
            return Kind.DENSE;
        }

        @Override
        public int kernel() {
            return 1;
        }

        @Override
        public int stride() {
            return 1;
        }

        @Override
        public int padding() {
            return 0;
        }

        @Override
        public int dilation() {
            return 1;
        }

        @Override
        public String describe() {
            return "dense(" + in + "->" + out + ")";
        }
    }

    /**
     * A 2-D convolution, weight (out, in, r, r).
     *
     * @param in input channels
     * @param out output channels
     * @param kernel the kernel side r
     * @param stride the stride
     * @param padding zero padding on every side
     * @param dilation the kernel dilation
     * @param bias whether it has biases
     */
    record Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, boolean bias)
            implements Parametric {

        /**
         * Checks the sizes.
         *
         * @param in input channels
         * @param out output channels
         * @param kernel the kernel side r
         * @param stride the stride
         * @param padding zero padding on every side
         * @param dilation the kernel dilation
         * @param bias whether it has biases
         */
        public Conv2d {
            if (out < 1 || in < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1) {
                throw new InputException(
                        "conv2d layer: sizes must be positive (padding non-negative), found out="
                                + out
                                + ", in="
                                + in
                                + ", kernel="
                                + kernel
                                + ", stride="
                                + stride
                                + ", padding="
                                + padding
                                + ", dilation="
                                + dilation);
            }
        }

        @Override
        public Kind kind() {
            return Kind.CONV2D;
        }

        @Override
        public String describe() {
            return "conv"
                    + kernel
                    + "x"
                    + kernel
                    + "("
                    + in
                    + "->"
                    + out
                    + (stride != 1 ? ",s" + stride : "")
                    + (padding != 0 ? ",p" + padding : "")
                    + (dilation != 1 ? ",d" + dilation : "")
                    + ")";
        }
    }

    /** The rectifier max(0, x). */
    record ReLU() implements Layer {
        @Override
        public Kind kind() {
            return Kind.RELU;
        }

        @Override
        public String describe() {
            return "relu";
        }
    }

    /**
     * Max-pooling over non-overlapping size x size windows (stride = size).
     *
     * @param size the window side
     */
    record MaxPool2d(int size) implements Layer {

        /**
         * Checks the size.
         *
         * @param size the window side
         */
        public MaxPool2d {
            if (size < 1) {
                throw new InputException(
                        "maxpool layer: window size must be positive, found " + size);
            }
        }

        @Override
        public Kind kind() {
            return Kind.MAXPOOL;
        }

        @Override
        public String describe() {
            return "maxpool" + size;
        }
    }

    /**
     * Average-pooling over non-overlapping size x size windows (stride = size).
     *
     * @param size the window side
     */
    record AvgPool2d(int size) implements Layer {

        /**
         * Checks the size.
         *
         * @param size the window side
         */
        public AvgPool2d {
            if (size < 1) {
                throw new InputException(
                        "avgpool layer: window size must be positive, found " + size);
            }
        }

        @Override
        public Kind kind() {
            return Kind.AVGPOOL;
        }

        @Override
        public String describe() {
            return "avgpool" + size;
        }
    }

    /** Flattens (c, h, w) to c * h * w features. */
    record Flatten() implements Layer {
        @Override
        public Kind kind() {
            return Kind.FLATTEN;
        }

        @Override
        public String describe() {
            return "flatten";
        }
    }

    /**
     * The input normalisation {@code (x - mean[c]) / std[c]} per channel c, in float32 as PyTorch
     * computes it (a subtraction, then a division, each rounded to float32). It has no weights and
     * is not pruned: it may only be the first layer, and target and ticket compute it identically,
     * so their difference starts at 0 after it. Its outputs are taken as signed, so the pair after
     * it prunes both signs.
     *
     * <pre>
     * jshell&gt; new Layer.Normalize(new float[] {0.5f}, new float[] {0.25f}).describe()
     * $1 ==&gt; "normalize(1)"
     * </pre>
     *
     * @param mean the per-channel means, one per input channel
     * @param std the per-channel standard deviations, positive and finite
     */
    record Normalize(float[] mean, float[] std) implements Layer {

        /**
         * Checks and copies the values.
         *
         * @param mean the per-channel means
         * @param std the per-channel standard deviations
         */
        public Normalize {
            if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
                throw new InputException(
                        "normalize layer: mean and std must be non-empty and of the same length, found "
                                + (mean == null ? "none" : mean.length)
                                + " and "
                                + (std == null ? "none" : std.length));
            }
            for (int c = 0; c < mean.length; c++) {
                if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                    throw new InputException(
                            "normalize layer: channel "
                                    + c
                                    + " has mean "
                                    + mean[c]
                                    + " and std "
                                    + std[c]
                                    + "; the mean must be finite and the std positive and finite");
                }
            }
            mean = mean.clone();
            std = std.clone();
        }

        /** {@return the per-channel means, a copy} */
        @Override
        public float[] mean() {
            return mean.clone();
        }

        /** {@return the per-channel standard deviations, a copy} */
        @Override
        public float[] std() {
            return std.clone();
        }

        /**
         * Returns the number of channels.
         *
         * @return the length of mean and std
         */
        public int channels() {
            return mean.length;
        }

        /**
         * Normalises one value as PyTorch does in float32: {@code (x - mean) / std}, each operation
         * rounded to float32.
         *
         * @param x the value, rounded to float32 first
         * @param c its channel
         * @return the normalised value
         */
        public float apply(double x, int c) {
            return ((float) x - mean[c]) / std[c];
        }

        @Override
        public Kind kind() {
            return Kind.NORMALIZE;
        }

        @Override
        public String describe() {
            return "normalize(" + mean.length + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Normalize n
                    && java.util.Arrays.equals(mean, n.mean)
                    && java.util.Arrays.equals(std, n.std);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(mean) + java.util.Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "Normalize[mean="
                    + java.util.Arrays.toString(mean)
                    + ", std="
                    + java.util.Arrays.toString(std)
                    + "]";
        }
    }

    /**
     * Returns the window side of a pooling layer.
     *
     * @param l a {@link MaxPool2d} or {@link AvgPool2d}
     * @return the size
     * @throws IllegalArgumentException for another layer
     */
    static int poolSize(Layer l) {
        if (l instanceof MaxPool2d m) {
            return m.size();
        }
        if (l instanceof AvgPool2d a) {
            return a.size();
        }
        throw new IllegalArgumentException(l.describe() + " is not a pooling layer");
    }
}
