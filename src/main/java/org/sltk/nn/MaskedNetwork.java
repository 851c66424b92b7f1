package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A pruned subnetwork of a {@link RandomNetwork}: the random network with one {@link PairMask}
 * per pair. It can be run two ways that must agree: the plain pass multiplies the dense random
 * weights by boolean masks; the compact pass keeps only the used hidden units, applies the first
 * layer of a pair as a per-unit scale of one gathered input, and the second as a small dense
 * matrix of the kept weights.
 */
public final class MaskedNetwork {

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
            throw new IllegalArgumentException(masks.size() + " masks for " + random.pairs() + " pairs");
        }
        for (int l = 0; l < masks.size(); l++) {
            PairMask m = masks.get(l);
            if (m.outputs() != random.out(l)) {
                throw new IllegalArgumentException("mask " + l + " has " + m.outputs() + " outputs, pair has " + random.out(l));
            }
            for (int u : m.kept()) {
                if (u < 0 || u >= random.units(l)) {
                    throw new IllegalArgumentException("mask " + l + " keeps unit " + u + " of " + random.units(l));
                }
            }
        }
        this.random = random;
        this.masks = List.copyOf(masks);
    }

    /** Returns the random network. @return the random network */
    public RandomNetwork random() {
        return random;
    }

    /** Returns the masks, one per pair. @return the masks */
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
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (PairMask m : masks) {
                ByteBuffer buf = ByteBuffer.allocate(8 + 4 * m.kept().length);
                buf.putInt(m.outputs()).putInt(m.perOutput());
                for (int u : m.kept()) {
                    buf.putInt(u);
                }
                md.update(buf.array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the kept weights of the first layer of pair l as a count: one per used unit.
     *
     * @param l the pair
     * @return kept first-layer parameters (weights, or biases for the constant pool)
     */
    public long keptFirst(int l) {
        return masks.get(l).usedUnits(random.units(l)).length;
    }

    /**
     * Returns the kept weights of the second layer of pair l.
     *
     * @param l the pair
     * @return kept second-layer weights
     */
    public long keptSecond(int l) {
        return masks.get(l).kept().length;
    }

    /**
     * Runs the plain masked pass: dense random weights times boolean masks, layer by layer.
     *
     * @param x inputs of shape (batch, d_0); the result lives on x's device and manager
     * @return outputs of shape (batch, d_L)
     */
    public NDArray forwardDense(NDArray x) {
        NDManager owner = x.getManager();
        NDArray h = x;
        try (NDManager sub = owner.newSubManager()) {
            h = x.duplicate();
            h.attach(sub);
            for (int l = 0; l < random.pairs(); l++) {
                NDArray w1 = random.firstWeights(sub, l).mul(firstMask(sub, l));
                NDArray z = h.matMul(w1.transpose());
                NDArray b1 = random.firstBiases(sub, l);
                if (b1 != null) {
                    z = z.add(b1.mul(firstBiasMask(sub, l)));
                }
                NDArray hidden = Activation.relu(z);
                NDArray w2 = random.secondWeights(sub, l).mul(secondMask(sub, l));
                h = hidden.matMul(w2.transpose());
                if (l < random.pairs() - 1) {
                    h = Activation.relu(h);
                }
            }
            h.attach(owner);
        }
        return h;
    }

    /**
     * Runs the compact pass: per pair, the used units only; unit u computes
     * ReLU(a_u * x_{j(u)}) from one gathered input (1 for the constant pool), and the outputs are
     * a dense product with the kept second-layer weights.
     *
     * @param x inputs of shape (batch, d_0)
     * @return outputs of shape (batch, d_L)
     */
    public NDArray forwardCompact(NDArray x) {
        NDList all = forwardCompactLayers(x);
        NDArray last = all.get(all.size() - 1);
        for (int l = 0; l < all.size() - 1; l++) {
            all.get(l).close();
        }
        return last;
    }

    /**
     * Runs the compact pass and returns every pair's output before its ReLU (the counterpart of
     * each target layer's pre-activation).
     *
     * @param x inputs of shape (batch, d_0)
     * @return one array (batch, d_{l+1}) per pair, owned by x's manager
     */
    public NDList forwardCompactLayers(NDArray x) {
        NDManager owner = x.getManager();
        NDList outputs = new NDList();
        try (NDManager sub = owner.newSubManager()) {
            NDArray h = x;
            for (int l = 0; l < random.pairs(); l++) {
                CompactPair c = compactPair(l);
                NDArray in = random.hasBias()
                        ? NDArrays.concat(new NDList(h, sub.ones(new Shape(h.getShape().get(0), 1))), 1)
                        : h;
                NDArray gathered = in.get(new NDIndex(":, {}", sub.create(c.inputOf)));
                NDArray hidden = Activation.relu(gathered.mul(sub.create(c.scale)));
                NDArray z = hidden.matMul(sub.create(c.second, new Shape(c.inputOf.length, random.out(l))));
                z.attach(owner);
                outputs.add(z);
                h = l < random.pairs() - 1 ? Activation.relu(z) : z;
                if (h != z) {
                    h.attach(sub);
                }
            }
        }
        return outputs;
    }

    /** The compact form of one pair: used units, their input and scale, kept weights. */
    static final class CompactPair {
        final long[] inputOf;
        final float[] scale;
        final float[] second;

        CompactPair(long[] inputOf, float[] scale, float[] second) {
            this.inputOf = inputOf;
            this.scale = scale;
            this.second = second;
        }
    }

    /**
     * Builds the compact form of pair l: for each used unit its input index (d_l for the constant
     * input), its kept first-layer weight, and the (used units, outputs) matrix of kept weights.
     *
     * @param l the pair
     * @return the compact pair
     */
    CompactPair compactPair(int l) {
        PairMask m = masks.get(l);
        int units = random.units(l);
        int[] used = m.usedUnits(units);
        int[] position = new int[units];
        for (int t = 0; t < used.length; t++) {
            position[used[t]] = t;
        }
        long[] inputOf = new long[used.length];
        float[] scale = new float[used.length];
        for (int t = 0; t < used.length; t++) {
            inputOf[t] = used[t] / random.pool();
            scale[t] = random.poolWeight(l, used[t]);
        }
        int outs = random.out(l);
        float[] second = new float[used.length * outs];
        for (int i = 0; i < outs; i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                int u = m.kept()[i * m.perOutput() + t];
                second[position[u] * outs + i] = random.secondWeight(l, i, u);
            }
        }
        return new CompactPair(inputOf, scale, second);
    }

    /**
     * Returns the boolean mask of the first layer of pair l, shape (units, in): unit u keeps the
     * weight from the input of its pool when some output keeps u.
     *
     * @param manager the owner of the array
     * @param l the pair
     * @return the mask
     */
    public NDArray firstMask(NDManager manager, int l) {
        int in = random.in(l);
        boolean[] mask = new boolean[random.units(l) * in];
        for (int u : masks.get(l).usedUnits(random.units(l))) {
            int j = u / random.pool();
            if (j < in) {
                mask[u * in + j] = true;
            }
        }
        return manager.create(mask, new Shape(random.units(l), in)).toType(DataType.FLOAT32, false);
    }

    /**
     * Returns the boolean mask of the first layer's biases of pair l: only used units of the
     * constant-input pool keep their bias.
     *
     * @param manager the owner of the array
     * @param l the pair
     * @return the mask, shape (units)
     */
    public NDArray firstBiasMask(NDManager manager, int l) {
        boolean[] mask = new boolean[random.units(l)];
        for (int u : masks.get(l).usedUnits(random.units(l))) {
            mask[u] = u / random.pool() == random.in(l);
        }
        return manager.create(mask).toType(DataType.FLOAT32, false);
    }

    /**
     * Returns the boolean mask of the second layer of pair l, shape (out, units).
     *
     * @param manager the owner of the array
     * @param l the pair
     * @return the mask
     */
    public NDArray secondMask(NDManager manager, int l) {
        PairMask m = masks.get(l);
        int units = random.units(l);
        boolean[] mask = new boolean[m.outputs() * units];
        for (int i = 0; i < m.outputs(); i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                mask[i * units + m.kept()[i * m.perOutput() + t]] = true;
            }
        }
        return manager.create(mask, new Shape(m.outputs(), units)).toType(DataType.FLOAT32, false);
    }
}
