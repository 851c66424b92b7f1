package org.sltk.prune;

/**
 * What pruning did to one target layer (one pair of the random network): block counts, exact kept
 * counts and densities, and the per-weight error of the effective weights.
 *
 * @param layer the target layer, from 0
 * @param in target fan-in d_{l}
 * @param out target fan-out d_{l+1}
 * @param signed whether both signs were approximated (inputs may be negative)
 * @param blocks RFSS instances solved (target weights and biases, times signs)
 * @param n candidates per block
 * @param k kept per block
 * @param shortBlocks blocks whose pool held fewer than n units of the needed sign (padded)
 * @param misses blocks whose error exceeds eps
 * @param unreachable blocks whose target lies outside the range k of its candidates can reach
 * @param meanError mean per-weight error
 * @param medianError median per-weight error
 * @param p99Error 99th percentile of the per-weight error
 * @param maxError largest per-weight error
 * @param keptFirst kept parameters of the pair's first layer (weights and biases)
 * @param totalFirst parameters of the pair's first layer
 * @param keptSecond kept weights of the pair's second layer
 * @param totalSecond weights of the pair's second layer
 * @param solveSeconds wall time of the RFSS searches of this layer
 */
public record LayerStats(
        int layer,
        int in,
        int out,
        boolean signed,
        long blocks,
        int n,
        int k,
        long shortBlocks,
        long misses,
        long unreachable,
        double meanError,
        double medianError,
        double p99Error,
        double maxError,
        long keptFirst,
        long totalFirst,
        long keptSecond,
        long totalSecond,
        double solveSeconds) {

    /** {@return the density of the pair's first layer, kept / total} */
    public double densityFirst() {
        return (double) keptFirst / totalFirst;
    }

    /** {@return the density of the pair's second layer, kept / total} */
    public double densitySecond() {
        return (double) keptSecond / totalSecond;
    }

    /** {@return the density inside every block, k / n} */
    public double blockDensity() {
        return (double) k / n;
    }
}
