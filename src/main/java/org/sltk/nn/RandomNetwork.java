package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The overparameterized random network of the pair construction: for a target with widths
 * d_0..d_L it has 2L dense layers, and target layer l (d_{l-1} to d_l) is mirrored by a pair.
 *
 * <ul>
 *   <li>first layer of pair l: {@code units(l) = (d_{l-1} + 1) * pool} hidden units (the "+1"
 *       only for targets with biases), fully connected to the d_{l-1} inputs, with a bias each
 *       (only for targets with biases), followed by ReLU. Units are grouped in pools: unit
 *       {@code u} belongs to the pool of input {@code u / pool}; the last pool (index d_{l-1})
 *       serves the constant input that carries the target's biases, through the unit's bias;
 *   <li>second layer of pair l: d_l outputs fully connected to the {@code units(l)} hidden units,
 *       no bias, followed by ReLU except after the last pair.
 * </ul>
 *
 * <p>Every weight is an independent draw from the chosen {@link WeightDistribution}, made by
 * sltk's counter-based generator: weight {@code idx} of tensor {@code t} depends only on (seed,
 * t, idx), so any weight can be computed on its own ({@link #firstWeight}, {@link #secondWeight})
 * without building the tensors, and {@link #firstWeights} / {@link #secondWeights} give the same
 * numbers as NDArrays on any device.
 */
public final class RandomNetwork {

    /** Refuse to build dense tensors with more weights than this in one layer. */
    public static final long MAX_LAYER_WEIGHTS = 1L << 30;

    private final int[] widths;
    private final boolean bias;
    private final int pool;
    private final WeightDistribution distribution;
    private final CounterRandom rng;

    /**
     * Creates the random network mirroring a target of the given shape.
     *
     * @param widths the target's widths d_0..d_L
     * @param bias whether the target has biases (adds a constant-input pool per pair)
     * @param pool hidden units per input in the first layer of each pair
     * @param distribution the weight distribution
     * @param seed the seed of the generator
     */
    public RandomNetwork(int[] widths, boolean bias, int pool, WeightDistribution distribution, long seed) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("a network needs at least two widths");
        }
        if (pool < 1) {
            throw new InputException("--pool: must be at least 1, found " + pool);
        }
        for (int l = 0; l + 1 < widths.length; l++) {
            long units = (long) (widths[l] + (bias ? 1L : 0L)) * pool;
            if (units > Integer.MAX_VALUE - 8) {
                throw new InputException("--pool " + pool + ": pair " + (l + 1) + " would have " + units
                        + " hidden units, more than " + (Integer.MAX_VALUE - 8) + "; lower --pool");
            }
        }
        this.widths = widths.clone();
        this.bias = bias;
        this.pool = pool;
        this.distribution = distribution;
        this.rng = new CounterRandom(seed);
    }

    /** Returns the number of target layers L (the network has 2L layers). @return L */
    public int pairs() {
        return widths.length - 1;
    }

    /** Returns the target widths. @return a copy of d_0..d_L */
    public int[] widths() {
        return widths.clone();
    }

    /** Returns whether the pairs carry a constant-input pool for biases. @return true with biases */
    public boolean hasBias() {
        return bias;
    }

    /** Returns the units per input pool. @return the pool size */
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

    /**
     * Returns the input width of pair {@code l}.
     *
     * @param l the pair (target layer), from 0
     * @return d_l
     */
    public int in(int l) {
        return widths[l];
    }

    /**
     * Returns the output width of pair {@code l}.
     *
     * @param l the pair
     * @return d_{l+1}
     */
    public int out(int l) {
        return widths[l + 1];
    }

    /**
     * Returns the number of pools of pair {@code l}: one per input, plus one for biases.
     *
     * @param l the pair
     * @return the pool count
     */
    public int pools(int l) {
        return widths[l] + (bias ? 1 : 0);
    }

    /**
     * Returns the hidden units of pair {@code l}.
     *
     * @param l the pair
     * @return (d_l + bias) * pool
     */
    public int units(int l) {
        return pools(l) * pool;
    }

    /**
     * Returns weight (u, j) of the first layer of pair {@code l}.
     *
     * @param l the pair
     * @param u the hidden unit
     * @param j the input
     * @return the weight
     */
    public float firstWeight(int l, int u, int j) {
        return distribution.sample(rng, 4L * l, (long) u * in(l) + j, in(l));
    }

    /**
     * Returns the bias of unit {@code u} in the first layer of pair {@code l}.
     *
     * @param l the pair
     * @param u the hidden unit
     * @return the bias
     */
    public float firstBias(int l, int u) {
        return distribution.sample(rng, 4L * l + 1, u, in(l));
    }

    /**
     * Returns weight (i, u) of the second layer of pair {@code l}.
     *
     * @param l the pair
     * @param i the output
     * @param u the hidden unit
     * @return the weight
     */
    public float secondWeight(int l, int i, int u) {
        return distribution.sample(rng, 4L * l + 2, (long) i * units(l) + u, units(l));
    }

    /**
     * Returns the weight a unit keeps after pruning: its weight from the input of its pool, or
     * its bias for a unit of the constant-input pool.
     *
     * @param l the pair
     * @param u the hidden unit
     * @return the kept first-layer weight
     */
    public float poolWeight(int l, int u) {
        int j = u / pool;
        return j == in(l) ? firstBias(l, u) : firstWeight(l, u, j);
    }

    /**
     * Returns the number of weights (biases included) of the whole random network.
     *
     * @return the parameter count
     */
    public long parameterCount() {
        long total = 0;
        for (int l = 0; l < pairs(); l++) {
            total += firstLayerParameters(l) + (long) out(l) * units(l);
        }
        return total;
    }

    /**
     * Returns the parameters of the first layer of pair l, weights and biases.
     *
     * @param l the pair
     * @return the count
     */
    public long firstLayerParameters(int l) {
        return (long) units(l) * in(l) + (bias ? units(l) : 0);
    }

    /**
     * Returns the dense first-layer weights of pair {@code l}, shape (units, in).
     *
     * @param manager the owner (and device) of the array
     * @param l the pair
     * @return the weights
     */
    public NDArray firstWeights(NDManager manager, int l) {
        int rows = units(l);
        int cols = in(l);
        float[] w = new float[checkedSize((long) rows * cols, l)];
        IntStream.range(0, rows).parallel().forEach(u -> {
            for (int j = 0; j < cols; j++) {
                w[u * cols + j] = firstWeight(l, u, j);
            }
        });
        return manager.create(w, new Shape(rows, cols));
    }

    /**
     * Returns the first-layer biases of pair {@code l}, shape (units), or null without biases.
     *
     * @param manager the owner of the array
     * @param l the pair
     * @return the biases or null
     */
    public NDArray firstBiases(NDManager manager, int l) {
        if (!bias) {
            return null;
        }
        float[] b = new float[units(l)];
        for (int u = 0; u < b.length; u++) {
            b[u] = firstBias(l, u);
        }
        return manager.create(b);
    }

    /**
     * Returns the dense second-layer weights of pair {@code l}, shape (out, units).
     *
     * @param manager the owner (and device) of the array
     * @param l the pair
     * @return the weights
     */
    public NDArray secondWeights(NDManager manager, int l) {
        int rows = out(l);
        int cols = units(l);
        float[] w = new float[checkedSize((long) rows * cols, l)];
        IntStream.range(0, rows).parallel().forEach(i -> {
            for (int u = 0; u < cols; u++) {
                w[i * cols + u] = secondWeight(l, i, u);
            }
        });
        return manager.create(w, new Shape(rows, cols));
    }

    private static int checkedSize(long n, int l) {
        if (n > MAX_LAYER_WEIGHTS || n > Integer.MAX_VALUE - 8) {
            throw new InputException(
                    "random network layer of pair " + l + " has " + n
                            + " weights, more than fit in one tensor; lower --pool or --n");
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return "RandomNetwork(widths=" + Arrays.toString(widths) + ", bias=" + bias + ", pool=" + pool
                + ", dist=" + distribution.id() + ", seed=" + seed() + ", params=" + parameterCount() + ")";
    }
}
