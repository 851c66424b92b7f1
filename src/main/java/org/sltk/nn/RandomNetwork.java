package org.sltk.nn;

import java.util.Arrays;
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
 * numbers as NDArrays on any device. The weights and their streams live in
 * {@link PairRandomNetwork}; this class says what a dense target's pairs look like.
 */
public final class RandomNetwork extends PairRandomNetwork {

    private final int[] widths;
    private final boolean bias;

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
        super(validPool(widths, bias, pool), distribution, seed);
        this.widths = widths.clone();
        this.bias = bias;
    }

    /** Checks the widths and that no pair has more hidden units than an int holds; returns pool. */
    private static int validPool(int[] widths, boolean bias, int pool) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("a network needs at least two widths");
        }
        checkPool(pool);
        for (int l = 0; l + 1 < widths.length; l++) {
            long units = (long) (widths[l] + (bias ? 1L : 0L)) * pool;
            if (units > Integer.MAX_VALUE - 8) {
                throw new InputException("--pool " + pool + ": pair " + (l + 1) + " would have " + units
                        + " hidden units, more than " + (Integer.MAX_VALUE - 8) + "; lower --pool");
            }
        }
        return pool;
    }

    /** Returns the number of target layers L (the network has 2L layers). @return L */
    @Override
    public int pairs() {
        return widths.length - 1;
    }

    /** Returns the target widths. @return a copy of d_0..d_L */
    public int[] widths() {
        return widths.clone();
    }

    /** Returns whether the pairs carry a constant-input pool for biases. @return true with biases */
    @Override
    public boolean hasBias() {
        return bias;
    }

    /**
     * Returns the input width of pair {@code l}.
     *
     * @param l the pair (target layer), from 0
     * @return d_l
     */
    @Override
    public int in(int l) {
        return widths[l];
    }

    /**
     * Returns the output width of pair {@code l}.
     *
     * @param l the pair
     * @return d_{l+1}
     */
    @Override
    public int out(int l) {
        return widths[l + 1];
    }

    @Override
    public String toString() {
        return "RandomNetwork(widths=" + Arrays.toString(widths) + ", bias=" + bias + ", pool=" + pool()
                + ", dist=" + distribution().id() + ", seed=" + seed() + ", params=" + parameterCount() + ")";
    }
}
