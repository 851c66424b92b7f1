package org.sltk.prune;

import java.util.List;
import org.sltk.nn.MaskedNetwork;

/**
 * The outcome of a pruning run: the ticket (random network plus masks), the settings, and the
 * per-layer statistics.
 *
 * @param config the settings
 * @param ticket the pruned subnetwork
 * @param layers per-layer statistics
 * @param seconds wall time of the whole run
 */
public record PruneResult(PruneConfig config, MaskedNetwork ticket, List<LayerStats> layers, double seconds)
{

    /** {@return the masks' digest, the SHA-256} */
    public String digest() {
        return ticket.digest();
    }


    /** {@return the kept parameters over all layers} */
    public long kept() {
        return layers.stream().mapToLong(s -> s.keptFirst() + s.keptSecond()).sum();
    }

    /** {@return the parameters of the whole random network} */
    public long total() {
        return ticket.random().parameterCount();
    }

    /** {@return the overall density of the ticket in the random network, kept / total} */
    public double density() {
        return (double) kept() / total();
    }
}
