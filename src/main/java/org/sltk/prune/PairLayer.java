package org.sltk.prune;

import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;

/**
 * One pair of a random network as the pruner sees it: {@code in} target inputs (the patch entries
 * of a conv layer, the inputs of a dense one) each with a pool of {@code pool} hidden units (plus a
 * bias pool), {@code out} outputs, the kept first-layer weight of every unit, the second-layer
 * weights, and the target weights the blocks approximate: the view of {@link RandomNetwork}'s pair
 * p that the pruning, the block check and the effective weights share.
 */
interface PairLayer {

    /**
     * @return target inputs (patch length)
     */
    int in();

    /**
     * @return outputs
     */
    int out();

    /**
     * @return pools: in, plus one for biases
     */
    int pools();

    /**
     * @return units per pool
     */
    int pool();

    /**
     * @return hidden units of the pair
     */
    int units();

    /**
     * @param u unit @return its kept first-layer weight
     */
    float poolWeight(int u);

    /**
     * @param i output @param u unit @return the second-layer weight
     */
    float secondWeight(int i, int u);

    /**
     * @return first-layer parameters (weights and biases)
     */
    long firstLayerParameters();

    /**
     * @param i output @param j input, or {@code in()} for the bias @return the target weight
     */
    float target(int i, int j);

    /** Pair p of a random network; target may be null when only the structure is needed. */
    static PairLayer of(RandomNetwork net, int p, TargetNetwork target) {
        return new PairLayer() {
            public int in() {
                return net.in(p);
            }

            public int out() {
                return net.out(p);
            }

            public int pools() {
                return net.pools(p);
            }

            public int pool() {
                return net.pool();
            }

            public int units() {
                return net.units(p);
            }

            public float poolWeight(int u) {
                return net.poolWeight(p, u);
            }

            public float secondWeight(int i, int u) {
                return net.secondWeight(p, i, u);
            }

            public long firstLayerParameters() {
                return net.firstLayerParameters(p);
            }

            public float target(int i, int j) {
                return j < net.in(p) ? target.weight(p, i, j) : target.bias(p, i);
            }
        };
    }
}
