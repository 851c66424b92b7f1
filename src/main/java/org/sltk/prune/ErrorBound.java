package org.sltk.prune;

import java.util.Arrays;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.Patches;
import org.sltk.nn.TargetNetwork;

/**
 * The guaranteed error of a ticket against its target, by interval propagation of their difference.
 * One implementation for every {@link Architecture} (conv2d, dense, relu, maxpool, avgpool,
 * flatten; an MLP is dense and relu layers on a (d, 1, 1) input).
 *
 * <p>For every unit of every layer it tracks a float64 reference value h of the target (for one
 * input: the target computed in float64; for a box of inputs: an interval holding the exact target
 * of every input in it), an interval D holding (ticket's float32 value - h) and an interval R
 * holding (target's float32 value - h). At the input, h is the input and D = R = 0.
 *
 * <ul>
 *   <li><b>Conv/dense layer</b> (target weights W, biases b; effective ticket weights P(s) of
 *       {@link PairApproximation}, P+ acting on a non-negative ticket input, P- on a negative one):
 *       the ticket's pre-activation minus the reference is, exactly, sum_j [(P_ij(s_j) - W_ij) h_j
 *       + P_ij(s_j) d_j] + (P_i,bias - b_i) + rounding, with d_j in D_j and s_j the sign of the
 *       ticket's input h_j + d_j. Each sum is taken in interval arithmetic (midpoint and radius),
 *       so errors of opposite sign cancel. Where the ticket's input may have either sign, the hull
 *       of both signs' terms is used, intersected with the hull of P+ [0, x_hi] and P- [x_lo, 0].
 *       The target's: sum_j W_ij r_j + rounding.
 *   <li><b>Rounding</b>. The ticket's compact pass computes relu(fl(a x)) per kept unit, then a
 *       float32 sum of the products b * hidden in any order; the target a float32 sum of W x plus
 *       b. Both are bounded by {@link Arithmetic#dot}(m) * sum |terms| (gamma(m + 2) with u = 2^-24
 *       in float32; under TF32, operands at 2^-11 and sums at 2^-23), where m counts only terms
 *       whose input may be non-zero: an input known to be exactly 0 in both networks (a pixel of 0,
 *       a ReLU output dead with margin in both) contributes nothing and is skipped. Float32
 *       underflow (even flushed to zero) adds at most 2^-126 per operation.
 *   <li><b>ReLU</b> is monotone: relu(h + d) - relu(h) lies in [relu(h_lo + d_lo) - relu(h_hi),
 *       relu(h_hi + d_hi) - relu(h_lo)] and, being 1-Lipschitz, in [min(0, d_lo), max(0, d_hi)];
 *       the intersection is kept. For one input (h a point) the first is exact: a unit inactive
 *       with margin in both networks contributes exactly 0.
 *   <li><b>Max-pool</b>: max is monotone in each argument, the same two enclosures per window.
 *       <b>Avg-pool</b>: the average of the intervals plus float32 rounding of the window sum.
 *       <b>Flatten</b> keeps the layout.
 *   <li><b>Logits</b>: ticket32 - target32 lies in D - R = [d_lo - r_hi, d_hi - r_lo]; the bound of
 *       a layer is the largest |endpoint| over its units.
 * </ul>
 *
 * The float64 arithmetic of the bound itself is accounted for too: endpoints are rounded outward
 * (exactly, through the error term of each addition), and each sum's radius is widened by 8
 * gamma64(2n + 32) times the sum of the magnitudes of all its terms, which covers the rounding of
 * the float64 sums, of the reference h and of the effective weights. {@link #forInput} is the
 * per-image bound; {@link #overBox} the a-priori bound for every input in a box.
 */
public final class ErrorBound implements TicketBound {

    private static final double U64 = 0x1.0p-53;

    /**
     * The largest absolute error of a float64 operation that underflows (half the smallest
     * subnormal).
     */
    private static final double UNDERFLOW64 = Double.MIN_VALUE;

    /** Widens a radius for the few float64 roundings of its last additions and product. */
    private static final double RADIUS_SAFETY = 1 + 0x1.0p-48;

    private static final byte ZERO = 0;
    private static final byte POSITIVE = 1;
    private static final byte NEGATIVE = 2;
    private static final byte EITHER = 3;

    private final Architecture spec;
    private final int[][] shapes;
    private final Linear[] linear;
    private final Arithmetic arithmetic;
    private final boolean nonNegativeInput;
    private final boolean inputMustBeNonNegative;

    /**
     * One conv or dense layer with its ticket pair, arranged for the propagation: per patch entry j
     * and output channel o, at j * outs + o, the target weight and the ticket's effective weight,
     * absolute sum and count of units for each sign of the input.
     */
    private static final class Linear {
        final int fan;
        final int area;
        final int outs;
        final int[] taps;
        final boolean nonNegativeIn;
        final boolean hasBias;
        final double slop;
        final double slopAbsolute;
        final double[] w;
        final double[] pPos;
        final double[] aPos;
        final int[] cPos;
        final double[] pNeg;
        final double[] aNeg;
        final int[] cNeg;
        final double[] bias;
        final double[] pBias;
        final double[] aBias;
        final int[] cBias;

        Linear(
                Layer.Parametric l,
                int[] in,
                int[] out,
                float[] weights,
                float[] biases,
                PairApproximation pa,
                boolean nonNegativeIn) {
            this.fan = l.fanIn();
            this.area = out[1] * out[2];
            this.outs = out[0];
            if (pa.in() != fan || pa.out() != outs) {
                throw new IllegalArgumentException(
                        "pair of "
                                + pa.in()
                                + " -> "
                                + pa.out()
                                + " for layer "
                                + l.describe()
                                + " of fan-in "
                                + fan
                                + " and "
                                + outs
                                + " outputs");
            }
            this.nonNegativeIn = nonNegativeIn;
            this.hasBias = biases != null;
            this.taps = new int[area * fan];
            Arrays.fill(taps, -1);
            Patches.forEach(l, in, out, (pos, inIndex, j) -> taps[pos * fan + j] = inIndex);
            this.slop = 8 * Arithmetic.gamma(2 * (fan + pa.termsPerPool()) + 32, U64);
            this.slopAbsolute = (8.0 * fan + 64) * UNDERFLOW64;
            int pools = pa.pools();
            w = new double[fan * outs];
            pPos = new double[fan * outs];
            aPos = new double[fan * outs];
            cPos = new int[fan * outs];
            pNeg = nonNegativeIn ? null : new double[fan * outs];
            aNeg = nonNegativeIn ? null : new double[fan * outs];
            cNeg = nonNegativeIn ? null : new int[fan * outs];
            bias = new double[outs];
            pBias = new double[outs];
            aBias = new double[outs];
            cBias = new int[outs];
            for (int o = 0; o < outs; o++) {
                for (int j = 0; j < fan; j++) {
                    int t = j * outs + o;
                    int q = o * pools + j;
                    w[t] = weights[o * fan + j];
                    pPos[t] = pa.positiveArray()[q];
                    aPos[t] = pa.absPositiveArray()[q];
                    cPos[t] = pa.countPositiveArray()[q];
                    if (!nonNegativeIn) {
                        pNeg[t] = pa.negativeArray()[q];
                        aNeg[t] = pa.absNegativeArray()[q];
                        cNeg[t] = pa.countNegativeArray()[q];
                    }
                }
                if (hasBias) { // the constant input 1 fires only the pool's units with a > 0
                    bias[o] = biases[o];
                    pBias[o] = pa.positiveArray()[o * pools + fan];
                    aBias[o] = pa.absPositiveArray()[o * pools + fan];
                    cBias[o] = pa.countPositiveArray()[o * pools + fan];
                }
            }
        }
    }

    /**
     * The enclosures of every unit of one layer: h in [hl, hu], ticket - h in [dl, du], target - h
     * in [rl, ru].
     */
    private static final class State {
        final double[] hl;
        final double[] hu;
        final double[] dl;
        final double[] du;
        final double[] rl;
        final double[] ru;

        State(int n) {
            hl = new double[n];
            hu = new double[n];
            dl = new double[n];
            du = new double[n];
            rl = new double[n];
            ru = new double[n];
        }
    }

    /**
     * Prepares the bound of a ticket, assuming float32 arithmetic.
     *
     * @param target the target network
     * @param ticket the ticket
     * @param nonNegativeInput whether the pruning assumed non-negative inputs
     */
    public ErrorBound(TargetNetwork target, MaskedNetwork ticket, boolean nonNegativeInput) {
        this(target, ticket, nonNegativeInput, Arithmetic.FLOAT32);
    }

    /**
     * Prepares the bound of a ticket.
     *
     * @param target the target network
     * @param ticket the ticket
     * @param nonNegativeInput whether the pruning assumed non-negative inputs
     * @param arithmetic the float32 arithmetic of both networks' passes
     */
    public ErrorBound(
            TargetNetwork target,
            MaskedNetwork ticket,
            boolean nonNegativeInput,
            Arithmetic arithmetic) {
        Architecture spec = target.architecture();
        this.spec = spec;
        this.shapes = spec.shapes();
        this.arithmetic = arithmetic;
        this.nonNegativeInput = nonNegativeInput;
        // the first pair was pruned for non-negative data, and no ReLU before it makes its inputs
        // so
        this.inputMustBeNonNegative =
                spec.nonNegativeInputOf(0, nonNegativeInput) && !spec.nonNegativeInputOf(0, false);
        int[] idx = spec.parametricIndices();
        this.linear = new Linear[idx.length];
        for (int p = 0; p < idx.length; p++) {
            int q = idx[p];
            linear[p] =
                    new Linear(
                            target.layer(p),
                            shapes[q],
                            shapes[q + 1],
                            target.weights(p),
                            target.biases(p),
                            PairApproximation.of(ticket, p),
                            spec.nonNegativeInputOf(p, nonNegativeInput));
        }
    }

    /**
     * Returns the per-image enclosure: the reference is the target computed in float64.
     *
     * @param x the input, flat ((c, h, w) for images)
     * @return the enclosure
     */
    @Override
    public Enclosure forInput(double[] x) {
        if (x.length != spec.inputSize()) {
            throw new IllegalArgumentException(
                    "input has " + x.length + " values, the target expects " + spec.inputSize());
        }
        for (int j = 0; inputMustBeNonNegative && j < x.length; j++) {
            requireNonNegative(x[j]);
        }
        return propagate(x, x, false);
    }

    /**
     * Returns the a-priori enclosure valid for every input in [lo, hi]^d.
     *
     * @param lo the lower end of every input
     * @param hi the upper end of every input
     * @return the enclosure
     */
    @Override
    public Enclosure overBox(double lo, double hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("empty box [" + lo + ", " + hi + "]");
        }
        if (inputMustBeNonNegative) {
            requireNonNegative(lo);
        }
        double[] l = new double[spec.inputSize()];
        double[] u = new double[spec.inputSize()];
        Arrays.fill(l, lo);
        Arrays.fill(u, hi);
        return propagate(l, u, true);
    }

    private static void requireNonNegative(double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException(
                    "input " + v + ", but the ticket was pruned for non-negative inputs");
        }
    }

    /** {@return the arithmetic assumed for both networks' passes} */
    @Override
    public Arithmetic arithmetic() {
        return arithmetic;
    }

    /** {@return whether the bound takes the data as non-negative} */
    public boolean nonNegativeInput() {
        return nonNegativeInput;
    }

    private Enclosure propagate(double[] lo, double[] hi, boolean box) {
        State s = new State(lo.length);
        System.arraycopy(lo, 0, s.hl, 0, lo.length);
        System.arraycopy(hi, 0, s.hu, 0, hi.length);
        double[] perLayer = new double[linear.length];
        int p = 0;
        for (int q = 0; q < spec.layers().size(); q++) {
            Layer l = spec.layers().get(q);
            switch (l.kind()) {
                case CONV2D:
                case DENSE:
                    s = linear(linear[p], s, box);
                    perLayer[p] = layerBound(s);
                    p++;
                    break;
                case RELU:
                    relu(s);
                    break;
                case MAXPOOL:
                    s = maxPool(s, shapes[q], Layer.poolSize(l));
                    break;
                case AVGPOOL:
                    s = avgPool(s, shapes[q], Layer.poolSize(l), box);
                    break;
                case NORMALIZE:
                    normalize(s, shapes[q], (Layer.Normalize) l);
                    break;
                default:
                    break; // flatten keeps the layout
            }
        }
        int n = s.hl.length;
        double[] lower = new double[n];
        double[] upper = new double[n];
        for (int k = 0; k < n; k++) {
            lower[k] = addDown(s.dl[k], -s.ru[k]);
            upper[k] = addUp(s.du[k], -s.rl[k]);
        }
        return new Enclosure(perLayer, s.hl, s.hu, lower, upper, s.dl, s.du, s.rl, s.ru);
    }

    /**
     * The input normalisation: target and ticket compute it identically in float32, so their
     * differences stay 0 (the first layer, where they are 0); the reference becomes the float32
     * normalised value, which is monotone in the input (std > 0, rounding is monotone), so the ends
     * of an input interval map to the ends of its image.
     */
    private static void normalize(State s, int[] shape, Layer.Normalize n) {
        int area = shape[1] * shape[2];
        for (int k = 0; k < s.hl.length; k++) {
            s.hl[k] = n.apply(s.hl[k], k / area);
            s.hu[k] = n.apply(s.hu[k], k / area);
        }
    }

    /** The largest |ticket - target| any unit of the layer may show. */
    private static double layerBound(State s) {
        double max = 0;
        for (int k = 0; k < s.hl.length; k++) {
            max = Math.max(max, Math.max(-addDown(s.dl[k], -s.ru[k]), addUp(s.du[k], -s.rl[k])));
        }
        return max;
    }

    /** Per-output sums of one output position of a conv or dense layer. */
    private static final class Sums {
        final double[] h;
        final double[] hr;
        final double[] dc;
        final double[] dr;
        final double[] rc;
        final double[] rr;
        final double[] at;
        final double[] tt;
        final double[] mg;
        final int[] m;

        Sums(int n) {
            h = new double[n];
            hr = new double[n];
            dc = new double[n];
            dr = new double[n];
            rc = new double[n];
            rr = new double[n];
            at = new double[n];
            tt = new double[n];
            mg = new double[n];
            m = new int[n];
        }

        void clear() {
            Arrays.fill(h, 0);
            Arrays.fill(hr, 0);
            Arrays.fill(dc, 0);
            Arrays.fill(dr, 0);
            Arrays.fill(rc, 0);
            Arrays.fill(rr, 0);
            Arrays.fill(at, 0);
            Arrays.fill(tt, 0);
            Arrays.fill(mg, 0);
            Arrays.fill(m, 0);
        }
    }

    private State linear(Linear L, State s, boolean box) {
        int n = s.hl.length;
        double[] hc = new double[n];
        double[] hr = new double[n];
        double[] dc = new double[n];
        double[] dr = new double[n];
        double[] rc = new double[n];
        double[] rr = new double[n];
        double[] xt = new double[n];
        double[] xlo = new double[n];
        double[] xhi = new double[n];
        double[] x32 = new double[n];
        double[] mg = new double[n];
        byte[] cls = new byte[n];
        for (int k = 0; k < n; k++) {
            double hl = s.hl[k];
            double hu = s.hu[k];
            if (hl == 0
                    && hu == 0
                    && s.dl[k] == 0
                    && s.du[k] == 0
                    && s.rl[k] == 0
                    && s.ru[k] == 0) {
                continue; // exactly 0 in the reference and both networks: no term, no rounding
            }
            hc[k] = mid(hl, hu);
            hr[k] = rad(hl, hu, hc[k]);
            dc[k] = mid(s.dl[k], s.du[k]);
            dr[k] = rad(s.dl[k], s.du[k], dc[k]);
            rc[k] = mid(s.rl[k], s.ru[k]);
            rr[k] = rad(s.rl[k], s.ru[k], rc[k]);
            double tlo = addDown(hl, s.dl[k]);
            double thi = addUp(hu, s.du[k]);
            double glo = addDown(hl, s.rl[k]);
            double ghi = addUp(hu, s.ru[k]);
            if (L.nonNegativeIn) { // after a ReLU, or data checked non-negative: both networks'
                // inputs are >= 0
                tlo = Math.max(0, tlo);
                glo = Math.max(0, glo);
            }
            if (tlo >= 0) {
                cls[k] = POSITIVE;
                xt[k] = thi;
            } else if (thi <= 0) {
                cls[k] = NEGATIVE;
                xt[k] = -tlo;
            } else {
                cls[k] = EITHER;
                xt[k] = Math.max(-tlo, thi);
            }
            xlo[k] = tlo;
            xhi[k] = thi;
            x32[k] = Math.max(Math.abs(glo), Math.abs(ghi));
            mg[k] =
                    Math.abs(hc[k])
                            + hr[k]
                            + Math.abs(dc[k])
                            + dr[k]
                            + Math.abs(rc[k])
                            + rr[k]
                            + xt[k]
                            + x32[k];
        }
        int fan = L.fan;
        int outs = L.outs;
        State o = new State(outs * L.area);
        Sums z = new Sums(outs);
        for (int pos = 0; pos < L.area; pos++) {
            z.clear();
            int mt = 0;
            for (int j = 0; j < fan; j++) {
                int k = L.taps[pos * fan + j];
                if (k < 0 || cls[k] == ZERO) {
                    continue;
                }
                mt += x32[k] > 0 ? 1 : 0;
                int nzt = xt[k] > 0 ? 1 : 0;
                int base = j * outs;
                if (cls[k] == EITHER) {
                    either(
                            L, base, z, hc[k], hr[k], dc[k], dr[k], rc[k], rr[k], xlo[k], xhi[k],
                            x32[k], mg[k], nzt);
                    continue;
                }
                boolean positive = cls[k] == POSITIVE;
                double[] p = positive ? L.pPos : L.pNeg;
                double[] a = positive ? L.aPos : L.aNeg;
                int[] c = positive ? L.cPos : L.cNeg;
                if (hr[k] != 0) {
                    box(
                            L.w, p, a, c, base, outs, z, hc[k], hr[k], dc[k], dr[k], rc[k], rr[k],
                            xt[k], x32[k], mg[k], nzt);
                } else if (dc[k] != 0 || dr[k] != 0 || rc[k] != 0 || rr[k] != 0) {
                    point(
                            L.w, p, a, c, base, outs, z, hc[k], dc[k], dr[k], rc[k], rr[k], xt[k],
                            x32[k], mg[k], nzt);
                } else {
                    exact(L.w, p, a, c, base, outs, z, hc[k], xt[k], x32[k], mg[k], nzt);
                }
            }
            int mTarget = mt + (L.hasBias ? 1 : 0);
            double gTarget = arithmetic.dot(mTarget);
            for (int oc = 0; oc < outs; oc++) {
                double bb = L.bias[oc];
                double pb = L.pBias[oc];
                double ab = L.aBias[oc];
                double mag = z.mg[oc] + Math.abs(bb) + Math.abs(pb) + ab;
                double slop =
                        mag > 0
                                ? L.slop * mag + L.slopAbsolute
                                : 0; // nothing to round where every term is 0
                int mTicket = z.m[oc] + L.cBias[oc];
                double hcN = z.h[oc] + bb;
                double dcN = z.dc[oc] + (pb - bb);
                double drN =
                        (z.dr[oc]
                                        + arithmetic.dot(mTicket) * (z.at[oc] + ab)
                                        + underflow(mTicket)
                                        + slop)
                                * RADIUS_SAFETY;
                double rrN =
                        (z.rr[oc] + gTarget * (z.tt[oc] + Math.abs(bb)) + underflow(mTarget) + slop)
                                * RADIUS_SAFETY;
                int u = oc * L.area + pos;
                if (box) {
                    double hrN = (z.hr[oc] + slop) * RADIUS_SAFETY;
                    o.hl[u] = addDown(hcN, -hrN);
                    o.hu[u] = addUp(hcN, hrN);
                } else {
                    o.hl[u] = hcN; // the reference itself: its rounding is in the slop of D and R
                    o.hu[u] = hcN;
                }
                o.dl[u] = addDown(dcN, -drN);
                o.du[u] = addUp(dcN, drN);
                o.rl[u] = addDown(z.rc[oc], -rrN);
                o.ru[u] = addUp(z.rc[oc], rrN);
            }
        }
        return o;
    }

    /**
     * The terms of one input known exactly (no error in either network so far, h a point): the
     * first layer.
     */
    private static void exact(
            double[] w,
            double[] p,
            double[] a,
            int[] c,
            int base,
            int outs,
            Sums z,
            double h,
            double xt,
            double x32,
            double mg,
            int nzt) {
        for (int o = 0; o < outs; o++) {
            double wj = w[base + o];
            double aw = Math.abs(wj);
            double pj = p[base + o];
            double aj = a[base + o];
            z.h[o] += wj * h;
            z.dc[o] += (pj - wj) * h;
            z.at[o] += aj * xt;
            z.tt[o] += aw * x32;
            z.mg[o] += (aj + aw) * mg;
            z.m[o] += c[base + o] * nzt;
        }
    }

    /** The terms of one input with a point reference h and error intervals D, R (one image). */
    private static void point(
            double[] w,
            double[] p,
            double[] a,
            int[] c,
            int base,
            int outs,
            Sums z,
            double h,
            double dc,
            double dr,
            double rc,
            double rr,
            double xt,
            double x32,
            double mg,
            int nzt) {
        for (int o = 0; o < outs; o++) {
            double wj = w[base + o];
            double aw = Math.abs(wj);
            double pj = p[base + o];
            double aj = a[base + o];
            z.h[o] += wj * h;
            z.dc[o] += (pj - wj) * h + pj * dc;
            z.dr[o] += Math.abs(pj) * dr;
            z.rc[o] += wj * rc;
            z.rr[o] += aw * rr;
            z.at[o] += aj * xt;
            z.tt[o] += aw * x32;
            z.mg[o] += (aj + aw) * mg;
            z.m[o] += c[base + o] * nzt;
        }
    }

    /**
     * The terms of one input whose reference is an interval [hc - hr, hc + hr] (a box of inputs).
     */
    private static void box(
            double[] w,
            double[] p,
            double[] a,
            int[] c,
            int base,
            int outs,
            Sums z,
            double hc,
            double hr,
            double dc,
            double dr,
            double rc,
            double rr,
            double xt,
            double x32,
            double mg,
            int nzt) {
        for (int o = 0; o < outs; o++) {
            double wj = w[base + o];
            double aw = Math.abs(wj);
            double pj = p[base + o];
            double aj = a[base + o];
            double e = pj - wj;
            z.h[o] += wj * hc;
            z.hr[o] += aw * hr;
            z.dc[o] += e * hc + pj * dc;
            z.dr[o] += Math.abs(e) * hr + Math.abs(pj) * dr;
            z.rc[o] += wj * rc;
            z.rr[o] += aw * rr;
            z.at[o] += aj * xt;
            z.tt[o] += aw * x32;
            z.mg[o] += (aj + aw) * mg;
            z.m[o] += c[base + o] * nzt;
        }
    }

    /**
     * The terms of one input whose ticket value may have either sign: the hull of both signs'
     * terms, intersected with hull(P+ [0, x_hi], P- [x_lo, 0]) - W H.
     */
    private static void either(
            Linear L,
            int base,
            Sums z,
            double hc,
            double hr,
            double dc,
            double dr,
            double rc,
            double rr,
            double xlo,
            double xhi,
            double x32,
            double mg,
            int nzt) {
        for (int o = 0; o < L.outs; o++) {
            int t = base + o;
            double wj = L.w[t];
            double aw = Math.abs(wj);
            double p1 = L.pPos[t];
            double p2 = L.pNeg[t];
            double e1 = p1 - wj;
            double e2 = p2 - wj;
            double c1 = e1 * hc + p1 * dc;
            double r1 = Math.abs(e1) * hr + Math.abs(p1) * dr;
            double c2 = e2 * hc + p2 * dc;
            double r2 = Math.abs(e2) * hr + Math.abs(p2) * dr;
            double lo =
                    Math.max(
                            Math.min(c1 - r1, c2 - r2),
                            Math.min(0, Math.min(p1 * xhi, p2 * xlo)) - wj * hc - aw * hr);
            double hi =
                    Math.min(
                            Math.max(c1 + r1, c2 + r2),
                            Math.max(0, Math.max(p1 * xhi, p2 * xlo)) - wj * hc + aw * hr);
            if (lo > hi) { // both hold the true range; only float64 rounding can cross them
                lo = 0.5 * (lo + hi);
                hi = lo;
            }
            double a1 = L.aPos[t];
            double a2 = L.aNeg[t];
            z.h[o] += wj * hc;
            z.hr[o] += aw * hr;
            z.dc[o] += 0.5 * (lo + hi);
            z.dr[o] += 0.5 * (hi - lo);
            z.rc[o] += wj * rc;
            z.rr[o] += aw * rr;
            z.at[o] += Math.max(a1 * xhi, a2 * -xlo);
            z.tt[o] += aw * x32;
            z.mg[o] += (Math.max(a1, a2) + aw) * mg;
            z.m[o] += (L.cPos[t] + L.cNeg[t]) * nzt;
        }
    }

    /**
     * The absolute error float32 underflow may add to a sum of m non-zero products (5 operations
     * each, generously).
     */
    private static double underflow(int m) {
        return m > 0 ? (5.0 * m + 8) * Arithmetic.UNDERFLOW : 0;
    }

    private static void relu(State s) {
        for (int k = 0; k < s.hl.length; k++) {
            double hl = s.hl[k];
            double hu = s.hu[k];
            double nl = Math.max(0, hl);
            double nu = Math.max(0, hu);
            double dl =
                    Math.max(Math.min(0, s.dl[k]), addDown(Math.max(0, addDown(hl, s.dl[k])), -nu));
            double du = Math.min(Math.max(0, s.du[k]), addUp(Math.max(0, addUp(hu, s.du[k])), -nl));
            double rl =
                    Math.max(Math.min(0, s.rl[k]), addDown(Math.max(0, addDown(hl, s.rl[k])), -nu));
            double ru = Math.min(Math.max(0, s.ru[k]), addUp(Math.max(0, addUp(hu, s.ru[k])), -nl));
            s.hl[k] = nl;
            s.hu[k] = nu;
            s.dl[k] = dl;
            s.du[k] = du;
            s.rl[k] = rl;
            s.ru[k] = ru;
        }
    }

    private static State maxPool(State s, int[] in, int size) {
        int ho = in[1] / size;
        int wo = in[2] / size;
        State o = new State(in[0] * ho * wo);
        for (int c = 0; c < in[0]; c++) {
            for (int y = 0; y < ho; y++) {
                for (int x = 0; x < wo; x++) {
                    double hl = Double.NEGATIVE_INFINITY;
                    double hu = Double.NEGATIVE_INFINITY;
                    double tl = Double.NEGATIVE_INFINITY;
                    double tu = Double.NEGATIVE_INFINITY;
                    double gl = Double.NEGATIVE_INFINITY;
                    double gu = Double.NEGATIVE_INFINITY;
                    double dMin = Double.POSITIVE_INFINITY;
                    double dMax = Double.NEGATIVE_INFINITY;
                    double rMin = Double.POSITIVE_INFINITY;
                    double rMax = Double.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < size; dy++) {
                        for (int dx = 0; dx < size; dx++) {
                            int k = (c * in[1] + y * size + dy) * in[2] + x * size + dx;
                            hl = Math.max(hl, s.hl[k]);
                            hu = Math.max(hu, s.hu[k]);
                            tl = Math.max(tl, addDown(s.hl[k], s.dl[k]));
                            tu = Math.max(tu, addUp(s.hu[k], s.du[k]));
                            gl = Math.max(gl, addDown(s.hl[k], s.rl[k]));
                            gu = Math.max(gu, addUp(s.hu[k], s.ru[k]));
                            dMin = Math.min(dMin, s.dl[k]);
                            dMax = Math.max(dMax, s.du[k]);
                            rMin = Math.min(rMin, s.rl[k]);
                            rMax = Math.max(rMax, s.ru[k]);
                        }
                    }
                    int u = (c * ho + y) * wo + x;
                    o.hl[u] = hl;
                    o.hu[u] = hu;
                    o.dl[u] = Math.max(dMin, addDown(tl, -hu));
                    o.du[u] = Math.min(dMax, addUp(tu, -hl));
                    o.rl[u] = Math.max(rMin, addDown(gl, -hu));
                    o.ru[u] = Math.min(rMax, addUp(gu, -hl));
                }
            }
        }
        return o;
    }

    private static State avgPool(State s, int[] in, int size, boolean box) {
        int ho = in[1] / size;
        int wo = in[2] / size;
        int window = size * size;
        double g =
                Arithmetic.gamma(
                        window + 2, Arithmetic.U32); // float32 window sum and division, no TF32
        double slopFactor = 8 * Arithmetic.gamma(2 * window + 32, U64);
        double slopAbsolute = (8.0 * window + 64) * UNDERFLOW64;
        State o = new State(in[0] * ho * wo);
        for (int c = 0; c < in[0]; c++) {
            for (int y = 0; y < ho; y++) {
                for (int x = 0; x < wo; x++) {
                    double shc = 0;
                    double shr = 0;
                    double sdc = 0;
                    double sdr = 0;
                    double src = 0;
                    double srr = 0;
                    double sxt = 0;
                    double sx32 = 0;
                    double smg = 0;
                    for (int dy = 0; dy < size; dy++) {
                        for (int dx = 0; dx < size; dx++) {
                            int k = (c * in[1] + y * size + dy) * in[2] + x * size + dx;
                            double hc = mid(s.hl[k], s.hu[k]);
                            double hr = rad(s.hl[k], s.hu[k], hc);
                            double dc = mid(s.dl[k], s.du[k]);
                            double dr = rad(s.dl[k], s.du[k], dc);
                            double rc = mid(s.rl[k], s.ru[k]);
                            double rr = rad(s.rl[k], s.ru[k], rc);
                            double xt =
                                    Math.max(
                                            Math.abs(addDown(s.hl[k], s.dl[k])),
                                            Math.abs(addUp(s.hu[k], s.du[k])));
                            double x32 =
                                    Math.max(
                                            Math.abs(addDown(s.hl[k], s.rl[k])),
                                            Math.abs(addUp(s.hu[k], s.ru[k])));
                            shc += hc;
                            shr += hr;
                            sdc += dc;
                            sdr += dr;
                            src += rc;
                            srr += rr;
                            sxt += xt;
                            sx32 += x32;
                            smg +=
                                    Math.abs(hc)
                                            + hr
                                            + Math.abs(dc)
                                            + dr
                                            + Math.abs(rc)
                                            + rr
                                            + xt
                                            + x32;
                        }
                    }
                    double slop = smg > 0 ? slopFactor * smg / window + slopAbsolute : 0;
                    double under = smg > 0 ? (window + 2) * Arithmetic.UNDERFLOW : 0;
                    double hc = shc / window;
                    double dc = sdc / window;
                    double rc = src / window;
                    double dr = (sdr / window + g * sxt / window + under + slop) * RADIUS_SAFETY;
                    double rr = (srr / window + g * sx32 / window + under + slop) * RADIUS_SAFETY;
                    int u = (c * ho + y) * wo + x;
                    if (box) {
                        double hr = (shr / window + slop) * RADIUS_SAFETY;
                        o.hl[u] = addDown(hc, -hr);
                        o.hu[u] = addUp(hc, hr);
                    } else {
                        o.hl[u] = hc;
                        o.hu[u] = hc;
                    }
                    o.dl[u] = addDown(dc, -dr);
                    o.du[u] = addUp(dc, dr);
                    o.rl[u] = addDown(rc, -rr);
                    o.ru[u] = addUp(rc, rr);
                }
            }
        }
        return o;
    }

    /** The midpoint of [lo, hi] (lo itself when they are equal). */
    private static double mid(double lo, double hi) {
        return lo == hi ? lo : 0.5 * lo + 0.5 * hi;
    }

    /** A radius r with [c - r, c + r] containing [lo, hi]. */
    private static double rad(double lo, double hi, double c) {
        return lo == hi ? 0 : Math.max(addUp(hi, -c), addUp(c, -lo));
    }

    /**
     * Returns the smallest double at least a + b (exactly: through the rounding error of the sum).
     */
    static double addUp(double a, double b) {
        double s = a + b;
        if (Double.isInfinite(s) || Double.isNaN(s)) {
            return s;
        }
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        return err > 0 ? Math.nextUp(s) : s;
    }

    /** Returns the largest double at most a + b. */
    static double addDown(double a, double b) {
        double s = a + b;
        if (Double.isInfinite(s) || Double.isNaN(s)) {
            return s;
        }
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        return err < 0 ? Math.nextDown(s) : s;
    }
}
