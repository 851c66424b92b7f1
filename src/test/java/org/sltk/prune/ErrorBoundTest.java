package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * The rigour of {@link ErrorBound} on small random targets and their tickets, dense and conv
 * (padding, stride, dilation, max and average pooling, signed and non-negative inputs): for every
 * image, the measured float32 difference of the two DJL passes lies in the interval of its own
 * bound and in the box bound, per logit and per layer; the float32 passes and an independent
 * float64 brute force of the ticket (ND4J's masked matrices for dense tickets, unit by unit loops
 * for conv ones) lie in the enclosures of ticket - reference and target - reference. Tightness is
 * not asserted: the ratio bound / measured is printed.
 */
class ErrorBoundTest {

    private static final int IMAGES = 40;

    private static PruneConfig config(boolean nonNegative, long seed) {
        return PruneConfig.builder()
                .setDensity(0.25)
                .optN(16)
                .optEps(1e-3)
                .optSeed(seed)
                .optNonNegativeInput(nonNegative)
                .build();
    }

    /** Images with about 40% exact zeros (like MNIST's background), in [0, 1) or [-1, 1). */
    static double[][] images(int n, int d, boolean nonNegative, long seed) {
        CounterRandom rng = new CounterRandom(seed);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                long q = (long) i * d + j;
                if (rng.uniformFloat(1, q) < 0.4) {
                    continue;
                }
                x[i][j] = nonNegative ? rng.uniformFloat(2, q) : rng.symmetricFloat(2, q);
            }
        }
        return x;
    }

    // ---- independent float64 references ----

    /** The dense target in float64 with ND4J. */
    static double[][] targetNd4j(TargetNetwork net, double[][] x) {
        INDArray h = Nd4j.create(x).castTo(DataType.DOUBLE);
        for (int l = 0; l < net.parametricCount(); l++) {
            Layer.Parametric d = net.layer(l);
            double[][] w = new double[d.out()][d.in()];
            for (int o = 0; o < d.out(); o++) {
                for (int j = 0; j < d.in(); j++) {
                    w[o][j] = net.weight(l, o, j);
                }
            }
            h = h.mmul(Nd4j.create(w).transpose());
            if (d.bias()) {
                double[] b = new double[d.out()];
                for (int o = 0; o < b.length; o++) {
                    b[o] = net.bias(l, o);
                }
                h = h.addRowVector(Nd4j.create(b, new long[] {1, d.out()}, DataType.DOUBLE));
            }
            if (l + 1 < net.parametricCount()) {
                h = Transforms.relu(h, true);
            }
        }
        return h.toDoubleMatrix();
    }

    /**
     * The dense ticket in float64 with ND4J: the plain masked pass, dense random matrices times the
     * masks.
     */
    static double[][] ticketNd4j(MaskedNetwork t, double[][] x) {
        RandomNetwork net = t.random();
        INDArray h = Nd4j.create(x).castTo(DataType.DOUBLE);
        for (int l = 0; l < net.pairs(); l++) {
            int units = net.units(l);
            int in = net.in(l);
            PairMask m = t.masks().get(l);
            double[][] w1 = new double[units][in];
            double[] b1 = new double[units];
            for (int i = 0; i < m.outputs(); i++) {
                for (int u : m.keptUnits(i)) {
                    int j = u / net.pool();
                    if (j < in) {
                        w1[u][j] = net.firstWeight(l, u, j);
                    } else {
                        b1[u] = net.firstBias(l, u);
                    }
                }
            }
            double[][] w2 = new double[net.out(l)][units];
            for (int i = 0; i < m.outputs(); i++) {
                for (int u : m.keptUnits(i)) {
                    w2[i][u] = net.secondWeight(l, i, u);
                }
            }
            INDArray hidden =
                    Transforms.relu(
                            h.mmul(Nd4j.create(w1).transpose())
                                    .addRowVector(
                                            Nd4j.create(
                                                    b1, new long[] {1, units}, DataType.DOUBLE)),
                            true);
            h = hidden.mmul(Nd4j.create(w2).transpose());
            if (l + 1 < net.pairs()) {
                h = Transforms.relu(h, true);
            }
        }
        return h.toDoubleMatrix();
    }

    /**
     * A conv ticket on one image in float64, hidden channel by hidden channel from the random
     * weights and masks.
     */
    static double[] convTicket64(MaskedNetwork t, double[] x) {
        RandomNetwork net = t.random();
        Architecture spec = net.architecture();
        int[][] shapes = spec.shapes();
        double[] h = x;
        int p = 0;
        for (int q = 0; q < spec.layers().size(); q++) {
            Layer layer = spec.layers().get(q);
            Layer.Parametric l = layer instanceof Layer.Parametric pl ? pl : null;
            int[] si = shapes[q];
            int[] so = shapes[q + 1];
            switch (layer.kind()) {
                case CONV2D:
                case DENSE:
                    {
                        int r = l.kernel();
                        PairMask m = t.masks().get(p);
                        double[] z = new double[so[0] * so[1] * so[2]];
                        for (int o = 0; o < so[0]; o++) {
                            for (int y = 0; y < so[1]; y++) {
                                for (int xx = 0; xx < so[2]; xx++) {
                                    double acc = 0;
                                    for (int u : m.keptUnits(o)) {
                                        int j = u / net.pool();
                                        double in;
                                        if (j == net.in(p)) {
                                            in = 1.0;
                                        } else {
                                            int ic = j / (r * r);
                                            int dy = (j % (r * r)) / r;
                                            int dx = j % r;
                                            int iy =
                                                    y * l.stride()
                                                            + dy * l.dilation()
                                                            - l.padding();
                                            int ix =
                                                    xx * l.stride()
                                                            + dx * l.dilation()
                                                            - l.padding();
                                            in =
                                                    iy >= 0 && iy < si[1] && ix >= 0 && ix < si[2]
                                                            ? h[(ic * si[1] + iy) * si[2] + ix]
                                                            : 0;
                                        }
                                        acc +=
                                                (double) net.secondWeight(p, o, u)
                                                        * Math.max(
                                                                0,
                                                                (double) net.poolWeight(p, u) * in);
                                    }
                                    z[(o * so[1] + y) * so[2] + xx] = acc;
                                }
                            }
                        }
                        h = z;
                        p++;
                        break;
                    }
                case RELU:
                    {
                        double[] z = new double[h.length];
                        for (int k = 0; k < z.length; k++) {
                            z[k] = Math.max(0, h[k]);
                        }
                        h = z;
                        break;
                    }
                case MAXPOOL:
                case AVGPOOL:
                    {
                        int s = Layer.poolSize(layer);
                        double[] z = new double[so[0] * so[1] * so[2]];
                        for (int c = 0; c < so[0]; c++) {
                            for (int y = 0; y < so[1]; y++) {
                                for (int xx = 0; xx < so[2]; xx++) {
                                    double acc =
                                            layer.kind() == Layer.Kind.MAXPOOL
                                                    ? Double.NEGATIVE_INFINITY
                                                    : 0;
                                    for (int dy = 0; dy < s; dy++) {
                                        for (int dx = 0; dx < s; dx++) {
                                            double v =
                                                    h[
                                                            (c * si[1] + y * s + dy) * si[2]
                                                                    + xx * s
                                                                    + dx];
                                            acc =
                                                    layer.kind() == Layer.Kind.MAXPOOL
                                                            ? Math.max(acc, v)
                                                            : acc + v;
                                        }
                                    }
                                    z[(c * so[1] + y) * so[2] + xx] =
                                            layer.kind() == Layer.Kind.MAXPOOL
                                                    ? acc
                                                    : acc / (s * s);
                                }
                            }
                        }
                        h = z;
                        break;
                    }
                default:
                    break;
            }
        }
        return h;
    }

    /**
     * The dense target's pre-activations per layer with DJL in float32 (as the evaluator computes
     * them).
     */
    private static NDList denseTargetLayers(TargetNetwork target, NDArray x) {
        NDManager m = x.getManager();
        NDList out = new NDList();
        NDArray h = x;
        for (int l = 0; l < target.parametricCount(); l++) {
            Layer.Parametric d = target.layer(l);
            NDArray w = m.create(target.weights(l), new Shape(d.out(), d.in()));
            NDArray z =
                    d.bias()
                            ? Linear.linear(h, w, m.create(target.biases(l))).head()
                            : Linear.linear(h, w).head();
            out.add(z);
            h = l + 1 < target.parametricCount() ? Activation.relu(z) : z;
        }
        return out;
    }

    // ---- the checks ----

    /** What one case measured, for the printed tightness. */
    private record Seen(double maxError, double maxBound, double boxBound) {}

    /**
     * Checks every image: float32 layers of target and ticket (per layer, flat per image), the
     * float64 references of the logits, against the per-image and the box enclosures.
     */
    private static Seen check(
            String name,
            TicketBound bound,
            double[][] x,
            List<float[]> t32,
            List<float[]> p32,
            double[][] t64,
            double[][] p64,
            double lo,
            double hi) {
        int layers = t32.size();
        int n = x.length;
        int classes = t32.get(layers - 1).length / n;
        TicketBound.Enclosure box = bound.overBox(lo, hi);
        double maxError = 0;
        double maxBound = 0;
        for (int i = 0; i < n; i++) {
            TicketBound.Enclosure e = bound.forInput(x[i]);
            assertEquals(layers, e.layers().length, name);
            for (int l = 0; l < layers; l++) {
                int width = t32.get(l).length / n;
                for (int u = 0; u < width; u++) {
                    double d =
                            Math.abs(
                                    (double) p32.get(l)[i * width + u] - t32.get(l)[i * width + u]);
                    assertTrue(
                            d <= e.layers()[l],
                            name
                                    + ": image "
                                    + i
                                    + ", layer "
                                    + l
                                    + ", unit "
                                    + u
                                    + ": |ticket - target| "
                                    + d
                                    + " above its bound "
                                    + e.layers()[l]);
                }
            }
            float[] tl = t32.get(layers - 1);
            float[] pl = p32.get(layers - 1);
            assertTrue(
                    e.contains(pl, tl, i * classes),
                    name + ": image " + i + " outside its own enclosure");
            assertTrue(
                    box.contains(pl, tl, i * classes),
                    name + ": image " + i + " outside the box enclosure");
            assertTrue(
                    e.logitBound() <= box.logitBound(),
                    name + ": per-image bound above the box bound");
            for (int k = 0; k < classes; k++) {
                double ref = e.referenceLower()[k];
                assertEquals(
                        ref, e.referenceUpper()[k], 0.0, "one image: the reference is a point");
                String at = name + ": image " + i + ", logit " + k;
                assertEquals(
                        t64[i][k],
                        ref,
                        1e-12 * (1 + Math.abs(ref)),
                        at + ": float64 reference vs the independent target");
                double tq = tl[i * classes + k];
                double pq = pl[i * classes + k];
                double diff = pq - tq;
                assertTrue(diff >= e.lower()[k] && diff <= e.upper()[k], at);
                within(
                        at + ": target32 - reference",
                        tq - ref,
                        e.targetLower()[k],
                        e.targetUpper()[k]);
                within(
                        at + ": ticket32 - reference",
                        pq - ref,
                        e.ticketLower()[k],
                        e.ticketUpper()[k]);
                within(
                        at + ": float64 ticket - reference",
                        p64[i][k] - ref,
                        e.ticketLower()[k],
                        e.ticketUpper()[k]);
                within(
                        at + ": exact target in the box",
                        t64[i][k],
                        box.referenceLower()[k],
                        box.referenceUpper()[k]);
                within(
                        at + ": ticket32 - exact target, box",
                        pq - t64[i][k],
                        box.ticketLower()[k],
                        box.ticketUpper()[k]);
                within(
                        at + ": target32 - exact target, box",
                        tq - t64[i][k],
                        box.targetLower()[k],
                        box.targetUpper()[k]);
                maxError = Math.max(maxError, Math.abs(diff));
            }
            maxBound = Math.max(maxBound, e.logitBound());
        }
        System.out.printf(
                Locale.ROOT,
                "%s: measured max %.3e, per-image bound max %.3e (%.1fx), box bound %.3e (%.1fx)%n",
                name,
                maxError,
                maxBound,
                maxBound / maxError,
                box.logitBound(),
                box.logitBound() / maxError);
        assertTrue(maxError > 0, name + ": a ticket cannot be exact");
        return new Seen(maxError, maxBound, box.logitBound());
    }

    private static void within(String what, double v, double lo, double hi) {
        assertTrue(v >= lo && v <= hi, what + " = " + v + " outside [" + lo + ", " + hi + "]");
    }

    @ParameterizedTest(name = "{0}, bias={1}, nonNegativeInput={2}")
    @CsvSource({
        "12-9-7-4,true,true",
        "12-9-7-4,true,false",
        "12-9-7-4,false,true",
        "12-9-7-4,false,false",
        "60-20-10,true,true",
        "60-20-10,true,false"
    })
    void denseTicketsStayInsideTheirBounds(String widths, boolean bias, boolean nonNegative) {
        int[] w = java.util.Arrays.stream(widths.split("-")).mapToInt(Integer::parseInt).toArray();
        TargetNetwork target = TargetNetwork.random(Architecture.mlp(w, bias), 11);
        MaskedNetwork ticket =
                new PairPruner(config(nonNegative, 5), new MeetInTheMiddleSolver())
                        .prune(target)
                        .ticket();
        ErrorBound bound = new ErrorBound(target, ticket, nonNegative);
        double[][] x = images(IMAGES, w[0], nonNegative, 3);
        double[][] t64 = targetNd4j(target, x);
        double[][] p64 = ticketNd4j(ticket, x);
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] flat = new float[IMAGES * w[0]];
            for (int i = 0; i < IMAGES; i++) {
                for (int j = 0; j < w[0]; j++) {
                    flat[i * w[0] + j] = (float) x[i][j];
                }
            }
            NDArray in = m.create(flat, new Shape(IMAGES, w[0]));
            List<float[]> t32 = new ArrayList<>();
            List<float[]> p32 = new ArrayList<>();
            for (NDArray a : denseTargetLayers(target, in)) {
                t32.add(a.toFloatArray());
            }
            for (NDArray a : ticket.forwardCompactLayers(in)) {
                p32.add(a.toFloatArray());
            }
            String name =
                    "dense " + widths + (bias ? "" : " no bias") + (nonNegative ? "" : " signed");
            check(name, bound, x, t32, p32, t64, p64, nonNegative ? 0 : -1, 1);
            // the effective pass (the evaluator's) is held to the same enclosures
            check(
                    name + " effective",
                    bound,
                    x,
                    t32,
                    floats(ticket.forwardEffectiveLayers(in)),
                    t64,
                    p64,
                    nonNegative ? 0 : -1,
                    1);
        }
    }

    /**
     * conv pad 1, ReLU, max-pool 2, conv stride 2 pad 1, ReLU, avg-pool 3, flatten, dense, ReLU,
     * dense.
     */
    static Architecture paddedCnn(boolean bias) {
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
                .optBias(bias)
                .build();
    }

    /**
     * A dilated, strided conv fed by max-pooling without ReLU (signed inputs: both signs, and
     * inputs of either sign).
     */
    static Architecture dilatedCnn() {
        return Architecture.builder(2, 11, 11)
                .conv(4, 3, 1, 2, 1)
                .maxPool(2)
                .conv(5, 3, 2, 2, 2)
                .relu()
                .avgPool(2)
                .flatten()
                .dense(6)
                .relu()
                .dense(3)
                .build();
    }

    @ParameterizedTest(name = "{0}, nonNegativeInput={1}")
    @CsvSource({
        "padded,true",
        "padded,false",
        "padded-no-bias,true",
        "dilated,true",
        "dilated,false"
    })
    void convTicketsStayInsideTheirBounds(String kind, boolean nonNegative) {
        Architecture spec =
                kind.equals("dilated") ? dilatedCnn() : paddedCnn(!kind.endsWith("no-bias"));
        TargetNetwork target = TargetNetwork.random(spec, 4);
        MaskedNetwork ticket =
                new PairPruner(config(nonNegative, 8), new MeetInTheMiddleSolver())
                        .prune(target)
                        .ticket();
        ErrorBound bound = new ErrorBound(target, ticket, nonNegative);
        int d = spec.inputSize();
        double[][] x = images(IMAGES, d, nonNegative, 6);
        double[][] t64 = new double[IMAGES][];
        double[][] p64 = new double[IMAGES][];
        for (int i = 0; i < IMAGES; i++) {
            t64[i] = target.forward64(x[i]);
            p64[i] = convTicket64(ticket, x[i]);
        }
        int[] s = spec.inputShape();
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] flat = new float[IMAGES * d];
            for (int i = 0; i < IMAGES; i++) {
                for (int j = 0; j < d; j++) {
                    flat[i * d + j] = (float) x[i][j];
                }
            }
            NDArray in = m.create(flat, new Shape(IMAGES, s[0], s[1], s[2]));
            List<float[]> t32 = new ArrayList<>();
            List<float[]> p32 = new ArrayList<>();
            for (NDArray a : target.forwardLayers(in)) {
                t32.add(a.toFloatArray());
            }
            for (NDArray a : ticket.forwardCompactLayers(in)) {
                p32.add(a.toFloatArray());
            }
            String name = "cnn " + kind + (nonNegative ? "" : " signed");
            check(name, bound, x, t32, p32, t64, p64, nonNegative ? 0 : -1, 1);
            check(
                    name + " effective",
                    bound,
                    x,
                    t32,
                    floats(ticket.forwardEffectiveLayers(in)),
                    t64,
                    p64,
                    nonNegative ? 0 : -1,
                    1);
        }
    }

    @Test
    void aDenseTargetAndTheSameNetworkAsASequentialTargetGetTheSameBound() {
        TargetNetwork mlp = TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        Architecture spec =
                Architecture.builder(12, 1, 1).flatten().dense(9).relu().dense(4).build();
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l < mlp.parametricCount(); l++) {
            w.add(mlp.weights(l));
            b.add(mlp.biases(l));
        }
        TargetNetwork seq = TargetNetwork.of(spec, w, b, "test");
        MaskedNetwork dense =
                new PairPruner(config(true, 5), new MeetInTheMiddleSolver()).prune(mlp).ticket();
        MaskedNetwork conv =
                new PairPruner(config(true, 5), new MeetInTheMiddleSolver()).prune(seq).ticket();
        assertEquals(dense.digest(), conv.digest(), "the same masks either way");
        ErrorBound a = new ErrorBound(mlp, dense, true);
        ErrorBound c = new ErrorBound(seq, conv, true);
        for (double[] x : images(10, 12, true, 9)) {
            assertEquals(
                    java.util.Arrays.toString(a.forInput(x).layers()),
                    java.util.Arrays.toString(c.forInput(x).layers()));
        }
        assertEquals(a.overBox(0, 1).logitBound(), c.overBox(0, 1).logitBound(), 0.0);
    }

    @Test
    void tf32IsAccountedForAndWidensTheBound() {
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        MaskedNetwork ticket =
                new PairPruner(config(true, 5), new MeetInTheMiddleSolver()).prune(target).ticket();
        ErrorBound f32 = new ErrorBound(target, ticket, true, Arithmetic.FLOAT32);
        ErrorBound tf32 = new ErrorBound(target, ticket, true, Arithmetic.TF32);
        assertEquals(Arithmetic.TF32, tf32.arithmetic());
        for (double[] x : images(10, 12, true, 9)) {
            TicketBound.Enclosure a = f32.forInput(x);
            TicketBound.Enclosure b = tf32.forInput(x);
            for (int k = 0; k < 4; k++) {
                assertTrue(
                        b.lower()[k] <= a.lower()[k] && b.upper()[k] >= a.upper()[k],
                        "tf32 encloses float32");
                // the target's own rounding interval grows with the TF32 roundoff 2^-11 instead of
                // 2^-24
                double wa = a.targetUpper()[k] - a.targetLower()[k];
                double wb = b.targetUpper()[k] - b.targetLower()[k];
                assertTrue(wb > 100 * wa, "tf32 rounding " + wb + " vs float32 " + wa);
            }
        }
    }

    @Test
    void aNegativeInputIsRefusedWhereTheTicketWasPrunedForNonNegativeOnes() {
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        MaskedNetwork ticket =
                new PairPruner(config(true, 5), new MeetInTheMiddleSolver()).prune(target).ticket();
        ErrorBound bound = new ErrorBound(target, ticket, true);
        double[] x = new double[12];
        x[3] = -0.5;
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> bound.forInput(x));
        assertEquals(
                "input -0.5, but the ticket was pruned for non-negative inputs", e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> bound.overBox(-1, 1));
    }

    @Test
    void anInputOfZerosGivesTheBiasErrorsAndRoundingOnly() {
        // a target without biases on an all-zero input: both networks compute exactly 0, and so
        // must the bound
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, false), 11);
        MaskedNetwork ticket =
                new PairPruner(config(true, 5), new MeetInTheMiddleSolver()).prune(target).ticket();
        TicketBound.Enclosure e = new ErrorBound(target, ticket, true).forInput(new double[12]);
        for (int k = 0; k < 4; k++) {
            assertEquals(0.0, e.lower()[k], 0.0);
            assertEquals(0.0, e.upper()[k], 0.0);
        }
    }

    private static List<float[]> floats(ai.djl.ndarray.NDList layers) {
        List<float[]> out = new ArrayList<>();
        for (NDArray a : layers) {
            out.add(a.toFloatArray());
        }
        return out;
    }
}
