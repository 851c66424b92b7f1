package org.sltk.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The implied constant C of {@link Overparam} over several seeds: per seed the largest C over the
 * measured points (the smallest C for which the sufficient bound holds at every point of that
 * seed), then its spread over the seeds; and per point the spread of its C over the seeds.
 *
 * <p>A seed drives both the random network and the sample of blocks ({@link
 * Overparam.Config#seed}), so the spread covers both sources of chance. A point whose n99 was not
 * reached within {@code maxN} has no C; it is left out of that seed's maximum (which then only
 * bounds the true constant from below) and counted in {@link Spread#unreached}.
 *
 * <p>n moves on a grid (density * n whole: steps of 2 at density 0.5, 10 at 0.1), so a seed's C at
 * a point is only known to lie in (C at the n below n99, C at n99]; the lower ends are carried
 * beside the values ({@link Overparam.Point#cImpliedBelow}). A spread of zero over seeds means that
 * every seed reached the same grid point, not that C is known to more than that bracket.
 */
public final class OverparamSeeds {

    private OverparamSeeds() {}

    /**
     * The spread over seeds of one (density, eps) point.
     *
     * @param density gamma
     * @param eps the tolerance
     * @param reached seeds at which n99 was reached
     * @param n99 n99 per seed, in seed order (-1: not reached)
     * @param c C implied per seed, in seed order (NaN: not reached)
     * @param cBelow C implied at the n below n99 per seed, the lower end of its bracket (NaN: none)
     * @param cMean mean of C over the seeds that reached n99
     * @param cSd sample standard deviation of those (NaN for fewer than 2)
     * @param cMin smallest of those
     * @param cMax largest of those
     */
    public record PointSpread(
            double density,
            double eps,
            int reached,
            int[] n99,
            double[] c,
            double[] cBelow,
            double cMean,
            double cSd,
            double cMin,
            double cMax) {}

    /**
     * Everything aggregated.
     *
     * @param seeds the seeds, in run order
     * @param cFit per seed, the largest C implied over its points (NaN if no point reached n99)
     * @param cFitAt per seed, the index into {@code points} where that maximum is attained (-1 if
     *     none)
     * @param cFitBelow per seed, the largest lower bracket end over its points: the seed's constant
     *     lies in (cFitBelow, cFit] (NaN if no point has a lower end)
     * @param unreached per seed, the points without n99
     * @param cFitMean mean of cFit over the seeds
     * @param cFitSd sample standard deviation of cFit (NaN for one seed)
     * @param cFitMin smallest cFit
     * @param cFitMax largest cFit: the constant that makes the bound hold at every point of every
     *     seed
     * @param points per (density, eps), in the runs' order
     */
    public record Spread(
            long[] seeds,
            double[] cFit,
            int[] cFitAt,
            double[] cFitBelow,
            int[] unreached,
            double cFitMean,
            double cFitSd,
            double cFitMin,
            double cFitMax,
            List<PointSpread> points) {}

    /**
     * Aggregates the runs of one target over seeds.
     *
     * @param results one run per seed, all with the same densities and eps
     * @return the spread
     */
    public static Spread of(List<Overparam.Result> results) {
        long[] seeds = results.stream().mapToLong(r -> r.config().seed()).toArray();
        return of(seeds, results.stream().map(Overparam.Result::points).toList());
    }

    /**
     * Aggregates per-seed points.
     *
     * @param seeds the seeds, distinct
     * @param perSeed for each seed its points, the same (density, eps) in the same order for every
     *     seed
     * @return the spread
     */
    public static Spread of(long[] seeds, List<List<Overparam.Point>> perSeed) {
        if (seeds.length == 0 || seeds.length != perSeed.size()) {
            throw new IllegalArgumentException(
                    "need one list of points per seed, found "
                            + seeds.length
                            + " seeds and "
                            + perSeed.size()
                            + " lists");
        }
        List<Overparam.Point> first = perSeed.get(0);
        for (int s = 1; s < seeds.length; s++) {
            List<Overparam.Point> ps = perSeed.get(s);
            if (ps.size() != first.size()) {
                throw new IllegalArgumentException(
                        "seed "
                                + seeds[s]
                                + " has "
                                + ps.size()
                                + " points, seed "
                                + seeds[0]
                                + " has "
                                + first.size());
            }
            for (int i = 0; i < ps.size(); i++) {
                if (ps.get(i).density() != first.get(i).density()
                        || ps.get(i).eps() != first.get(i).eps()) {
                    throw new IllegalArgumentException(
                            "seed "
                                    + seeds[s]
                                    + ": point "
                                    + i
                                    + " is ("
                                    + ps.get(i).density()
                                    + ", "
                                    + ps.get(i).eps()
                                    + "), expected ("
                                    + first.get(i).density()
                                    + ", "
                                    + first.get(i).eps()
                                    + ")");
                }
            }
        }
        int ns = seeds.length;
        double[] cFit = new double[ns];
        int[] cFitAt = new int[ns];
        double[] cFitBelow = new double[ns];
        int[] unreached = new int[ns];
        for (int s = 0; s < ns; s++) {
            cFit[s] = Double.NaN;
            cFitAt[s] = -1;
            cFitBelow[s] = Double.NaN;
            List<Overparam.Point> ps = perSeed.get(s);
            for (int i = 0; i < ps.size(); i++) {
                double c = ps.get(i).cImplied();
                if (ps.get(i).n99() <= 0 || Double.isNaN(c)) {
                    unreached[s]++;
                    continue;
                }
                if (cFitAt[s] < 0 || c > cFit[s]) {
                    cFit[s] = c;
                    cFitAt[s] = i;
                }
                double lo = ps.get(i).cImpliedBelow();
                if (!Double.isNaN(lo) && (Double.isNaN(cFitBelow[s]) || lo > cFitBelow[s])) {
                    cFitBelow[s] = lo;
                }
            }
        }
        List<PointSpread> points = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            int[] n99 = new int[ns];
            double[] c = new double[ns];
            double[] below = new double[ns];
            for (int s = 0; s < ns; s++) {
                Overparam.Point p = perSeed.get(s).get(i);
                n99[s] = p.n99() > 0 ? p.n99() : -1;
                c[s] = p.n99() > 0 ? p.cImplied() : Double.NaN;
                below[s] = p.n99() > 0 ? p.cImpliedBelow() : Double.NaN;
            }
            double[] m = moments(c);
            points.add(
                    new PointSpread(
                            first.get(i).density(),
                            first.get(i).eps(),
                            (int) m[4],
                            n99,
                            c,
                            below,
                            m[0],
                            m[1],
                            m[2],
                            m[3]));
        }
        double[] m = moments(cFit);
        return new Spread(
                seeds.clone(),
                cFit,
                cFitAt,
                cFitBelow,
                unreached,
                m[0],
                m[1],
                m[2],
                m[3],
                List.copyOf(points));
    }

    /**
     * Returns {mean, sample sd, min, max, count} of the non-NaN values (NaN where undefined; sd and
     * mean exact when all values are equal, not off by rounding).
     */
    static double[] moments(double[] x) {
        double[] v = Arrays.stream(x).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0};
        }
        double min = Arrays.stream(v).min().orElseThrow();
        double max = Arrays.stream(v).max().orElseThrow();
        if (min == max) {
            return new double[] {min, v.length > 1 ? 0 : Double.NaN, min, max, v.length};
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN;
        return new double[] {mean, sd, min, max, v.length};
    }
}
