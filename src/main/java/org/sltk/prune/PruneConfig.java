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
 * @param eps per-weight tolerance: a block stops searching once within eps
 * @param seed seed of the random network
 * @param distribution distribution of the random network's weights
 * @param solver name of the RFSS solver ({@code mitm}, {@code tensor}, {@code swap}, {@code brute})
 * @param nonNegativeInput whether the network's inputs are known to be non-negative (pixels in
 *     [0, 1]); then the first pair needs only the positive-weight half of each pool. The verbs
 *     derive it from the run's {@link org.sltk.data.InputDomain} ({@code --input-domain}), which
 *     the run directory records with it
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
        boolean nonNegativeInput) {

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
                density, nn, k, pool > 0 ? pool : 3 * nn, eps, seed, distribution, solver, nonNegativeInput);
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
            throw new InputException("--density " + density + " with --eps " + eps
                    + ": no block size n <= " + MAX_N + " reaches the tolerance; give --n or a larger --eps");
        }
    }
}
