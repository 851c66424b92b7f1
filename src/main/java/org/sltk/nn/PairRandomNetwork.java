package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.stream.IntStream;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The random network of the pair construction, whatever the target's layers: pair p has a first
 * layer of {@code units(p) = pools(p) * pool} hidden units, each with {@code in(p)} weights (and a
 * bias with biases), and a second layer of {@code out(p)} outputs over those units. Unit u belongs
 * to the pool of input {@code u / pool}; the last pool (index {@code in(p)}) serves the constant
 * input that carries the biases.
 *
 * <p>Every weight is drawn by sltk's counter-based generator: first-layer weight (u, j) of pair p
 * is value {@code u * in(p) + j} of stream 4p, bias u value u of stream 4p+1, second-layer weight
 * (o, u) value {@code o * units(p) + u} of stream 4p+2. {@link RandomNetwork} (dense targets) and
 * {@link ConvRandomNetwork} (conv targets) only say what in, out and the first layer's shape are.
 */
public abstract class PairRandomNetwork {

    /** Refuse to build dense tensors with more weights than this in one layer. */
    public static final long MAX_LAYER_WEIGHTS = 1L << 30;

    private final int pool;
    private final WeightDistribution distribution;
    private final CounterRandom rng;

    /**
     * Creates the weight source of a random network.
     *
     * @param pool hidden units per input in the first layer of each pair
     * @param distribution the weight distribution
     * @param seed the seed of the generator
     */
    PairRandomNetwork(int pool, WeightDistribution distribution, long seed) {
        checkPool(pool);
        this.pool = pool;
        this.distribution = distribution;
        this.rng = new CounterRandom(seed);
    }

    static void checkPool(int pool) {
        if (pool < 1) {
            throw new InputException("--pool: must be at least 1, found " + pool);
        }
    }

    /** Returns the number of pairs (parametric target layers). @return the count */
    public abstract int pairs();

    /** Returns the fan-in of pair p's first layer. @param p the pair @return the input count */
    public abstract int in(int p);

    /** Returns the outputs of pair p. @param p the pair @return the output count */
    public abstract int out(int p);

    /** Returns whether the pairs carry a constant-input pool for biases. @return true with biases */
    public abstract boolean hasBias();

    /**
     * Returns the shape of pair p's dense first-layer weights; (units, in) unless a subclass says
     * otherwise.
     *
     * @param p the pair
     * @return the shape
     */
    protected Shape firstShape(int p) {
        return new Shape(units(p), in(p));
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
     * Returns the number of pools of pair p: one per input, plus one for biases.
     *
     * @param p the pair
     * @return the pool count
     */
    public int pools(int p) {
        return in(p) + (hasBias() ? 1 : 0);
    }

    /**
     * Returns the hidden units of pair p.
     *
     * @param p the pair
     * @return pools * pool
     */
    public int units(int p) {
        return pools(p) * pool;
    }

    /**
     * Returns weight (u, j) of the first layer of pair p.
     *
     * @param p the pair
     * @param u the hidden unit
     * @param j the input
     * @return the weight
     */
    public float firstWeight(int p, int u, int j) {
        return distribution.sample(rng, 4L * p, (long) u * in(p) + j, in(p));
    }

    /**
     * Returns the bias of unit u in the first layer of pair p.
     *
     * @param p the pair
     * @param u the hidden unit
     * @return the bias
     */
    public float firstBias(int p, int u) {
        return distribution.sample(rng, 4L * p + 1, u, in(p));
    }

    /**
     * Returns weight (o, u) of the second layer of pair p.
     *
     * @param p the pair
     * @param o the output
     * @param u the hidden unit
     * @return the weight
     */
    public float secondWeight(int p, int o, int u) {
        return distribution.sample(rng, 4L * p + 2, (long) o * units(p) + u, units(p));
    }

    /**
     * Returns the weight a unit keeps after pruning: its weight from the input of its pool, or
     * its bias for a unit of the constant-input pool.
     *
     * @param p the pair
     * @param u the hidden unit
     * @return the kept first-layer weight
     */
    public float poolWeight(int p, int u) {
        int j = u / pool;
        return j == in(p) ? firstBias(p, u) : firstWeight(p, u, j);
    }

    /**
     * Returns the number of weights (biases included) of the whole random network.
     *
     * @return the parameter count
     */
    public long parameterCount() {
        long total = 0;
        for (int p = 0; p < pairs(); p++) {
            total += firstLayerParameters(p) + (long) out(p) * units(p);
        }
        return total;
    }

    /**
     * Returns the parameters of the first layer of pair p, weights and biases.
     *
     * @param p the pair
     * @return the count
     */
    public long firstLayerParameters(int p) {
        return (long) units(p) * in(p) + (hasBias() ? units(p) : 0);
    }

    /**
     * Returns the dense first-layer weights of pair p, shape {@link #firstShape(int)}.
     *
     * @param manager the owner (and device) of the array
     * @param p the pair
     * @return the weights
     */
    public NDArray firstWeights(NDManager manager, int p) {
        int rows = units(p);
        int cols = in(p);
        float[] w = new float[checkedSize((long) rows * cols, p)];
        IntStream.range(0, rows).parallel().forEach(u -> {
            for (int j = 0; j < cols; j++) {
                w[u * cols + j] = firstWeight(p, u, j);
            }
        });
        return manager.create(w, firstShape(p));
    }

    /**
     * Returns the first-layer biases of pair p, shape (units), or null without biases.
     *
     * @param manager the owner of the array
     * @param p the pair
     * @return the biases or null
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
     * Returns the dense second-layer weights of pair p, shape (out, units).
     *
     * @param manager the owner (and device) of the array
     * @param p the pair
     * @return the weights
     */
    public NDArray secondWeights(NDManager manager, int p) {
        int rows = out(p);
        int cols = units(p);
        float[] w = new float[checkedSize((long) rows * cols, p)];
        IntStream.range(0, rows).parallel().forEach(o -> {
            for (int u = 0; u < cols; u++) {
                w[o * cols + u] = secondWeight(p, o, u);
            }
        });
        return manager.create(w, new Shape(rows, cols));
    }

    private static int checkedSize(long n, int p) {
        if (n > MAX_LAYER_WEIGHTS || n > Integer.MAX_VALUE - 8) {
            throw new InputException(
                    "random network layer of pair " + p + " has " + n
                            + " weights, more than fit in one tensor; lower --pool or --n");
        }
        return (int) n;
    }
}
