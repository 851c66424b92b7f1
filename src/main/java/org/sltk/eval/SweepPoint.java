package org.sltk.eval;

/**
 * One density of a sweep: the ticket's size and its evaluation.
 *
 * @param density the block density k / n
 * @param n candidates per block
 * @param k kept per block
 * @param overallDensity kept parameters over the random network's parameters
 * @param report the evaluation
 * @param pruneSeconds wall time of the pruning
 */
public record SweepPoint(
        double density,
        int n,
        int k,
        double overallDensity,
        EvalReport report,
        double pruneSeconds) {}
