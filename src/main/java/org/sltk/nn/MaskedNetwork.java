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
import ai.djl.nn.core.Linear;
import java.util.List;

/**
 * A ticket's network: a {@link RandomNetwork} with one {@link PairMask} per pair (for every output
 * of the pair's second layer, the kept hidden units). A kept hidden unit keeps exactly one
 * first-layer weight (its patch entry's, or only its bias in the bias pool).
 *
 * <p>Two forward passes that must agree: the plain pass multiplies the dense random weights by
 * boolean masks (for a conv pair: convolves with them); the compact pass keeps only the used hidden
 * units and computes each as a scaled copy of one input (a gathered im2col patch entry for a conv
 * pair), then a product with the kept second-layer weights. ReLU, pooling and flatten are applied
 * as in the target. Dense layers are a branch of the same passes (a matrix product instead of
 * patches).
 */
public final class MaskedNetwork {

    /**
     * Images per chunk of the plain pass when it has conv pairs (its hidden layers hold every
     * random channel).
     */
    private static final int DENSE_CHUNK = 4;

    private final RandomNetwork random;
    private final List<PairMask> masks;

    /**
     * Creates the pruned network.
     *
     * @param random the random network
     * @param masks one mask per pair
     */
    public MaskedNetwork(RandomNetwork random, List<PairMask> masks) {
        if (masks.size() != random.pairs()) {
            throw new IllegalArgumentException(
                    masks.size() + " masks for " + random.pairs() + " pairs");
        }
        for (int p = 0; p < masks.size(); p++) {
            PairMask m = masks.get(p);
            if (m.outputs() != random.out(p)) {
                throw new IllegalArgumentException(
                        "mask "
                                + p
                                + " has "
                                + m.outputs()
                                + " outputs, pair has "
                                + random.out(p));
            }
            for (int u : m.kept()) {
                if (u < 0 || u >= random.units(p)) {
                    throw new IllegalArgumentException(
                            "mask " + p + " keeps unit " + u + " of " + random.units(p));
                }
            }
        }
        this.random = random;
        this.masks = List.copyOf(masks);
    }

    /** {@return the random network} */
    public RandomNetwork random() {
        return random;
    }

    /** {@return the masks, one per pair} */
    public List<PairMask> masks() {
        return masks;
    }

    /**
     * Returns the SHA-256 of the masks in a canonical form (pair by pair: outputs, kept units per
     * output, the kept unit indices, all as big-endian 32-bit integers): the same masks give the
     * same digest on every machine.
     *
     * @return the hex digest
     */
    public String digest() {
        return PairMask.digest(masks);
    }

    /**
     * Returns the kept weights of the first layer of pair p as a count: one per used unit.
     *
     * @param p the pair
     * @return kept first-layer parameters (weights, or biases for the constant pool)
     */
    public long keptFirst(int p) {
        return masks.get(p).usedUnits(random.units(p)).length;
    }

    /**
     * Returns the kept weights of the second layer of pair p.
     *
     * @param p the pair
     * @return kept second-layer weights
     */
    public long keptSecond(int p) {
        return masks.get(p).kept().length;
    }

    /**
     * Runs the compact pass: per pair, the used units only.
     *
     * @param x the inputs
     * @return the outputs of the last pair
     */
    public NDArray forwardCompact(NDArray x) {
        return last(forwardCompactLayers(x));
    }

    /**
     * Runs the effective pass ({@link #forwardEffectiveLayers}): per pair, one layer of the
     * target's shape with the kept units' products summed.
     *
     * @param x the inputs
     * @return the outputs of the last pair
     */
    public NDArray forwardEffective(NDArray x) {
        return last(forwardEffectiveLayers(x));
    }

    /** The last array of a pass's outputs, the others closed. */
    private static NDArray last(NDList all) {
        for (int p = 0; p < all.size() - 1; p++) {
            all.get(p).close();
        }
        return all.get(all.size() - 1);
    }

    /**
     * Runs the plain masked pass: dense random weights times boolean masks, for the used hidden
     * units of every pair (built once, then the batch in chunks of 4 images when a pair is a conv).
     * A hidden unit no output keeps has an all-zero mask row and bias in the first layer and an
     * all-zero mask column in the second, so it contributes exactly 0 and the full pass over every
     * random unit computes the same sums of the same non-zero terms ({@link #forwardDenseAllUnits},
     * tested); leaving those units out is what makes the check affordable for a CNN (its conv pairs
     * have tens of thousands of random channels, a third of them used).
     *
     * @param x inputs (batch, c, h, w) or (batch, c * h * w)
     * @return logits (batch, classes) on x's manager
     */
    public NDArray forwardDense(NDArray x) {
        return forwardDense(x, true);
    }

    /**
     * The plain masked pass over every random unit, used or not: the reference of {@link
     * #forwardDense} (the literal masked random network).
     *
     * @param x inputs (batch, c, h, w) or (batch, c * h * w)
     * @return logits (batch, classes) on x's manager
     */
    public NDArray forwardDenseAllUnits(NDArray x) {
        return forwardDense(x, false);
    }

    private NDArray forwardDense(NDArray x, boolean usedOnly) {
        NDManager owner = x.getManager();
        Architecture arch = random.architecture();
        long batch = x.getShape().get(0);
        boolean conv = arch.parametric().stream().anyMatch(l -> l instanceof Layer.Conv2d);
        long chunk = conv ? DENSE_CHUNK : Math.max(1, batch);
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            // the masked dense weights, built once for all chunks of the batch
            NDList w1s = new NDList();
            NDList b1s = new NDList();
            NDList w2s = new NDList();
            for (int p = 0; p < random.pairs(); p++) {
                int units = random.units(p);
                int[] rows =
                        usedOnly
                                ? masks.get(p).usedUnits(units)
                                : java.util.stream.IntStream.range(0, units).toArray();
                boolean[][] m = masksOfUnits(p, rows);
                NDArray w1r = random.firstWeights(sub, p, rows);
                w1s.add(w1r.mul(floats(sub, m[0], w1r.getShape())));
                if (random.hasBias(p)) {
                    float[] b = new float[rows.length];
                    for (int t = 0; t < rows.length; t++) {
                        b[t] = random.firstBias(p, rows[t]);
                    }
                    b1s.add(sub.create(b).mul(floats(sub, m[1], new Shape(rows.length))));
                } else {
                    b1s.add(sub.zeros(new Shape(rows.length)));
                }
                w2s.add(
                        random.secondWeights(sub, p, rows)
                                .mul(floats(sub, m[2], new Shape(random.out(p), rows.length))));
            }
            NDList parts = new NDList();
            for (long from = 0; from < batch; from += chunk) {
                long to = Math.min(batch, from + chunk);
                NDArray h = TargetNetwork.inputTensor(x.get(new NDIndex(from + ":" + to)), arch);
                int p = 0;
                for (Layer l : arch.layers()) {
                    if (l instanceof Layer.Parametric pl) {
                        NDArray w1 = w1s.get(p);
                        NDArray b1 = b1s.get(p);
                        NDArray w2 = w2s.get(p);
                        if (pl instanceof Layer.Conv2d c) {
                            NDArray z =
                                    Conv2d.conv2d(
                                                    h,
                                                    w1,
                                                    b1,
                                                    new Shape(c.stride(), c.stride()),
                                                    new Shape(c.padding(), c.padding()),
                                                    new Shape(c.dilation(), c.dilation()))
                                            .head();
                            NDArray hidden = Activation.relu(z);
                            h =
                                    Conv2d.conv2d(
                                                    hidden,
                                                    w2.reshape(
                                                            random.out(p),
                                                            w2.getShape().get(1),
                                                            1,
                                                            1))
                                            .head();
                        } else {
                            h = TargetNetwork.flatten(h);
                            h =
                                    Activation.relu(h.matMul(w1.transpose()).add(b1))
                                            .matMul(w2.transpose());
                        }
                        p++;
                    } else {
                        h = TargetNetwork.applyFixed(h, l);
                    }
                }
                parts.add(h);
            }
            NDArray out = parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
            out.attach(owner);
            return out;
        }
    }

    /**
     * Runs the compact pass and returns every pair's output (the counterpart of each target conv or
     * dense layer's pre-activation): (batch, c, h, w) for conv, (batch, d) for dense.
     *
     * @param x inputs (batch, c, h, w) or (batch, c * h * w)
     * @return one array per pair, owned by x's manager
     */
    public NDList forwardCompactLayers(NDArray x) {
        NDManager owner = x.getManager();
        Architecture arch = random.architecture();
        int[][] shapes = arch.shapes();
        long batch = x.getShape().get(0);
        NDList outputs = new NDList();
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            NDArray h = TargetNetwork.inputTensor(x, arch);
            h.attach(sub);
            int p = 0;
            for (int q = 0; q < arch.layers().size(); q++) {
                Layer layer = arch.layers().get(q);
                // every layer's intermediates are freed when it is done (a conv pair's hidden
                // channels are the largest arrays of the pass)
                NDManager lm = sub.newSubManager(x.getDevice());
                h.attach(lm);
                if (!(layer instanceof Layer.Parametric l)) {
                    h = TargetNetwork.applyFixed(h, layer);
                    h.attach(sub);
                    lm.close();
                    continue;
                }
                CompactPair c = compactPairCached(p);
                int used = c.inputOf.length;
                int outs = random.out(p);
                NDArray z;
                if (l instanceof Layer.Conv2d) {
                    int ho = shapes[q + 1][1];
                    int wo = shapes[q + 1][2];
                    NDArray patches = patches(h, l, ho, wo);
                    if (random.hasBias(p)) {
                        patches =
                                NDArrays.concat(
                                        new NDList(patches, lm.ones(new Shape(batch, 1, ho, wo))),
                                        1);
                    }
                    NDArray gathered = patches.get(new NDIndex(":, {}", lm.create(c.inputOf)));
                    patches.close();
                    NDArray scaled = gathered.mul(lm.create(c.scale, new Shape(1, used, 1, 1)));
                    gathered.close();
                    NDArray hidden = c.reluIsIdentity ? scaled : Activation.relu(scaled);
                    NDArray w2 = lm.create(c.second, new Shape(used, outs)).transpose();
                    z =
                            w2.matMul(hidden.reshape(batch, used, (long) ho * wo))
                                    .reshape(batch, outs, ho, wo);
                } else {
                    h = TargetNetwork.flatten(h);
                    NDArray inp =
                            random.hasBias(p)
                                    ? NDArrays.concat(
                                            new NDList(h, lm.ones(new Shape(batch, 1))), 1)
                                    : h;
                    NDArray gathered = inp.get(new NDIndex(":, {}", lm.create(c.inputOf)));
                    NDArray scaled = gathered.mul(lm.create(c.scale));
                    NDArray hidden = c.reluIsIdentity ? scaled : Activation.relu(scaled);
                    z = hidden.matMul(lm.create(c.second, new Shape(used, outs)));
                }
                NDArray kept = z.duplicate();
                kept.attach(owner);
                outputs.add(kept);
                z.attach(sub);
                lm.close();
                h = z;
                p++;
            }
        }
        return outputs;
    }

    /**
     * Runs the effective pass and returns every pair's output, like {@link #forwardCompactLayers}.
     * A kept unit computes relu(a x) = |a| relu(sign(a) x) of one input x (a patch entry, or the
     * constant 1 of the bias pool), so the kept units of each output collapse into one layer of the
     * target's shape on [relu(h), relu(-h)] (on h alone where a ReLU makes the pair's input
     * non-negative, or where no kept unit has a &lt; 0): its weights sum b |a| over the output's
     * kept units of each input and sign, in float64 (each product of two float32 weights is exact
     * there), rounded once to float32; its bias sums b a over the kept bias-pool units with a &gt;
     * 0. In exact arithmetic this is the ticket's function; in float32 it is a dot product of at
     * most as many non-zero terms as the compact pass's, each of magnitude at most the compact
     * terms' |b a x|, so {@code ErrorBound}'s rounding terms (written for the compact pass) cover
     * it too. It costs one conv or matrix product of the target's size per pair (twice the inputs
     * where they are signed), where the compact pass materialises every used hidden unit.
     *
     * @param x inputs (batch, c, h, w) or (batch, c * h * w)
     * @return one array per pair, owned by x's manager
     */
    public NDList forwardEffectiveLayers(NDArray x) {
        NDManager owner = x.getManager();
        Architecture arch = random.architecture();
        NDList outputs = new NDList();
        try (NDManager sub = owner.newSubManager(x.getDevice())) {
            NDArray h = TargetNetwork.inputTensor(x, arch);
            h.attach(sub);
            int p = 0;
            for (Layer layer : arch.layers()) {
                if (!(layer instanceof Layer.Parametric l)) {
                    h = TargetNetwork.applyFixed(h, layer);
                    continue;
                }
                EffectivePair e = effectivePairCached(p);
                int cols = e.signed ? 2 * random.in(p) : random.in(p);
                NDArray in = l instanceof Layer.Conv2d ? h : TargetNetwork.flatten(h);
                if (e.signed) {
                    in =
                            NDArrays.concat(
                                    new NDList(Activation.relu(in), Activation.relu(in.neg())), 1);
                } else if (e.relu) {
                    in = Activation.relu(in);
                }
                NDArray b = e.bias != null ? sub.create(e.bias) : null;
                if (l instanceof Layer.Conv2d c) {
                    int r = c.kernel();
                    NDArray w =
                            sub.create(e.weight, new Shape(random.out(p), cols / (r * r), r, r));
                    h =
                            Conv2d.conv2d(
                                            in,
                                            w,
                                            b,
                                            new Shape(c.stride(), c.stride()),
                                            new Shape(c.padding(), c.padding()),
                                            new Shape(c.dilation(), c.dilation()))
                                    .head();
                } else {
                    NDArray w = sub.create(e.weight, new Shape(random.out(p), cols));
                    h = b == null ? Linear.linear(in, w).head() : Linear.linear(in, w, b).head();
                }
                NDArray kept = h.duplicate();
                kept.attach(owner);
                outputs.add(kept);
                p++;
            }
        }
        return outputs;
    }

    /**
     * One pair collapsed: weights (outputs, inputs) of the target layer's layout, then as many
     * again for relu(-h) where signed, and the bias (null without a bias pool); relu: whether the
     * input is relu(h) rather than h (an input that may be negative).
     */
    private record EffectivePair(float[] weight, float[] bias, boolean signed, boolean relu) {}

    private final java.util.concurrent.ConcurrentHashMap<Integer, EffectivePair> effective =
            new java.util.concurrent.ConcurrentHashMap<>();

    private EffectivePair effectivePairCached(int p) {
        return effective.computeIfAbsent(p, this::effectivePair);
    }

    private EffectivePair effectivePair(int p) {
        PairMask m = masks.get(p);
        int fan = random.in(p);
        int outs = random.out(p);
        boolean signed = !random.architecture().nonNegativeInputOf(p, false);
        int cols = signed ? 2 * fan : fan;
        double[] w = new double[outs * cols];
        double[] bias = new double[outs];
        for (int i = 0; i < outs; i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                int u = m.kept()[i * m.perOutput() + t];
                int j = u / random.pool();
                double a = random.poolWeight(p, u);
                double ab = a * random.secondWeight(p, i, u); // exact: 24 x 24 bits
                if (j == fan) {
                    bias[i] += a > 0 ? ab : 0; // relu(a * 1)
                } else if (a > 0) {
                    w[i * cols + j] += ab;
                } else if (a < 0 && signed) {
                    w[i * cols + fan + j] -= ab; // b |a| on relu(-x)
                } // a < 0 on a non-negative input: relu(a x) = 0
            }
        }
        boolean negatives = false;
        for (int i = 0; i < outs && signed && !negatives; i++) {
            for (int j = 0; j < fan && !negatives; j++) {
                negatives = w[i * cols + fan + j] != 0;
            }
        }
        if (signed && !negatives) {
            // no kept unit with a < 0 (a ticket pruned for non-negative inputs): relu(-h) would
            // only add zero terms
            double[] half = new double[outs * fan];
            for (int i = 0; i < outs; i++) {
                System.arraycopy(w, i * cols, half, i * fan, fan);
            }
            w = half;
            return new EffectivePair(toFloats(w), biases32(p, bias), false, true);
        }
        return new EffectivePair(toFloats(w), biases32(p, bias), signed, signed);
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int q = 0; q < v.length; q++) {
            f[q] = (float) v[q];
        }
        return f;
    }

    private float[] biases32(int p, double[] bias) {
        return random.hasBias(p) ? toFloats(bias) : null;
    }

    /**
     * The im2col patches (batch, c * r * r, ho, wo), entry j = i * r * r + dy * r + dx: shifted
     * strided slices.
     */
    private static NDArray patches(NDArray h, Layer.Parametric l, int ho, int wo) {
        NDManager m = h.getManager();
        long batch = h.getShape().get(0);
        long c = h.getShape().get(1);
        NDArray x = h;
        int pad = l.padding();
        if (pad > 0) {
            long hh = x.getShape().get(2);
            long ww = x.getShape().get(3);
            x =
                    NDArrays.concat(
                            new NDList(
                                    m.zeros(new Shape(batch, c, pad, ww)),
                                    x,
                                    m.zeros(new Shape(batch, c, pad, ww))),
                            2);
            x =
                    NDArrays.concat(
                            new NDList(
                                    m.zeros(new Shape(batch, c, hh + 2 * pad, pad)),
                                    x,
                                    m.zeros(new Shape(batch, c, hh + 2 * pad, pad))),
                            3);
        }
        int r = l.kernel();
        int s = l.stride();
        NDList taps = new NDList();
        for (int dy = 0; dy < r; dy++) {
            for (int dx = 0; dx < r; dx++) {
                int y0 = dy * l.dilation();
                int x0 = dx * l.dilation();
                taps.add(
                        x.get(
                                new NDIndex(
                                        ":, :, "
                                                + y0
                                                + ":"
                                                + (y0 + s * (ho - 1) + 1)
                                                + ":"
                                                + s
                                                + ", "
                                                + x0
                                                + ":"
                                                + (x0 + s * (wo - 1) + 1)
                                                + ":"
                                                + s)));
            }
        }
        return NDArrays.stack(taps, 2).reshape(batch, c * r * r, ho, wo);
    }

    private static NDArray floats(NDManager m, boolean[] mask, Shape shape) {
        return m.create(mask, shape).toType(DataType.FLOAT32, false);
    }

    /**
     * The boolean masks of pair p restricted to some hidden units (the rows of {@link #firstMask},
     * the entries of {@link #firstBiasMask}, the columns of {@link #secondMask}, in the order of
     * {@code rows}): first layer (rows, in), biases (rows), second layer (out, rows).
     */
    private boolean[][] masksOfUnits(int p, int[] rows) {
        PairMask pm = masks.get(p);
        int units = random.units(p);
        int in = random.in(p);
        boolean[] used = new boolean[units];
        for (int u : pm.usedUnits(units)) {
            used[u] = true;
        }
        int[] column = new int[units];
        java.util.Arrays.fill(column, -1);
        boolean[] first = new boolean[rows.length * in];
        boolean[] bias = new boolean[rows.length];
        for (int t = 0; t < rows.length; t++) {
            int u = rows[t];
            column[u] = t;
            int j = u / random.pool();
            if (used[u] && j < in) {
                first[t * in + j] = true;
            }
            bias[t] = used[u] && j == in;
        }
        boolean[] second = new boolean[pm.outputs() * rows.length];
        for (int i = 0; i < pm.outputs(); i++) {
            for (int t = 0; t < pm.perOutput(); t++) {
                int c = column[pm.kept()[i * pm.perOutput() + t]];
                if (c < 0) {
                    throw new IllegalArgumentException("a kept unit is not among the rows");
                }
                second[i * rows.length + c] = true;
            }
        }
        return new boolean[][] {first, bias, second};
    }

    /** The compact form of one pair: used units, their input and scale, kept weights. */
    static final class CompactPair {
        final long[] inputOf;
        final float[] scale;
        final float[] second;

        /**
         * Whether relu(scale * input) is scale * input itself: the pair's inputs are non-negative
         * (a ReLU before it in the architecture) and every used unit's scale is positive, so fl(a *
         * x) >= 0 (the pass skips the ReLU, which would return the same values).
         */
        final boolean reluIsIdentity;

        CompactPair(long[] inputOf, float[] scale, float[] second, boolean reluIsIdentity) {
            this.inputOf = inputOf;
            this.scale = scale;
            this.second = second;
            this.reluIsIdentity = reluIsIdentity;
        }
    }

    /** Built once per pair on first use (the compact pass runs batch after batch). */
    private final java.util.concurrent.ConcurrentHashMap<Integer, CompactPair> compact =
            new java.util.concurrent.ConcurrentHashMap<>();

    private CompactPair compactPairCached(int p) {
        return compact.computeIfAbsent(p, this::compactPair);
    }

    /**
     * Builds the compact form of pair p: for each used unit its input index (in(p) for the constant
     * input), its kept first-layer weight, and the (used units, outputs) matrix of kept weights.
     *
     * @param p the pair
     * @return the compact pair
     */
    CompactPair compactPair(int p) {
        PairMask m = masks.get(p);
        int units = random.units(p);
        int[] used = m.usedUnits(units);
        int[] position = new int[units];
        for (int t = 0; t < used.length; t++) {
            position[used[t]] = t;
        }
        long[] inputOf = new long[used.length];
        float[] scale = new float[used.length];
        for (int t = 0; t < used.length; t++) {
            inputOf[t] = used[t] / random.pool();
            scale[t] = random.poolWeight(p, used[t]);
        }
        int outs = random.out(p);
        float[] second = new float[used.length * outs];
        for (int i = 0; i < outs; i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                int u = m.kept()[i * m.perOutput() + t];
                second[position[u] * outs + i] = random.secondWeight(p, i, u);
            }
        }
        boolean positive = true;
        for (float a : scale) {
            positive &= a > 0;
        }
        boolean nonNegativeIn = random.architecture().nonNegativeInputOf(p, false);
        return new CompactPair(inputOf, scale, second, positive && nonNegativeIn);
    }

    /**
     * Returns the boolean mask of the first layer of pair p, shape (units, in): unit u keeps the
     * weight from the input of its pool when some output keeps u.
     *
     * @param manager the owner of the array
     * @param p the pair
     * @return the mask
     */
    public NDArray firstMask(NDManager manager, int p) {
        int in = random.in(p);
        boolean[] mask = new boolean[random.units(p) * in];
        for (int u : masks.get(p).usedUnits(random.units(p))) {
            int j = u / random.pool();
            if (j < in) {
                mask[u * in + j] = true;
            }
        }
        return manager.create(mask, new Shape(random.units(p), in)).toType(DataType.FLOAT32, false);
    }

    /**
     * Returns the boolean mask of the first layer's biases of pair p: only used units of the
     * constant-input pool keep their bias.
     *
     * @param manager the owner of the array
     * @param p the pair
     * @return the mask, shape (units)
     */
    public NDArray firstBiasMask(NDManager manager, int p) {
        boolean[] mask = new boolean[random.units(p)];
        for (int u : masks.get(p).usedUnits(random.units(p))) {
            mask[u] = u / random.pool() == random.in(p);
        }
        return manager.create(mask).toType(DataType.FLOAT32, false);
    }

    /**
     * Returns the boolean mask of the second layer of pair p, shape (out, units).
     *
     * @param manager the owner of the array
     * @param p the pair
     * @return the mask
     */
    public NDArray secondMask(NDManager manager, int p) {
        PairMask m = masks.get(p);
        int units = random.units(p);
        boolean[] mask = new boolean[m.outputs() * units];
        for (int i = 0; i < m.outputs(); i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                mask[i * units + m.kept()[i * m.perOutput() + t]] = true;
            }
        }
        return manager.create(mask, new Shape(m.outputs(), units)).toType(DataType.FLOAT32, false);
    }
}
