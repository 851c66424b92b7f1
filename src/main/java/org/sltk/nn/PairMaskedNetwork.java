package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A pruned subnetwork of a {@link PairRandomNetwork}: the random network with one
 * {@link PairMask} per pair. This class holds what does not depend on the target's layers: the
 * masks and their digest, the kept counts, the boolean masks of the plain pass and the compact
 * form of a pair. {@link MaskedNetwork} (dense targets) and {@link ConvMaskedNetwork} (conv
 * targets) run the two forward passes, which must agree.
 *
 * @param <R> the kind of random network
 */
public abstract class PairMaskedNetwork<R extends PairRandomNetwork> {

    private final R random;
    private final List<PairMask> masks;

    /**
     * Creates the pruned network.
     *
     * @param random the random network
     * @param masks one mask per pair
     */
    PairMaskedNetwork(R random, List<PairMask> masks) {
        if (masks.size() != random.pairs()) {
            throw new IllegalArgumentException(masks.size() + " masks for " + random.pairs() + " pairs");
        }
        for (int p = 0; p < masks.size(); p++) {
            PairMask m = masks.get(p);
            if (m.outputs() != random.out(p)) {
                throw new IllegalArgumentException("mask " + p + " has " + m.outputs() + " outputs, pair has " + random.out(p));
            }
            for (int u : m.kept()) {
                if (u < 0 || u >= random.units(p)) {
                    throw new IllegalArgumentException("mask " + p + " keeps unit " + u + " of " + random.units(p));
                }
            }
        }
        this.random = random;
        this.masks = List.copyOf(masks);
    }

    /** Returns the random network. @return the random network */
    public R random() {
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
     * Runs the plain masked pass: dense random weights times boolean masks.
     *
     * @param x the inputs; the result lives on x's device and manager
     * @return the outputs of the last pair
     */
    public abstract NDArray forwardDense(NDArray x);

    /**
     * Runs the compact pass and returns every pair's output before its ReLU (the counterpart of
     * each target layer's pre-activation).
     *
     * @param x the inputs
     * @return one array per pair, owned by x's manager
     */
    public abstract NDList forwardCompactLayers(NDArray x);

    /**
     * Runs the compact pass: per pair, the used units only.
     *
     * @param x the inputs
     * @return the outputs of the last pair
     */
    public NDArray forwardCompact(NDArray x) {
        NDList all = forwardCompactLayers(x);
        NDArray last = all.get(all.size() - 1);
        for (int p = 0; p < all.size() - 1; p++) {
            all.get(p).close();
        }
        return last;
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
     * Builds the compact form of pair p: for each used unit its input index (in(p) for the
     * constant input), its kept first-layer weight, and the (used units, outputs) matrix of kept
     * weights.
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
        return new CompactPair(inputOf, scale, second);
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
