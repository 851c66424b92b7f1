package org.sltk.prune;

import java.math.BigDecimal;
import java.math.MathContext;
import org.sltk.nn.WeightDistribution;
import org.sltk.rfss.RfssTheory;
import org.sltk.util.InputException;

/**
 * The settings of one pruning run, checked when built: every block keeps exactly {@code k} of its
 * {@code n} candidates, so the block density is exactly {@code k / n}. Build one with {@link
 * #builder()}: {@code PruneConfig.builder().setDensity(0.25).optEps(1e-3).build()}.
 *
 * @param density the block density k / n
 * @param n candidates per block (RFSS instance)
 * @param k kept candidates per block
 * @param pool hidden units per input in the first layer of each pair (at least n); a block's
 *     candidates are the first n units of its pool whose weight has the block's sign
 * @param eps per-weight tolerance: a block keeps the lexicographically first subset within eps (the
 *     canonical rule of {@link org.sltk.rfss.RfssSolver}), or its closest one if none is
 * @param seed seed of the random network
 * @param distribution distribution of the random network's weights
 * @param nonNegativeInput whether the network's inputs are known to be non-negative (pixels in [0,
 *     1]); then the first pair needs only the positive-weight half of each pool. A run derives it
 *     from its {@link org.sltk.data.InputDomain} and records both
 * @param nChosen whether n was chosen by {@link #defaultN} from the density and eps rather than
 *     given; messages about n then name the setting that decided it
 */
public record PruneConfig(
        double density,
        int n,
        int k,
        int pool,
        double eps,
        long seed,
        WeightDistribution distribution,
        boolean nonNegativeInput,
        boolean nChosen) {

    /** The largest block size the exact solvers accept. */
    public static final int MAX_N = 64;

    /** The default per-weight tolerance. */
    public static final double DEFAULT_EPS = 1e-3;

    /** The default seed of the random network. */
    public static final long DEFAULT_SEED = 1;

    /**
     * Checks the settings; an error names the field ({@code density}, {@code n}, ...) and the
     * value.
     *
     * @param density the block density k / n
     * @param n candidates per block
     * @param k kept candidates per block
     * @param pool hidden units per input in the first layer of each pair
     * @param eps per-weight tolerance
     * @param seed seed of the random network
     * @param distribution distribution of the random network's weights
     * @param nonNegativeInput whether the inputs are known to be non-negative
     * @param nChosen whether n was chosen by {@link #defaultN}
     */
    public PruneConfig {
        checkDensityAndEps(density, eps);
        if (n < 1 || n > MAX_N) {
            throw InputException.forField("n", "{n}: must be in [1, " + MAX_N + "], found " + n);
        }
        if (k < 1 || k > n || Math.abs((double) k / n - density) > 1e-9) {
            throw InputException.forField(
                    "n",
                    "{n} "
                            + n
                            + " with {density} "
                            + typed(density)
                            + " gives k = "
                            + new BigDecimal(density * n)
                                    .round(new MathContext(6))
                                    .stripTrailingZeros()
                                    .toPlainString()
                            + ", not a whole number in [1, n]; pick n so that density * n is whole");
        }
        if (pool < n) {
            throw InputException.forField(
                    "pool", "{pool}: must be at least n = " + n + ", found " + pool);
        }
        if (distribution == null) {
            throw new IllegalArgumentException("distribution is null");
        }
    }

    private static void checkDensityAndEps(double density, double eps) {
        if (!(density > 0 && density <= 1)) {
            throw InputException.forField(
                    "density", "{density}: must be in (0, 1], found " + density);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw InputException.forField("eps", "{eps}: must be a positive number, found " + eps);
        }
    }

    /**
     * Returns a builder; only the density is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these settings, to change some of them. The block size stays fixed
     * unless it was chosen ({@link #nChosen}), in which case it is chosen again.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return builder()
                .setDensity(density)
                .optN(nChosen ? 0 : n)
                .optPool(pool)
                .optEps(eps)
                .optSeed(seed)
                .optDistribution(distribution)
                .optNonNegativeInput(nonNegativeInput);
    }

    /**
     * Builds a {@link PruneConfig}: {@code setX} for required settings, {@code optX} for the rest.
     */
    public static final class Builder {
        private double density;
        private boolean densitySet;
        private int n;
        private int pool;
        private double eps = DEFAULT_EPS;
        private long seed = DEFAULT_SEED;
        private WeightDistribution distribution = WeightDistribution.UNIFORM;
        private boolean nonNegativeInput;

        private Builder() {}

        /**
         * Sets the block density k / n (required).
         *
         * @param density in (0, 1]
         * @return this builder
         */
        public Builder setDensity(double density) {
            this.density = density;
            this.densitySet = true;
            return this;
        }

        /**
         * Sets the candidates per block; 0 (the default) chooses the smallest n &gt;= 24 with
         * density * n whole and C(n, k) &gt;= 10 / eps ({@link #defaultN}).
         *
         * @param n 0, or a block size in [1, {@value #MAX_N}]
         * @return this builder
         */
        public Builder optN(int n) {
            this.n = n;
            return this;
        }

        /**
         * Sets the hidden units per input pool; 0 (the default) means 3n.
         *
         * @param pool 0, or at least n
         * @return this builder
         */
        public Builder optPool(int pool) {
            this.pool = pool;
            return this;
        }

        /**
         * Sets the per-weight tolerance (default {@value #DEFAULT_EPS}).
         *
         * @param eps a positive number
         * @return this builder
         */
        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Sets the seed of the random network (default {@value #DEFAULT_SEED}).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the distribution of the random network's weights (default uniform).
         *
         * @param distribution the distribution
         * @return this builder
         */
        public Builder optDistribution(WeightDistribution distribution) {
            this.distribution = distribution;
            return this;
        }

        /**
         * Sets whether the inputs are known to be non-negative (default false: both signs pruned).
         *
         * @param nonNegativeInput true for inputs such as pixels in [0, 1]
         * @return this builder
         */
        public Builder optNonNegativeInput(boolean nonNegativeInput) {
            this.nonNegativeInput = nonNegativeInput;
            return this;
        }

        /**
         * Checks the settings and chooses n and the pool where they were left at 0.
         *
         * @return the settings
         * @throws InputException naming the field and the value found
         */
        public PruneConfig build() {
            if (!densitySet) {
                throw InputException.forField(
                        "density", "{density}: not set; give a value in (0, 1]");
            }
            checkDensityAndEps(density, eps);
            if (n < 0) {
                throw InputException.forField(
                        "n", "{n}: must be 0 (choose) or in [1, " + MAX_N + "], found " + n);
            }
            if (pool < 0) {
                throw InputException.forField(
                        "pool", "{pool}: must be 0 (3n) or at least n, found " + pool);
            }
            if (distribution == null) {
                throw InputException.forField("distribution", "{distribution}: not set (null)");
            }
            int nn = n > 0 ? n : defaultN(density, eps);
            int k = (int) Math.round(density * nn);
            return new PruneConfig(
                    density,
                    nn,
                    k,
                    pool > 0 ? pool : 3 * nn,
                    eps,
                    seed,
                    distribution,
                    nonNegativeInput,
                    n == 0);
        }
    }

    /**
     * Writes a setting's value for a message as a user would type it: {@code 0.25}, {@code 0.001},
     * {@code 1e-9}.
     *
     * @param v the value
     * @return the shortest decimal form, with a lower-case exponent where one is needed
     */
    public static String typed(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-4 && a < 1e7)
                ? d.toPlainString()
                : d.toString().replace("E+", "e").replace('E', 'e');
    }

    /**
     * Returns the default block size, {@link RfssTheory#defaultN}, as a settings error when there
     * is none.
     *
     * @param density the block density
     * @param eps the per-weight tolerance
     * @return n
     * @throws InputException naming {@code density} or {@code eps} when no n fits
     */
    public static int defaultN(double density, double eps) {
        try {
            return RfssTheory.defaultN(density, eps);
        } catch (IllegalArgumentException e) {
            boolean whole = false;
            for (int m = 1; m <= MAX_N && !whole; m++) {
                whole = RfssTheory.kFor(density, m) >= 1 && RfssTheory.exactDensity(density, m);
            }
            if (!whole) {
                throw InputException.forField(
                        "density",
                        "{density}: "
                                + density
                                + " * n is whole for no block size n <= "
                                + MAX_N
                                + "; give a density k/n with n <= "
                                + MAX_N
                                + ", such as 0.25 or 0.5");
            }
            throw InputException.forField(
                    "eps",
                    "{eps} "
                            + typed(eps)
                            + " with {density} "
                            + typed(density)
                            + ": no block size n <= "
                            + MAX_N
                            + " reaches the tolerance; give {n} or a larger {eps}");
        }
    }
}
