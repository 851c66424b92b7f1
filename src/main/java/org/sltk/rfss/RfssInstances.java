package org.sltk.rfss;

import java.util.Locale;
import org.sltk.util.CounterRandom;

/**
 * Seeded random RFSS batches, drawn only from {@link CounterRandom}, so a seed gives the same
 * instances on every machine.
 *
 * <p>Instance {@code i} uses stream {@code seed}-keyed positions {@code i * (2n + 1) ..}: its
 * candidates, then its target; targets are uniform on [-1, 1). Every value is drawn as a float32; a
 * product candidate is the product of two of them in double (exact), as the pruner's are.
 */
public final class RfssInstances {

    private RfssInstances() {}

    /** How candidates are drawn. */
    public enum Distribution {
        /**
         * {@code a * b} with a, b independent float32 uniform on [-1, 1), multiplied in double:
         * what the pruning construction sums.
         */
        PRODUCT,
        /** Uniform on [-1, 1). */
        UNIFORM;

        /**
         * Parses a distribution name, {@code product} or {@code uniform}.
         *
         * @param name the name, case-insensitive
         * @return the distribution
         * @throws IllegalArgumentException for an unknown name
         */
        public static Distribution parse(String name) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "product":
                    return PRODUCT;
                case "uniform":
                    return UNIFORM;
                default:
                    throw new IllegalArgumentException(
                            "unknown distribution '" + name + "'; use product or uniform");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Draws a batch of random instances.
     *
     * @param seed the seed
     * @param stream the stream of the seed to use (different streams give independent batches)
     * @param size the number of instances
     * @param n candidates per instance
     * @param k subset size
     * @param dist the candidate distribution
     * @return the batch
     */
    public static RfssBatch random(
            long seed, long stream, int size, int n, int k, Distribution dist) {
        CounterRandom rng = new CounterRandom(seed);
        double[] z = new double[size * n];
        double[] w = new double[size];
        long per = 2L * n + 1;
        for (int i = 0; i < size; i++) {
            long base = i * per;
            for (int j = 0; j < n; j++) {
                float a = rng.symmetricFloat(stream, base + 2L * j);
                if (dist == Distribution.PRODUCT) {
                    z[i * n + j] = (double) a * rng.symmetricFloat(stream, base + 2L * j + 1);
                } else {
                    z[i * n + j] = a;
                }
            }
            w[i] = rng.symmetricFloat(stream, base + 2L * n);
        }
        return RfssBatch.of(z, w, n, k);
    }
}
