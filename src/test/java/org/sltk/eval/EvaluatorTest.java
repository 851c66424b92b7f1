package org.sltk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.io.TestModels;
import org.sltk.nn.Architecture;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.Arithmetic;
import org.sltk.prune.ErrorBound;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.TicketBound;
import org.sltk.rfss.MeetInTheMiddleSolver;

/**
 * The evaluator's per-image check on real MNIST digits: every image against its own bound, a check
 * that fails for a ticket whose masks were corrupted after the bound was made, and one that fails
 * where the old comparison of the largest error with the largest bound passed.
 */
class EvaluatorTest {

    static ImageSet digits;
    static TargetNetwork target;
    static MaskedNetwork ticket;

    @BeforeAll
    static void prune() {
        System.setProperty("sltk.quiet", "true");
        digits = Datasets.load("mnist").test().subset(0, 300);
        target = TargetNetwork.random(Architecture.mlp(new int[] {784, 16, 10}, true), 5);
        ticket = new PairPruner(config(), new MeetInTheMiddleSolver()).prune(target).ticket();
    }

    private static PruneConfig config() {
        return PruneConfig.builder()
                .setDensity(0.5)
                .optN(12)
                .optEps(1e-3)
                .optSeed(1)
                .optNonNegativeInput(true)
                .build();
    }

    /**
     * The masks of pair 0 with the kept units of some blocks swapped for other units of the same
     * pool and sign: still k per block, but summing to other weights.
     */
    static List<PairMask> corrupted(MaskedNetwork t, int outputs, int[] pools) {
        RandomNetwork net = t.random();
        List<PairMask> masks = new ArrayList<>(t.masks());
        PairMask m0 = masks.get(0);
        int[] kept = m0.kept().clone();
        int pool = net.pool();
        for (int i = 0; i < outputs; i++) {
            int[] row = Arrays.copyOfRange(kept, i * m0.perOutput(), (i + 1) * m0.perOutput());
            for (int j : pools) {
                List<Integer> others = new ArrayList<>();
                for (int u = j * pool; u < (j + 1) * pool; u++) {
                    if (net.poolWeight(0, u) > 0 && Arrays.binarySearch(row, u) < 0) {
                        others.add(u);
                    }
                }
                int o = 0;
                for (int q = 0; q < row.length; q++) {
                    if (row[q] / pool == j && net.poolWeight(0, row[q]) > 0 && o < others.size()) {
                        row[q] = others.get(o++);
                    }
                }
                Arrays.sort(row);
            }
            System.arraycopy(row, 0, kept, i * m0.perOutput(), row.length);
        }
        masks.set(0, new PairMask(m0.outputs(), m0.perOutput(), kept));
        return masks;
    }

    @Test
    void theCorrectTicketRespectsItsBoundOnEveryImage() {
        EvalReport r = new Evaluator(Device.cpu(), 50).evaluate(target, ticket, digits, true);
        assertEquals(300, r.imagesChecked());
        assertEquals(0, r.imagesViolated(), r.toString());
        assertTrue(r.withinBound());
        assertEquals("bound respected on every image (300 of 300)", r.verdict());
        assertEquals("float32", r.arithmetic());
        assertTrue(
                r.boundOnData() >= r.maxLogitError() && r.boundOverBox() >= r.boundOnData(),
                r.toString());
        assertEquals(0.0, r.boxLow(), 0.0);
        assertEquals(1.0, r.boxHigh(), 0.0);
    }

    @Test
    void aTicketWithCorruptedMasksViolatesTheBoundOfTheCorrectOne() {
        // blocks of 4 outputs on 30 pixels near the centre of the digits
        int[] pools = new int[30];
        for (int q = 0; q < pools.length; q++) {
            pools[q] = 14 * 28 + 4 + q % 20 + (q / 20) * 28;
        }
        MaskedNetwork bad = new MaskedNetwork(ticket.random(), corrupted(ticket, 4, pools));
        assertFalse(bad.digest().equals(ticket.digest()));
        TicketBound good = new ErrorBound(target, ticket, true);
        EvalReport r = new Evaluator(Device.cpu(), 0).evaluate(target, bad, digits, true, good);
        System.out.println("corrupted dense ticket against the correct ticket's bound: " + r);
        assertTrue(r.imagesViolated() > 0, r.toString());
        assertFalse(r.withinBound());
        assertTrue(
                r.verdict().startsWith("VIOLATED on " + r.imagesViolated() + " of 300 images"),
                r.verdict());
        // the same corrupted ticket against its own bound: the bound follows the masks it is given
        EvalReport own = new Evaluator(Device.cpu(), 0).evaluate(target, bad, digits, true);
        assertEquals(0, own.imagesViolated(), own.toString());
    }

    @Test
    void aCorruptedConvTicketViolatesTheBoundOfTheCorrectOne() {
        TargetNetwork cnn = TargetNetwork.random(TestModels.tinyCnn(), 5);
        MaskedNetwork good =
                new PairPruner(config(), new MeetInTheMiddleSolver()).prune(cnn).ticket();
        ImageSet few = digits.subset(0, 100);
        EvalReport ok = new Evaluator(Device.cpu(), 10).evaluate(cnn, good, few, true);
        assertEquals(0, ok.imagesViolated(), ok.toString());
        // every patch entry of the first conv, for one of its three output channels
        int[] pools = new int[9];
        for (int j = 0; j < 9; j++) {
            pools[j] = j;
        }
        MaskedNetwork bad = new MaskedNetwork(good.random(), corrupted(good, 1, pools));
        EvalReport r =
                new Evaluator(Device.cpu(), 0)
                        .evaluate(cnn, bad, few, true, new ErrorBound(cnn, good, true));
        System.out.println("corrupted conv ticket against the correct ticket's bound: " + r);
        assertTrue(r.imagesViolated() > 0, r.toString());
        assertFalse(r.withinBound());
    }

    /**
     * A bound that is 0 on the digits with a dark pixel at (14, 14) and huge on the others. The
     * largest error stays far below the largest bound, which the old check (max error &lt;= max
     * bound) took for respected; the per-image check sees the images whose own bound is exceeded.
     */
    @Test
    void eachImageIsCheckedAgainstItsOwnBoundNotTheLargestOne() {
        TicketBound real = new ErrorBound(target, ticket, true);
        int pixel = 14 * 28 + 14;
        TicketBound crafted =
                new TicketBound() {
                    @Override
                    public Enclosure forInput(double[] x) {
                        Enclosure e = real.forInput(x);
                        double s = x[pixel] == 0 ? 0 : 1e6;
                        double[] lo = e.lower().clone();
                        double[] hi = e.upper().clone();
                        double[] layers = e.layers().clone();
                        Arrays.fill(lo, -s);
                        Arrays.fill(hi, s);
                        layers[layers.length - 1] = s;
                        return new Enclosure(
                                layers,
                                e.referenceLower(),
                                e.referenceUpper(),
                                lo,
                                hi,
                                e.ticketLower(),
                                e.ticketUpper(),
                                e.targetLower(),
                                e.targetUpper());
                    }

                    @Override
                    public Enclosure overBox(double lo, double hi) {
                        return real.overBox(lo, hi);
                    }

                    @Override
                    public Arithmetic arithmetic() {
                        return real.arithmetic();
                    }
                };
        int dark = 0;
        float[] px = digits.pixels();
        for (int i = 0; i < digits.size(); i++) {
            dark += px[i * 784 + pixel] == 0 ? 1 : 0;
        }
        assertTrue(dark > 0 && dark < digits.size(), "both kinds of digits: " + dark);
        EvalReport r =
                new Evaluator(Device.cpu(), 0).evaluate(target, ticket, digits, true, crafted);
        assertTrue(
                r.maxLogitError() > 0 && r.maxLogitError() <= r.boundOnData(),
                "the old max-vs-max check passes: " + r);
        assertEquals(
                dark,
                r.imagesViolated(),
                "every digit with a zero bound and a non-zero error: " + r);
        assertFalse(r.withinBound(), r.toString());
    }

    @Test
    void theVerdictSaysHowManyImages() {
        EvalReport ok = report(0, 2000);
        assertEquals("bound respected on every image (2000 of 2000)", ok.verdict());
        assertTrue(ok.withinBound());
        EvalReport bad = report(3, 2000);
        assertEquals("VIOLATED on 3 of 2000 images", bad.verdict());
        assertFalse(bad.withinBound());
        EvalReport unchecked = report(0, 1999);
        assertFalse(unchecked.withinBound(), "an image not checked is no evidence");
    }

    private static EvalReport report(int violated, int checked) {
        return new EvalReport(
                "d", 2000, 0.9, 0.9, 1, 0.1, 0.01, 0.001, List.of(), 1.0, 10.0, 0, 1, checked,
                violated, "float32", 0, 0, 0, 0, 1);
    }
}
