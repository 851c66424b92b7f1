package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.stream.IntStream;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The overparameterized random network of the pair construction (theory.md sections 2 and 4): every
 * conv or dense layer p of the target's {@link Architecture} (kernel (c_out, c_in, r, r); dense: r
 * = 1) is mirrored by a pair of random layers.
 *
 * <ul>
 *   <li>first layer of pair p: {@code units(p) = pools(p) * pool} hidden units (channels of an r x
 *       r conv with the target conv's stride, padding and dilation; for a dense layer units of a
 *       dense layer), each with {@code in(p) = c_in * r * r} weights and, where the target layer
 *       has biases, a bias; then ReLU. Unit u belongs to the pool of patch entry {@code u / pool}
 *       (input channel {@code j / (r*r)}, offset {@code j % (r*r)}); the last pool (index {@code
 *       in(p)}, only with biases) serves the constant input that carries the biases;
 *   <li>second layer: {@code out(p)} outputs over those units (a 1 x 1 conv for a conv layer), no
 *       bias; the target's ReLU, pooling and flatten follow as in the target.
 * </ul>
 *
 * <p>Every weight is drawn by sltk's counter-based generator: first-layer weight (u, j) of pair p
 * is value {@code u * in(p) + j} of stream 4p, bias u value u of stream 4p+1, second-layer weight
 * (o, u) value {@code o * units(p) + u} of stream 4p+2. A weight depends only on (seed, stream,
 * index), so any one can be computed without building tensors, and the tensors are the same on
 * every device.
 */
public final class RandomNetwork {

    /** Refuse to build dense tensors with more weights than this in one layer. */
    public static final long MAX_LAYER_WEIGHTS = 1L << 30;

    /**
     * The most weights created in one tensor from a Java array (256 MB of float32): larger layers
     * are created in row blocks and concatenated.
     */
    static final long CREATE_CHUNK = 1L << 26;

    private final Architecture architecture;
    private final List<Layer.Parametric> layers;
    private final int pool;
    private final WeightDistribution distribution;
    private final CounterRandom rng;

    /**
     * Creates the random network for a target architecture.
     *
     * @param architecture the target's architecture
     * @param pool hidden units per input pool in the first layer of each pair, at least 1
     * @param distribution the weight distribution
     * @param seed the seed of the generator
     * @throws InputException if the pool is not positive or a pair would have more hidden units
     *     than an int holds
     */
    public RandomNetwork(
            Architecture architecture, int pool, WeightDistribution distribution, long seed) {
        checkPool(pool);
        this.architecture = architecture;
        this.layers = List.copyOf(architecture.parametric());
        for (int p = 0; p < layers.size(); p++) {
            long units = (layers.get(p).fanIn() + (layers.get(p).bias() ? 1L : 0L)) * pool;
            if (units > Integer.MAX_VALUE - 8) {
                throw InputException.forField(
                        "pool",
                        "{pool} "
                                + pool
                                + ": pair "
                                + (p + 1)
                                + " would have "
                                + units
                                + " hidden units, more than "
                                + (Integer.MAX_VALUE - 8)
                                + "; lower {pool}");
            }
        }
        this.pool = pool;
        this.distribution = distribution;
        this.rng = new CounterRandom(seed);
    }

    private static void checkPool(int pool) {
        if (pool < 1) {
            throw InputException.forField("pool", "{pool}: must be at least 1, found " + pool);
        }
    }

    /**
     * Returns the target architecture.
     *
     * @return the architecture
     */
    public Architecture architecture() {
        return architecture;
    }

    /**
     * Returns the number of pairs (conv and dense layers of the target).
     *
     * @return the count
     */
    public int pairs() {
        return layers.size();
    }

    /**
     * Returns the target layer of pair p.
     *
     * @param p the pair
     * @return the layer
     */
    public Layer.Parametric layer(int p) {
        return layers.get(p);
    }

    /**
     * Returns the fan-in of pair p's first layer, c_in * r * r.
     *
     * @param p the pair
     * @return the input count
     */
    public int in(int p) {
        return layers.get(p).fanIn();
    }

    /**
     * Returns the outputs of pair p.
     *
     * @param p the pair
     * @return c_out
     */
    public int out(int p) {
        return layers.get(p).out();
    }

    /**
     * Returns whether pair p carries a constant-input pool for the target layer's biases.
     *
     * @param p the pair
     * @return true where the target layer has biases
     */
    public boolean hasBias(int p) {
        return layers.get(p).bias();
    }

    /**
     * Returns the shape of pair p's dense first-layer weights: (units, c_in, r, r) for a conv
     * layer, (units, in) for a dense one.
     *
     * @param p the pair
     * @return the shape
     */
    public Shape firstShape(int p) {
        Layer.Parametric l = layers.get(p);
        return l instanceof Layer.Conv2d
                ? new Shape(units(p), l.in(), l.kernel(), l.kernel())
                : new Shape(units(p), in(p));
    }

    /** {@return the units per input pool} */
    public int pool() {
        return pool;
    }

    /** {@return the weight distribution} */
    public WeightDistribution distribution() {
        return distribution;
    }

    /** {@return the seed} */
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
        return in(p) + (hasBias(p) ? 1 : 0);
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
     * Returns the weight a unit keeps after pruning: its weight from the input of its pool, or its
     * bias for a unit of the constant-input pool.
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
        return (long) units(p) * in(p) + (hasBias(p) ? units(p) : 0);
    }

    /**
     * Returns the dense first-layer weights of pair p, shape {@link #firstShape(int)}.
     *
     * @param manager the owner (and device) of the array
     * @param p the pair
     * @return the weights
     */
    public NDArray firstWeights(NDManager manager, int p) {
        return firstWeights(manager, p, CREATE_CHUNK);
    }

    /** {@link #firstWeights(NDManager, int)} built in tensors of at most {@code chunk} weights. */
    NDArray firstWeights(NDManager manager, int p, long chunk) {
        int cols = in(p);
        checkedSize((long) units(p) * cols, p);
        return rows(manager, units(p), cols, firstShape(p), chunk, (u, j) -> firstWeight(p, u, j));
    }

    /**
     * Returns the dense first-layer weights of some units of pair p: the rows of {@link
     * #firstWeights(NDManager, int)} for those units, shape (units.length, c_in, r, r) for a conv
     * layer, (units.length, in) for a dense one.
     *
     * @param manager the owner (and device) of the array
     * @param p the pair
     * @param units the hidden units, in the order of the rows
     * @return the weights
     */
    public NDArray firstWeights(NDManager manager, int p, int[] units) {
        int cols = in(p);
        checkedSize((long) units.length * cols, p);
        Shape full = firstShape(p);
        long[] dims = full.getShape().clone();
        dims[0] = units.length;
        return rows(
                manager,
                units.length,
                cols,
                new Shape(dims),
                CREATE_CHUNK,
                (t, j) -> firstWeight(p, units[t], j));
    }

    /**
     * Returns the second-layer weights of pair p from some units: the columns of {@link
     * #secondWeights(NDManager, int)} for those units, shape (out, units.length).
     *
     * @param manager the owner (and device) of the array
     * @param p the pair
     * @param units the hidden units, in the order of the columns
     * @return the weights
     */
    public NDArray secondWeights(NDManager manager, int p, int[] units) {
        checkedSize((long) out(p) * units.length, p);
        return rows(
                manager,
                out(p),
                units.length,
                new Shape(out(p), units.length),
                CREATE_CHUNK,
                (o, t) -> secondWeight(p, o, units[t]));
    }

    /**
     * Returns the first-layer biases of pair p, shape (units), or null without biases.
     *
     * @param manager the owner of the array
     * @param p the pair
     * @return the biases or null
     */
    public NDArray firstBiases(NDManager manager, int p) {
        if (!hasBias(p)) {
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
        return secondWeights(manager, p, CREATE_CHUNK);
    }

    /** {@link #secondWeights(NDManager, int)} built in tensors of at most {@code chunk} weights. */
    NDArray secondWeights(NDManager manager, int p, long chunk) {
        int cols = units(p);
        checkedSize((long) out(p) * cols, p);
        return rows(
                manager,
                out(p),
                cols,
                new Shape(out(p), cols),
                chunk,
                (o, u) -> secondWeight(p, o, u));
    }

    /** One weight of a (rows, cols) matrix. */
    @FunctionalInterface
    private interface Entry {
        float at(int row, int col);
    }

    /**
     * A (rows, cols) float32 tensor of the given entries, reshaped to {@code shape}, created in row
     * blocks of at most {@code chunk} weights and concatenated: DJL copies a Java array through a
     * direct buffer of {@code int} capacity, so one array of more than 2^31 bytes (536,870,911
     * floats) cannot be created at once ("capacity < 0"), and the Java heap holds one block at a
     * time.
     */
    private static NDArray rows(
            NDManager manager, int rows, int cols, Shape shape, long chunk, Entry e) {
        int per = (int) Math.max(1, Math.min(rows, chunk / Math.max(1, cols)));
        if (per >= rows) {
            // one array: created in its final shape. The tensor wraps the Java direct buffer that
            // its NDArray keeps alive, so no view of it may outlive that NDArray
            return manager.create(block(rows, cols, 0, e), shape);
        }
        NDList parts = new NDList();
        try {
            for (int from = 0; from < rows; from += per) {
                int n = Math.min(per, rows - from);
                parts.add(manager.create(block(n, cols, from, e), new Shape(n, cols)));
            }
            // the concatenation owns its memory (a copy): the blocks may go
            return NDArrays.concat(parts, 0).reshape(shape);
        } finally {
            parts.close();
        }
    }

    /** Rows [from, from + n) of a matrix, row-major. */
    private static float[] block(int n, int cols, int from, Entry e) {
        float[] w = new float[checkedSize((long) n * cols, -1)];
        IntStream.range(0, n)
                .parallel()
                .forEach(
                        r -> {
                            for (int c = 0; c < cols; c++) {
                                w[r * cols + c] = e.at(from + r, c);
                            }
                        });
        return w;
    }

    private static int checkedSize(long n, int p) {
        if (n > MAX_LAYER_WEIGHTS || n > Integer.MAX_VALUE - 8) {
            throw new InputException(
                    "random network layer of pair "
                            + p
                            + " has "
                            + n
                            + " weights, more than fit in one tensor; lower --pool or --n");
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return "RandomNetwork("
                + architecture.describe()
                + ", pool="
                + pool
                + ", dist="
                + distribution.id()
                + ", seed="
                + seed()
                + ", params="
                + parameterCount()
                + ")";
    }
}
