package org.sltk.prune;

import java.util.List;

/** What reports need of a pruning run, dense ({@link PruneResult}) or conv ({@link ConvPruneResult}). */
public interface PruneSummary {

    /** @return the settings */
    PruneConfig config();

    /** @return per-layer statistics */
    List<LayerStats> layers();

    /** @return wall time of the run */
    double seconds();

    /** @return kept parameters over all layers */
    long kept();

    /** @return parameters of the whole random network */
    long total();

    /** @return the SHA-256 of the masks */
    String digest();

    /** @return overall density kept / total */
    default double density() {
        return (double) kept() / total();
    }
}
