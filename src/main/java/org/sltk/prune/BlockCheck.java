package org.sltk.prune;

import java.util.ArrayList;
import java.util.List;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;

/**
 * Checks the structure of a ticket against the pair construction, block by block: for every output
 * and every pool, exactly k kept units of each needed sign, none of a sign the layer does not need,
 * and every kept unit among the first n of its pool with that sign. The checks recount from the
 * random network's weights, not from what the pruner reported.
 */
public final class BlockCheck {

    private BlockCheck() {}

    /**
     * Returns the violations found, at most {@code limit} of them (empty when the ticket is sound):
     * per output and pool of every pair, exactly k kept units of each needed sign among the first n
     * of that sign.
     *
     * @param ticket the ticket
     * @param n candidates per block
     * @param k kept per block
     * @param nonNegativeInput whether the first pair was pruned for non-negative inputs only
     * @param limit the most violations to list
     * @return one line per violation
     */
    public static List<String> violations(
            MaskedNetwork ticket, int n, int k, boolean nonNegativeInput, int limit) {
        RandomNetwork net = ticket.random();
        List<PairLayer> pairs = new ArrayList<>();
        boolean[] signed = new boolean[net.pairs()];
        for (int p = 0; p < net.pairs(); p++) {
            pairs.add(PairLayer.of(net, p, null));
            signed[p] = !net.architecture().nonNegativeInputOf(p, nonNegativeInput);
        }
        return violations(pairs, ticket.masks(), signed, n, k, limit);
    }

    static List<String> violations(
            List<PairLayer> nets,
            List<PairMask> masks,
            boolean[] signedPairs,
            int n,
            int k,
            int limit) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < nets.size() && out.size() < limit; l++) {
            PairLayer net = nets.get(l);
            boolean signed = signedPairs[l];
            int pools = net.pools();
            int in = net.in();
            // rank of every unit among the units of its pool with the same sign
            int[] rank = new int[net.units()];
            int[] sign = new int[net.units()];
            for (int j = 0; j < pools; j++) {
                int pos = 0;
                int neg = 0;
                for (int s = 0; s < net.pool(); s++) {
                    int u = j * net.pool() + s;
                    float a = net.poolWeight(u);
                    sign[u] = a > 0 ? 1 : a < 0 ? -1 : 0;
                    rank[u] = a > 0 ? pos++ : a < 0 ? neg++ : Integer.MAX_VALUE;
                }
            }
            PairMask m = masks.get(l);
            for (int i = 0; i < m.outputs() && out.size() < limit; i++) {
                int[] countPos = new int[pools];
                int[] countNeg = new int[pools];
                for (int t = 0; t < m.perOutput(); t++) {
                    int u = m.kept()[i * m.perOutput() + t];
                    int j = u / net.pool();
                    if (rank[u] >= n) {
                        out.add(
                                "layer "
                                        + (l + 1)
                                        + ", output "
                                        + i
                                        + ": unit "
                                        + u
                                        + " is not among the first "
                                        + n
                                        + " units of its sign in pool "
                                        + j);
                    }
                    if (sign[u] > 0) {
                        countPos[j]++;
                    } else if (sign[u] < 0 && signed && j < in) {
                        countNeg[j]++;
                    } else {
                        out.add(
                                "layer "
                                        + (l + 1)
                                        + ", output "
                                        + i
                                        + ": unit "
                                        + u
                                        + " of pool "
                                        + j
                                        + " can never fire for this layer's inputs");
                    }
                }
                for (int j = 0; j < pools; j++) {
                    if (countPos[j] != k) {
                        out.add(
                                "layer "
                                        + (l + 1)
                                        + ", output "
                                        + i
                                        + ", pool "
                                        + j
                                        + ": "
                                        + countPos[j]
                                        + " kept units of positive weight, expected k = "
                                        + k);
                    }
                    if (signed && j < in && countNeg[j] != k) {
                        out.add(
                                "layer "
                                        + (l + 1)
                                        + ", output "
                                        + i
                                        + ", pool "
                                        + j
                                        + ": "
                                        + countNeg[j]
                                        + " kept units of negative weight, expected k = "
                                        + k);
                    }
                }
            }
        }
        return out.size() > limit ? out.subList(0, limit) : out;
    }
}
