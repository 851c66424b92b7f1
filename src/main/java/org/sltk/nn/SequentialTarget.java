package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * An immutable sequential target network: a {@link SequentialSpec} (conv2d, dense, relu,
 * maxpool, avgpool, flatten) and the weights of its conv and dense layers. It is the general
 * target of the pruner (CNNs); dense MLPs keep their {@link TargetNetwork}.
 *
 * <p>Parametric layer p (the p-th conv or dense layer) has weights row-major (out, in, r, r)
 * (dense: (out, in)) and, with biases, {@code out} biases. Inputs are images (c, h, w).
 */
public final class SequentialTarget {

    private final SequentialSpec spec;
    private final int[] param;
    private final List<float[]> weights;
    private final List<float[]> biases;

    private SequentialTarget(SequentialSpec spec, List<float[]> weights, List<float[]> biases) {
        this.spec = spec;
        this.param = spec.parametricIndices();
        this.weights = weights;
        this.biases = biases;
    }

    /**
     * Creates a target from copies of its parameters, checking sizes and finiteness.
     *
     * @param spec the architecture
     * @param weights one array per conv/dense layer, (out, in, r, r) row-major
     * @param biases one array per conv/dense layer (out values), or null entries / null list without biases
     * @param source how messages name the parameters' origin
     * @return the target
     * @throws InputException if a size is wrong or a value is not finite
     */
    public static SequentialTarget of(SequentialSpec spec, List<float[]> weights, List<float[]> biases, String source) {
        int[] idx = spec.parametricIndices();
        if (weights.size() != idx.length) {
            throw new InputException(source + ": " + weights.size() + " weight tensors for " + idx.length + " conv/dense layers");
        }
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int p = 0; p < idx.length; p++) {
            LayerSpec l = spec.layers().get(idx[p]);
            String at = source + ": layer " + (idx[p] + 1) + " (" + l.describe() + ")";
            float[] wp = weights.get(p);
            if (wp == null || wp.length != (long) l.out() * l.fanIn()) {
                throw new InputException(at + ": expected " + ((long) l.out() * l.fanIn()) + " weights, found "
                        + (wp == null ? "none" : wp.length));
            }
            float[] bp = biases == null ? null : biases.get(p);
            if (spec.bias() != (bp != null)) {
                throw new InputException(at + (spec.bias() ? ": biases missing" : ": unexpected biases"));
            }
            if (bp != null && bp.length != l.out()) {
                throw new InputException(at + ": expected " + l.out() + " biases, found " + bp.length);
            }
            for (float v : wp) {
                if (!Float.isFinite(v)) {
                    throw new InputException(at + ": weight " + v + "; weights must be finite");
                }
            }
            if (bp != null) {
                for (float v : bp) {
                    if (!Float.isFinite(v)) {
                        throw new InputException(at + ": bias " + v + "; biases must be finite");
                    }
                }
            }
            w.add(wp.clone());
            b.add(bp == null ? null : bp.clone());
        }
        return new SequentialTarget(spec, List.copyOf(w), java.util.Collections.unmodifiableList(b));
    }

    /**
     * Creates a seeded random target (the training initialisation): weights and biases uniform on
     * [-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default range), from {@link CounterRandom}
     * streams 2p (weights) and 2p+1 (biases) of parametric layer p.
     *
     * @param spec the architecture
     * @param seed the seed
     * @return the target
     */
    public static SequentialTarget random(SequentialSpec spec, long seed) {
        CounterRandom rng = new CounterRandom(seed);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        int p = 0;
        for (int q : spec.parametricIndices()) {
            LayerSpec l = spec.layers().get(q);
            float bound = (float) (1.0 / Math.sqrt(l.fanIn()));
            float[] wp = new float[l.out() * l.fanIn()];
            for (int k = 0; k < wp.length; k++) {
                wp[k] = rng.symmetricFloat(2L * p, k) * bound;
            }
            w.add(wp);
            if (spec.bias()) {
                float[] bp = new float[l.out()];
                for (int k = 0; k < bp.length; k++) {
                    bp[k] = rng.symmetricFloat(2L * p + 1, k) * bound;
                }
                b.add(bp);
            } else {
                b.add(null);
            }
            p++;
        }
        return of(spec, w, spec.bias() ? b : null, "random target");
    }

    /** Returns the architecture. @return the spec */
    public SequentialSpec spec() {
        return spec;
    }

    /** Returns the number of conv and dense layers (the pairs of the random network). @return the count */
    public int parametricCount() {
        return param.length;
    }

    /**
     * Returns parametric layer p's spec.
     *
     * @param p the parametric layer, from 0
     * @return its spec
     */
    public LayerSpec layer(int p) {
        return spec.layers().get(param[p]);
    }

    /**
     * Returns the input shape of parametric layer p.
     *
     * @param p the parametric layer
     * @return (c, h, w)
     */
    public int[] inputShapeOf(int p) {
        return spec.shapes()[param[p]];
    }

    /**
     * Returns the output shape of parametric layer p.
     *
     * @param p the parametric layer
     * @return (c, h, w)
     */
    public int[] outputShapeOf(int p) {
        return spec.shapes()[param[p] + 1];
    }

    /**
     * Returns weight (o, j) of parametric layer p, j the patch entry i * r * r + dy * r + dx.
     *
     * @param p the parametric layer
     * @param o the output channel
     * @param j the patch entry
     * @return the weight
     */
    public float weight(int p, int o, int j) {
        return weights.get(p)[o * layer(p).fanIn() + j];
    }

    /**
     * Returns bias o of parametric layer p (0 without biases).
     *
     * @param p the parametric layer
     * @param o the output channel
     * @return the bias
     */
    public float bias(int p, int o) {
        float[] b = biases.get(p);
        return b == null ? 0f : b[o];
    }

    /** Returns a copy of parametric layer p's weights. @param p the layer @return the weights */
    public float[] weights(int p) {
        return weights.get(p).clone();
    }

    /** Returns a copy of parametric layer p's biases, or null. @param p the layer @return the biases */
    public float[] biases(int p) {
        float[] b = biases.get(p);
        return b == null ? null : b.clone();
    }

    /** Returns whether the layers have biases. @return the flag */
    public boolean hasBias() {
        return spec.bias();
    }

    /** Returns the number of input features. @return c * h * w */
    public int inputSize() {
        return spec.inputSize();
    }

    /** Returns the number of logits. @return the output size */
    public int outputSize() {
        return spec.outputSize();
    }

    /** Returns the number of weights and biases. @return the count */
    public long parameterCount() {
        long n = 0;
        for (int p = 0; p < param.length; p++) {
            n += weights.get(p).length + (biases.get(p) == null ? 0 : biases.get(p).length);
        }
        return n;
    }

    /**
     * Computes the logits of one image in float64 with plain loops.
     *
     * @param x the image, (c, h, w) flat
     * @return the logits
     */
    public double[] forward64(double[] x) {
        List<double[]> z = forward64Layers(x);
        return z.get(z.size() - 1);
    }

    /**
     * Computes the pre-activations of every conv and dense layer of one image in float64.
     *
     * @param x the image, (c, h, w) flat
     * @return one array per parametric layer, (c, h, w) flat
     */
    public List<double[]> forward64Layers(double[] x) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException("input has " + x.length + " values, network expects " + inputSize());
        }
        int[][] shapes = spec.shapes();
        List<double[]> out = new ArrayList<>();
        double[] h = x;
        int p = 0;
        for (int q = 0; q < spec.layers().size(); q++) {
            LayerSpec l = spec.layers().get(q);
            switch (l.kind()) {
                case CONV2D:
                case DENSE: {
                    int[] so = shapes[q + 1];
                    int area = so[1] * so[2];
                    double[] z = new double[so[0] * area];
                    float[] w = weights.get(p);
                    int fan = l.fanIn();
                    double[] in = h;
                    for (int o = 0; o < so[0]; o++) {
                        int oo = o;
                        double b = bias(p, o);
                        for (int pos = 0; pos < area; pos++) {
                            z[o * area + pos] = b;
                        }
                        Patches.forEach(l, shapes[q], so, (pos, inIdx, j) -> z[oo * area + pos] += (double) w[oo * fan + j] * in[inIdx]);
                    }
                    out.add(z);
                    h = z;
                    p++;
                    break;
                }
                case RELU: {
                    double[] r = new double[h.length];
                    for (int t = 0; t < r.length; t++) {
                        r[t] = Math.max(0, h[t]);
                    }
                    h = r;
                    break;
                }
                case MAXPOOL:
                case AVGPOOL:
                    h = Patches.pool(h, shapes[q], l.kernel(), l.kind() == LayerSpec.Kind.MAXPOOL);
                    break;
                default:
                    break; // flatten: same layout
            }
        }
        return out;
    }

    /**
     * Computes the logits of a batch with DJL in float32, on x's device and manager.
     *
     * @param x images of shape (batch, c, h, w) or (batch, c * h * w)
     * @return logits (batch, classes)
     */
    public NDArray forward(NDArray x) {
        NDList l = forwardLayers(x);
        NDArray last = l.get(l.size() - 1);
        for (int i = 0; i < l.size() - 1; i++) {
            l.get(i).close();
        }
        return last;
    }

    /**
     * Computes the pre-activations of every conv and dense layer of a batch with DJL in float32.
     *
     * @param x images of shape (batch, c, h, w) or (batch, c * h * w)
     * @return one array per parametric layer, (batch, c, h, w) for conv, (batch, d) for dense,
     *     owned by x's manager
     */
    public NDList forwardLayers(NDArray x) {
        NDManager owner = x.getManager();
        NDList out = new NDList();
        int[] in = spec.inputShape();
        long batch = x.getShape().get(0);
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            NDArray h = x.toType(DataType.FLOAT32, true).reshape(batch, in[0], in[1], in[2]);
            h.attach(sub);
            int p = 0;
            for (LayerSpec l : spec.layers()) {
                switch (l.kind()) {
                    case CONV2D: {
                        NDArray w = sub.create(weights.get(p), new Shape(l.out(), l.in(), l.kernel(), l.kernel()));
                        NDArray b = hasBias() ? sub.create(biases.get(p)) : null;
                        h = Conv2d.conv2d(h, w, b, new Shape(l.stride(), l.stride()), new Shape(l.padding(), l.padding()),
                                new Shape(l.dilation(), l.dilation())).head();
                        keep(out, h, owner);
                        p++;
                        break;
                    }
                    case DENSE: {
                        NDArray w = sub.create(weights.get(p), new Shape(l.out(), l.in()));
                        h = hasBias() ? Linear.linear(h, w, sub.create(biases.get(p))).head() : Linear.linear(h, w).head();
                        keep(out, h, owner);
                        p++;
                        break;
                    }
                    case RELU:
                        h = Activation.relu(h);
                        break;
                    case MAXPOOL:
                        h = Pool.maxPool2d(h, new Shape(l.kernel(), l.kernel()), new Shape(l.kernel(), l.kernel()),
                                new Shape(0, 0), false);
                        break;
                    case AVGPOOL:
                        h = Pool.avgPool2d(h, new Shape(l.kernel(), l.kernel()), new Shape(l.kernel(), l.kernel()),
                                new Shape(0, 0), false, true);
                        break;
                    case FLATTEN:
                        h = h.reshape(batch, -1);
                        break;
                    default:
                        throw new AssertionError(l.kind());
                }
            }
        }
        return out;
    }

    private static void keep(NDList out, NDArray h, NDManager owner) {
        NDArray c = h.duplicate();
        c.attach(owner);
        out.add(c);
    }

    /**
     * Describes the architecture in one line.
     *
     * @return e.g. {@code 1x28x28 conv5x5(1->6)-relu-maxpool2-...-dense(84->10), bias}
     */
    public String describe() {
        return spec.describe();
    }

    @Override
    public String toString() {
        return "SequentialTarget(" + describe() + ")";
    }
}
