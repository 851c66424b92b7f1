package org.sltk.prune;

import org.sltk.nn.ConvMaskedNetwork;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;

/**
 * The function a pruned pair actually computes, as effective weights derived from its mask: for
 * output i and input j, the sum of a_u * b_iu over the kept units u of pool j with a_u &gt; 0
 * (acting on non-negative inputs) and, separately, with a_u &lt; 0 (acting on negative inputs).
 * Sums are in float64.
 */
public final class PairApproximation {

    private final int in;
    private final int out;
    private final int pools;
    private final int termsPerOutput;
    private final double[] positive;
    private final double[] negative;
    private final double[] absolute;

    private PairApproximation(int in, int out, int pools, int terms, double[] pos, double[] neg, double[] abs) {
        this.in = in;
        this.out = out;
        this.pools = pools;
        this.termsPerOutput = terms;
        this.positive = pos;
        this.negative = neg;
        this.absolute = abs;
    }

    /**
     * Computes the effective weights of pair l of a ticket.
     *
     * @param ticket the pruned network
     * @param l the pair
     * @return the effective weights
     */
    public static PairApproximation of(MaskedNetwork ticket, int l) {
        return of(PairLayer.dense(ticket.random(), l, null), ticket.masks().get(l));
    }

    /**
     * Computes the effective weights of pair p of a conv ticket (inputs are patch entries).
     *
     * @param ticket the pruned network
     * @param p the pair
     * @return the effective weights
     */
    public static PairApproximation of(ConvMaskedNetwork ticket, int p) {
        return of(PairLayer.conv(ticket.random(), p, null), ticket.masks().get(p));
    }

    static PairApproximation of(PairLayer net, PairMask m) {
        int in = net.in();
        int out = net.out();
        int pools = net.pools();
        double[] pos = new double[out * pools];
        double[] neg = new double[out * pools];
        double[] abs = new double[out * pools];
        float[] a = new float[net.units()];
        for (int u : m.usedUnits(net.units())) {
            a[u] = net.poolWeight(u);
        }
        for (int i = 0; i < out; i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                int u = m.kept()[i * m.perOutput() + t];
                int j = u / net.pool();
                double p = (double) a[u] * net.secondWeight(i, u);
                if (a[u] > 0) {
                    pos[i * pools + j] += p;
                } else if (a[u] < 0 && j < in) {
                    neg[i * pools + j] += p;
                }
                abs[i * pools + j] += Math.abs(p);
            }
        }
        return new PairApproximation(in, out, pools, m.perOutput(), pos, neg, abs);
    }

    /** Returns the fan-in of the target layer. @return d_l */
    public int in() {
        return in;
    }

    /** Returns the fan-out of the target layer. @return d_{l+1} */
    public int out() {
        return out;
    }

    /**
     * Returns the effective weight acting on a non-negative input j (j = in: the bias).
     *
     * @param i the output
     * @param j the input
     * @return the weight
     */
    public double positive(int i, int j) {
        return positive[i * pools + j];
    }

    /**
     * Returns the effective weight acting on a negative input j.
     *
     * @param i the output
     * @param j the input
     * @return the weight
     */
    public double negative(int i, int j) {
        return negative[i * pools + j];
    }

    /**
     * Returns the sum of |a_u b_iu| over the kept units of pool j for output i (for rounding bounds).
     *
     * @param i the output
     * @param j the input
     * @return the absolute sum
     */
    public double absolute(int i, int j) {
        return absolute[i * pools + j];
    }

    /** Returns the number of kept weights per output (terms of each output's sum). @return the count */
    public int termsPerOutput() {
        return termsPerOutput;
    }
}
