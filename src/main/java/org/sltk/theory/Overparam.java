package org.sltk.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.nn.WeightDistribution;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssSolution;
import org.sltk.rfss.RfssSolver;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * How tight the theory is: for each block density gamma = k / n and per-weight eps, the smallest
 * block size n at which the pair construction's real blocks reach eps, next to the paper's bounds
 * (docs/theory.md, section 5).
 *
 * <p>Measurement. For every n with gamma * n whole (ascending, n &lt;= 64 and within the exact
 * meet-in-the-middle solver's reach), the random network that {@link PairPruner} builds for the
 * target at that n (pool = poolFactor * n units per input, same seed and distribution) gives every
 * block its n candidates a * b through {@link PairPruner#block}, exactly as pruning does (the
 * layers being the target's conv and dense layers in order). A fixed sample of blocks per target
 * layer (the same blocks for every n and gamma; all blocks of a layer that has no more than the
 * sample size) is solved exactly ({@link MeetInTheMiddleSolver}, stopping a block once within the
 * smallest eps). A block succeeds when its best error is at most eps.
 *
 * <ul>
 *   <li>{@code n99}: the smallest n at which, in every target layer, the fraction of sampled blocks
 *       within eps is at least {@code quantile} (0.99: "per-weight success probability 0.99", the
 *       paper's constant-probability regime);
 *   <li>{@code nAll}: the smallest n at which every sampled block of every layer is within eps (the
 *       1 - eps corollary's regime, as far as a sample can tell).
 * </ul>
 *
 * <p>Bounds, as functions of gamma (n real, k = gamma * n):
 *
 * <ul>
 *   <li>sufficient: the smallest n with n &gt;= C log2(max(1, k) / eps) / H2(gamma), for C = 1 and
 *       for the fitted C = max over the measured points of n99 H2(gamma) / log2(k / eps) (the
 *       smallest C for which the bound holds at every measured point);
 *   <li>information floor: the smallest n with C(n, k) &gt;= R / (2 eps), R = max - min of the
 *       target's weights and biases (log-Gamma for real n);
 *   <li>lower bound (shape only): random-network parameters P with P &gt;= (P_target / 2)
 *       log2(gamma P / eps) / H2(gamma), i.e. the documented (d^2 / 2) log2(k / eps) / H2(k / n)
 *       with d^2 the target's parameter count and k the kept parameter count gamma P.
 * </ul>
 *
 * <p>Overparameterization is the random network's parameter count over the target's; with pool =
 * poolFactor * n it is linear in n, and the bound curves in n are mapped through the same line.
 */
public final class Overparam {

    /**
     * The settings.
     *
     * @param densities block densities k / n, each in (0, 1)
     * @param eps per-weight tolerances, each positive
     * @param blocksPerLayer sampled blocks per target layer
     * @param quantile the wanted fraction of blocks within eps, in (0, 1]
     * @param poolFactor pool = poolFactor * n units per input (3: the pruner's default)
     * @param distribution the random network's weights
     * @param nonNegativeInput whether the target's inputs are non-negative (only positive units in
     *     the first layer)
     * @param seed the random network's seed
     * @param maxN the largest n tried (at most 64)
     * @param threads solver threads
     */
    public record Config(
            List<Double> densities,
            List<Double> eps,
            int blocksPerLayer,
            double quantile,
            int poolFactor,
            WeightDistribution distribution,
            boolean nonNegativeInput,
            long seed,
            int maxN,
            int threads) {
        /**
         * Checks the settings.
         *
         * @param densities block densities k / n, each in (0, 1)
         * @param eps per-weight tolerances, each positive
         * @param blocksPerLayer sampled blocks per target layer
         * @param quantile the wanted fraction of blocks within eps, in (0, 1]
         * @param poolFactor pool = poolFactor * n units per input (3: the pruner's default)
         * @param distribution the random network's weights
         * @param nonNegativeInput whether the target's inputs are non-negative (only positive units
         *     in the first layer)
         * @param seed the random network's seed
         * @param maxN the largest n tried (at most 64)
         * @param threads solver threads
         */
        public Config {
            if (densities.isEmpty()) {
                throw new InputException("--densities: give at least one density");
            }
            for (double d : densities) {
                if (!(d > 0 && d < 1)) {
                    throw new InputException(
                            "--densities: every density must be in (0, 1), found " + d);
                }
            }
            if (eps.isEmpty()) {
                throw new InputException("--eps: give at least one eps");
            }
            for (double e : eps) {
                if (!(e > 0) || Double.isInfinite(e)) {
                    throw new InputException("--eps: must be a positive number, found " + e);
                }
            }
            if (blocksPerLayer < 1) {
                throw new InputException("--blocks: must be at least 1, found " + blocksPerLayer);
            }
            if (!(quantile > 0 && quantile <= 1)) {
                throw new InputException("--quantile: must be in (0, 1], found " + quantile);
            }
            if (poolFactor < 1 || poolFactor > 16) {
                throw new InputException("--pool-factor: must be in [1, 16], found " + poolFactor);
            }
            if (maxN < 2 || maxN > PruneConfig.MAX_N) {
                throw new InputException(
                        "--max-n: must be in [2, " + PruneConfig.MAX_N + "], found " + maxN);
            }
            if (threads < 1) {
                throw new InputException("--threads: must be at least 1, found " + threads);
            }
            densities =
                    densities.stream()
                            .sorted(java.util.Comparator.reverseOrder())
                            .distinct()
                            .toList();
            eps = eps.stream().sorted(java.util.Comparator.reverseOrder()).distinct().toList();
        }
    }

    /**
     * One layer at one (density, n, eps): how many of its sampled blocks are within eps.
     *
     * @param density gamma
     * @param eps the tolerance
     * @param n block size
     * @param k kept per block
     * @param layer target layer, from 0
     * @param sampled sampled blocks
     * @param blocks all blocks of the layer
     * @param within sampled blocks with error at most eps
     * @param fraction within / sampled
     * @param lo Wilson 95% lower end
     * @param hi Wilson 95% upper end
     * @param medianError median best error of the sampled blocks
     * @param seconds solve time of this layer at this n
     */
    public record Trial(
            double density,
            double eps,
            int n,
            int k,
            int layer,
            int sampled,
            long blocks,
            int within,
            double fraction,
            double lo,
            double hi,
            double medianError,
            double seconds) {}

    /**
     * The measured and theoretical sizes for one (density, eps).
     *
     * @param density gamma
     * @param eps the tolerance
     * @param n99 smallest n with every layer's fraction within eps at least the quantile; -1 if
     *     none
     * @param k99 gamma * n99
     * @param worstFraction the smallest layer fraction at n99
     * @param worstLo its Wilson 95% lower end
     * @param worstHi its upper end
     * @param nAll smallest n with every sampled block within eps; -1 if none
     * @param lastN the largest n tried (the search's reach)
     * @param overparam99 random / target parameters at n99
     * @param overparamAll random / target parameters at nAll
     * @param widthFactor99 per layer, hidden units of the pair over the target layer's input width,
     *     at n99
     * @param cImplied n99 H2(gamma) / log2(k99 / eps)
     * @param cImpliedAll the same at nAll
     * @param nSufficientC1 the sufficient bound's n with C = 1 (real)
     * @param nFloor the information floor's n (real)
     * @param nBelow99 the largest n tried below n99 (it missed the quantile), -1 if n99 is the
     *     first n tried or was not reached: the smallest n that reaches eps lies in (nBelow99, n99]
     * @param cImpliedBelow C implied at nBelow99, so the point's C lies in (cImpliedBelow,
     *     cImplied] (NaN without nBelow99)
     */
    public record Point(
            double density,
            double eps,
            int n99,
            int k99,
            double worstFraction,
            double worstLo,
            double worstHi,
            int nAll,
            int lastN,
            double overparam99,
            double overparamAll,
            double[] widthFactor99,
            double cImplied,
            double cImpliedAll,
            double nSufficientC1,
            double nFloor,
            int nBelow99,
            double cImpliedBelow) {}

    /**
     * Everything one run measured.
     *
     * @param config the settings
     * @param target the target's description
     * @param targetParams the target's parameter count
     * @param paramsPerPool random-network parameters per unit of pool size (P = this * pool)
     * @param range R, max - min of the target's weights and biases
     * @param sampled sampled blocks per layer
     * @param layerBlocks all blocks per layer
     * @param trials every (density, n, eps, layer) tried
     * @param points one per (density, eps)
     * @param cFit the fitted constant: max of cImplied over the points that have n99
     * @param seconds wall time
     */
    public record Result(
            Config config,
            String target,
            long targetParams,
            long paramsPerPool,
            double range,
            int[] sampled,
            long[] layerBlocks,
            List<Trial> trials,
            List<Point> points,
            double cFit,
            double seconds) {

        /**
         * Returns the overparameterization at a (real) block size n.
         *
         * @param n the block size
         * @return random parameters over target parameters with pool = poolFactor * n
         */
        public double overparamAt(double n) {
            return (double) paramsPerPool * config.poolFactor() * n / targetParams;
        }
    }

    private Overparam() {}

    /**
     * Runs the search on a target (an MLP or a CNN): the prunable layers are its conv and dense
     * layers, in order, and the blocks are {@link PairPruner}'s ({@link PairPruner#block}).
     *
     * @param target the target network
     * @param description a label for it (e.g. the model directory)
     * @param c the settings
     * @return the measurements and bounds
     */
    public static Result run(TargetNetwork target, String description, Config c) {
        return run(new Subject(target, c), description, c);
    }

    /** Builds blocks at one (density, n). */
    private interface Blocks {
        float block(int l, long id, double[] candidates, int offset);
    }

    /** What the search needs of a target: its prunable layers and, per (density, n), its blocks. */
    private static final class Subject {
        private final TargetNetwork target;
        private final Config c;
        private final PairPruner probe;
        private final RandomNetwork probeNet;

        Subject(TargetNetwork target, Config c) {
            this.target = target;
            this.c = c;
            this.probe = pruner(c, 0.5, 2, c.eps().get(c.eps().size() - 1));
            this.probeNet = new RandomNetwork(target.architecture(), 1, c.distribution(), c.seed());
        }

        /** Returns the prunable (target) layers. */
        int layers() {
            return target.parametricCount();
        }

        /** Returns the random-network parameters per unit of pool size. */
        long paramsPerPool() {
            return probeNet.parameterCount();
        }

        /** Returns the target's parameters. */
        long targetParams() {
            return target.parameterCount();
        }

        /** Returns max - min of the target's weights and biases. */
        double range() {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < target.parametricCount(); p++) {
                for (float w : target.weights(p)) {
                    lo = Math.min(lo, w);
                    hi = Math.max(hi, w);
                }
                float[] bias = target.biases(p);
                if (bias != null) {
                    for (float b : bias) {
                        lo = Math.min(lo, b);
                        hi = Math.max(hi, b);
                    }
                }
            }
            return hi - lo;
        }

        /** Returns layer l's blocks (independent of n). */
        long blockCount(int l) {
            return probe.blockCount(probeNet, l);
        }

        /**
         * Returns layer l's pools over target inputs (hidden units per input, per unit of pool).
         */
        double poolsPerInput(int l) {
            return (double) probeNet.pools(l) / probeNet.in(l);
        }

        /** Returns the block builder of the pruner at (gamma, n). */
        Blocks at(double gamma, int n, double eps) {
            PairPruner pr = pruner(c, gamma, n, eps);
            RandomNetwork net = pr.randomNetworkFor(target);
            return (l, id, cand, off) -> pr.block(target, net, l, id, cand, off);
        }
    }

    private static Result run(Subject target, String description, Config c) {
        long start = System.nanoTime();
        RfssSolver solver = new MeetInTheMiddleSolver(c.threads());
        double epsMin = c.eps().get(c.eps().size() - 1);
        int layers = target.layers();
        long paramsPerPool = target.paramsPerPool();
        long[] layerBlocks = new long[layers];
        int[][] sample = new int[layers][];
        for (int l = 0; l < layers; l++) {
            layerBlocks[l] = target.blockCount(l);
            sample[l] = sample(layerBlocks[l], c.blocksPerLayer(), c.seed(), l);
        }
        double range = target.range();
        List<Trial> trials = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        for (double gamma : c.densities()) {
            int ne = c.eps().size();
            int[] n99 = new int[ne];
            int[] nAll = new int[ne];
            double[][] worst = new double[ne][];
            Arrays.fill(n99, -1);
            Arrays.fill(nAll, -1);
            int lastN = 0;
            List<Integer> tried = new ArrayList<>();
            for (int n = 1; n <= c.maxN(); n++) {
                int k = (int) Math.round(gamma * n);
                if (k < 1 || k >= n || Math.abs(gamma * n - k) > 1e-9) {
                    continue;
                }
                if (!MeetInTheMiddleSolver.fits(n, k)) {
                    break;
                }
                lastN = n;
                tried.add(n);
                Blocks pr = target.at(gamma, n, epsMin);
                boolean[] pass = new boolean[ne];
                boolean[] clean = new boolean[ne];
                Arrays.fill(pass, true);
                Arrays.fill(clean, true);
                double[][] worstHere = new double[ne][];
                for (int l = 0; l < layers; l++) {
                    long t0 = System.nanoTime();
                    int[] ids = sample[l];
                    double[] cand = new double[ids.length * n];
                    double[] tg = new double[ids.length];
                    for (int b = 0; b < ids.length; b++) {
                        tg[b] = pr.block(l, ids[b], cand, b * n);
                    }
                    RfssSolution sol = solver.solve(RfssBatch.of(cand, tg, n, k), epsMin);
                    double[] err = sol.errors();
                    double secs = (System.nanoTime() - t0) / 1e9;
                    double[] sorted = err.clone();
                    Arrays.sort(sorted);
                    double median = sorted[sorted.length / 2];
                    for (int e = 0; e < ne; e++) {
                        double eps = c.eps().get(e);
                        int within = 0;
                        for (double x : err) {
                            if (x <= eps) {
                                within++;
                            }
                        }
                        double frac = (double) within / ids.length;
                        double[] ci = Stats.wilson(within, ids.length, 1.959963984540054);
                        trials.add(
                                new Trial(
                                        gamma,
                                        eps,
                                        n,
                                        k,
                                        l,
                                        ids.length,
                                        layerBlocks[l],
                                        within,
                                        frac,
                                        ci[0],
                                        ci[1],
                                        median,
                                        secs));
                        if (frac < c.quantile()) {
                            pass[e] = false;
                        }
                        if (within < ids.length) {
                            clean[e] = false;
                        }
                        if (worstHere[e] == null || frac < worstHere[e][0]) {
                            worstHere[e] = new double[] {frac, ci[0], ci[1]};
                        }
                    }
                }
                boolean done = true;
                for (int e = 0; e < ne; e++) {
                    if (n99[e] < 0 && pass[e]) {
                        n99[e] = n;
                        worst[e] = worstHere[e];
                    }
                    if (nAll[e] < 0 && clean[e]) {
                        nAll[e] = n;
                    }
                    done &= n99[e] >= 0 && nAll[e] >= 0;
                }
                if (done) {
                    break;
                }
            }
            for (int e = 0; e < ne; e++) {
                double eps = c.eps().get(e);
                double h = org.sltk.rfss.RfssTheory.binaryEntropy(gamma);
                int k99 = n99[e] > 0 ? (int) Math.round(gamma * n99[e]) : -1;
                int kAll = nAll[e] > 0 ? (int) Math.round(gamma * nAll[e]) : -1;
                double[] wf = new double[layers];
                for (int l = 0; l < layers; l++) {
                    wf[l] =
                            n99[e] > 0
                                    ? target.poolsPerInput(l) * c.poolFactor() * n99[e]
                                    : Double.NaN;
                }
                double ov99 =
                        n99[e] > 0
                                ? (double) paramsPerPool
                                        * c.poolFactor()
                                        * n99[e]
                                        / target.targetParams()
                                : Double.NaN;
                double ovAll =
                        nAll[e] > 0
                                ? (double) paramsPerPool
                                        * c.poolFactor()
                                        * nAll[e]
                                        / target.targetParams()
                                : Double.NaN;
                int below = -1;
                for (int n : tried) {
                    if (n99[e] > 0 && n < n99[e]) {
                        below = n;
                    }
                }
                points.add(
                        new Point(
                                gamma,
                                eps,
                                n99[e],
                                k99,
                                worst[e] == null ? Double.NaN : worst[e][0],
                                worst[e] == null ? Double.NaN : worst[e][1],
                                worst[e] == null ? Double.NaN : worst[e][2],
                                nAll[e],
                                lastN,
                                ov99,
                                ovAll,
                                wf,
                                n99[e] > 0 ? implied(n99[e], k99, gamma, eps) : Double.NaN,
                                nAll[e] > 0 ? implied(nAll[e], kAll, gamma, eps) : Double.NaN,
                                sufficientN(gamma, eps, 1),
                                floorN(gamma, eps, range),
                                below,
                                below > 0
                                        ? implied(
                                                below, (int) Math.round(gamma * below), gamma, eps)
                                        : Double.NaN));
                assert h > 0;
            }
        }
        double cFit =
                points.stream()
                        .mapToDouble(Point::cImplied)
                        .filter(x -> !Double.isNaN(x))
                        .max()
                        .orElse(Double.NaN);
        return new Result(
                c,
                description,
                target.targetParams(),
                paramsPerPool,
                range,
                Arrays.stream(sample).mapToInt(s -> s.length).toArray(),
                layerBlocks,
                List.copyOf(trials),
                List.copyOf(points),
                cFit,
                (System.nanoTime() - start) / 1e9);
    }

    private static PairPruner pruner(Config c, double gamma, int n, double eps) {
        int k = (int) Math.round(gamma * n);
        PruneConfig pc =
                new PruneConfig(
                        (double) k / n,
                        n,
                        k,
                        c.poolFactor() * n,
                        eps,
                        c.seed(),
                        c.distribution(),
                        c.nonNegativeInput(),
                        false);
        return new PairPruner(pc, new MeetInTheMiddleSolver(c.threads()));
    }

    /**
     * Returns the constant C that makes the sufficient bound an equality at a measured point.
     *
     * @param n the measured n
     * @param k gamma * n
     * @param gamma the density
     * @param eps the tolerance
     * @return n H2(gamma) / log2(max(1, k) / eps)
     */
    public static double implied(int n, int k, double gamma, double eps) {
        return n * org.sltk.rfss.RfssTheory.binaryEntropy(gamma) / Stats.log2(Math.max(1, k) / eps);
    }

    /**
     * Returns the smallest real n with n &gt;= C log2(max(1, gamma n) / eps) / H2(gamma) (fixed
     * point iteration; the right side grows like log n).
     *
     * @param gamma the density in (0, 1)
     * @param eps the tolerance
     * @param constant C
     * @return n
     */
    public static double sufficientN(double gamma, double eps, double constant) {
        double h = org.sltk.rfss.RfssTheory.binaryEntropy(gamma);
        double n = constant * Stats.log2(1 / eps) / h;
        for (int i = 0; i < 200; i++) {
            double next = constant * Stats.log2(Math.max(1, gamma * n) / eps) / h;
            if (Math.abs(next - n) < 1e-12 * n) {
                return next;
            }
            n = next;
        }
        return n;
    }

    /**
     * Returns the smallest real n &gt;= 1 / gamma with C(n, gamma n) &gt;= range / (2 eps), by
     * bisection on the log-Gamma form.
     *
     * @param gamma the density in (0, 1)
     * @param eps the tolerance
     * @param range R
     * @return n
     */
    public static double floorN(double gamma, double eps, double range) {
        double need = Stats.log2(range / (2 * eps));
        double lo = 1 / gamma;
        if (Stats.log2Binomial(lo, gamma * lo) >= need) {
            return lo;
        }
        double hi = lo;
        while (Stats.log2Binomial(hi, gamma * hi) < need) {
            hi *= 2;
        }
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (Stats.log2Binomial(mid, gamma * mid) >= need) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    /**
     * Returns the lower bound's overparameterization (shape only): the L = P / P_target solving L =
     * (1/2) log2(gamma L P_target / eps) / H2(gamma).
     *
     * @param gamma the density in (0, 1)
     * @param eps the tolerance
     * @param targetParams P_target
     * @return L
     */
    public static double lowerBoundOverparam(double gamma, double eps, long targetParams) {
        double h = org.sltk.rfss.RfssTheory.binaryEntropy(gamma);
        double x = 1;
        for (int i = 0; i < 200; i++) {
            double next = 0.5 * Stats.log2(Math.max(1, gamma * x * targetParams) / eps) / h;
            if (Math.abs(next - x) < 1e-12 * x) {
                return next;
            }
            x = next;
        }
        return x;
    }

    /** Samples {@code want} distinct block ids of [0, total) (all of them if fewer), sorted. */
    static int[] sample(long total, int want, long seed, int layer) {
        if (total > Integer.MAX_VALUE) {
            throw new InputException("a layer with " + total + " blocks is too large to sample");
        }
        int t = (int) total;
        if (want >= t) {
            int[] all = new int[t];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] ids = new int[t];
        Arrays.setAll(ids, i -> i);
        CounterRandom rng = new CounterRandom(seed);
        long stream = 0x5A3B1EL + layer;
        for (int i = 0; i < want; i++) {
            int j = i + rng.nextInt(stream, i, t - i);
            int tmp = ids[i];
            ids[i] = ids[j];
            ids[j] = tmp;
        }
        int[] s = Arrays.copyOf(ids, want);
        Arrays.sort(s);
        return s;
    }
}
