package org.sltk.prune;

import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;

/**
 * The function a pruned pair actually computes, as effective weights derived from its mask: for
 * output i and input j, the sum of a_u * b_iu over the kept units u of pool j with a_u &gt; 0
 * (acting on non-negative inputs) and, separately, with a_u &lt; 0 (acting on negative inputs). For
 * the rounding terms of {@link ErrorBound} it also keeps, per sign, the sum of |a_u b_iu| and the
 * number of those units. Sums are in float64 (each product of two float32 values is exact).
 */
public final class PairApproximation {

    private final int in;
    private final int out;
    private final int pools;
    private final int termsPerOutput;
    private final int termsPerPool;
    private final double[] positive;
    private final double[] negative;
    private final double[] absPositive;
    private final double[] absNegative;
    private final int[] countPositive;
    private final int[] countNegative;

    private PairApproximation(
            int in,
            int out,
            int pools,
            int terms,
            int termsPerPool,
            double[] pos,
            double[] neg,
            double[] absPos,
            double[] absNeg,
            int[] cntPos,
            int[] cntNeg) {
        this.in = in;
        this.out = out;
        this.pools = pools;
        this.termsPerOutput = terms;
        this.termsPerPool = termsPerPool;
        this.positive = pos;
        this.negative = neg;
        this.absPositive = absPos;
        this.absNegative = absNeg;
        this.countPositive = cntPos;
        this.countNegative = cntNeg;
    }

    /**
     * Computes the effective weights of pair p of a ticket (inputs are patch entries for a conv
     * pair).
     *
     * @param ticket the pruned network
     * @param p the pair
     * @return the effective weights
     */
    public static PairApproximation of(MaskedNetwork ticket, int p) {
        return of(PairLayer.of(ticket.random(), p, null), ticket.masks().get(p));
    }

    static PairApproximation of(PairLayer net, PairMask m) {
        int in = net.in();
        int out = net.out();
        int pools = net.pools();
        double[] pos = new double[out * pools];
        double[] neg = new double[out * pools];
        double[] absPos = new double[out * pools];
        double[] absNeg = new double[out * pools];
        int[] cntPos = new int[out * pools];
        int[] cntNeg = new int[out * pools];
        float[] a = new float[net.units()];
        for (int u : m.usedUnits(net.units())) {
            a[u] = net.poolWeight(u);
        }
        for (int i = 0; i < out; i++) {
            for (int t = 0; t < m.perOutput(); t++) {
                int u = m.kept()[i * m.perOutput() + t];
                int q = i * pools + u / net.pool();
                double p = (double) a[u] * net.secondWeight(i, u);
                if (a[u] > 0) {
                    pos[q] += p;
                    absPos[q] += Math.abs(p);
                    cntPos[q]++;
                } else if (a[u] < 0) {
                    neg[q] += p;
                    absNeg[q] += Math.abs(p);
                    cntNeg[q]++;
                }
            }
        }
        int perPool = 0;
        for (int q = 0; q < cntPos.length; q++) {
            perPool = Math.max(perPool, Math.max(cntPos[q], cntNeg[q]));
        }
        return new PairApproximation(
                in, out, pools, m.perOutput(), perPool, pos, neg, absPos, absNeg, cntPos, cntNeg);
    }

    /** {@return the fan-in of the target layer, d_l} */
    public int in() {
        return in;
    }

    /** {@return the fan-out of the target layer, d_{l+1}} */
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
     * Returns the sum of |a_u b_iu| over all kept units of pool j for output i, both signs.
     *
     * @param i the output
     * @param j the input
     * @return the absolute sum
     */
    public double absolute(int i, int j) {
        return absPositive[i * pools + j] + absNegative[i * pools + j];
    }

    /**
     * Returns the sum of |a_u b_iu| over the kept units of pool j with a_u &gt; 0 (those that fire
     * on a positive input) for output i.
     *
     * @param i the output
     * @param j the input
     * @return the absolute sum
     */
    public double absolutePositive(int i, int j) {
        return absPositive[i * pools + j];
    }

    /**
     * Returns the sum of |a_u b_iu| over the kept units of pool j with a_u &lt; 0 for output i.
     *
     * @param i the output
     * @param j the input
     * @return the absolute sum
     */
    public double absoluteNegative(int i, int j) {
        return absNegative[i * pools + j];
    }

    /**
     * Returns the number of kept units of pool j with a_u &gt; 0 for output i.
     *
     * @param i the output
     * @param j the input
     * @return the count
     */
    public int countPositive(int i, int j) {
        return countPositive[i * pools + j];
    }

    /**
     * Returns the number of kept units of pool j with a_u &lt; 0 for output i.
     *
     * @param i the output
     * @param j the input
     * @return the count
     */
    public int countNegative(int i, int j) {
        return countNegative[i * pools + j];
    }

    /** {@return the number of kept weights per output (terms of each output's sum)} */
    public int termsPerOutput() {
        return termsPerOutput;
    }

    /** {@return the largest number of kept units of one sign in one pool for one output} */
    int termsPerPool() {
        return termsPerPool;
    }

    /** {@return the pools per output: in, plus one for biases} */
    int pools() {
        return pools;
    }

    // row-major (out, pools) arrays for ErrorBound's inner loops; shared, not copied

    double[] positiveArray() {
        return positive;
    }

    double[] negativeArray() {
        return negative;
    }

    double[] absPositiveArray() {
        return absPositive;
    }

    double[] absNegativeArray() {
        return absNegative;
    }

    int[] countPositiveArray() {
        return countPositive;
    }

    int[] countNegativeArray() {
        return countNegative;
    }
}
