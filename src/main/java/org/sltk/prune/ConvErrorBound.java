package org.sltk.prune;

import java.util.Arrays;
import org.sltk.nn.ConvMaskedNetwork;
import org.sltk.nn.LayerSpec;
import org.sltk.nn.Patches;
import org.sltk.nn.SequentialSpec;
import org.sltk.nn.SequentialTarget;

/**
 * The guaranteed error of a conv ticket against its {@link SequentialTarget}: the bound of
 * {@link ErrorBound} carried through conv layers (a dense layer on every patch: the sums run over
 * the non-padding taps of each output position), ReLU (1-Lipschitz), max-pooling
 * (|max a - max b| &lt;= max |a - b|), average-pooling (an average of the bounds, plus float32
 * rounding of the window sum) and flatten. Activations are tracked as intervals, exact for one
 * input ({@link #forInput}) and a box bound over [lo, hi]^d ({@link #overBox}).
 */
public final class ConvErrorBound implements TicketBound {

    private static final double U = 0x1.0p-24;

    private final SequentialTarget target;
    private final PairApproximation[] pairs;
    private final boolean[] signed;

    /**
     * Prepares the bound.
     *
     * @param target the target
     * @param ticket the ticket
     * @param nonNegativeInput whether the pruning took the data as non-negative
     */
    public ConvErrorBound(SequentialTarget target, ConvMaskedNetwork ticket, boolean nonNegativeInput) {
        this.target = target;
        this.pairs = new PairApproximation[target.parametricCount()];
        this.signed = new boolean[pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            pairs[p] = PairApproximation.of(ticket, p);
            signed[p] = !target.spec().nonNegativeInputOf(p, nonNegativeInput);
        }
    }

    /**
     * Returns the effective weights of pair p.
     *
     * @param p the pair
     * @return the effective weights
     */
    public PairApproximation pair(int p) {
        return pairs[p];
    }

    /**
     * Returns the per-layer bounds for one input: element p bounds every output of conv/dense
     * layer p (pre-activation); the last element bounds the logits.
     *
     * @param x the image, (c, h, w) flat
     * @return the bounds
     */
    @Override
    public double[] forInput(double[] x) {
        return propagate(x.clone(), x.clone());
    }

    /**
     * Returns the per-layer bounds valid for every input in [lo, hi]^d.
     *
     * @param lo lower end
     * @param hi upper end
     * @return the bounds
     */
    @Override
    public double[] overBox(double lo, double hi) {
        double[] l = new double[target.inputSize()];
        double[] u = new double[target.inputSize()];
        Arrays.fill(l, lo);
        Arrays.fill(u, hi);
        return propagate(l, u);
    }

    private double[] propagate(double[] lo, double[] hi) {
        SequentialSpec spec = target.spec();
        int[][] shapes = spec.shapes();
        double[] d = new double[lo.length];
        double[] r = new double[lo.length];
        double[] perLayer = new double[pairs.length];
        int p = 0;
        for (int q = 0; q < spec.layers().size(); q++) {
            LayerSpec l = spec.layers().get(q);
            int[] si = shapes[q];
            int[] so = shapes[q + 1];
            switch (l.kind()) {
                case CONV2D:
                case DENSE: {
                    PairApproximation pa = pairs[p];
                    int fan = l.fanIn();
                    int pools = fan + (target.hasBias() ? 1 : 0);
                    int area = so[1] * so[2];
                    int n = so[0] * area;
                    double gPruned = gamma(pa.termsPerOutput() + 2);
                    double gTarget = gamma(fan + 2);
                    double[] nd = new double[n];
                    double[] nr = new double[n];
                    double[] nlo = new double[n];
                    double[] nhi = new double[n];
                    double[] absTerms = new double[n];
                    double[] targetTerms = new double[n];
                    double[] mag = new double[lo.length];
                    double[] magR = new double[lo.length];
                    for (int t = 0; t < lo.length; t++) {
                        double h = Math.max(Math.abs(lo[t]), Math.abs(hi[t]));
                        mag[t] = h + d[t];
                        magR[t] = h + r[t];
                    }
                    double[] dd = d;
                    double[] rr = r;
                    double[] llo = lo;
                    double[] hhi = hi;
                    boolean sg = signed[p];
                    int pp = p;
                    for (int o = 0; o < so[0]; o++) {
                        int oo = o;
                        int base = o * area;
                        double b = target.bias(p, o);
                        for (int pos = 0; pos < area; pos++) {
                            nlo[base + pos] = b;
                            nhi[base + pos] = b;
                        }
                        double[] w = new double[fan];
                        double[] e = new double[fan];
                        double[] a = new double[fan];
                        for (int j = 0; j < fan; j++) {
                            w[j] = target.weight(pp, oo, j);
                            double ej = Math.abs(pa.positive(oo, j) - w[j]);
                            if (sg) {
                                ej = Math.max(ej, Math.abs(pa.negative(oo, j) - w[j]));
                            }
                            e[j] = ej;
                            a[j] = pa.absolute(oo, j);
                        }
                        Patches.forEach(l, si, so, (pos, in, j) -> {
                            double wj = w[j];
                            double aw = Math.abs(wj);
                            int t = base + pos;
                            nd[t] += aw * dd[in] + e[j] * mag[in];
                            absTerms[t] += a[j] * mag[in];
                            nr[t] += aw * rr[in];
                            targetTerms[t] += aw * magR[in];
                            if (wj > 0) {
                                nlo[t] += wj * llo[in];
                                nhi[t] += wj * hhi[in];
                            } else {
                                nlo[t] += wj * hhi[in];
                                nhi[t] += wj * llo[in];
                            }
                        });
                        double eb = 0;
                        double ab = 0;
                        if (target.hasBias()) {
                            eb = Math.abs(pa.positive(o, fan) - b);
                            ab = pa.absolute(o, fan);
                        }
                        for (int pos = 0; pos < area; pos++) {
                            int t = base + pos;
                            nd[t] += eb + gPruned * (absTerms[t] + ab);
                            nr[t] += gTarget * (targetTerms[t] + Math.abs(b));
                        }
                    }
                    assert pools >= fan;
                    double max = 0;
                    for (int t = 0; t < n; t++) {
                        max = Math.max(max, nd[t] + nr[t]);
                    }
                    perLayer[p] = max;
                    d = nd;
                    r = nr;
                    lo = nlo;
                    hi = nhi;
                    p++;
                    break;
                }
                case RELU:
                    for (int t = 0; t < lo.length; t++) {
                        lo[t] = Math.max(0, lo[t]);
                        hi[t] = Math.max(0, hi[t]);
                    }
                    break;
                case MAXPOOL:
                    lo = Patches.pool(lo, si, l.kernel(), true);
                    hi = Patches.pool(hi, si, l.kernel(), true);
                    d = Patches.pool(d, si, l.kernel(), true);
                    r = Patches.pool(r, si, l.kernel(), true);
                    break;
                case AVGPOOL: {
                    double[] mag = new double[lo.length];
                    double[] magR = new double[lo.length];
                    for (int t = 0; t < lo.length; t++) {
                        double h = Math.max(Math.abs(lo[t]), Math.abs(hi[t]));
                        mag[t] = h + d[t];
                        magR[t] = h + r[t];
                    }
                    double g = gamma(l.kernel() * l.kernel() + 1);
                    double[] m1 = Patches.pool(mag, si, l.kernel(), false);
                    double[] m2 = Patches.pool(magR, si, l.kernel(), false);
                    lo = Patches.pool(lo, si, l.kernel(), false);
                    hi = Patches.pool(hi, si, l.kernel(), false);
                    d = Patches.pool(d, si, l.kernel(), false);
                    r = Patches.pool(r, si, l.kernel(), false);
                    for (int t = 0; t < d.length; t++) {
                        d[t] += g * m1[t];
                        r[t] += g * m2[t];
                    }
                    break;
                }
                default:
                    break; // flatten keeps the layout
            }
        }
        return perLayer;
    }

    private static double gamma(int m) {
        return m * U / (1 - m * U);
    }
}
