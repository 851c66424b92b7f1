package org.sltk.prune;

import java.util.List;
import org.sltk.nn.DenseLayer;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.TargetNetwork;

/**
 * The guaranteed error of a ticket against its target, from the realised per-weight errors.
 *
 * <p>With h the exact (float64) target activations, the pruned network's activations in float32
 * are off by at most D and the float32 target's by at most R, where, layer by layer,
 *
 * <pre>
 *   D'_i = sum_j |W_ij| D_j + sum_j E_ij (|h_j| + D_j) + |E_i,bias| + g(N+2) sum_j A_ij (|h_j| + D_j)
 *   R'_i = sum_j |W_ij| R_j + g(d+2) (sum_j |W_ij| (|h_j| + R_j) + |b_i|)
 * </pre>
 *
 * E_ij is the larger effective-weight error of the two signs (only the positive one where the
 * layer's inputs are non-negative), A_ij the sum of |a b| of the kept products, N the terms per
 * output, d the fan-in, and g(m) = m u / (1 - m u) with u = 2^-24 bounds float32 rounding of an
 * m-term sum in any order. ReLU is 1-Lipschitz, so the bounds pass through it. The bound on the
 * difference of the two networks' float32 outputs is D + R. {@link #forInput} uses the exact
 * activations of one input; {@link #overBox} bounds |h| by interval arithmetic over a box of
 * inputs, which gives a bound for every input in it.
 */
public final class ErrorBound implements TicketBound {

    private static final double U = 0x1.0p-24;

    private final TargetNetwork target;
    private final PairApproximation[] pairs;
    private final float[][] weights;
    private final float[][] biases;
    private final boolean nonNegativeInput;

    /**
     * Prepares the bound of a ticket.
     *
     * @param target the target network
     * @param ticket the ticket
     * @param nonNegativeInput whether the pruning assumed non-negative inputs
     */
    public ErrorBound(TargetNetwork target, MaskedNetwork ticket, boolean nonNegativeInput) {
        this.target = target;
        this.nonNegativeInput = nonNegativeInput;
        this.pairs = new PairApproximation[target.layers().size()];
        this.weights = new float[pairs.length][];
        this.biases = new float[pairs.length][];
        for (int l = 0; l < pairs.length; l++) {
            pairs[l] = PairApproximation.of(ticket, l);
            weights[l] = target.layers().get(l).weight();
            biases[l] = target.layers().get(l).bias();
        }
    }

    /**
     * Returns the effective weights of pair l.
     *
     * @param l the pair
     * @return the effective weights
     */
    public PairApproximation pair(int l) {
        return pairs[l];
    }

    /**
     * Returns the per-layer bounds for one input: element l is the largest bound on any output of
     * target layer l (pre-activation), the last element the bound on the logits.
     *
     * @param x the input
     * @return the bounds per layer
     */
    @Override
    public double[] forInput(double[] x) {
        return propagate(x, null, null);
    }

    /**
     * Returns the per-layer bounds valid for every input in the box [lo, hi]^d.
     *
     * @param lo the lower end of every input
     * @param hi the upper end of every input
     * @return the bounds per layer
     */
    @Override
    public double[] overBox(double lo, double hi) {
        int d = target.inputSize();
        double[] l = new double[d];
        double[] u = new double[d];
        java.util.Arrays.fill(l, lo);
        java.util.Arrays.fill(u, hi);
        return propagate(null, l, u);
    }

    private double[] propagate(double[] x, double[] lo, double[] hi) {
        List<DenseLayer> layers = target.layers();
        int d0 = target.inputSize();
        double[] h = new double[d0];
        for (int j = 0; j < d0; j++) {
            h[j] = x != null ? Math.abs(x[j]) : Math.max(Math.abs(lo[j]), Math.abs(hi[j]));
        }
        double[] zExact = x;
        double[] dPrev = new double[d0];
        double[] rPrev = new double[d0];
        double[] perLayer = new double[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            PairApproximation p = pairs[l];
            int in = layer.in();
            int out = layer.out();
            boolean signed = l == 0 && !nonNegativeInput;
            double gPruned = gamma(p.termsPerOutput() + 2);
            double gTarget = gamma(in + 2);
            double[] d = new double[out];
            double[] r = new double[out];
            double[] z = x != null ? new double[out] : null;
            double[] zlo = x == null ? new double[out] : null;
            double[] zhi = x == null ? new double[out] : null;
            float[] w = weights[l];
            float[] b = biases[l];
            double max = 0;
            for (int i = 0; i < out; i++) {
                double di = 0;
                double ri = 0;
                double absTerms = 0;
                double targetTerms = 0;
                double zi = b == null ? 0 : b[i];
                double lo1 = zi;
                double hi1 = zi;
                for (int j = 0; j < in; j++) {
                    double wij = w[i * in + j];
                    double aw = Math.abs(wij);
                    double e = Math.abs(p.positive(i, j) - wij);
                    if (signed) {
                        e = Math.max(e, Math.abs(p.negative(i, j) - wij));
                    }
                    double mag = h[j] + dPrev[j];
                    di += aw * dPrev[j] + e * mag;
                    absTerms += p.absolute(i, j) * mag;
                    ri += aw * rPrev[j];
                    targetTerms += aw * (h[j] + rPrev[j]);
                    if (x != null) {
                        zi += wij * zExact[j];
                    } else {
                        lo1 += wij > 0 ? wij * lo[j] : wij * hi[j];
                        hi1 += wij > 0 ? wij * hi[j] : wij * lo[j];
                    }
                }
                if (b != null) {
                    di += Math.abs(p.positive(i, in) - b[i]);
                    absTerms += p.absolute(i, in);
                    targetTerms += Math.abs(b[i]);
                }
                di += gPruned * absTerms;
                ri += gTarget * targetTerms;
                d[i] = di;
                r[i] = ri;
                max = Math.max(max, di + ri);
                if (x != null) {
                    z[i] = zi;
                } else {
                    zlo[i] = lo1;
                    zhi[i] = hi1;
                }
            }
            perLayer[l] = max;
            boolean last = l == layers.size() - 1;
            h = new double[out];
            for (int i = 0; i < out; i++) {
                if (x != null) {
                    double v = last ? z[i] : Math.max(0, z[i]);
                    h[i] = Math.abs(v);
                    z[i] = v;
                } else {
                    double a = last ? zlo[i] : Math.max(0, zlo[i]);
                    double c = last ? zhi[i] : Math.max(0, zhi[i]);
                    zlo[i] = a;
                    zhi[i] = c;
                    h[i] = Math.max(Math.abs(a), Math.abs(c));
                }
            }
            zExact = z;
            lo = zlo;
            hi = zhi;
            dPrev = d;
            rPrev = r;
        }
        return perLayer;
    }

    private static double gamma(int m) {
        return m * U / (1 - m * U);
    }
}
