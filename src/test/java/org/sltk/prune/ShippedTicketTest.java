package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sltk.data.Datasets;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.io.ModelDirectory;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.TargetModel;

/**
 * A real run: the shipped LeNet-300-100 MNIST target pruned at density 0.5, every block of every
 * layer recounted from the random weights, the densities recounted from the dense boolean masks,
 * and the ticket evaluated on the 2,000 held-out digits.
 */
class ShippedTicketTest {

    static TargetModel model;
    static PruneResult result;

    @BeforeAll
    static void prune() {
        System.setProperty("sltk.quiet", "true");
        model = ModelDirectory.load(Path.of("models/lenet-300-100-mnist"));
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.5)
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
    void everyBlockKeepsExactlyK() {
        PruneConfig c = result.config();
        assertEquals(24, c.n());
        assertEquals(12, c.k());
        List<String> bad = BlockCheck.violations(result.ticket(), c.n(), c.k(), true, 20);
        assertEquals(List.of(), bad);
    }

    @Test
    void reportedDensitiesAreTheCountedOnes() {
        MaskedNetwork t = result.ticket();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (LayerStats s : result.layers()) {
                int l = s.layer();
                long second =
                        t.secondMask(m, l)
                                .sum()
                                .toType(ai.djl.ndarray.types.DataType.INT64, false)
                                .getLong();
                long first =
                        t.firstMask(m, l)
                                        .sum()
                                        .toType(ai.djl.ndarray.types.DataType.INT64, false)
                                        .getLong()
                                + t.firstBiasMask(m, l)
                                        .sum()
                                        .toType(ai.djl.ndarray.types.DataType.INT64, false)
                                        .getLong();
                assertEquals(second, s.keptSecond(), "layer " + l + " second");
                assertEquals(first, s.keptFirst(), "layer " + l + " first");
                assertEquals(
                        (long) s.out() * (s.in() + 1) * s.k(),
                        s.keptSecond(),
                        "k per block, layer " + l);
                assertEquals(
                        (double) second / (s.out() * (long) t.random().units(l)),
                        s.densitySecond(),
                        0.0);
            }
        }
    }

    @Test
    void ticketMatchesTheTargetOnHeldOutDigits() {
        EvalReport r =
                new Evaluator(Device.cpu(), 100)
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
        assertTrue(Math.abs(r.ticketAccuracy() - r.targetAccuracy()) <= 0.002, r.toString());
        assertTrue(r.agreement() >= 0.99, r.toString());
        assertTrue(r.withinBound(), r.toString());
        assertTrue(
                r.compactVsDense() < 1e-3,
                "compact and plain passes disagree: " + r.compactVsDense());
        assertTrue(
                r.effectiveVsDense() < 1e-3,
                "effective and plain passes disagree: " + r.effectiveVsDense());
    }
}
