package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.eval.EvalReport;
import org.sltk.eval.Evaluator;
import org.sltk.nn.TargetModel;
import org.sltk.util.Json;

/**
 * Format 1 stays readable: the model and run directories in {@code format1/} were written by main's
 * sltk before issue 16's refactor (see its README.md); the current code must load each, reproduce
 * the recorded mask digest and give a ticket whose logits stay within the guaranteed bound of its
 * target's on the first 200 committed MNIST test digits.
 */
class Format1FixturesTest {

    static final Path DIR = Path.of("src/test/resources/org/sltk/io/format1");

    private static ImageSet digits;

    @BeforeAll
    static void data() {
        System.setProperty("sltk.quiet", "true");
        digits = Datasets.load("mnist").test().subset(0, 200);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "mlp | 784-8-10 ReLU MLP, bias | 6370 | 5a0def26b7eb6dab151931a8887123c01ff34e69e39347a1518b7eaf53060b3f | 0.485 | 0.845",
                "cnn | 1x28x28 conv5x5(1->2)-relu-maxpool2-conv5x5(2->4)-relu-maxpool2-flatten-dense(64->8)-relu-dense(8->10), bias"
                        + " | 866 | f59c9886565b95884646fbee21b428c16836058332ccd6e4fd5691918bb0642b | 0.400 | 0.935",
            })
    void loadsTheModelAndTheRunAndTheTicketAgrees(
            String kind,
            String target,
            long params,
            String digest,
            double targetAccuracy,
            double agreement) {
        TargetModel model = ModelDirectory.load(DIR.resolve(kind + "-model"));
        assertEquals(target, model.network().describe());
        assertEquals(params, model.network().parameterCount());
        assertEquals(1, model.info().formatVersion());
        assertEquals("mnist", model.info().dataset());
        assertEquals(1, model.info().epochs());

        Path runDir = DIR.resolve(kind + "-run");
        Path prune = runDir.resolve(RunDirectory.PRUNE);
        assertEquals(
                digest,
                Json.string(Json.read(prune), "maskDigest", prune),
                "the digest prune.json recorded");
        RunDirectory.Run run = RunDirectory.load(runDir);
        assertEquals(digest, run.ticket().digest(), "the reloaded masks");
        assertEquals(
                model.network(),
                run.model().network(),
                "the run's target is the model directory's");
        assertEquals(0.25, run.config().density());
        assertEquals(24, run.config().n());
        assertEquals(6, run.config().k());
        assertEquals(0.01, run.config().eps());

        EvalReport e =
                new Evaluator(Device.cpu())
                        .evaluate(run.model().network(), run.ticket(), digits, true);
        assertEquals(200, e.images());
        // one-epoch toy targets at eps 0.01: low accuracy, but pinned (one image of 200 is 0.005)
        assertEquals(targetAccuracy, e.targetAccuracy(), 0.0051, e.toString());
        assertEquals(agreement, e.agreement(), 0.0051, e.toString());
        assertTrue(
                e.maxLogitError() <= e.boundOnData(),
                "measured error within the guaranteed bound: " + e);
        assertEquals(0, e.imagesViolated());
        assertTrue(
                e.compactVsDense() < 1e-4, "compact and dense passes agree: " + e.compactVsDense());
    }
}
