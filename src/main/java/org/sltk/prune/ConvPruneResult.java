package org.sltk.prune;

import java.util.List;
import org.sltk.nn.ConvMaskedNetwork;

/**
 * The outcome of pruning for a sequential (conv) target.
 *
 * @param config the settings
 * @param ticket the pruned subnetwork
 * @param layers per-pair statistics (in = c_in * r * r, out = c_out for a conv layer)
 * @param seconds wall time of the whole run
 */
public record ConvPruneResult(PruneConfig config, ConvMaskedNetwork ticket, List<LayerStats> layers, double seconds)
        implements PruneSummary {

    @Override
    public long kept() {
        return layers.stream().mapToLong(s -> s.keptFirst() + s.keptSecond()).sum();
    }

    @Override
    public long total() {
        return ticket.random().parameterCount();
    }

    @Override
    public String digest() {
        return ticket.digest();
    }
}
