package org.sltk.nn;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The random network of the pair construction for a {@link SequentialSpec} (theory.md section 4):
 * every conv or dense layer p of the target (kernel (c_out, c_in, r, r); dense: r = 1) is mirrored
 * by a pair of random layers.
 *
 * <ul>
 *   <li>first layer of pair p: an r x r conv (stride, padding and dilation of the target conv)
 *       from c_in channels to {@code units(p) = (c_in * r * r + 1) * pool} channels (the "+1" only
 *       with biases), with a bias each (only with biases), then ReLU. Channel u belongs to the pool
 *       of patch entry {@code j = u / pool} (input channel {@code j / (r*r)}, offset
 *       {@code j % (r*r)}); the last pool serves the constant input of the biases;
 *   <li>second layer: a 1 x 1 conv from those channels to c_out, no bias.
 * </ul>
 *
 * <p>For a dense layer (a 1 x 1 conv on a 1 x 1 image) this is exactly {@link RandomNetwork}'s
 * pair, drawn from the same streams: weight (u, j) of the first layer is value {@code u * fanIn + j}
 * of stream 4p, bias u value u of stream 4p+1, weight (o, u) of the second layer value
 * {@code o * units + u} of stream 4p+2: the weights come from {@link PairRandomNetwork}, shared
 * with {@link RandomNetwork}; this class says what a conv target's pairs look like.
 */
public final class ConvRandomNetwork extends PairRandomNetwork {

    private final SequentialSpec spec;
    private final List<LayerSpec> layers;

    /**
     * Creates the random network for a target architecture.
     *
     * @param spec the target's architecture
     * @param pool channels per patch entry in the first layer of each pair
     * @param distribution the weight distribution
     * @param seed the seed
     */
    public ConvRandomNetwork(SequentialSpec spec, int pool, WeightDistribution distribution, long seed) {
        super(pool, distribution, seed);
        this.spec = spec;
        List<LayerSpec> l = new ArrayList<>();
        for (int q : spec.parametricIndices()) {
            l.add(spec.layers().get(q));
        }
        this.layers = List.copyOf(l);
    }

    /** Returns the target architecture. @return the spec */
    public SequentialSpec spec() {
        return spec;
    }

    /** Returns the number of pairs (conv and dense layers of the target). @return the count */
    @Override
    public int pairs() {
        return layers.size();
    }

    /** Returns the target layer of pair p. @param p the pair @return the layer */
    public LayerSpec layer(int p) {
        return layers.get(p);
    }

    /** Returns whether the pairs carry a bias pool. @return the flag */
    @Override
    public boolean hasBias() {
        return spec.bias();
    }

    /** Returns the patch length c_in * r * r of pair p. @param p the pair @return the fan-in */
    @Override
    public int in(int p) {
        return layers.get(p).fanIn();
    }

    /** Returns the output channels of pair p. @param p the pair @return c_out */
    @Override
    public int out(int p) {
        return layers.get(p).out();
    }

    /** The first layer of a conv pair is (units, c_in, r, r); of a dense pair (units, in). */
    @Override
    protected Shape firstShape(int p) {
        LayerSpec l = layers.get(p);
        return l.kind() == LayerSpec.Kind.CONV2D ? new Shape(units(p), l.in(), l.kernel(), l.kernel()) : super.firstShape(p);
    }

    @Override
    public String toString() {
        return "ConvRandomNetwork(" + spec.describe() + ", pool=" + pool() + ", dist=" + distribution().id() + ", seed="
                + seed() + ", params=" + parameterCount() + ")";
    }
}
