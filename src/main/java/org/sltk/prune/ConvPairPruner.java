package org.sltk.prune;

import java.util.ArrayList;
import java.util.List;
import org.sltk.nn.ConvMaskedNetwork;
import org.sltk.nn.ConvRandomNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.SequentialTarget;
import org.sltk.rfss.RfssSolver;

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
     */
    public ConvRandomNetwork randomNetworkFor(SequentialTarget target) {
        return new ConvRandomNetwork(target.spec(), config.pool(), config.distribution(), config.seed());
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
            boolean signed = !target.spec().nonNegativeInputOf(p, config.nonNegativeInput());
            PairPruner.LayerResult r = pairs.pruneLayer(PairLayer.conv(net, p, target), p, signed);
            masks.add(r.mask);
            stats.add(r.stats);
        }
        return new ConvPruneResult(config, new ConvMaskedNetwork(net, masks), stats, (System.nanoTime() - start) / 1e9);
    }
}
