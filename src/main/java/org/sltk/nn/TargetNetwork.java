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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * An immutable target network: an {@link Architecture} (conv2d, dense, relu, maxpool, avgpool,
 * flatten) and the weights of its conv and dense layers. Dense MLPs and CNNs are the same type.
 *
 * <p>Parametric layer p (the p-th conv or dense layer) has weights row-major (out, in, r, r)
 * (dense: (out, in)), so weight (o, j) with patch entry {@code j = i * r * r + dy * r + dx} is
 * {@code weights(p)[o * fanIn + j]}, and, where the layer has biases, {@code out} biases.
 *
 * <pre>
 * jshell&gt; TargetNetwork.random(Architecture.mlp(new int[] {784, 300, 100, 10}, true), 1).describe()
 * $1 ==&gt; "784-300-100-10 ReLU MLP, bias"
 * </pre>
 */
public final class TargetNetwork {

    private final Architecture architecture;
    private final List<Layer.Parametric> param;
    private final int[][] shapes;
    private final int[] paramIndex;
    private final List<float[]> weights;
    private final List<float[]> biases;

    private TargetNetwork(Architecture architecture, List<float[]> weights, List<float[]> biases) {
        this.architecture = architecture;
        this.param = architecture.parametric();
        this.shapes = architecture.shapes();
        this.paramIndex = architecture.parametricIndices();
        this.weights = weights;
        this.biases = biases;
    }

    /**
     * Creates a network from copies of its parameters, checking sizes and finiteness.
     *
     * @param architecture the architecture
     * @param weights one array per conv/dense layer, (out, in, r, r) row-major
     * @param biases one array per conv/dense layer ({@code out} values; null for a layer without
     *     biases); the whole list may be null when no layer has biases
     * @param source how messages name the parameters' origin
     * @return the network
     * @throws InputException if a size is wrong or a value is not finite
     */
    public static TargetNetwork of(
            Architecture architecture, List<float[]> weights, List<float[]> biases, String source) {
        List<Layer.Parametric> ps = architecture.parametric();
        int[] idx = architecture.parametricIndices();
        if (weights.size() != ps.size()) {
            throw new InputException(
                    source
                            + ": "
                            + weights.size()
                            + " weight tensors for "
                            + ps.size()
                            + " conv/dense layers");
        }
        if (biases != null && biases.size() != ps.size()) {
            throw new InputException(
                    source
                            + ": "
                            + biases.size()
                            + " bias tensors for "
                            + ps.size()
                            + " conv/dense layers");
        }
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int p = 0; p < ps.size(); p++) {
            Layer.Parametric l = ps.get(p);
            String at = source + ": layer " + (p + 1) + " (" + l.describe() + ")";
            float[] wp = weights.get(p);
            long want = (long) l.out() * l.fanIn();
            if (wp == null || wp.length != want) {
                throw new InputException(
                        at
                                + ": expected "
                                + want
                                + " weights, found "
                                + (wp == null ? "none" : wp.length));
            }
            float[] bp = biases == null ? null : biases.get(p);
            if (l.bias() != (bp != null)) {
                throw new InputException(
                        at + (l.bias() ? ": biases missing" : ": unexpected biases"));
            }
            if (bp != null && bp.length != l.out()) {
                throw new InputException(
                        at + ": expected " + l.out() + " biases, found " + bp.length);
            }
            checkFinite(wp, at, "weight", l.fanIn());
            if (bp != null) {
                checkFinite(bp, at, "bias", 0);
            }
            w.add(wp.clone());
            b.add(bp == null ? null : bp.clone());
        }
        return new TargetNetwork(architecture, List.copyOf(w), Collections.unmodifiableList(b));
    }

    private static void checkFinite(float[] v, String at, String what, int row) {
        for (int k = 0; k < v.length; k++) {
            if (!Float.isFinite(v[k])) {
                String where = row > 0 ? " [" + (k / row) + "][" + (k % row) + "]" : " [" + k + "]";
                throw new InputException(
                        at
                                + ": "
                                + what
                                + where
                                + " is "
                                + v[k]
                                + "; "
                                + (what.equals("bias") ? "biases" : what + "s")
                                + " must be finite");
            }
        }
    }

    /**
     * Creates a seeded random network (the training initialisation): weights and biases uniform on
     * [-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default range), from {@link CounterRandom}
     * streams 2p (weights) and 2p+1 (biases) of parametric layer p.
     *
     * @param architecture the architecture
     * @param seed the seed
     * @return the network, the same for the same arguments on every machine
     */
    public static TargetNetwork random(Architecture architecture, long seed) {
        CounterRandom rng = new CounterRandom(seed);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        int p = 0;
        for (Layer.Parametric l : architecture.parametric()) {
            float bound = (float) (1.0 / Math.sqrt(l.fanIn()));
            float[] wp = new float[l.out() * l.fanIn()];
            for (int k = 0; k < wp.length; k++) {
                wp[k] = rng.symmetricFloat(2L * p, k) * bound;
            }
            w.add(wp);
            if (l.bias()) {
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
        return of(architecture, w, b, "random target");
    }

    /**
     * Returns the architecture.
     *
     * @return the architecture
     */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * Returns the number of conv and dense layers (the pairs of the random network).
     *
     * @return the count
     */
    public int parametricCount() {
        return param.size();
    }

    /**
     * Returns parametric layer p.
     *
     * @param p the parametric layer, from 0
     * @return its layer
     */
    public Layer.Parametric layer(int p) {
        return param.get(p);
    }

    /**
     * Returns the input shape of parametric layer p.
     *
     * @param p the parametric layer
     * @return (c, h, w)
     */
    public int[] inputShapeOf(int p) {
        return shapes[paramIndex[p]].clone();
    }

    /**
     * Returns the output shape of parametric layer p.
     *
     * @param p the parametric layer
     * @return (c, h, w)
     */
    public int[] outputShapeOf(int p) {
        return shapes[paramIndex[p] + 1].clone();
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
        return weights.get(p)[o * param.get(p).fanIn() + j];
    }

    /**
     * Returns bias o of parametric layer p (0 for a layer without biases).
     *
     * @param p the parametric layer
     * @param o the output channel
     * @return the bias
     */
    public float bias(int p, int o) {
        float[] b = biases.get(p);
        return b == null ? 0f : b[o];
    }

    /**
     * Returns a copy of parametric layer p's weights.
     *
     * @param p the layer
     * @return the weights, (out, in, r, r) row-major
     */
    public float[] weights(int p) {
        return weights.get(p).clone();
    }

    /**
     * Returns a copy of parametric layer p's biases, or null for a layer without biases.
     *
     * @param p the layer
     * @return the biases or null
     */
    public float[] biases(int p) {
        float[] b = biases.get(p);
        return b == null ? null : b.clone();
    }

    /** Parametric layer p's weights without a copy, for this package; never modified. */
    float[] weightsView(int p) {
        return weights.get(p);
    }

    /** Parametric layer p's biases without a copy (null without biases), for this package. */
    float[] biasesView(int p) {
        return biases.get(p);
    }

    /**
     * Returns the number of input features.
     *
     * @return c * h * w
     */
    public int inputSize() {
        return architecture.inputSize();
    }

    /**
     * Returns the number of logits.
     *
     * @return the output size
     */
    public int outputSize() {
        return architecture.outputSize();
    }

    /**
     * Returns the number of weights and biases.
     *
     * @return the count
     */
    public long parameterCount() {
        long n = 0;
        for (int p = 0; p < param.size(); p++) {
            n += weights.get(p).length + (biases.get(p) == null ? 0 : biases.get(p).length);
        }
        return n;
    }

    /**
     * Computes the logits of one input in float64 with plain loops: the reference forward pass.
     *
     * @param x the input, (c, h, w) flat
     * @return the logits
     */
    public double[] forward64(double[] x) {
        List<double[]> z = forward64Layers(x);
        return z.get(z.size() - 1);
    }

    /**
     * Computes the pre-activations of every conv and dense layer of one input in float64.
     *
     * @param x the input, (c, h, w) flat
     * @return one array per parametric layer, (c, h, w) flat
     */
    public List<double[]> forward64Layers(double[] x) {
        if (x.length != inputSize()) {
            throw new IllegalArgumentException(
                    "input has " + x.length + " values, network expects " + inputSize());
        }
        List<double[]> out = new ArrayList<>();
        double[] h = x;
        int p = 0;
        for (int q = 0; q < architecture.layers().size(); q++) {
            Layer l = architecture.layers().get(q);
            switch (l.kind()) {
                case CONV2D:
                case DENSE:
                    {
                        Layer.Parametric pl = (Layer.Parametric) l;
                        int[] so = shapes[q + 1];
                        int area = so[1] * so[2];
                        double[] z = new double[so[0] * area];
                        float[] w = weights.get(p);
                        int fan = pl.fanIn();
                        double[] in = h;
                        for (int o = 0; o < so[0]; o++) {
                            int oo = o;
                            double b = bias(p, o);
                            for (int pos = 0; pos < area; pos++) {
                                z[o * area + pos] = b;
                            }
                            Patches.forEach(
                                    pl,
                                    shapes[q],
                                    so,
                                    (pos, inIdx, j) ->
                                            z[oo * area + pos] +=
                                                    (double) w[oo * fan + j] * in[inIdx]);
                        }
                        out.add(z);
                        h = z;
                        p++;
                        break;
                    }
                case RELU:
                    {
                        double[] r = new double[h.length];
                        for (int t = 0; t < r.length; t++) {
                            r[t] = Math.max(0, h[t]);
                        }
                        h = r;
                        break;
                    }
                case NORMALIZE:
                    {
                        // float32, as the DJL pass and PyTorch compute it: the same in target and
                        // ticket, so the reference starts from the float32 normalised input
                        Layer.Normalize n = (Layer.Normalize) l;
                        int area = shapes[q][1] * shapes[q][2];
                        double[] r = new double[h.length];
                        for (int t = 0; t < r.length; t++) {
                            r[t] = n.apply(h[t], t / area);
                        }
                        h = r;
                        break;
                    }
                case MAXPOOL:
                case AVGPOOL:
                    h =
                            Patches.pool(
                                    h,
                                    shapes[q],
                                    Layer.poolSize(l),
                                    l.kind() == Layer.Kind.MAXPOOL);
                    break;
                default:
                    break; // flatten: same layout
            }
        }
        return out;
    }

    /**
     * Computes the logits of a batch with DJL in float32, on x's device and manager; it uses the
     * kernels of the DJL block of {@link DjlBlocks}, so both give identical logits.
     *
     * @param x inputs of shape (batch, c, h, w) or (batch, c * h * w)
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
     * @param x inputs of shape (batch, c, h, w) or (batch, c * h * w)
     * @return one array per parametric layer, (batch, c, h, w) for conv, (batch, d) for dense,
     *     owned by x's manager
     */
    public NDList forwardLayers(NDArray x) {
        NDManager owner = x.getManager();
        NDList out = new NDList();
        long batch = x.getShape().get(0);
        if (x.getShape().size() != batch * inputSize()) {
            throw new IllegalArgumentException(
                    "input shape "
                            + x.getShape()
                            + ", network expects (batch, "
                            + inputSize()
                            + ") or (batch, "
                            + Arrays.toString(architecture.inputShape())
                            + ")");
        }
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            NDArray h = inputTensor(x, architecture);
            h.attach(sub);
            int p = 0;
            for (Layer l : architecture.layers()) {
                if (l instanceof Layer.Parametric pl) {
                    NDArray w = sub.create(weights.get(p), weightShape(pl));
                    NDArray b = pl.bias() ? sub.create(biases.get(p)) : null;
                    if (pl instanceof Layer.Conv2d c) {
                        h =
                                Conv2d.conv2d(
                                                h,
                                                w,
                                                b,
                                                new Shape(c.stride(), c.stride()),
                                                new Shape(c.padding(), c.padding()),
                                                new Shape(c.dilation(), c.dilation()))
                                        .head();
                    } else {
                        h = flatten(h);
                        h = b == null ? Linear.linear(h, w).head() : Linear.linear(h, w, b).head();
                    }
                    NDArray c = h.duplicate();
                    c.attach(owner);
                    out.add(c);
                    p++;
                } else {
                    h = applyFixed(h, l);
                }
            }
        }
        return out;
    }

    /**
     * Returns the input as a float32 tensor of the shape the first layer takes: (batch, c, h, w),
     * or (batch, d) for a flat input (d, 1, 1).
     *
     * @param x the input, (batch, ...) of any float type
     * @param architecture the architecture
     * @return a new tensor, attached to x's manager
     */
    static NDArray inputTensor(NDArray x, Architecture architecture) {
        int[] in = architecture.inputShape();
        long batch = x.getShape().get(0);
        NDArray h = x.toType(DataType.FLOAT32, true);
        return in[1] == 1 && in[2] == 1
                ? h.reshape(batch, in[0])
                : h.reshape(batch, in[0], in[1], in[2]);
    }

    /**
     * Applies a parameter-free layer as the target does.
     *
     * @param h the activations
     * @param l a ReLU, pooling, flatten or normalize layer
     * @return the result
     */
    static NDArray applyFixed(NDArray h, Layer l) {
        switch (l.kind()) {
            case NORMALIZE:
                {
                    Layer.Normalize n = (Layer.Normalize) l;
                    long c = n.channels();
                    Shape s =
                            h.getShape().dimension() == 2 ? new Shape(1, c) : new Shape(1, c, 1, 1);
                    NDManager m = h.getManager();
                    try (NDArray mean = m.create(n.mean(), s);
                            NDArray std = m.create(n.std(), s)) {
                        return h.sub(mean.toDevice(h.getDevice(), false))
                                .div(std.toDevice(h.getDevice(), false));
                    }
                }
            case RELU:
                return Activation.relu(h);
            case MAXPOOL:
                {
                    int s = Layer.poolSize(l);
                    return Pool.maxPool2d(
                            h, new Shape(s, s), new Shape(s, s), new Shape(0, 0), false);
                }
            case AVGPOOL:
                {
                    int s = Layer.poolSize(l);
                    return Pool.avgPool2d(
                            h, new Shape(s, s), new Shape(s, s), new Shape(0, 0), false, true);
                }
            case FLATTEN:
                return flatten(h);
            default:
                throw new AssertionError(l.kind());
        }
    }

    /** (batch, ...) to (batch, features); a 2-D tensor is returned as it is. */
    static NDArray flatten(NDArray h) {
        return h.getShape().dimension() == 2 ? h : h.reshape(h.getShape().get(0), -1);
    }

    /**
     * Returns the DJL shape of a parametric layer's weight: (out, in, r, r) or (out, in).
     *
     * @param l the layer
     * @return the shape
     */
    static Shape weightShape(Layer.Parametric l) {
        return l instanceof Layer.Conv2d
                ? new Shape(l.out(), l.in(), l.kernel(), l.kernel())
                : new Shape(l.out(), l.in());
    }

    /**
     * Describes the architecture in one line.
     *
     * @return e.g. {@code 784-300-100-10 ReLU MLP, bias}
     */
    public String describe() {
        return architecture.describe();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TargetNetwork t) || !architecture.equals(t.architecture)) {
            return false;
        }
        for (int p = 0; p < param.size(); p++) {
            if (!Arrays.equals(weights.get(p), t.weights.get(p))
                    || !Arrays.equals(biases.get(p), t.biases.get(p))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = architecture.hashCode();
        for (float[] w : weights) {
            h = 31 * h + Arrays.hashCode(w);
        }
        return h;
    }

    @Override
    public String toString() {
        return "TargetNetwork(" + describe() + ")";
    }
}
