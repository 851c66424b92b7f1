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

    /** Returns the masks' digest. @return the SHA-256 */
    public String digest() {
        return ticket.digest();
    }


    /** Returns the kept parameters over all layers. @return the count */
    public long kept() {
        return layers.stream().mapToLong(s -> s.keptFirst() + s.keptSecond()).sum();
    }

    /** Returns the parameters of the whole random network. @return the count */
    public long total() {
        return ticket.random().parameterCount();
    }

    /** Returns the overall density of the ticket in the random network. @return kept / total */
    public double density() {
        return (double) kept() / total();
    }
}
