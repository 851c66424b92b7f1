package org.sltk.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The paper's sum-bounded condition, checked empirically (docs/theory.md, section 5).
 *
 * <p>For a distribution with single-sample standard deviation sigma, let S_k be the sum of k i.i.d.
 * samples and f_k its density. Two forms are estimated from the same draws:
 *
 * <ul>
 *   <li><b>paper</b> (the headline form, theory.md's statement with the sqrt(k) scaling on the
 *       density): sqrt(k) f_k(x) on x in [-sqrt(k), sqrt(k)], in the weights' own units. By the
 *       central limit theorem it tends to phi(x / (sigma sqrt(k))) / sigma, so on this range c_l
 *       -&gt; phi(1 / sigma) / sigma and c_u -&gt; phi(0) / sigma. The range is sqrt(k) wide
 *       whatever sigma is, so the form depends on the scale: for Uniform[-1, 1] and k = 1 it is
 *       exactly 1/2; for Normal(0, 1) it is the standardised form; for a Kaiming distribution with
 *       a large fan-in (sigma = 0.05 at fan-in 784) the range reaches 20 sds out, where there is no
 *       mass, so c_l is 0.
 *   <li><b>standardised</b> (a different statement, reported beside it): the same scaled density on
 *       the range of +-1 sd of the sum, |x| &lt;= sigma sqrt(k), in units of the single-sample sd:
 *       sqrt(k) g_k(y), g_k the density of S_k / sigma, on y in [-sqrt(k), sqrt(k)]; equivalently
 *       the density of S_k / (sigma sqrt(k)) at u = y / sqrt(k) on |u| &lt;= 1. It tends to phi(u),
 *       so c_l -&gt; phi(1) = 0.2420 and c_u -&gt; phi(0) = 0.3989. It is scale-free: Kaiming
 *       uniform / normal give the same numbers as Uniform / Normal at every fan-in (up to float
 *       rounding of the draws). It is the paper's form for a distribution with sigma = 1.
 * </ul>
 *
 * <p>c_l = min and c_u = max of the scaled density over the range and over the chosen k.
 *
 * <p>Method: the scaled sum S_k / sqrt(k) (paper) and S_k / (sigma sqrt(k)) (standardised) of N
 * independent sums per k are histogrammed with bins of width h = 2 / bins on [-1, 1] (the
 * standardised histogram extends to [-3, 3] for the plotted curves). A bin's density is count / (N
 * h); its interval is the Wilson score interval of count / N, divided by h, at the Bonferroni level
 * alpha / (bins * |k|) per distribution and form, so all intervals of a distribution and form hold
 * together with probability at least 1 - alpha. Then the interval of c_l is [min of the lower ends,
 * min of the upper ends] and that of c_u [max of the lower ends, max of the upper ends]. What is
 * estimated is the bin-averaged density: where the density is smooth this differs from the
 * pointwise one by O(h^2 f''); at the product's logarithmic singularity (k = 1, x = 0) the true c_u
 * is infinite and the estimate grows like ln(1/h).
 *
 * <p>Sums for different k are nested (S_k of sample s is the first k draws of that sample's 64-draw
 * row), which costs kmax draws per sample; estimates for different k are therefore not independent,
 * which the Bonferroni bound does not need. Draws come from {@link CounterRandom}: draw j of sample
 * s is index {@code s * kmax + j} of the distribution's stream, so results do not depend on the
 * thread count.
 */
public final class SumBound {

    /** The paper's form: sqrt(k) f_k(x) on x in [-sqrt(k), sqrt(k)], see the class comment. */
    public static final String PAPER = "paper";

    /** The standardised form: the same on +-1 sd of the sum, see the class comment. */
    public static final String STANDARDISED = "standardised";

    /** Both forms, the headline first. */
    public static final List<String> FORMS = List.of(PAPER, STANDARDISED);

    /** The standardised histogram covers [-PLOT_RANGE, PLOT_RANGE] (for the curves). */
    public static final int PLOT_RANGE = 3;

    /**
     * The settings.
     *
     * @param dists the distributions
     * @param ks the numbers of summands, ascending, each in [1, 4096]
     * @param samples independent sums per k
     * @param bins histogram bins on [-1, 1]
     * @param alpha the simultaneous error level of the intervals (0.05 for 95%)
     * @param seed the generator seed
     * @param threads worker threads
     */
    public record Config(
            List<SumDistribution> dists,
            int[] ks,
            long samples,
            int bins,
            double alpha,
            long seed,
            int threads) {
        /**
         * Checks the settings.
         *
         * @param dists the distributions
         * @param ks the numbers of summands, ascending, each in [1, 4096]
         * @param samples independent sums per k
         * @param bins histogram bins on [-1, 1]
         * @param alpha the simultaneous error level of the intervals (0.05 for 95%)
         * @param seed the generator seed
         * @param threads worker threads
         */
        public Config {
            if (dists.isEmpty()) {
                throw new InputException("--dists: give at least one distribution");
            }
            if (ks.length == 0) {
                throw new InputException("--ks: give at least one k");
            }
            ks = ks.clone();
            Arrays.sort(ks);
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] < 1 || ks[i] > 4096) {
                    throw new InputException("--ks: every k must be in [1, 4096], found " + ks[i]);
                }
                if (i > 0 && ks[i] == ks[i - 1]) {
                    throw new InputException("--ks: k = " + ks[i] + " given twice");
                }
            }
            if (samples < 1000 || samples > 2_000_000_000L) {
                throw new InputException(
                        "--samples: must be in [1000, 2000000000], found " + samples);
            }
            if (bins < 2 || bins > 10_000) {
                throw new InputException("--bins: must be in [2, 10000], found " + bins);
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new InputException("--alpha: must be in (0, 1), found " + alpha);
            }
            if (threads < 1) {
                throw new InputException("--threads: must be at least 1, found " + threads);
            }
        }

        /** {@return the largest k, kmax} */
        public int kmax() {
            return ks[ks.length - 1];
        }
    }

    /**
     * The constants of one distribution, form and k (k = 0: over all k).
     *
     * @param dist the distribution's label
     * @param form {@link #PAPER} or {@link #STANDARDISED}
     * @param k the number of summands, 0 for the minimum / maximum over all k
     * @param samples sums per k
     * @param cl the smallest scaled bin density on the range
     * @param clLo lower end of c_l's interval
     * @param clHi upper end of c_l's interval
     * @param clAt the bin centre where c_l is attained: x in [-sqrt(k), sqrt(k)] for the paper
     *     form, u = S_k / (sigma sqrt(k)) in [-1, 1] for the standardised one (k = 0: at {@code
     *     clK})
     * @param clK the k where c_l is attained
     * @param cu the largest scaled bin density on the range
     * @param cuLo lower end of c_u's interval
     * @param cuHi upper end of c_u's interval
     * @param cuAt the bin centre where c_u is attained
     * @param cuK the k where c_u is attained
     */
    public record Estimate(
            String dist,
            String form,
            int k,
            long samples,
            double cl,
            double clLo,
            double clHi,
            double clAt,
            int clK,
            double cu,
            double cuLo,
            double cuHi,
            double cuAt,
            int cuK) {}

    /**
     * One bin of a scaled density curve.
     *
     * @param dist the distribution's label
     * @param form {@link #PAPER} (bins on x in [-sqrt(k), sqrt(k)]) or {@link #STANDARDISED} (bins
     *     on u = S_k / (sigma sqrt(k)) in [-3, 3])
     * @param k the number of summands
     * @param at the bin centre: x for the paper form, u for the standardised one
     * @param density the scaled density at the bin (bin average): sqrt(k) f_k(x), or sqrt(k) g_k,
     *     the density of S_k / (sigma sqrt(k)) at u
     * @param lo lower end of its simultaneous interval
     * @param hi upper end
     */
    public record CurvePoint(
            String dist, String form, int k, double at, double density, double lo, double hi) {}

    /**
     * Everything one run measured.
     *
     * @param config the settings
     * @param z the normal quantile used per bin (Bonferroni-adjusted)
     * @param estimates per distribution and form: one row per k, then the row k = 0 over all k
     * @param curves the paper curves on [-sqrt(k), sqrt(k)], then the standardised curves on [-3,
     *     3]
     * @param seconds wall time
     */
    public record Result(
            Config config,
            double z,
            List<Estimate> estimates,
            List<CurvePoint> curves,
            double seconds) {

        /**
         * Returns the over-all-k estimate of a distribution and form.
         *
         * @param dist the distribution's label
         * @param form the form
         * @return the estimate with k = 0
         */
        public Estimate overall(String dist, String form) {
            return find(dist, form, 0);
        }

        /**
         * Returns the estimate of one distribution, form and k.
         *
         * @param dist the distribution's label
         * @param form the form
         * @param k the k (0 for over all k)
         * @return the estimate
         */
        public Estimate find(String dist, String form, int k) {
            return estimates.stream()
                    .filter(e -> e.dist().equals(dist) && e.form().equals(form) && e.k() == k)
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "no estimate for " + dist + " " + form + " k=" + k));
        }
    }

    private SumBound() {}

    /**
     * Runs the estimation.
     *
     * @param c the settings
     * @return the estimates and curves
     */
    public static Result run(Config c) {
        long start = System.nanoTime();
        int b = c.bins();
        double h = 2.0 / b;
        int m = b * c.ks().length;
        double z = Stats.normalQuantile(1 - c.alpha() / (2.0 * m));
        List<Estimate> est = new ArrayList<>();
        List<CurvePoint> curves = new ArrayList<>();
        for (SumDistribution d : c.dists()) {
            long[][][] counts = histogram(c, d);
            for (String form : FORMS) {
                boolean std = form.equals(STANDARDISED);
                int first = std ? (PLOT_RANGE - 1) * b / 2 : 0;
                Estimate all = null;
                for (int ki = 0; ki < c.ks().length; ki++) {
                    long[] cnt = counts[std ? 0 : 1][ki];
                    int k = c.ks()[ki];
                    double unit = std ? 1 : Math.sqrt(k);
                    double lowC = Double.POSITIVE_INFINITY, lowLo = lowC, lowHi = lowC, lowAt = 0;
                    double upC = Double.NEGATIVE_INFINITY, upLo = upC, upHi = upC, upAt = 0;
                    for (int i = first; i < first + b; i++) {
                        double dens = cnt[i] / (c.samples() * h);
                        double[] ci = Stats.wilson(cnt[i], c.samples(), z);
                        double centre = (-1 + (i - first + 0.5) * h) * unit;
                        if (dens < lowC) {
                            lowC = dens;
                            lowAt = centre;
                        }
                        lowLo = Math.min(lowLo, ci[0] / h);
                        lowHi = Math.min(lowHi, ci[1] / h);
                        if (dens > upC) {
                            upC = dens;
                            upAt = centre;
                        }
                        upLo = Math.max(upLo, ci[0] / h);
                        upHi = Math.max(upHi, ci[1] / h);
                    }
                    Estimate e =
                            new Estimate(
                                    d.label(),
                                    form,
                                    k,
                                    c.samples(),
                                    lowC,
                                    lowLo,
                                    lowHi,
                                    lowAt,
                                    k,
                                    upC,
                                    upLo,
                                    upHi,
                                    upAt,
                                    k);
                    est.add(e);
                    all = all == null ? e : merge(all, e);
                }
                est.add(
                        new Estimate(
                                all.dist(),
                                form,
                                0,
                                all.samples(),
                                all.cl(),
                                all.clLo(),
                                all.clHi(),
                                all.clAt(),
                                all.clK(),
                                all.cu(),
                                all.cuLo(),
                                all.cuHi(),
                                all.cuAt(),
                                all.cuK()));
            }
            for (String form : FORMS) {
                boolean std = form.equals(STANDARDISED);
                for (int ki = 0; ki < c.ks().length; ki++) {
                    long[] cnt = counts[std ? 0 : 1][ki];
                    double from = std ? -PLOT_RANGE : -1;
                    double unit = std ? 1 : Math.sqrt(c.ks()[ki]);
                    for (int i = 0; i < cnt.length; i++) {
                        double[] ci = Stats.wilson(cnt[i], c.samples(), z);
                        curves.add(
                                new CurvePoint(
                                        d.label(),
                                        form,
                                        c.ks()[ki],
                                        (from + (i + 0.5) * h) * unit,
                                        cnt[i] / (c.samples() * h),
                                        ci[0] / h,
                                        ci[1] / h));
                    }
                }
            }
        }
        return new Result(
                c, z, List.copyOf(est), List.copyOf(curves), (System.nanoTime() - start) / 1e9);
    }

    private static Estimate merge(Estimate a, Estimate e) {
        boolean lowE = e.cl() < a.cl();
        boolean upE = e.cu() > a.cu();
        return new Estimate(
                a.dist(),
                a.form(),
                0,
                a.samples(),
                lowE ? e.cl() : a.cl(),
                Math.min(a.clLo(), e.clLo()),
                Math.min(a.clHi(), e.clHi()),
                lowE ? e.clAt() : a.clAt(),
                lowE ? e.clK() : a.clK(),
                upE ? e.cu() : a.cu(),
                Math.max(a.cuLo(), e.cuLo()),
                Math.max(a.cuHi(), e.cuHi()),
                upE ? e.cuAt() : a.cuAt(),
                upE ? e.cuK() : a.cuK());
    }

    /** Stream id per kind, so a distribution's draws do not depend on its place in the list. */
    private static long stream(SumDistribution d) {
        return switch (d.kind()) {
            case "uniform" -> 0;
            case "product" -> 1;
            case "normal" -> 2;
            case "kaiming-uniform" -> 3;
            default -> 4;
        };
    }

    /**
     * Counts [form][k][bin]: form 0 standardised on u in [-3, 3] (3 * bins bins), form 1 paper on x
     * / sqrt(k) in [-1, 1].
     */
    private static long[][][] histogram(Config c, SumDistribution d) {
        int[] ks = c.ks();
        int kmax = c.kmax();
        int b = c.bins();
        double h = 2.0 / b;
        double sigma = d.sigma();
        double[] paperScale = new double[ks.length];
        double[] stdScale = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            paperScale[i] = 1 / Math.sqrt(ks[i]);
            stdScale[i] = 1 / (sigma * Math.sqrt(ks[i]));
        }
        CounterRandom rng = new CounterRandom(c.seed());
        long st = stream(d);
        int chunks = (int) Math.min(c.samples(), 256);
        long per = (c.samples() + chunks - 1) / chunks;
        int stdBins = PLOT_RANGE * b;
        ForkJoinPool pool = new ForkJoinPool(c.threads());
        try {
            return pool.submit(
                            () ->
                                    IntStream.range(0, chunks)
                                            .parallel()
                                            .mapToObj(
                                                    ch -> {
                                                        long[][][] cnt = new long[2][ks.length][];
                                                        for (int i = 0; i < ks.length; i++) {
                                                            cnt[0][i] = new long[stdBins];
                                                            cnt[1][i] = new long[b];
                                                        }
                                                        long from = ch * per;
                                                        long to = Math.min(c.samples(), from + per);
                                                        for (long s = from; s < to; s++) {
                                                            double sum = 0;
                                                            int ki = 0;
                                                            long base = s * kmax;
                                                            for (int j = 0; j < kmax; j++) {
                                                                sum += d.sample(rng, st, base + j);
                                                                if (j + 1 == ks[ki]) {
                                                                    int rb =
                                                                            (int)
                                                                                    Math.floor(
                                                                                            (sum
                                                                                                                    * paperScale[
                                                                                                                            ki]
                                                                                                            + 1)
                                                                                                    / h);
                                                                    if (rb >= 0 && rb < b) {
                                                                        cnt[1][ki][rb]++;
                                                                    }
                                                                    int sb =
                                                                            (int)
                                                                                    Math.floor(
                                                                                            (sum
                                                                                                                    * stdScale[
                                                                                                                            ki]
                                                                                                            + PLOT_RANGE)
                                                                                                    / h);
                                                                    if (sb >= 0 && sb < stdBins) {
                                                                        cnt[0][ki][sb]++;
                                                                    }
                                                                    ki++;
                                                                }
                                                            }
                                                        }
                                                        return cnt;
                                                    })
                                            .reduce(SumBound::add)
                                            .orElseThrow())
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static long[][][] add(long[][][] a, long[][][] b) {
        for (int f = 0; f < a.length; f++) {
            for (int k = 0; k < a[f].length; k++) {
                for (int i = 0; i < a[f][k].length; i++) {
                    a[f][k][i] += b[f][k][i];
                }
            }
        }
        return a;
    }
}
