package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;

/**
 * The conv pair construction checked in float64 against the target conv layer by an independent
 * convolution written here (plain loops over output positions and kernel offsets), the pruned pair
 * evaluated channel by channel straight from the random weights and the masks.
 */
class ConvPairPrunerTest {

    private static PruneResult prune(TargetNetwork target, boolean nonNegative, long seed) {
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(16)
                        .optEps(1e-3)
                        .optSeed(seed)
                        .optNonNegativeInput(nonNegative)
                        .build();
        return new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(target);
    }

    /** Reference float64 conv of one image (c, h, w) with weight (o, c, r, r) and bias. */
    static double[] conv64(
            double[] x, int c, int h, int w, float[] k, float[] b, int o, int r, int s, int pad) {
        int ho = (h + 2 * pad - r) / s + 1;
        int wo = (w + 2 * pad - r) / s + 1;
        double[] z = new double[o * ho * wo];
        for (int oc = 0; oc < o; oc++) {
            for (int y = 0; y < ho; y++) {
                for (int xx = 0; xx < wo; xx++) {
                    double acc = b == null ? 0 : b[oc];
                    for (int ic = 0; ic < c; ic++) {
                        for (int dy = 0; dy < r; dy++) {
                            for (int dx = 0; dx < r; dx++) {
                                int iy = y * s + dy - pad;
                                int ix = xx * s + dx - pad;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    acc +=
                                            k[((oc * c + ic) * r + dy) * r + dx]
                                                    * x[(ic * h + iy) * w + ix];
                                }
                            }
                        }
                    }
                    z[(oc * ho + y) * wo + xx] = acc;
                }
            }
        }
        return z;
    }

    /**
     * The first pair of a conv ticket on one image, channel by channel in float64: hidden channel u
     * of pool j = (i, dy, dx) computes ReLU(a_u * x_i(p * s + (dy, dx) - pad)) (ReLU(bias) for the
     * bias pool), and output o sums the kept b_ou * h_u.
     */
    static double[] pair64(MaskedNetwork t, int p, double[] x, int c, int h, int w) {
        RandomNetwork net = t.random();
        Layer.Parametric l = net.layer(p);
        int r = l.kernel();
        int ho = (h + 2 * l.padding() - r) / l.stride() + 1;
        int wo = (w + 2 * l.padding() - r) / l.stride() + 1;
        PairMask m = t.masks().get(p);
        double[] z = new double[l.out() * ho * wo];
        for (int y = 0; y < ho; y++) {
            for (int xx = 0; xx < wo; xx++) {
                for (int o = 0; o < l.out(); o++) {
                    double acc = 0;
                    for (int q = 0; q < m.perOutput(); q++) {
                        int u = m.kept()[o * m.perOutput() + q];
                        int j = u / net.pool();
                        double in;
                        if (j == net.in(p)) {
                            in = 1.0;
                        } else {
                            int ic = j / (r * r);
                            int dy = (j % (r * r)) / r;
                            int dx = j % r;
                            int iy = y * l.stride() + dy - l.padding();
                            int ix = xx * l.stride() + dx - l.padding();
                            in =
                                    iy >= 0 && iy < h && ix >= 0 && ix < w
                                            ? x[(ic * h + iy) * w + ix]
                                            : 0.0;
                        }
                        double hidden = Math.max(0, (double) net.poolWeight(p, u) * in);
                        acc += (double) net.secondWeight(p, o, u) * hidden;
                    }
                    z[(o * ho + y) * wo + xx] = acc;
                }
            }
        }
        return z;
    }

    private static double[] image(CounterRandom rng, int i, int d, boolean nonNegative) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] =
                    nonNegative
                            ? rng.uniformFloat(7, (long) i * d + j)
                            : rng.symmetricFloat(7, (long) i * d + j);
        }
        return x;
    }

    @ParameterizedTest(name = "stride={0}, padding={1}, nonNegativeInput={2}")
    @CsvSource({"1,0,true", "1,2,true", "1,0,false", "1,2,false", "2,1,false"})
    void prunedConvPairMatchesTheTargetConvWithinTheRealisedBound(
            int stride, int pad, boolean nonNegative) {
        int c = 2;
        int h = 7;
        int w = 6;
        int r = 3;
        int o = 3;
        Architecture spec =
                Architecture.builder(c, h, w)
                        .conv(o, r, stride, pad, 1)
                        .relu()
                        .flatten()
                        .dense(4)
                        .build();
        TargetNetwork target = TargetNetwork.random(spec, 21);
        PruneResult res = prune(target, nonNegative, 3);
        MaskedNetwork t = res.ticket();
        assertEquals(List.of(), BlockCheck.violations(t, 16, 4, nonNegative, 10));
        assertEquals(nonNegative ? 0 : 1, res.layers().get(0).signed() ? 1 : 0);
        PairApproximation pa = PairApproximation.of(t, 0);
        int fan = c * r * r;
        // realised per-weight errors of every block of the first pair
        double[][] e = new double[o][fan + 1];
        for (int oc = 0; oc < o; oc++) {
            for (int j = 0; j <= fan; j++) {
                double wj = j < fan ? target.weight(0, oc, j) : target.bias(0, oc);
                double ej = Math.abs(pa.positive(oc, j) - wj);
                if (!nonNegative && j < fan) {
                    ej = Math.max(ej, Math.abs(pa.negative(oc, j) - wj));
                }
                e[oc][j] = ej;
            }
        }
        int ho = (h + 2 * pad - r) / stride + 1;
        int wo = (w + 2 * pad - r) / stride + 1;
        CounterRandom rng = new CounterRandom(5);
        double worst = 0;
        for (int img = 0; img < 50; img++) {
            double[] x = image(rng, img, c * h * w, nonNegative);
            double[] want =
                    conv64(x, c, h, w, target.weights(0), target.biases(0), o, r, stride, pad);
            double[] got = pair64(t, 0, x, c, h, w);
            assertEquals(want.length, got.length);
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < ho; y++) {
                    for (int xx = 0; xx < wo; xx++) {
                        double bound = e[oc][fan];
                        for (int ic = 0; ic < c; ic++) {
                            for (int dy = 0; dy < r; dy++) {
                                for (int dx = 0; dx < r; dx++) {
                                    int iy = y * stride + dy - pad;
                                    int ix = xx * stride + dx - pad;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        bound +=
                                                e[oc][(ic * r + dy) * r + dx]
                                                        * Math.abs(x[(ic * h + iy) * w + ix]);
                                    }
                                }
                            }
                        }
                        int q = (oc * ho + y) * wo + xx;
                        double err = Math.abs(want[q] - got[q]);
                        worst = Math.max(worst, err);
                        assertTrue(
                                err <= bound + 1e-12,
                                "image "
                                        + img
                                        + " output "
                                        + q
                                        + ": error "
                                        + err
                                        + " above "
                                        + bound);
                    }
                }
            }
        }
        assertTrue(worst < 0.02, "pair far from the target conv: " + worst);
        assertTrue(worst > 0, "a pruned pair cannot be exact");
    }

    /** A small CNN using every supported layer, with stride and padding. */
    static Architecture smallCnn() {
        return Architecture.builder(1, 10, 10)
                .conv(4, 3, 1, 1, 1)
                .relu()
                .maxPool(2)
                .conv(5, 3, 2, 1, 1)
                .relu()
                .avgPool(3)
                .flatten()
                .dense(6)
                .relu()
                .dense(3)
                .build();
    }

    /** Like {@link #smallCnn()} with a dilated, strided second conv and a signed first pair. */
    static Architecture dilatedCnn() {
        return Architecture.builder(1, 10, 10)
                .conv(4, 3, 1, 2, 1)
                .maxPool(2)
                .conv(5, 3, 2, 2, 2)
                .relu()
                .avgPool(3)
                .flatten()
                .dense(6)
                .relu()
                .dense(3)
                .build();
    }

    @Test
    void compactAndPlainConvPassesAgreeAndMatchTheTargetWithinTheBound() {
        checkPasses(smallCnn());
    }

    @Test
    void dilationAndAConvWithoutReluBeforeItAreHandled() {
        // conv2's inputs come from conv1 through max-pooling only: they can be negative, so pair 2
        // is signed
        assertFalse(dilatedCnn().nonNegativeInputOf(1, true));
        checkPasses(dilatedCnn());
    }

    private static void checkPasses(Architecture spec) {
        TargetNetwork target = TargetNetwork.random(spec, 4);
        PruneResult res = prune(target, true, 8);
        MaskedNetwork t = res.ticket();
        assertEquals(List.of(), BlockCheck.violations(t, 16, 4, true, 10));
        for (LayerStats st : res.layers()) {
            assertEquals(
                    !spec.nonNegativeInputOf(st.layer(), true), st.signed(), "pair " + st.layer());
        }
        ErrorBound bound = new ErrorBound(target, t, true);
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            int n = 16;
            CounterRandom rng = new CounterRandom(6);
            float[] x = new float[n * 100];
            for (int q = 0; q < x.length; q++) {
                x[q] = rng.uniformFloat(2, q);
            }
            NDArray in = m.create(x, new Shape(n, 1, 10, 10));
            float[] compact = t.forwardCompact(in).toFloatArray();
            float[] dense = t.forwardDense(in).toFloatArray();
            float[] tgt = target.forward(in).toFloatArray();
            float[] effective = t.forwardEffective(in).toFloatArray();
            for (int q = 0; q < compact.length; q++) {
                assertEquals(dense[q], compact[q], 1e-4, "compact vs plain, logit " + q);
                assertEquals(dense[q], effective[q], 1e-4, "effective vs plain, logit " + q);
            }
            // the plain pass over the used units only is the plain pass over every random unit
            // (the unused ones contribute exactly 0), up to float32 summation order
            RandomNetwork net = t.random();
            for (int p = 0; p < net.pairs(); p++) {
                assertTrue(
                        t.masks().get(p).usedUnits(net.units(p)).length < net.units(p),
                        "pair " + p + " uses every unit: the restriction is not exercised");
            }
            float[] all = t.forwardDenseAllUnits(in).toFloatArray();
            for (int q = 0; q < all.length; q++) {
                assertEquals(
                        all[q], dense[q], 1e-5 * (1 + Math.abs(all[q])), "used vs all units " + q);
            }
            for (int i = 0; i < n; i++) {
                double[] xi = new double[100];
                for (int j = 0; j < 100; j++) {
                    xi[j] = x[i * 100 + j];
                }
                double[] want = target.forward64(xi);
                double b = bound.forInput(xi).layers()[3];
                for (int o = 0; o < 3; o++) {
                    assertEquals(want[o], tgt[i * 3 + o], 1e-4, "DJL target vs float64 target");
                    double err = Math.abs(want[o] - compact[i * 3 + o]);
                    assertTrue(err <= b, "image " + i + ": error " + err + " above bound " + b);
                }
            }
        }
        double[] box = bound.overBox(0, 1).layers();
        assertTrue(box[3] >= bound.forInput(new double[100]).layers()[3]);
    }

    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        TargetNetwork target = TargetNetwork.random(smallCnn(), 4);
        String a = prune(target, true, 8).ticket().digest();
        assertEquals(a, prune(target, true, 8).ticket().digest());
        assertFalse(a.equals(prune(target, true, 9).ticket().digest()));
    }

    @Test
    void aDenseOnlySequentialTargetGivesTheDensePrunersMasks() {
        org.sltk.nn.TargetNetwork mlp =
                org.sltk.nn.TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        Architecture spec =
                Architecture.builder(12, 1, 1).flatten().dense(9).relu().dense(4).build();
        TargetNetwork seq =
                TargetNetwork.of(
                        spec,
                        List.of(mlp.weights(0), mlp.weights(1)),
                        java.util.Arrays.asList(mlp.biases(0), mlp.biases(1)),
                        "test");
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(16)
                        .optEps(1e-3)
                        .optSeed(5)
                        .optNonNegativeInput(true)
                        .build();
        String dense =
                new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(mlp).ticket().digest();
        assertEquals(
                dense,
                new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(seq).ticket().digest());
    }
}
