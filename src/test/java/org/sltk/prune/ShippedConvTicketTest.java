package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sltk.data.Datasets;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.io.ModelDirectory;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetModel;

/**
 * A real run on the shipped LeNet-5: pruned at density 0.25, every conv and dense block recounted
 * from the random weights, the kept counts recounted from the dense boolean masks, and the ticket
 * evaluated on the 2,000 held-out digits.
 */
class ShippedConvTicketTest {

    static TargetModel model;
    static PruneResult result;

    @BeforeAll
    static void prune() {
        System.setProperty("sltk.quiet", "true");
        model = ModelDirectory.load(Path.of("models/lenet5-mnist"));
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optEps(1e-3)
                        .optSeed(1)
                        .optNonNegativeInput(true)
                        .build();
        result =
                new PairPruner(
                                cfg,
                                new org.sltk.rfss.MeetInTheMiddleSolver(
                                        Runtime.getRuntime().availableProcessors()))
                        .prune(model.network());
    }

    @Test
    void ticketHasThePinnedDigest() {
        // the LeNet-5 ticket at density 0.25, eps 1e-3, seed 1: ./sltk prune --model
        // models/lenet5-mnist --density 0.25
        assertEquals(org.sltk.Golden.get("lenet5.digest.0.25"), result.ticket().digest());
    }

    @Test
    void everyConvBlockKeepsExactlyK() {
        PruneConfig c = result.config();
        assertEquals(24, c.n());
        assertEquals(6, c.k());
        assertEquals(List.of(), BlockCheck.violations(result.ticket(), c.n(), c.k(), true, 20));
        // and by hand for the conv pairs: per output channel and patch-entry pool, k kept channels
        MaskedNetwork t = result.ticket();
        RandomNetwork net = t.random();
        for (int p = 0; p < 2; p++) {
            assertEquals(org.sltk.nn.Layer.Kind.CONV2D, net.layer(p).kind());
            PairMask m = t.masks().get(p);
            for (int o = 0; o < m.outputs(); o++) {
                int[] count = new int[net.pools(p)];
                for (int u : m.keptUnits(o)) {
                    assertTrue(
                            net.poolWeight(p, u) > 0,
                            "pair " + p + " keeps a channel that never fires");
                    count[u / net.pool()]++;
                }
                for (int j = 0; j < count.length; j++) {
                    assertEquals(c.k(), count[j], "pair " + p + ", output " + o + ", pool " + j);
                }
            }
        }
    }

    @Test
    void reportedDensitiesAreTheCountedOnes() {
        MaskedNetwork t = result.ticket();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (LayerStats s : result.layers()) {
                int p = s.layer();
                long second = t.secondMask(m, p).sum().toType(DataType.INT64, false).getLong();
                long first =
                        t.firstMask(m, p).sum().toType(DataType.INT64, false).getLong()
                                + t.firstBiasMask(m, p)
                                        .sum()
                                        .toType(DataType.INT64, false)
                                        .getLong();
                assertEquals(second, s.keptSecond(), "pair " + p + " second");
                assertEquals(first, s.keptFirst(), "pair " + p + " first");
                assertEquals(
                        (long) s.out() * (s.in() + 1) * s.k(),
                        s.keptSecond(),
                        "k per block, pair " + p);
            }
        }
    }

    @Test
    void ticketMatchesTheTargetOnHeldOutDigits() {
        EvalReport r =
                new Evaluator(Device.cpu(), 20)
                        .evaluate(
                                model.network(),
                                result.ticket(),
                                Datasets.load("mnist").test(),
                                true);
        assertEquals(
                model.info().testAccuracy(),
                r.targetAccuracy(),
                1e-9,
                "the shipped target's recorded accuracy");
        assertTrue(Math.abs(r.ticketAccuracy() - r.targetAccuracy()) <= 0.003, r.toString());
        assertTrue(r.agreement() >= 0.99, r.toString());
        assertTrue(r.withinBound(), r.toString());
        assertTrue(
                r.compactVsDense() < 1e-4,
                "compact and plain passes disagree: " + r.compactVsDense());
        assertTrue(
                r.effectiveVsDense() < 1e-4,
                "effective and plain passes disagree: " + r.effectiveVsDense());
    }
}
