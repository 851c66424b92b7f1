package org.sltk.theory;

/**
 * Small numerical helpers: Wilson intervals, the normal quantile, log-binomials (binary entropy:
 * RfssTheory).
 */
public final class Stats {

    private Stats() {}

    /**
     * Returns the Wilson score interval of a binomial proportion.
     *
     * @param successes the count
     * @param trials the number of trials, positive
     * @param z the normal quantile (1.96 for 95%)
     * @return {lower, upper}, within [0, 1]
     */
    public static double[] wilson(long successes, long trials, double z) {
        if (trials <= 0) {
            return new double[] {0, 1};
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double center = (p + z2 / (2 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
        return new double[] {Math.max(0, center - half), Math.min(1, center + half)};
    }

    /**
     * Returns the quantile of the standard normal distribution (Acklam's rational approximation,
     * relative error below 1.2e-9).
     *
     * @param p a probability in (0, 1)
     * @return x with Phi(x) = p
     */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), found " + p);
        }
        double[] a = {
            -3.969683028665376e+01,
            2.209460984245205e+02,
            -2.759285104469687e+02,
            1.383577518672690e+02,
            -3.066479806614716e+01,
            2.506628277459239e+00
        };
        double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        double[] c = {
            -7.784894002430293e-03,
            -3.223964580411365e-01,
            -2.400758277161838e+00,
            -2.549732539343734e+00,
            4.374664141464968e+00,
            2.938163982698783e+00
        };
        double[] d = {
            7.784695709041462e-03,
            3.224671290700398e-01,
            2.445134137142996e+00,
            3.754408661907416e+00
        };
        double lo = 0.02425;
        if (p < lo) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - lo) {
            return -normalQuantile(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    /**
     * Returns the standard normal density.
     *
     * @param x the point
     * @return phi(x)
     */
    public static double normalPdf(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    /**
     * Returns log2 of x.
     *
     * @param x a positive number
     * @return log2 x
     */
    public static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * Returns the natural log of the Gamma function (Lanczos, g = 7, 9 terms; about 15 digits).
     *
     * @param x a positive number
     * @return ln Gamma(x)
     */
    public static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] g = {
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7
        };
        x -= 1;
        double s = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            s += g[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }

    /**
     * Returns log2 C(n, k) for real n and k (through the Gamma function).
     *
     * @param n the set size
     * @param k the subset size, in [0, n]
     * @return log2 of the binomial coefficient
     */
    public static double log2Binomial(double n, double k) {
        return (logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1)) / Math.log(2);
    }
}
