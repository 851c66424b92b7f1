package org.sltk.theory;

import java.util.Locale;
import org.sltk.nn.WeightDistribution;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * A distribution whose sums {@link SumBound} examines: the random network's weight distributions
 * ({@link WeightDistribution}, drawn exactly as {@link org.sltk.nn.RandomNetwork} draws them) and
 * the product of two Uniform[-1, 1] weights, which is what the pair construction's blocks sum.
 *
 * @param kind {@code uniform}, {@code product}, {@code normal}, {@code kaiming-uniform} or {@code
 *     kaiming-normal}
 * @param fanIn the fan-in of the Kaiming forms (ignored, and 0, for the others)
 */
public record SumDistribution(String kind, int fanIn) {

    /** The names {@link #parse} accepts. */
    public static final String KINDS =
            "uniform, product, normal, kaiming-uniform or kaiming-normal";

    /**
     * Checks the kind and fan-in.
     *
     * @param kind {@code uniform}, {@code product}, {@code normal}, {@code kaiming-uniform} or
     *     {@code kaiming-normal}
     * @param fanIn the fan-in of the Kaiming forms (ignored, and 0, for the others)
     */
    public SumDistribution {
        switch (kind) {
            case "uniform", "product", "normal" -> fanIn = 0;
            case "kaiming-uniform", "kaiming-normal" -> {
                if (fanIn < 1) {
                    throw new InputException("--fan-in: must be at least 1, found " + fanIn);
                }
            }
            default ->
                    throw new InputException(
                            "--dists: unknown distribution '" + kind + "'; use " + KINDS);
        }
    }

    /**
     * Parses a name as given on the command line.
     *
     * @param name the name
     * @param fanIn the fan-in for the Kaiming forms
     * @return the distribution
     */
    public static SumDistribution parse(String name, int fanIn) {
        return new SumDistribution(name.trim().toLowerCase(Locale.ROOT).replace('_', '-'), fanIn);
    }

    /**
     * Returns a label such as {@code kaiming-normal(fan_in=784)}.
     *
     * @return the label
     */
    public String label() {
        return kaiming() ? kind + "(fan_in=" + fanIn + ")" : kind;
    }

    private boolean kaiming() {
        return kind.startsWith("kaiming");
    }

    /**
     * Returns the exact standard deviation of one sample.
     *
     * @return sigma: 1/sqrt(3) for Uniform[-1,1], 1/3 for the product, 1 for Normal(0,1),
     *     sqrt(2/fan_in) for both Kaiming forms
     */
    public double sigma() {
        return switch (kind) {
            case "uniform" -> 1 / Math.sqrt(3);
            case "product" -> 1.0 / 3;
            case "normal" -> 1;
            default -> Math.sqrt(2.0 / fanIn);
        };
    }

    /**
     * Draws sample {@code index}: weight distributions through {@link WeightDistribution#sample} on
     * stream {@code 2 * stream}, the product as the float product of two Uniform[-1, 1] draws on
     * streams {@code 2 * stream} and {@code 2 * stream + 1} (as the pruner multiplies a * b).
     *
     * @param rng the generator
     * @param stream the stream of this distribution
     * @param index the sample index
     * @return the sample
     */
    public float sample(CounterRandom rng, long stream, long index) {
        return switch (kind) {
            case "uniform" -> WeightDistribution.UNIFORM.sample(rng, 2 * stream, index, 1);
            case "normal" -> WeightDistribution.NORMAL.sample(rng, 2 * stream, index, 1);
            case "kaiming-uniform" ->
                    WeightDistribution.KAIMING_UNIFORM.sample(rng, 2 * stream, index, fanIn);
            case "kaiming-normal" ->
                    WeightDistribution.KAIMING_NORMAL.sample(rng, 2 * stream, index, fanIn);
            default ->
                    WeightDistribution.UNIFORM.sample(rng, 2 * stream, index, 1)
                            * WeightDistribution.UNIFORM.sample(rng, 2 * stream + 1, index, 1);
        };
    }
}
