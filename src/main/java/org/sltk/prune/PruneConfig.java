package org.sltk.prune;

import org.sltk.nn.WeightDistribution;
import org.sltk.rfss.RfssTheory;
import org.sltk.util.InputException;

/**
 * The settings of one pruning run, checked when built: every block keeps exactly {@code k} of
 * its {@code n} candidates, so the block density is exactly {@code k / n}.
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
 * @param solver name of the RFSS solver ({@code mitm}, {@code tensor}, {@code swap}, {@code brute})
 * @param nonNegativeInput whether the network's inputs are known to be non-negative (pixels in
 *     [0, 1]); then the first pair needs only the positive-weight half of each pool. The verbs
 *     derive it from the run's {@link org.sltk.data.InputDomain} ({@code --input-domain}), which
 *     the run directory records with it
 * @param nChosen whether n was chosen by {@link #defaultN} from the density and eps rather than
 *     given ({@code --n}); messages about n then name the flag that decided it
 */
public record PruneConfig(
        double density,
        int n,
        int k,
        int pool,
        double eps,
        long seed,
        WeightDistribution distribution,
        String solver,
        boolean nonNegativeInput,
        boolean nChosen) {

    /** The largest block size the exact solvers accept. */
    public static final int MAX_N = 64;

    /** Checks the settings. */
    public PruneConfig {
        if (!(density > 0 && density <= 1)) {
            throw new InputException("--density: must be in (0, 1], found " + density);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new InputException("--eps: must be a positive number, found " + eps);
        }
        if (n < 1 || n > MAX_N) {
            throw new InputException("--n: must be in [1, " + MAX_N + "], found " + n);
        }
        if (k < 1 || k > n || Math.abs((double) k / n - density) > 1e-9) {
            throw new InputException(
                    "--n " + n + " with --density " + density + " gives k = "
                            + new java.math.BigDecimal(density * n).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString()
                            + ", not a whole number in [1, n]; pick n so that density * n is whole");
        }
        if (pool < n) {
            throw new InputException("--pool: must be at least n = " + n + ", found " + pool);
        }
    }

    /**
     * Writes a flag's value for a message as a user would type it: {@code 0.25}, {@code 0.001},
     * {@code 1e-9}.
     *
     * @param v the value
     * @return the shortest decimal form, with a lower-case exponent where one is needed
     */
    public static String typed(double v) {
        java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).stripTrailingZeros();
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-4 && a < 1e7) ? d.toPlainString() : d.toString().replace("E+", "e").replace('E', 'e');
    }

    /**
     * Creates settings with a given n (not chosen by {@link #defaultN}).
     *
     * @param density the block density k / n
     * @param n candidates per block
     * @param k kept candidates per block
     * @param pool hidden units per input pool, at least n
     * @param eps per-weight tolerance
     * @param seed seed of the random network
     * @param distribution weight distribution
     * @param solver solver name
     * @param nonNegativeInput whether inputs are non-negative
     */
    public PruneConfig(double density, int n, int k, int pool, double eps, long seed, WeightDistribution distribution,
            String solver, boolean nonNegativeInput) {
        this(density, n, k, pool, eps, seed, distribution, solver, nonNegativeInput, false);
    }

    /**
     * Builds a configuration, choosing n and the pool size when they are not given.
     *
     * @param density the block density
     * @param n candidates per block, or 0 to choose with {@link #defaultN}
     * @param pool units per input pool, or 0 for 3n
     * @param eps per-weight tolerance
     * @param seed seed of the random network
     * @param distribution weight distribution
     * @param solver solver name
     * @param nonNegativeInput whether inputs are non-negative
     * @return the configuration
     */
    public static PruneConfig of(
            double density,
            int n,
            int pool,
            double eps,
            long seed,
            WeightDistribution distribution,
            String solver,
            boolean nonNegativeInput) {
        if (!(density > 0 && density <= 1)) {
            throw new InputException("--density: must be in (0, 1], found " + density);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new InputException("--eps: must be a positive number, found " + eps);
        }
        if (n < 0) {
            throw new InputException("--n: must be 0 (choose) or in [1, " + MAX_N + "], found " + n);
        }
        if (pool < 0) {
            throw new InputException("--pool: must be 0 (3n) or at least n, found " + pool);
        }
        int nn = n > 0 ? n : defaultN(density, eps);
        int k = (int) Math.round(density * nn);
        return new PruneConfig(
                density, nn, k, pool > 0 ? pool : 3 * nn, eps, seed, distribution, solver, nonNegativeInput, n == 0);
    }

    /**
     * Returns the default block size, {@link RfssTheory#defaultN}, as a flag error when there is none.
     *
     * @param density the block density
     * @param eps the per-weight tolerance
     * @return n
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
                throw new InputException("--density: " + density + " * n is whole for no block size n <= " + MAX_N
                        + "; give a density k/n with n <= " + MAX_N + ", such as 0.25 or 0.5");
            }
            throw new InputException("--density " + density + " with --eps " + eps
                    + ": no block size n <= " + MAX_N + " reaches the tolerance; give --n or a larger --eps");
        }
    }
}
