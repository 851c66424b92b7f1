package org.sltk.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import org.sltk.util.InputException;

/**
 * The architecture of a sequential network: input shape (channels, height, width), bias flag and
 * a chain of {@link LayerSpec}s whose last layer (conv or dense) gives the logits. The shapes are
 * inferred and checked when the spec is built.
 *
 * @param inputShape (c, h, w) of the input images
 * @param layers the layers, input side first
 * @param bias whether the conv and dense layers have biases
 */
public record SequentialSpec(int[] inputShape, List<LayerSpec> layers, boolean bias) {

    /** Checks that the layers chain. */
    public SequentialSpec {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        if (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(v -> v < 1)) {
            throw new InputException("input shape must be three positive sizes (c, h, w), found " + Arrays.toString(inputShape));
        }
        if (layers.isEmpty() || !layers.get(layers.size() - 1).parametric()) {
            throw new InputException("the last layer must be conv2d or dense (the logits)");
        }
        shapesOf(inputShape, layers);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /**
     * Returns the shape (c, h, w) before every layer and after the last; a flat vector of d
     * features is (d, 1, 1).
     *
     * @return layers().size() + 1 shapes
     */
    public int[][] shapes() {
        return shapesOf(inputShape, layers);
    }

    private static int[][] shapesOf(int[] input, List<LayerSpec> layers) {
        int[][] s = new int[layers.size() + 1][];
        s[0] = input.clone();
        boolean flat = false;
        for (int q = 0; q < layers.size(); q++) {
            LayerSpec l = layers.get(q);
            int c = s[q][0];
            int h = s[q][1];
            int w = s[q][2];
            String at = "layer " + (q + 1) + " (" + l.describe() + ")";
            switch (l.kind()) {
                case CONV2D: {
                    if (flat) {
                        throw new InputException(at + ": conv2d after flatten or dense");
                    }
                    if (l.in() != c) {
                        throw new InputException(at + ": expects " + l.in() + " input channels, gets " + c);
                    }
                    int span = l.dilation() * (l.kernel() - 1) + 1;
                    int ho = (h + 2 * l.padding() - span) / l.stride() + 1;
                    int wo = (w + 2 * l.padding() - span) / l.stride() + 1;
                    if (h + 2 * l.padding() < span || w + 2 * l.padding() < span) {
                        throw new InputException(at + ": kernel larger than its " + h + "x" + w + " input");
                    }
                    s[q + 1] = new int[] {l.out(), ho, wo};
                    break;
                }
                case DENSE:
                    if (!flat) {
                        throw new InputException(at + ": dense layer needs a flatten before it");
                    }
                    if (l.in() != c) {
                        throw new InputException(at + ": expects " + l.in() + " inputs, gets " + c);
                    }
                    s[q + 1] = new int[] {l.out(), 1, 1};
                    break;
                case MAXPOOL:
                case AVGPOOL:
                    if (flat || h < l.kernel() || w < l.kernel()) {
                        throw new InputException(at + ": cannot pool a " + c + "x" + h + "x" + w + " input");
                    }
                    s[q + 1] = new int[] {c, h / l.kernel(), w / l.kernel()};
                    break;
                case FLATTEN:
                    flat = true;
                    s[q + 1] = new int[] {c * h * w, 1, 1};
                    break;
                default:
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
     * Returns whether the input of parametric layer {@code p} is known to be non-negative: for
     * the first one when the data is, for later ones when a ReLU lies between it and the previous
     * parametric layer (pooling and flatten keep signs).
     *
     * @param p the parametric layer, from 0
     * @param nonNegativeInput whether the network's inputs are non-negative
     * @return true if only the positive half of its pools is ever active
     */
    public boolean nonNegativeInputOf(int p, boolean nonNegativeInput) {
        int[] idx = parametricIndices();
        if (p == 0) {
            for (int q = 0; q < idx[0]; q++) {
                if (layers.get(q).kind() == LayerSpec.Kind.RELU) {
                    return true;
                }
            }
            return nonNegativeInput;
        }
        for (int q = idx[p - 1] + 1; q < idx[p]; q++) {
            if (layers.get(q).kind() == LayerSpec.Kind.RELU) {
                return true;
            }
        }
        return false;
    }

    /** Returns the number of input features c * h * w. @return the input size */
    public int inputSize() {
        return inputShape[0] * inputShape[1] * inputShape[2];
    }

    /** Returns the number of logits. @return the output size */
    public int outputSize() {
        int[] s = shapes()[layers.size()];
        return s[0] * s[1] * s[2];
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
     * @return the spec
     */
    public static SequentialSpec lenet5(int[] inputShape, int[] channels, int[] widths, int kernel, int[] padding,
            boolean avgPool, int classes, boolean bias) {
        if (channels.length == 0) {
            throw new InputException("--channels: need at least one conv layer");
        }
        if (padding.length != 1 && padding.length != channels.length) {
            throw new InputException("--padding: give one value or one per conv layer (" + channels.length + "), found "
                    + Arrays.toString(padding));
        }
        List<LayerSpec> l = new ArrayList<>();
        int c = inputShape[0];
        for (int q = 0; q < channels.length; q++) {
            if (channels[q] < 1) {
                throw new InputException("--channels: must be positive, found " + Arrays.toString(channels));
            }
            l.add(LayerSpec.conv(channels[q], c, kernel, 1, padding.length == 1 ? padding[0] : padding[q], 1));
            l.add(LayerSpec.relu());
            l.add(avgPool ? LayerSpec.avgPool(2) : LayerSpec.maxPool(2));
            c = channels[q];
        }
        l.add(LayerSpec.flatten());
        int d = shapesOf(inputShape, l)[l.size()][0];
        for (int w : widths) {
            if (w < 1) {
                throw new InputException("--widths: must be positive, found " + Arrays.toString(widths));
            }
            l.add(LayerSpec.dense(w, d));
            l.add(LayerSpec.relu());
            d = w;
        }
        l.add(LayerSpec.dense(classes, d));
        return new SequentialSpec(inputShape, l, bias);
    }

    /**
     * Describes the architecture, e.g. {@code 1x28x28 conv5x5(1->6)-relu-maxpool2-...-dense(84->10), bias}.
     *
     * @return the description
     */
    public String describe() {
        StringJoiner j = new StringJoiner("-");
        for (LayerSpec l : layers) {
            j.add(l.describe());
        }
        return inputShape[0] + "x" + inputShape[1] + "x" + inputShape[2] + " " + j + ", " + (bias ? "bias" : "no bias");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequentialSpec s && Arrays.equals(inputShape, s.inputShape) && layers.equals(s.layers)
                && bias == s.bias;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(inputShape) + layers.hashCode()) + Boolean.hashCode(bias);
    }
}
