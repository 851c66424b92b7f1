package org.sltk.rfss;

/**
 * The counting and entropy formulas of RFSS (docs/theory.md, sections 1 and 5), and the rule that
 * picks the default block size n of the pruner.
 *
 * <p>Density here is gamma = k / n. Where a rule needs k from gamma and n, it prefers n for which
 * gamma * n is an integer (so k / n equals gamma exactly), as documented per method.
 */
public final class RfssTheory {

    /** The largest n the rules return (subsets are 64-bit masks). */
    public static final int MAX_N = RfssBatch.MAX_N;

    /** The rule of {@link #defaultN}: C(n, k) must be at least this many times 1 / eps. */
    public static final double DEFAULT_N_FACTOR = 10;

    private RfssTheory() {}

    /**
     * Returns the binomial coefficient as a double (exact up to 2^53, rounded above).
     *
     * @param n the set size, at least 0
     * @param k the subset size
     * @return C(n, k), 0 when k is outside [0, n]
     */
    public static double binom(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        k = Math.min(k, n - k);
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return Math.rint(c) == c || c > 0x1.0p53 ? c : Math.rint(c);
    }

    /**
     * Returns the binary entropy H2(p) = -p log2 p - (1 - p) log2 (1 - p).
     *
     * @param p a probability in [0, 1]
     * @return H2(p) in bits, 0 at p = 0 and p = 1
     */
    public static double binaryEntropy(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in [0, 1], found " + p);
        }
        if (p == 0 || p == 1) {
            return 0;
        }
        return -(p * log2(p) + (1 - p) * log2(1 - p));
    }

    /**
     * Returns the information floor R / (2 C(n, k)): no algorithm can guarantee a smaller error for
     * every target of an interval of length R, since a k-of-n block has at most C(n, k) sums.
     *
     * @param n candidates per block
     * @param k subset size
     * @param range the length R of the target interval (2 for [-1, 1])
     * @return the floor
     */
    public static double informationFloor(int n, int k, double range) {
        return range / (2 * binom(n, k));
    }

    /**
     * Returns k for a density and a block size: {@code round(density * n)}.
     *
     * @param density the density k / n in (0, 1]
     * @param n the block size
     * @return k, possibly 0 for small n
     */
    public static int kFor(double density, int n) {
        return (int) Math.round(density * n);
    }

    /**
     * Tells whether density * n is an integer (within 1e-9), so that k / n equals the density.
     *
     * @param density the density
     * @param n the block size
     * @return true if the density is exact at n
     */
    public static boolean exactDensity(double density, int n) {
        double kd = density * n;
        return Math.abs(kd - Math.rint(kd)) <= 1e-9 * Math.max(1, kd);
    }

    /**
     * Returns the smallest n whose block meets the information floor: C(n, k) &gt;= R / (2 eps)
     * with k = round(density * n) &gt;= 1. Only n where density * n is an integer are considered,
     * if any exist up to 100,000; otherwise every n, with k rounded.
     *
     * @param density the density in (0, 1]
     * @param eps the wanted error, &gt; 0
     * @param range the length R of the target interval
     * @return the smallest such n (no cap at 64)
     */
    public static int smallestNByFloor(double density, double eps, double range) {
        checkDensityEps(density, eps);
        double need = range / (2 * eps);
        boolean exactExists = exactExists(density);
        for (int n = 1; ; n++) {
            int k = kFor(density, n);
            if (k < 1 || k > n || (exactExists && !exactDensity(density, n))) {
                continue;
            }
            if (binom(n, k) >= need) {
                return n;
            }
        }
    }

    /**
     * Returns the smallest n meeting the paper's sufficient condition (constant success probability
     * per instance): n &gt;= constant * log2(k / eps) / H2(density) with k = max(1, round(density *
     * n)); found by search over n, since k depends on n.
     *
     * @param density the density in (0, 1); 1 has H2 = 0 and is refused
     * @param eps the wanted error, &gt; 0
     * @param constant the bound's constant, which the paper leaves open
     * @return the smallest such n
     */
    public static int sufficientN(double density, double eps, double constant) {
        checkDensityEps(density, eps);
        if (density >= 1) {
            throw new IllegalArgumentException(
                    "density must be below 1 for the entropy bound, found " + density);
        }
        double h = binaryEntropy(density);
        for (int n = 1; n < 100_000_000; n++) {
            int k = Math.max(1, kFor(density, n));
            double bound = constant * log2(k / eps) / h;
            if (n >= bound) {
                return n;
            }
        }
        throw new IllegalArgumentException("no n below 1e8 meets the bound");
    }

    /** The smallest block size {@link #defaultN} returns. */
    public static final int MIN_DEFAULT_N = 24;

    /**
     * Returns the block size the pruner uses by default: the smallest n in [24, 64] with k =
     * density * n whole (k &gt;= 1) and C(n, k) &gt;= 10 / eps.
     *
     * <p>The binomial condition is ten times the information floor's requirement for targets in
     * [-1, 1]. The lower limit 24 is measured, not derived: a block misses when its n products
     * happen to be so unbalanced in sign that no k of them sum near a small target, and this
     * shrinks only with n. On the shipped LeNet-300-100 at density 0.5 the first layer's blocks
     * missed eps = 1e-3 in 3.2% of cases with n = 16 (k = 8), 0.55% with n = 20 and 0.15% with n =
     * 24; at density 0.25, 0.07% with n = 20 and 0.003% with n = 24.
     *
     * @param density the density in (0, 1]
     * @param eps the wanted per-weight error, &gt; 0
     * @return n in [24, 64]
     * @throws IllegalArgumentException when no such n exists
     */
    public static int defaultN(double density, double eps) {
        checkDensityEps(density, eps);
        for (int n = MIN_DEFAULT_N; n <= MAX_N; n++) {
            int k = kFor(density, n);
            if (k >= 1 && exactDensity(density, n) && binom(n, k) >= DEFAULT_N_FACTOR / eps) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "no block size n in ["
                        + MIN_DEFAULT_N
                        + ", "
                        + MAX_N
                        + "] has density * n whole and C(n, k) >= "
                        + DEFAULT_N_FACTOR
                        + " / eps");
    }

    private static boolean exactExists(double density) {
        for (int n = 1; n <= 100_000; n++) {
            if (kFor(density, n) >= 1 && exactDensity(density, n)) {
                return true;
            }
        }
        return false;
    }

    private static void checkDensityEps(double density, double eps) {
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("density must be in (0, 1], found " + density);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be > 0, found " + eps);
        }
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
