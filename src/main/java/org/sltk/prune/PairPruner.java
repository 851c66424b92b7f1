package org.sltk.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssSolution;
import org.sltk.rfss.RfssSolver;
import org.sltk.rfss.RfssSolvers;
import org.sltk.rfss.RfssTheory;
import org.sltk.util.InputException;
import org.sltk.util.Progress;

/**
 * Prunes a random network into a ticket that approximates a target of any {@link
 * org.sltk.nn.Architecture} (the pair construction of Pensia et al. with the fixed block size of
 * Natale et al.; for conv layers da Cunha et al.'s, theory.md section 4: a conv layer is a dense
 * layer on its im2col patches).
 *
 * <p>For conv or dense layer p and every target weight w_ij (j a patch entry; and bias b_i, through
 * the constant-input pool) one RFSS instance per needed sign: its n candidates are the products a_u
 * * b_iu of the first n units u of pool j whose kept weight a_u has that sign, each computed in
 * double from the two float32 weights (exact), and the solver keeps exactly k. Units with a &gt; 0
 * fire for non-negative inputs, units with a &lt; 0 for negative ones; where a layer's inputs are
 * non-negative (pixels in [0, 1], any layer after a ReLU) the negative half is never active and is
 * pruned whole. All instances of a layer are solved as one batch (in chunks, for the progress bar).
 *
 * <pre>{@code
 * PruneResult r = new PairPruner(config, solver).prune(target);
 * r.ticket().digest();   // same seed, same masks, on every machine
 * }</pre>
 */
public final class PairPruner {

    /** Candidate value that stands for "no unit": never part of an optimal subset. */
    static final double PADDING = 1e6;

    private static final int CHUNK = 1 << 15;

    /**
     * A layer is refused when more than this fraction of its blocks have a target larger in
     * magnitude than any k of their products reach: then the target's scale, not a block's bad luck
     * (n small products), is the cause. Fewer such blocks are counted as misses.
     */
    static final double BEYOND_REACH_FRACTION = 0.01;

    private final PruneConfig config;
    private final RfssSolver solver;

    /**
     * Creates a pruner, checking before any work that the solver handles the configuration's blocks
     * ({@link RfssSolver#supports}).
     *
     * @param config the settings
     * @param solver the RFSS solver for the blocks
     * @throws InputException naming the setting that decided the block size ({@code n}, or {@code
     *     eps} or {@code density} when n was chosen from them) and the fix, when the blocks are
     *     beyond the solver's reach
     */
    public PairPruner(PruneConfig config, RfssSolver solver) {
        checkReach(config, solver);
        this.config = config;
        this.solver = solver;
    }

    /**
     * Refuses a configuration whose blocks (n, k) are beyond a solver's reach, in one line that
     * names the setting and the fix.
     *
     * @param c the settings
     * @param solver the solver
     * @throws InputException when {@code solver.supports(c.n(), c.k())} is false
     */
    static void checkReach(PruneConfig c, RfssSolver solver) {
        int n = c.n();
        int k = c.k();
        if (solver.supports(n, k)) {
            return;
        }
        String beyond =
                "beyond the " + RfssSolvers.describe(solver) + "'s reach (" + solver.reach() + ")";
        List<String> fixes = new ArrayList<>();
        // n was chosen from eps unless the smallest default n (eps not binding) is the one chosen
        boolean byEps = c.nChosen() && n != RfssTheory.defaultN(c.density(), Double.MAX_VALUE);
        if (byEps) {
            fixes.add("a larger {eps}");
        }
        int largest = 0;
        for (int m = 1; m <= PruneConfig.MAX_N; m++) {
            int km = RfssTheory.kFor(c.density(), m);
            if (km >= 1
                    && km <= m
                    && RfssTheory.exactDensity(c.density(), m)
                    && solver.supports(m, km)) {
                largest = m;
            }
        }
        if (largest > 0) {
            fixes.add("{n} <= " + largest);
        }
        fixes.add("{solver} " + RfssSolvers.alternative(solver, n, k));
        String fix =
                fixes.size() == 1
                        ? fixes.get(0)
                        : String.join(", ", fixes.subList(0, fixes.size() - 1))
                                + (fixes.size() > 2 ? "," : "")
                                + " or "
                                + fixes.get(fixes.size() - 1);
        String blocks = "(n, k) = (" + n + ", " + k + ")";
        if (!c.nChosen()) {
            throw InputException.forField(
                    "n", "{n} " + n + ": blocks of " + blocks + " are " + beyond + "; give " + fix);
        }
        if (byEps) {
            throw InputException.forField(
                    "eps",
                    "{eps} "
                            + PruneConfig.typed(c.eps())
                            + ": at {density} "
                            + PruneConfig.typed(c.density())
                            + " it needs blocks of "
                            + blocks
                            + ", "
                            + beyond
                            + "; give "
                            + fix);
        }
        throw InputException.forField(
                "density",
                "{density} "
                        + PruneConfig.typed(c.density())
                        + ": its smallest default blocks, "
                        + blocks
                        + ", are "
                        + beyond
                        + "; give "
                        + fix);
    }

    /**
     * Returns the random network this pruner uses for a target: the target's architecture, and the
     * pool, distribution and seed of the configuration.
     *
     * @param target the target
     * @return the random network
     */
    public RandomNetwork randomNetworkFor(TargetNetwork target) {
        return new RandomNetwork(
                target.architecture(), config.pool(), config.distribution(), config.seed());
    }

    /**
     * Returns whether pair p's inputs may be negative, so that it needs blocks of both signs: the
     * first pair for signed data, a later pair when no ReLU lies between it and the previous conv
     * or dense layer.
     *
     * @param net the random network
     * @param p the pair
     * @return true when both signs are pruned
     */
    boolean signed(RandomNetwork net, int p) {
        return !net.architecture().nonNegativeInputOf(p, config.nonNegativeInput());
    }

    /**
     * Returns the number of RFSS blocks of pair {@code p} (conv or dense layer p of the target),
     * numbered as {@link #prune} solves them (a public hook for measurements such as {@code
     * org.sltk.theory.Overparam}): first the positive side, block {@code i * pools + j} for output
     * i and pool j (patch entry j = c * r * r + dy * r + dx; pool {@code in(p)} is the bias input),
     * then, where the pair's inputs may be negative, the negative side, block {@code out * pools +
     * i * in + j}.
     *
     * @param net the random network ({@link #randomNetworkFor})
     * @param p the pair
     * @return the block count
     */
    public long blockCount(RandomNetwork net, int p) {
        return blockCount(PairLayer.of(net, p, null), signed(net, p));
    }

    /**
     * Builds one block exactly as {@link #prune} does (public hook for measurements): its n
     * candidates a_u * b_iu over the first n units u of the pool with the block's sign, padded with
     * a large value that no optimal subset uses when the pool holds fewer than n such units, and
     * returns its target, the weight (or kernel weight) w_ij or the bias b_i.
     *
     * @param target the target
     * @param net the random network ({@link #randomNetworkFor})
     * @param p the pair
     * @param block the block number, see {@link #blockCount}
     * @param candidates receives the n candidates at {@code offset}
     * @param offset where to write them
     * @return the block's target value
     */
    public float block(
            TargetNetwork target,
            RandomNetwork net,
            int p,
            long block,
            double[] candidates,
            int offset) {
        return block(PairLayer.of(net, p, target), p, signed(net, p), block, candidates, offset);
    }

    /** Blocks of one pair (dense or conv), numbered as {@link #pruneLayer} solves them. */
    static long blockCount(PairLayer pair, boolean signed) {
        return (long) pair.out() * pair.pools() + (signed ? (long) pair.out() * pair.in() : 0);
    }

    /** Builds block {@code block} of one pair exactly as {@link #pruneLayer} does. */
    float block(
            PairLayer pair, int l, boolean signed, long block, double[] candidates, int offset) {
        long count = blockCount(pair, signed);
        if (block < 0 || block >= count) {
            throw new IndexOutOfBoundsException(
                    "block " + block + " of layer " + l + ", which has " + count);
        }
        long posBlocks = (long) pair.out() * pair.pools();
        boolean positive = block < posBlocks;
        long b = positive ? block : block - posBlocks;
        int per = positive ? pair.pools() : pair.in();
        int i = (int) (b / per);
        int j = (int) (b % per);
        int[] list = poolUnits(pair, j, positive);
        for (int s = 0; s < config.n(); s++) {
            candidates[offset + s] =
                    s < list.length
                            ? candidate(pair.poolWeight(list[s]), pair, i, list[s])
                            : PADDING;
        }
        return pair.target(i, j);
    }

    /** Candidate a_u * b_iu as every block of the pruner computes it: in double, which is exact. */
    private static double candidate(float a, PairLayer net, int i, int u) {
        return (double) a * net.secondWeight(i, u);
    }

    /**
     * Prunes the random network for the target.
     *
     * @param target the target network
     * @return the ticket with its statistics
     */
    public PruneResult prune(TargetNetwork target) {
        long start = System.nanoTime();
        RandomNetwork net = randomNetworkFor(target);
        List<PairMask> masks = new ArrayList<>();
        List<LayerStats> stats = new ArrayList<>();
        for (int p = 0; p < net.pairs(); p++) {
            LayerResult r = pruneLayer(PairLayer.of(net, p, target), p, signed(net, p));
            masks.add(r.mask);
            stats.add(r.stats);
        }
        MaskedNetwork ticket = new MaskedNetwork(net, masks);
        return new PruneResult(
                config, solver.name(), ticket, stats, (System.nanoTime() - start) / 1e9);
    }

    static final class LayerResult {
        final PairMask mask;
        final LayerStats stats;

        LayerResult(PairMask mask, LayerStats stats) {
            this.mask = mask;
            this.stats = stats;
        }
    }

    /** Prunes one pair (dense or conv): one block per target weight (and bias) and needed sign. */
    LayerResult pruneLayer(PairLayer net, int l, boolean signed) {
        int in = net.in();
        int out = net.out();
        int pools = net.pools();
        int n = config.n();
        int k = config.k();
        int[][] pos = new int[pools][];
        int[][] neg = signed ? new int[in][] : null;
        long shortBlocks = 0;
        for (int j = 0; j < pools; j++) {
            pos[j] = poolUnits(net, j, true);
            if (neg != null && j < in) {
                neg[j] = poolUnits(net, j, false);
            }
        }
        for (int j = 0; j < pools; j++) {
            shortBlocks += checkPool(pos[j], l, j, in, "positive") ? (long) out : 0;
            if (neg != null && j < in) {
                shortBlocks += checkPool(neg[j], l, j, in, "negative") ? (long) out : 0;
            }
        }
        int signs = signed ? 2 : 1;
        int perOutput = (pools + (signed ? in : 0)) * k;
        int[] kept = new int[out * perOutput];
        int[] fill = new int[out];
        long blocks = (long) out * pools + (signed ? (long) out * in : 0);
        double[] errors = new double[(int) blocks];
        long[] missUnreach = new long[3];
        double[] beyond = new double[2]; // largest |w| beyond reach, and the reach of that block
        long t0 = System.nanoTime();
        Progress progress =
                Progress.start(
                        "layer " + (l + 1) + " " + in + "->" + out + ": RFSS " + n + "/" + k,
                        blocks);
        int[] errorFill = {0};
        solveSide(
                net,
                pos,
                pools,
                kept,
                fill,
                perOutput,
                errors,
                errorFill,
                missUnreach,
                beyond,
                progress);
        if (signed) {
            solveSide(
                    net,
                    neg,
                    in,
                    kept,
                    fill,
                    perOutput,
                    errors,
                    errorFill,
                    missUnreach,
                    beyond,
                    progress);
        }
        progress.done();
        if (missUnreach[2] > BEYOND_REACH_FRACTION * blocks) {
            throw new InputException(
                    String.format(
                            java.util.Locale.ROOT,
                            "layer %d (%d->%d): %d of %d target weights are larger in magnitude than any %d of their %d"
                                    + " products can reach (largest |w| = %.3g where the reach is %.3g); the target is too large"
                                    + " for this random network: raise --density or --n, or scale the target down (a ReLU"
                                    + " network scaled by c > 0 gives c times the logits and the same predictions)",
                            l + 1,
                            in,
                            out,
                            missUnreach[2],
                            blocks,
                            k,
                            n,
                            beyond[0],
                            beyond[1]));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < out; i++) {
            Arrays.sort(kept, i * perOutput, (i + 1) * perOutput);
        }
        PairMask mask = new PairMask(out, perOutput, kept);
        long keptFirst = mask.usedUnits(net.units()).length;
        double[] sorted = errors.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(errors).sum() / errors.length;
        LayerStats st =
                new LayerStats(
                        l,
                        in,
                        out,
                        signed,
                        blocks,
                        n,
                        k,
                        shortBlocks,
                        missUnreach[0],
                        missUnreach[1],
                        mean,
                        quantile(sorted, 0.5),
                        quantile(sorted, 0.99),
                        sorted[sorted.length - 1],
                        keptFirst,
                        net.firstLayerParameters(),
                        kept.length,
                        (long) out * net.units(),
                        seconds);
        assert signs >= 1;
        return new LayerResult(mask, st);
    }

    /** Solves the blocks of one sign: instance (i, j) for output i and pool j, row-major. */
    private void solveSide(
            PairLayer net,
            int[][] lists,
            int poolCount,
            int[] kept,
            int[] fill,
            int perOutput,
            double[] errors,
            int[] errorFill,
            long[] missUnreach,
            double[] beyond,
            Progress progress) {
        int n = config.n();
        int k = config.k();
        long total = (long) net.out() * poolCount;
        float[] a = new float[net.units()];
        for (int[] list : lists) {
            for (int u : list) {
                a[u] = net.poolWeight(u);
            }
        }
        for (long from = 0; from < total; from += CHUNK) {
            int size = (int) Math.min(CHUNK, total - from);
            double[] cand = new double[size * n];
            double[] targets = new double[size];
            for (int t = 0; t < size; t++) {
                long inst = from + t;
                int i = (int) (inst / poolCount);
                int j = (int) (inst % poolCount);
                int[] list = lists[j];
                for (int s = 0; s < n; s++) {
                    cand[t * n + s] =
                            s < list.length ? candidate(a[list[s]], net, i, list[s]) : PADDING;
                }
                targets[t] = net.target(i, j);
            }
            RfssSolution sol = solver.solve(RfssBatch.of(cand, targets, n, k), config.eps());
            for (int t = 0; t < size; t++) {
                long inst = from + t;
                int i = (int) (inst / poolCount);
                int[] list = lists[(int) (inst % poolCount)];
                int[] chosen = sol.subset(t);
                for (int c : chosen) {
                    if (c >= list.length) {
                        throw new IllegalStateException("solver chose a padding candidate");
                    }
                    kept[i * perOutput + fill[i]++] = list[c];
                }
                double err = sol.error(t);
                errors[errorFill[0]++] = err;
                if (err > config.eps()) {
                    missUnreach[0]++;
                    double reach = reach(cand, t, n, k, targets[t], list.length);
                    if (reach >= 0) {
                        missUnreach[1]++;
                        if (Math.abs(targets[t]) > reach) {
                            missUnreach[2]++;
                            if (Math.abs(targets[t]) > beyond[0]) {
                                beyond[0] = Math.abs(targets[t]);
                                beyond[1] = reach;
                            }
                        }
                    }
                }
            }
            progress.step(size);
        }
    }

    /**
     * Returns -1 when the target lies within [sum of the k smallest, sum of the k largest]
     * candidates, else the largest magnitude any k of them sum to (the target is out of reach: by
     * sign balance when its magnitude is below that, by size when above).
     */
    private static double reach(double[] cand, int t, int n, int k, double target, int real) {
        double[] z = new double[real];
        for (int s = 0; s < real; s++) {
            z[s] = cand[t * n + s];
        }
        Arrays.sort(z);
        double lo = 0;
        double hi = 0;
        for (int s = 0; s < k; s++) {
            lo += z[s];
            hi += z[real - 1 - s];
        }
        return target >= lo && target <= hi ? -1 : Math.max(Math.abs(lo), Math.abs(hi));
    }

    /** The first n units of pool j whose kept weight has the wanted sign, in unit order. */
    private int[] poolUnits(PairLayer net, int j, boolean positive) {
        int n = config.n();
        int[] list = new int[n];
        int count = 0;
        for (int s = 0; s < net.pool() && count < n; s++) {
            int u = j * net.pool() + s;
            float a = net.poolWeight(u);
            if (positive ? a > 0 : a < 0) {
                list[count++] = u;
            }
        }
        return Arrays.copyOf(list, count);
    }

    private boolean checkPool(int[] list, int l, int j, int in, String sign) {
        if (list.length < config.k()) {
            throw new InputException(
                    "--pool "
                            + config.pool()
                            + ": pool of "
                            + (j == in ? "the bias input" : "input " + j)
                            + " in layer "
                            + (l + 1)
                            + " has only "
                            + list.length
                            + " units with "
                            + sign
                            + " weight, fewer than k = "
                            + config.k()
                            + "; raise --pool");
        }
        return list.length < config.n();
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
    }
}
