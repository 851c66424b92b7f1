package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

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
 * {@code o * units + u} of stream 4p+2, all by {@link CounterRandom}.
 */
public final class ConvRandomNetwork {

    private final SequentialSpec spec;
    private final List<LayerSpec> layers;
    private final int pool;
    private final WeightDistribution distribution;
    private final CounterRandom rng;

    /**
     * Creates the random network for a target architecture.
     *
     * @param spec the target's architecture
     * @param pool channels per patch entry in the first layer of each pair
     * @param distribution the weight distribution
     * @param seed the seed
     */
    public ConvRandomNetwork(SequentialSpec spec, int pool, WeightDistribution distribution, long seed) {
        if (pool < 1) {
            throw new InputException("--pool: must be at least 1, found " + pool);
        }
        this.spec = spec;
        List<LayerSpec> l = new ArrayList<>();
        for (int q : spec.parametricIndices()) {
            l.add(spec.layers().get(q));
        }
        this.layers = List.copyOf(l);
        this.pool = pool;
        this.distribution = distribution;
        this.rng = new CounterRandom(seed);
    }

    /** Returns the target architecture. @return the spec */
    public SequentialSpec spec() {
        return spec;
    }

    /** Returns the number of pairs (conv and dense layers of the target). @return the count */
    public int pairs() {
        return layers.size();
    }

    /** Returns the target layer of pair p. @param p the pair @return the layer */
    public LayerSpec layer(int p) {
        return layers.get(p);
    }

    /** Returns whether the pairs carry a bias pool. @return the flag */
    public boolean hasBias() {
        return spec.bias();
    }

    /** Returns the channels per pool. @return the pool size */
    public int pool() {
        return pool;
    }

    /** Returns the weight distribution. @return the distribution */
    public WeightDistribution distribution() {
        return distribution;
    }

    /** Returns the seed. @return the seed */
    public long seed() {
        return rng.seed();
    }

    /** Returns the patch length c_in * r * r of pair p. @param p the pair @return the fan-in */
    public int in(int p) {
        return layers.get(p).fanIn();
    }

    /** Returns the output channels of pair p. @param p the pair @return c_out */
    public int out(int p) {
        return layers.get(p).out();
    }

    /** Returns the pools of pair p: one per patch entry, plus one for biases. @param p the pair @return the count */
    public int pools(int p) {
        return in(p) + (hasBias() ? 1 : 0);
    }

    /** Returns the hidden channels of pair p. @param p the pair @return pools * pool */
    public int units(int p) {
        return pools(p) * pool;
    }

    /**
     * Returns first-layer weight (u, j) of pair p, j the patch entry.
     *
     * @param p the pair
     * @param u the hidden channel
     * @param j the patch entry
     * @return the weight
     */
    public float firstWeight(int p, int u, int j) {
        return distribution.sample(rng, 4L * p, (long) u * in(p) + j, in(p));
    }

    /**
     * Returns the first-layer bias of hidden channel u of pair p.
     *
     * @param p the pair
     * @param u the hidden channel
     * @return the bias
     */
    public float firstBias(int p, int u) {
        return distribution.sample(rng, 4L * p + 1, u, in(p));
    }

    /**
     * Returns second-layer weight (o, u) of pair p.
     *
     * @param p the pair
     * @param o the output channel
     * @param u the hidden channel
     * @return the weight
     */
    public float secondWeight(int p, int o, int u) {
        return distribution.sample(rng, 4L * p + 2, (long) o * units(p) + u, units(p));
    }

    /**
     * Returns the one weight hidden channel u keeps after pruning: from the patch entry of its
     * pool, or its bias for the bias pool.
     *
     * @param p the pair
     * @param u the hidden channel
     * @return the kept weight
     */
    public float poolWeight(int p, int u) {
        int j = u / pool;
        return j == in(p) ? firstBias(p, u) : firstWeight(p, u, j);
    }

    /** Returns the first-layer parameters of pair p, weights and biases. @param p the pair @return the count */
    public long firstLayerParameters(int p) {
        return (long) units(p) * in(p) + (hasBias() ? units(p) : 0);
    }

    /** Returns the parameters of the whole random network. @return the count */
    public long parameterCount() {
        long t = 0;
        for (int p = 0; p < pairs(); p++) {
            t += firstLayerParameters(p) + (long) out(p) * units(p);
        }
        return t;
    }

    /**
     * Returns the dense first-layer weights of pair p: (units, c_in, r, r) for a conv,
     * (units, in) for a dense layer.
     *
     * @param manager the owner
     * @param p the pair
     * @return the weights
     */
    public NDArray firstWeights(NDManager manager, int p) {
        int rows = units(p);
        int cols = in(p);
        float[] w = new float[checked((long) rows * cols, p)];
        IntStream.range(0, rows).parallel().forEach(u -> {
            for (int j = 0; j < cols; j++) {
                w[u * cols + j] = firstWeight(p, u, j);
            }
        });
        LayerSpec l = layers.get(p);
        Shape s = l.kind() == LayerSpec.Kind.CONV2D ? new Shape(rows, l.in(), l.kernel(), l.kernel()) : new Shape(rows, cols);
        return manager.create(w, s);
    }

    /**
     * Returns the first-layer biases of pair p, or null without biases.
     *
     * @param manager the owner
     * @param p the pair
     * @return (units) biases or null
     */
    public NDArray firstBiases(NDManager manager, int p) {
        if (!hasBias()) {
            return null;
        }
        float[] b = new float[units(p)];
        for (int u = 0; u < b.length; u++) {
            b[u] = firstBias(p, u);
        }
        return manager.create(b);
    }

    /**
     * Returns the dense second-layer weights of pair p, (out, units).
     *
     * @param manager the owner
     * @param p the pair
     * @return the weights
     */
    public NDArray secondWeights(NDManager manager, int p) {
        int rows = out(p);
        int cols = units(p);
        float[] w = new float[checked((long) rows * cols, p)];
        IntStream.range(0, rows).parallel().forEach(o -> {
            for (int u = 0; u < cols; u++) {
                w[o * cols + u] = secondWeight(p, o, u);
            }
        });
        return manager.create(w, new Shape(rows, cols));
    }

    private static int checked(long n, int p) {
        if (n > RandomNetwork.MAX_LAYER_WEIGHTS) {
            throw new InputException("random network layer of pair " + p + " has " + n + " weights; lower --pool or --n");
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return "ConvRandomNetwork(" + spec.describe() + ", pool=" + pool + ", dist=" + distribution.id() + ", seed="
                + seed() + ", params=" + parameterCount() + ")";
    }
}
