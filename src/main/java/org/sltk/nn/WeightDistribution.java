package org.sltk.nn;

import java.util.Locale;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The distribution of the random network's weights: every weight is drawn independently from it, by
 * sltk's counter-based generator, so it is reproducible on any machine.
 */
public enum WeightDistribution {
    /** Uniform on [-1, 1): the paper's default. */
    UNIFORM("uniform"),
    /** Standard normal. */
    NORMAL("normal"),
    /** Kaiming (He) uniform: Uniform[-b, b] with b = sqrt(6 / fan_in). */
    KAIMING_UNIFORM("kaiming-uniform"),
    /** Kaiming (He) normal: Normal(0, 2 / fan_in). */
    KAIMING_NORMAL("kaiming-normal");

    private final String id;

    WeightDistribution(String id) {
        this.id = id;
    }

    /**
     * Returns the name used on the command line and in run files.
     *
     * @return the name, e.g. {@code uniform}
     */
    public String id() {
        return id;
    }

    /**
     * Draws one weight.
     *
     * @param rng the generator
     * @param stream the stream (one per weight tensor)
     * @param index the position of the weight in its tensor
     * @param fanIn the fan-in of the layer the weight belongs to
     * @return the weight
     */
    public float sample(CounterRandom rng, long stream, long index, int fanIn) {
        switch (this) {
            case UNIFORM:
                return rng.symmetricFloat(stream, index);
            case NORMAL:
                return (float) rng.normal(stream, index);
            case KAIMING_UNIFORM:
                return (float) (StrictMath.sqrt(6.0 / fanIn) * rng.symmetricFloat(stream, index));
            case KAIMING_NORMAL:
                return (float) (StrictMath.sqrt(2.0 / fanIn) * rng.normal(stream, index));
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Returns the standard deviation of the weights of a layer.
     *
     * @param fanIn the fan-in of the layer
     * @return 1/sqrt(3) for uniform, 1 for normal, sqrt(2 / fanIn) for both Kaiming ones
     */
    public double std(int fanIn) {
        return switch (this) {
            case UNIFORM -> StrictMath.sqrt(1.0 / 3.0);
            case NORMAL -> 1.0;
            case KAIMING_UNIFORM, KAIMING_NORMAL -> StrictMath.sqrt(2.0 / fanIn);
        };
    }

    /**
     * Parses a name as given on the command line.
     *
     * @param name the name, e.g. {@code uniform}
     * @return the distribution
     * @throws InputException for an unknown name
     */
    public static WeightDistribution parse(String name) {
        String v = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (WeightDistribution d : values()) {
            if (d.id.equals(v)) {
                return d;
            }
        }
        throw new InputException(
                "--dist: unknown distribution '"
                        + name
                        + "'; use uniform, normal, kaiming-uniform or kaiming-normal");
    }
}
