package org.sltk.nn;

import java.util.Locale;
import org.sltk.util.InputException;

/**
 * One layer of a {@link SequentialSpec}: a 2-D convolution, a dense (fully connected) layer, or a
 * parameter-free ReLU, max-pooling, average-pooling or flatten. These are the layers the pair
 * construction handles; anything else (batch norm, tanh, ...) is refused by {@link #parseKind}.
 *
 * <p>A dense layer is the convolution with a 1 x 1 kernel over a 1 x 1 image of {@code in}
 * channels; the pruner treats both alike.
 *
 * @param kind the layer kind
 * @param out output channels (conv) or units (dense); 0 for parameter-free layers
 * @param in input channels (conv) or inputs (dense); 0 for parameter-free layers
 * @param kernel kernel side r (conv), 1 (dense), window side (pools), 0 otherwise
 * @param stride the stride (conv, pools: equal to the window), 1 otherwise
 * @param padding zero padding on every side (conv), 0 otherwise
 * @param dilation kernel dilation (conv), 1 otherwise
 */
public record LayerSpec(Kind kind, int out, int in, int kernel, int stride, int padding, int dilation) {

    /** The supported layer kinds and their names in {@code model.json}. */
    public enum Kind {
        /** 2-D convolution, weight (out, in, r, r). */
        CONV2D("conv2d"),
        /** Fully connected layer, weight (out, in). */
        DENSE("dense"),
        /** ReLU. */
        RELU("relu"),
        /** Max-pooling over non-overlapping windows. */
        MAXPOOL("maxpool"),
        /** Average-pooling over non-overlapping windows. */
        AVGPOOL("avgpool"),
        /** Flatten (c, h, w) to c * h * w features. */
        FLATTEN("flatten");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** Returns the name in model.json. @return the name */
        public String id() {
            return id;
        }
    }

    /** Checks the fields. */
    public LayerSpec {
        boolean param = kind == Kind.CONV2D || kind == Kind.DENSE;
        if (param && (out < 1 || in < 1 || kernel < 1 || stride < 1 || padding < 0 || dilation < 1)) {
            throw new InputException(kind.id + " layer: sizes must be positive (padding non-negative), found out=" + out
                    + ", in=" + in + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
                    + ", dilation=" + dilation);
        }
        if ((kind == Kind.MAXPOOL || kind == Kind.AVGPOOL) && kernel < 1) {
            throw new InputException(kind.id + " layer: window size must be positive, found " + kernel);
        }
    }

    /**
     * A convolution.
     *
     * @param out output channels
     * @param in input channels
     * @param r kernel side
     * @param stride stride
     * @param padding zero padding
     * @param dilation dilation
     * @return the layer
     */
    public static LayerSpec conv(int out, int in, int r, int stride, int padding, int dilation) {
        return new LayerSpec(Kind.CONV2D, out, in, r, stride, padding, dilation);
    }

    /** A dense layer. @param out units @param in inputs @return the layer */
    public static LayerSpec dense(int out, int in) {
        return new LayerSpec(Kind.DENSE, out, in, 1, 1, 0, 1);
    }

    /** A ReLU. @return the layer */
    public static LayerSpec relu() {
        return new LayerSpec(Kind.RELU, 0, 0, 0, 1, 0, 1);
    }

    /** Max-pooling with a size x size window and stride size. @param size window side @return the layer */
    public static LayerSpec maxPool(int size) {
        return new LayerSpec(Kind.MAXPOOL, 0, 0, size, size, 0, 1);
    }

    /** Average-pooling with a size x size window and stride size. @param size window side @return the layer */
    public static LayerSpec avgPool(int size) {
        return new LayerSpec(Kind.AVGPOOL, 0, 0, size, size, 0, 1);
    }

    /** Flatten. @return the layer */
    public static LayerSpec flatten() {
        return new LayerSpec(Kind.FLATTEN, 0, 0, 0, 1, 0, 1);
    }

    /** Returns whether the layer has weights (conv or dense). @return true for conv and dense */
    public boolean parametric() {
        return kind == Kind.CONV2D || kind == Kind.DENSE;
    }

    /** Returns the fan-in: in * r * r (the patch length). @return the fan-in */
    public int fanIn() {
        return in * kernel * kernel;
    }

    /**
     * Parses a layer type of {@code model.json}, refusing everything the pruner cannot handle.
     *
     * @param type the type, e.g. {@code conv2d}
     * @param index the layer's position, from 0
     * @return the kind
     * @throws InputException naming the layer if the type is not supported
     */
    public static Kind parseKind(String type, int index) {
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (k.id.equals(t)) {
                return k;
            }
        }
        throw new InputException("layer " + (index + 1) + " is '" + type
                + "', which sltk cannot prune; supported layers: conv2d, dense, relu, maxpool, avgpool, flatten"
                + " (fold batch norm into the preceding conv first)");
    }

    /**
     * Describes the layer in one token, e.g. {@code conv5x5(1->6)} or {@code maxpool2}.
     *
     * @return the description
     */
    public String describe() {
        switch (kind) {
            case CONV2D:
                return "conv" + kernel + "x" + kernel + "(" + in + "->" + out
                        + (stride != 1 ? ",s" + stride : "") + (padding != 0 ? ",p" + padding : "")
                        + (dilation != 1 ? ",d" + dilation : "") + ")";
            case DENSE:
                return "dense(" + in + "->" + out + ")";
            case MAXPOOL:
                return "maxpool" + kernel;
            case AVGPOOL:
                return "avgpool" + kernel;
            default:
                return kind.id;
        }
    }
}
