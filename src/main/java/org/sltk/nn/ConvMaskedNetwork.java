package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * A pruned subnetwork of a {@link ConvRandomNetwork}: one {@link PairMask} per pair (for every
 * output channel of the pair's 1 x 1 conv, the kept hidden channels). A kept hidden channel keeps
 * exactly one first-layer weight (its patch entry's, or only its bias in the bias pool).
 *
 * <p>Two forward passes that must agree: the plain pass convolves with the dense random weights
 * times boolean masks; the compact pass computes each used hidden channel as a scaled shift of one
 * input channel (gathered from the im2col patches), then a product with the kept 1 x 1 weights.
 * ReLU, pooling and flatten are applied as in the target. The masks, their digest and the
 * compact form of a pair live in {@link PairMaskedNetwork}, shared with {@link MaskedNetwork}.
 */
public final class ConvMaskedNetwork extends PairMaskedNetwork<ConvRandomNetwork> {

    /** Images per chunk of the plain pass (its hidden layers hold every random channel). */
    private static final int DENSE_CHUNK = 20;

    /**
     * Creates the pruned network.
     *
     * @param random the random network
     * @param masks one mask per pair
     */
    public ConvMaskedNetwork(ConvRandomNetwork random, List<PairMask> masks) {
        super(random, masks);
    }

    /** Returns the random network (declared here too so compiled callers keep their signature). @return it */
    @Override
    public ConvRandomNetwork random() {
        return super.random();
    }

    /**
     * Runs the plain masked pass: dense random weights times boolean masks (built once, then the
     * batch in chunks of 20 images).
     *
     * @param x images (batch, c, h, w) or (batch, c * h * w)
     * @return logits (batch, classes) on x's manager
     */
    @Override
    public NDArray forwardDense(NDArray x) {
        ConvRandomNetwork random = random();
        NDManager owner = x.getManager();
        SequentialSpec spec = random.spec();
        int[] in = spec.inputShape();
        long batch = x.getShape().get(0);
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            // the masked dense weights, built once for all chunks of the batch
            NDList w1s = new NDList();
            NDList b1s = new NDList();
            NDList w2s = new NDList();
            for (int p = 0; p < random.pairs(); p++) {
                NDArray w1r = random.firstWeights(sub, p);
                w1s.add(w1r.mul(firstMask(sub, p).reshape(w1r.getShape())));
                NDArray b1 = random.firstBiases(sub, p);
                b1s.add(b1 == null ? sub.zeros(new Shape(random.units(p))) : b1.mul(firstBiasMask(sub, p)));
                w2s.add(random.secondWeights(sub, p).mul(secondMask(sub, p)));
            }
            NDList parts = new NDList();
            for (long from = 0; from < batch; from += DENSE_CHUNK) {
                long to = Math.min(batch, from + DENSE_CHUNK);
                long m = to - from;
                NDArray h = x.get(new NDIndex(from + ":" + to)).toType(DataType.FLOAT32, true).reshape(m, in[0], in[1], in[2]);
                int p = 0;
                for (LayerSpec l : spec.layers()) {
                    if (l.parametric()) {
                        NDArray w1 = w1s.get(p);
                        NDArray b1 = b1s.get(p);
                        NDArray w2 = w2s.get(p);
                        if (l.kind() == LayerSpec.Kind.CONV2D) {
                            NDArray z = Conv2d.conv2d(h, w1, b1, new Shape(l.stride(), l.stride()),
                                    new Shape(l.padding(), l.padding()), new Shape(l.dilation(), l.dilation())).head();
                            NDArray hidden = Activation.relu(z);
                            h = Conv2d.conv2d(hidden, w2.reshape(random.out(p), random.units(p), 1, 1)).head();
                        } else {
                            h = Activation.relu(h.matMul(w1.transpose()).add(b1)).matMul(w2.transpose());
                        }
                        p++;
                    } else {
                        h = applyFixed(h, l, m);
                    }
                }
                parts.add(h);
            }
            NDArray out = parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
            out.attach(owner);
            return out;
        }
    }

    static NDArray applyFixed(NDArray h, LayerSpec l, long batch) {
        switch (l.kind()) {
            case RELU:
                return Activation.relu(h);
            case MAXPOOL:
                return Pool.maxPool2d(h, new Shape(l.kernel(), l.kernel()), new Shape(l.kernel(), l.kernel()), new Shape(0, 0), false);
            case AVGPOOL:
                return Pool.avgPool2d(h, new Shape(l.kernel(), l.kernel()), new Shape(l.kernel(), l.kernel()), new Shape(0, 0),
                        false, true);
            case FLATTEN:
                return h.reshape(batch, -1);
            default:
                throw new AssertionError(l.kind());
        }
    }

    /**
     * Runs the compact pass and returns every pair's output (the counterpart of each target conv
     * or dense layer's pre-activation): (batch, c, h, w) for conv, (batch, d) for dense.
     *
     * @param x images (batch, c, h, w) or (batch, c * h * w)
     * @return one array per pair, owned by x's manager
     */
    @Override
    public NDList forwardCompactLayers(NDArray x) {
        ConvRandomNetwork random = random();
        NDManager owner = x.getManager();
        SequentialSpec spec = random.spec();
        int[][] shapes = spec.shapes();
        int[] in = spec.inputShape();
        long batch = x.getShape().get(0);
        NDList outputs = new NDList();
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            NDArray h = x.toType(DataType.FLOAT32, true).reshape(batch, in[0], in[1], in[2]);
            h.attach(sub);
            int p = 0;
            for (int q = 0; q < spec.layers().size(); q++) {
                LayerSpec l = spec.layers().get(q);
                if (!l.parametric()) {
                    h = applyFixed(h, l, batch);
                    continue;
                }
                CompactPair c = compactPair(p);
                int used = c.inputOf.length;
                int outs = random.out(p);
                NDArray z;
                if (l.kind() == LayerSpec.Kind.CONV2D) {
                    int ho = shapes[q + 1][1];
                    int wo = shapes[q + 1][2];
                    NDArray patches = patches(h, l, ho, wo);
                    if (random.hasBias()) {
                        patches = NDArrays.concat(new NDList(patches, sub.ones(new Shape(batch, 1, ho, wo))), 1);
                    }
                    NDArray gathered = patches.get(new NDIndex(":, {}", sub.create(c.inputOf)));
                    NDArray hidden = Activation.relu(gathered.mul(sub.create(c.scale, new Shape(1, used, 1, 1))));
                    NDArray w2 = sub.create(c.second, new Shape(used, outs)).transpose();
                    z = w2.matMul(hidden.reshape(batch, used, (long) ho * wo)).reshape(batch, outs, ho, wo);
                } else {
                    NDArray inp = random.hasBias() ? NDArrays.concat(new NDList(h, sub.ones(new Shape(batch, 1))), 1) : h;
                    NDArray gathered = inp.get(new NDIndex(":, {}", sub.create(c.inputOf)));
                    NDArray hidden = Activation.relu(gathered.mul(sub.create(c.scale)));
                    z = hidden.matMul(sub.create(c.second, new Shape(used, outs)));
                }
                NDArray kept = z.duplicate();
                kept.attach(owner);
                outputs.add(kept);
                h = z;
                p++;
            }
        }
        return outputs;
    }

    /** The im2col patches (batch, c * r * r, ho, wo), entry j = i * r * r + dy * r + dx: shifted strided slices. */
    private static NDArray patches(NDArray h, LayerSpec l, int ho, int wo) {
        NDManager m = h.getManager();
        long batch = h.getShape().get(0);
        long c = h.getShape().get(1);
        NDArray x = h;
        int pad = l.padding();
        if (pad > 0) {
            long hh = x.getShape().get(2);
            long ww = x.getShape().get(3);
            x = NDArrays.concat(new NDList(m.zeros(new Shape(batch, c, pad, ww)), x, m.zeros(new Shape(batch, c, pad, ww))), 2);
            x = NDArrays.concat(new NDList(m.zeros(new Shape(batch, c, hh + 2 * pad, pad)), x,
                    m.zeros(new Shape(batch, c, hh + 2 * pad, pad))), 3);
        }
        int r = l.kernel();
        int s = l.stride();
        NDList taps = new NDList();
        for (int dy = 0; dy < r; dy++) {
            for (int dx = 0; dx < r; dx++) {
                int y0 = dy * l.dilation();
                int x0 = dx * l.dilation();
                taps.add(x.get(new NDIndex(":, :, " + y0 + ":" + (y0 + s * (ho - 1) + 1) + ":" + s + ", "
                        + x0 + ":" + (x0 + s * (wo - 1) + 1) + ":" + s)));
            }
        }
        return NDArrays.stack(taps, 2).reshape(batch, c * r * r, ho, wo);
    }
}
