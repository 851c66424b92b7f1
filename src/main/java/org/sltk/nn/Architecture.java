package org.sltk.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import org.sltk.util.InputException;

/**
 * The architecture of a target network: the input shape (c, h, w) and a chain of {@link Layer}s
 * whose last layer (conv or dense) gives the logits. Shapes are inferred and checked when the
 * architecture is made. A flat vector of d inputs has shape (d, 1, 1): a dense layer takes such a
 * shape, from the input or after a {@link Layer.Flatten}.
 *
 * <pre>
 * jshell&gt; Architecture.mlp(new int[] {784, 300, 100, 10}, true).describe()
 * $1 ==&gt; "784-300-100-10 ReLU MLP, bias"
 * </pre>
 *
 * @param inputShape (c, h, w) of one input
 * @param layers the layers, input side first
 */
public record Architecture(int[] inputShape, List<Layer> layers) {

    /**
     * Checks that the layers chain.
     *
     * @param inputShape (c, h, w) of one input
     * @param layers the layers, input side first
     */
    public Architecture {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        if (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(v -> v < 1)) {
            throw new InputException(
                    "input shape must be three positive sizes (c, h, w), found "
                            + Arrays.toString(inputShape));
        }
        if (layers.isEmpty() || !layers.get(layers.size() - 1).parametric()) {
            throw new InputException("the last layer must be conv2d or dense (the logits)");
        }
        shapesOf(inputShape, layers);
    }

    /**
     * A dense ReLU network (MLP): dense layers between consecutive widths with a ReLU between them.
     *
     * @param widths the widths, input first, at least two, all positive
     * @param bias whether the layers have biases
     * @return the architecture, input shape (widths[0], 1, 1)
     */
    public static Architecture mlp(int[] widths, boolean bias) {
        if (widths == null || widths.length < 2) {
            throw new InputException(
                    "widths: need at least an input and an output width, found "
                            + (widths == null ? "none" : Arrays.toString(widths)));
        }
        for (int w : widths) {
            if (w <= 0) {
                throw new InputException(
                        "widths: every width must be positive, found " + Arrays.toString(widths));
            }
        }
        List<Layer> l = new ArrayList<>();
        for (int q = 0; q + 1 < widths.length; q++) {
            if (q > 0) {
                l.add(new Layer.ReLU());
            }
            l.add(new Layer.Linear(widths[q], widths[q + 1], bias));
        }
        return new Architecture(new int[] {widths[0], 1, 1}, l);
    }

    /**
     * The LeNet-5 family: conv r x r, ReLU, pool 2 per entry of {@code channels}, flatten, dense
     * layers of {@code widths} with ReLU between, dense to {@code classes}.
     *
     * @param inputShape (c, h, w)
     * @param channels output channels of the conv layers, e.g. {6, 16}
     * @param widths hidden dense widths, e.g. {120, 84}
     * @param kernel kernel side, e.g. 5
     * @param padding zero padding of each conv layer (one value: the same for all)
     * @param avgPool average instead of max pooling
     * @param classes number of classes
     * @param bias whether the layers have biases
     * @return the architecture
     */
    public static Architecture lenet5(
            int[] inputShape,
            int[] channels,
            int[] widths,
            int kernel,
            int[] padding,
            boolean avgPool,
            int classes,
            boolean bias) {
        if (channels.length == 0) {
            throw new InputException("channels: need at least one conv layer");
        }
        if (padding.length != 1 && padding.length != channels.length) {
            throw new InputException(
                    "padding: give one value or one per conv layer ("
                            + channels.length
                            + "), found "
                            + Arrays.toString(padding));
        }
        List<Layer> l = new ArrayList<>();
        int c = inputShape[0];
        for (int q = 0; q < channels.length; q++) {
            if (channels[q] < 1) {
                throw new InputException(
                        "channels: must be positive, found " + Arrays.toString(channels));
            }
            l.add(
                    new Layer.Conv2d(
                            c,
                            channels[q],
                            kernel,
                            1,
                            padding.length == 1 ? padding[0] : padding[q],
                            1,
                            bias));
            l.add(new Layer.ReLU());
            l.add(avgPool ? new Layer.AvgPool2d(2) : new Layer.MaxPool2d(2));
            c = channels[q];
        }
        l.add(new Layer.Flatten());
        int d = shapesOf(inputShape, l)[l.size()][0];
        for (int w : widths) {
            if (w < 1) {
                throw new InputException(
                        "widths: must be positive, found " + Arrays.toString(widths));
            }
            l.add(new Layer.Linear(d, w, bias));
            l.add(new Layer.ReLU());
            d = w;
        }
        l.add(new Layer.Linear(d, classes, bias));
        return new Architecture(inputShape, l);
    }

    /**
     * Starts an architecture on inputs of shape (c, h, w); the builder infers every layer's input
     * channels (or features) from the layers before it.
     *
     * <pre>
     * jshell&gt; Architecture.builder(1, 28, 28).conv(6, 5).relu().maxPool(2).flatten().dense(10).build().describe()
     * $1 ==&gt; "1x28x28 conv5x5(1-&gt;6)-relu-maxpool2-flatten-dense(864-&gt;10), bias"
     * </pre>
     *
     * @param c input channels (features of a flat input, with h = w = 1)
     * @param h input height
     * @param w input width
     * @return the builder
     */
    public static Builder builder(int c, int h, int w) {
        return new Builder(new int[] {c, h, w});
    }

    /**
     * Builds an {@link Architecture} layer by layer; {@link #build()} checks that the layers chain.
     */
    public static final class Builder {
        private final int[] input;
        private final List<Object[]> steps = new ArrayList<>();
        private boolean bias = true;

        private Builder(int[] input) {
            this.input = input.clone();
        }

        /**
         * Adds a convolution with stride 1, no padding.
         *
         * @param out output channels
         * @param kernel kernel side
         * @return this builder
         */
        public Builder conv(int out, int kernel) {
            return conv(out, kernel, 1, 0, 1);
        }

        /**
         * Adds a convolution.
         *
         * @param out output channels
         * @param kernel kernel side
         * @param stride stride
         * @param padding zero padding on every side
         * @return this builder
         */
        public Builder conv(int out, int kernel, int stride, int padding) {
            return conv(out, kernel, stride, padding, 1);
        }

        /**
         * Adds a dilated convolution.
         *
         * @param out output channels
         * @param kernel kernel side
         * @param stride stride
         * @param padding zero padding on every side
         * @param dilation kernel dilation
         * @return this builder
         */
        public Builder conv(int out, int kernel, int stride, int padding, int dilation) {
            steps.add(new Object[] {Layer.Kind.CONV2D, out, kernel, stride, padding, dilation});
            return this;
        }

        /**
         * Adds a dense layer.
         *
         * @param out outputs
         * @return this builder
         */
        public Builder dense(int out) {
            steps.add(new Object[] {Layer.Kind.DENSE, out});
            return this;
        }

        /**
         * Adds a ReLU.
         *
         * @return this builder
         */
        public Builder relu() {
            steps.add(new Object[] {Layer.Kind.RELU});
            return this;
        }

        /**
         * Adds max-pooling over size x size windows.
         *
         * @param size the window side
         * @return this builder
         */
        public Builder maxPool(int size) {
            steps.add(new Object[] {Layer.Kind.MAXPOOL, size});
            return this;
        }

        /**
         * Adds average-pooling over size x size windows.
         *
         * @param size the window side
         * @return this builder
         */
        public Builder avgPool(int size) {
            steps.add(new Object[] {Layer.Kind.AVGPOOL, size});
            return this;
        }

        /**
         * Adds a flatten.
         *
         * @return this builder
         */
        public Builder flatten() {
            steps.add(new Object[] {Layer.Kind.FLATTEN});
            return this;
        }

        /**
         * Sets whether the conv and dense layers have biases (default true).
         *
         * @param bias the flag
         * @return this builder
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Builds the architecture.
         *
         * @return the architecture
         * @throws InputException if the layers do not chain
         */
        public Architecture build() {
            List<Layer> layers = new ArrayList<>();
            for (Object[] st : steps) {
                int[] s = shapesOf(input, layers)[layers.size()];
                switch ((Layer.Kind) st[0]) {
                    case CONV2D:
                        layers.add(
                                new Layer.Conv2d(
                                        s[0],
                                        (int) st[1],
                                        (int) st[2],
                                        (int) st[3],
                                        (int) st[4],
                                        (int) st[5],
                                        bias));
                        break;
                    case DENSE:
                        layers.add(new Layer.Linear(s[0] * s[1] * s[2], (int) st[1], bias));
                        break;
                    case RELU:
                        layers.add(new Layer.ReLU());
                        break;
                    case MAXPOOL:
                        layers.add(new Layer.MaxPool2d((int) st[1]));
                        break;
                    case AVGPOOL:
                        layers.add(new Layer.AvgPool2d((int) st[1]));
                        break;
                    default:
                        layers.add(new Layer.Flatten());
                }
            }
            return new Architecture(input, layers);
        }
    }

    /** {@return (c, h, w) of one input, a copy} */
    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * Returns the shape (c, h, w) before every layer and after the last; a flat vector of d
     * features is (d, 1, 1).
     *
     * @return {@code layers().size() + 1} shapes
     */
    public int[][] shapes() {
        return shapesOf(inputShape, layers);
    }

    private static boolean flat(int[] s) {
        return s[1] == 1 && s[2] == 1;
    }

    private static int[][] shapesOf(int[] input, List<Layer> layers) {
        int[][] s = new int[layers.size() + 1][];
        s[0] = input.clone();
        boolean flattened = false;
        for (int q = 0; q < layers.size(); q++) {
            Layer l = layers.get(q);
            int c = s[q][0];
            int h = s[q][1];
            int w = s[q][2];
            String at = "layer " + (q + 1) + " (" + l.describe() + ")";
            if (l instanceof Layer.Conv2d k) {
                if (flattened) {
                    throw new InputException(at + ": conv2d after flatten or dense");
                }
                if (k.in() != c) {
                    throw new InputException(
                            at + ": expects " + k.in() + " input channels, gets " + c);
                }
                int span = k.dilation() * (k.kernel() - 1) + 1;
                if (h + 2 * k.padding() < span || w + 2 * k.padding() < span) {
                    throw new InputException(
                            at + ": kernel larger than its " + h + "x" + w + " input");
                }
                int ho = (h + 2 * k.padding() - span) / k.stride() + 1;
                int wo = (w + 2 * k.padding() - span) / k.stride() + 1;
                s[q + 1] = new int[] {k.out(), ho, wo};
            } else if (l instanceof Layer.Linear d) {
                if (!flattened && !flat(s[q])) {
                    throw new InputException(at + ": dense layer needs a flatten before it");
                }
                if (d.in() != c) {
                    throw new InputException(at + ": expects " + d.in() + " inputs, gets " + c);
                }
                flattened = true;
                s[q + 1] = new int[] {d.out(), 1, 1};
            } else if (l instanceof Layer.MaxPool2d || l instanceof Layer.AvgPool2d) {
                int size = Layer.poolSize(l);
                if (flattened || h < size || w < size) {
                    throw new InputException(
                            at + ": cannot pool a " + c + "x" + h + "x" + w + " input");
                }
                s[q + 1] = new int[] {c, h / size, w / size};
            } else if (l instanceof Layer.Normalize n) {
                if (q != 0) {
                    throw new InputException(at + ": normalize must be the first layer");
                }
                if (n.channels() != c) {
                    throw new InputException(
                            at + ": has " + n.channels() + " channels, its input has " + c);
                }
                s[q + 1] = s[q].clone();
            } else if (l instanceof Layer.Flatten) {
                flattened = true;
                s[q + 1] = new int[] {c * h * w, 1, 1};
            } else {
                s[q + 1] = s[q].clone();
            }
        }
        return s;
    }

    /**
     * Returns the indices (into {@link #layers()}) of the conv and dense layers, in order.
     *
     * @return the parametric layer indices
     */
    public int[] parametricIndices() {
        List<Integer> p = new ArrayList<>();
        for (int q = 0; q < layers.size(); q++) {
            if (layers.get(q).parametric()) {
                p.add(q);
            }
        }
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Returns the conv and dense layers, in order: parametric layer p is pair p of the random
     * network.
     *
     * @return the parametric layers
     */
    public List<Layer.Parametric> parametric() {
        List<Layer.Parametric> p = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Layer.Parametric x) {
                p.add(x);
            }
        }
        return p;
    }

    /**
     * Returns whether the input of parametric layer {@code p} is known to be non-negative: for the
     * first one when the data is and no {@link Layer.Normalize} comes before it (normalised inputs
     * are taken as signed, whatever their values), for later ones when a ReLU lies between it and
     * the previous parametric layer (pooling and flatten keep signs).
     *
     * @param p the parametric layer, from 0
     * @param nonNegativeInput whether the network's inputs are non-negative
     * @return true if only the positive half of its pools is ever active
     */
    public boolean nonNegativeInputOf(int p, boolean nonNegativeInput) {
        int[] idx = parametricIndices();
        int from = p == 0 ? 0 : idx[p - 1] + 1;
        for (int q = from; q < idx[p]; q++) {
            if (layers.get(q).kind() == Layer.Kind.RELU) {
                return true;
            }
        }
        return p == 0 && nonNegativeInput && !(layers.get(0) instanceof Layer.Normalize);
    }

    /**
     * Returns the number of input features c * h * w.
     *
     * @return the input size
     */
    public int inputSize() {
        return inputShape[0] * inputShape[1] * inputShape[2];
    }

    /**
     * Returns the number of logits.
     *
     * @return the output size
     */
    public int outputSize() {
        int[] s = shapes()[layers.size()];
        return s[0] * s[1] * s[2];
    }

    /**
     * Returns the widths {@code d_0 .. d_L} when this is an MLP ({@link #mlp}'s form: dense layers
     * with a ReLU between consecutive ones, on a flat input), else null.
     *
     * @return the widths, or null for any other architecture
     */
    public int[] mlpWidths() {
        if (!flat(inputShape)) {
            return null;
        }
        List<Integer> w = new ArrayList<>();
        w.add(inputShape[0]);
        boolean bias = ((Layer.Parametric) layers.get(layers.size() - 1)).bias();
        for (int q = 0; q < layers.size(); q++) {
            Layer l = layers.get(q);
            boolean wantDense = q % 2 == 0;
            if (wantDense && l instanceof Layer.Linear d && d.bias() == bias) {
                w.add(d.out());
            } else if (wantDense || l.kind() != Layer.Kind.RELU) {
                return null;
            }
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Returns whether every conv and dense layer has biases.
     *
     * @return true if all have biases
     */
    public boolean allBiased() {
        return parametric().stream().allMatch(Layer.Parametric::bias);
    }

    /**
     * Returns whether no conv or dense layer has biases.
     *
     * @return true if none has biases
     */
    public boolean noBias() {
        return parametric().stream().noneMatch(Layer.Parametric::bias);
    }

    /**
     * Describes the architecture in one line: {@code 784-300-100-10 ReLU MLP, bias} for an MLP,
     * else e.g. {@code 1x28x28 conv5x5(1->6)-relu-maxpool2-...-dense(84->10), bias}.
     *
     * @return the description
     */
    public String describe() {
        String b = allBiased() ? "bias" : noBias() ? "no bias" : "some biases";
        int[] w = mlpWidths();
        if (w != null) {
            StringJoiner j = new StringJoiner("-");
            for (int x : w) {
                j.add(Integer.toString(x));
            }
            return j + " ReLU MLP, " + b;
        }
        StringJoiner j = new StringJoiner("-");
        for (Layer l : layers) {
            j.add(l.describe());
        }
        return inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2] + " " + j + ", " + b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a
                && Arrays.equals(inputShape, a.inputShape)
                && layers.equals(a.layers);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputShape) + layers.hashCode();
    }

    @Override
    public String toString() {
        return "Architecture(" + describe() + ")";
    }
}
