package org.sltk.prune;

import java.util.ArrayList;
import java.util.List;
import org.sltk.nn.ConvMaskedNetwork;
import org.sltk.nn.ConvRandomNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.SequentialTarget;
import org.sltk.rfss.RfssSolver;
import org.sltk.util.InputException;

/**
 * Prunes a {@link ConvRandomNetwork} into a ticket approximating a {@link SequentialTarget}
 * (theory.md section 4): a conv layer is a dense layer on its im2col patches, so every target
 * kernel weight K[o, i, dy, dx] (and bias) and needed sign gets one RFSS block of exactly k of n
 * candidates a * b, the a's from the first n channels of the pool of patch entry (i, dy, dx) with
 * that sign. Dense layers are the r = 1 case and are pruned exactly as {@link PairPruner} does.
 * A pair needs both signs only where its inputs may be negative: the first pair for signed data,
 * a later pair when no ReLU lies between it and the previous conv or dense layer.
 */
public final class ConvPairPruner {

    private final PruneConfig config;
    private final PairPruner pairs;

    /**
     * Creates a pruner.
     *
     * @param config the settings
     * @param solver the RFSS solver
     */
    public ConvPairPruner(PruneConfig config, RfssSolver solver) {
        this.config = config;
        this.pairs = new PairPruner(config, solver);
    }

    /**
     * Returns the random network for a target.
     *
     * @param target the target
     * @return the random network
     * @throws InputException naming {@code --pool} when a pair would have more hidden units than
     *     an int (and a Java array) holds
     */
    public ConvRandomNetwork randomNetworkFor(SequentialTarget target) {
        ConvRandomNetwork net = new ConvRandomNetwork(target.spec(), config.pool(), config.distribution(), config.seed());
        for (int p = 0; p < net.pairs(); p++) {
            long units = (long) net.pools(p) * net.pool();
            if (units > Integer.MAX_VALUE - 8) {
                throw new InputException("--pool " + net.pool() + ": pair " + (p + 1) + " would have " + units
                        + " hidden units, more than " + (Integer.MAX_VALUE - 8) + "; lower --pool");
            }
        }
        return net;
    }

    /**
     * Returns the number of RFSS blocks of pair {@code p} (conv or dense layer p of the target),
     * numbered as {@link #prune} solves them (public hook for measurements such as
     * {@code org.sltk.theory.Overparam}, the conv counterpart of {@link PairPruner#blockCount}):
     * first the positive side, block {@code i * pools + j} for output channel i and pool j (patch
     * entry j = c * r * r + dy * r + dx, pool {@code in(p)} the bias), then, where the pair's
     * inputs may be negative, the negative side, block {@code out * pools + i * in + j}.
     *
     * @param net the random network ({@link #randomNetworkFor})
     * @param p the pair
     * @return the block count
     */
    public long blockCount(ConvRandomNetwork net, int p) {
        return PairPruner.blockCount(PairLayer.conv(net, p, null), signed(net, p));
    }

    /**
     * Builds one block exactly as {@link #prune} does (public hook for measurements; the same code
     * as {@link PairPruner#block}): its n candidates a_u * b_iu over the first n units of the
     * block's pool with its sign, padded with a value no optimal subset uses, and returns its
     * target, the kernel weight K[i, j] or the bias b_i.
     *
     * @param target the target
     * @param net the random network ({@link #randomNetworkFor})
     * @param p the pair
     * @param block the block number, see {@link #blockCount}
     * @param candidates receives the n candidates at {@code offset}
     * @param offset where to write them
     * @return the block's target value
     */
    public float block(SequentialTarget target, ConvRandomNetwork net, int p, long block, double[] candidates, int offset) {
        return pairs.block(PairLayer.conv(net, p, target), p, signed(net, p), block, candidates, offset);
    }

    private boolean signed(ConvRandomNetwork net, int p) {
        return !net.spec().nonNegativeInputOf(p, config.nonNegativeInput());
    }

    /**
     * Prunes the random network for the target.
     *
     * @param target the target
     * @return the ticket and its statistics
     */
    public ConvPruneResult prune(SequentialTarget target) {
        long start = System.nanoTime();
        ConvRandomNetwork net = randomNetworkFor(target);
        List<PairMask> masks = new ArrayList<>();
        List<LayerStats> stats = new ArrayList<>();
        for (int p = 0; p < net.pairs(); p++) {
            PairPruner.LayerResult r = pairs.pruneLayer(PairLayer.conv(net, p, target), p, signed(net, p));
            masks.add(r.mask);
            stats.add(r.stats);
        }
        return new ConvPruneResult(config, new ConvMaskedNetwork(net, masks), stats, (System.nanoTime() - start) / 1e9);
    }
}
