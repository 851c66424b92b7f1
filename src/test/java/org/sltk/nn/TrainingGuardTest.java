package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sltk.data.ImageSet;
import org.sltk.util.InputException;

/**
 * The per-batch check of the training loop: a non-finite gradient that does not reproduce is a
 * kernel fault, never the learning rate; one that reproduces in a healthy training is a
 * reproducible fault; only a real divergence gets the {@code --lr} message. And the trainers run
 * with the thread count of their configuration, restored afterwards.
 */
class TrainingGuardTest {

    static final ImageSet TRAIN = Synthetic.quadrants("quad/train", 600, 1);
    static final ImageSet TEST = Synthetic.quadrants("quad/test", 200, 2);

    private static TrainConfig mlp(float lr, int epochs, int threads) {
        return TrainConfig.builder()
                .optHidden(16, 8)
                .optEpochs(epochs)
                .optBatchSize(32)
                .optLearningRate(lr)
                .optSeed(3)
                .optThreads(threads)
                .build();
    }

    /** One conv layer (4 channels, 3x3) on the 8x8 quadrant images, pooled, then dense. */
    private static Architecture cnn() {
        return Architecture.lenet5(
                new int[] {1, 8, 8},
                new int[] {4},
                new int[] {16},
                3,
                new int[] {0},
                false,
                4,
                true);
    }

    /**
     * Sets gradient element 0 of the first parameter to NaN in the given epoch, batch and attempts.
     */
    private static EpochLoop.GradientHook nanAt(
            int epoch, int batch, boolean everyAttempt, List<Integer> attempts) {
        return (e, b, attempt, grads) -> {
            if (e == epoch && b == batch) {
                attempts.add(attempt);
                if (attempt == 0 || everyAttempt) {
                    NDArray g = grads.get(0);
                    float[] v = g.toFloatArray();
                    v[0] = Float.NaN;
                    g.set(v);
                }
            }
        };
    }

    @Test
    void aFaultThatDoesNotReproduceIsBlamedOnTheKernelNotTheLearningRate() {
        List<Integer> attempts = new ArrayList<>();
        NonFiniteTrainingException e =
                assertThrows(
                        NonFiniteTrainingException.class,
                        () ->
                                new TargetTrainer(mlp(1e-2f, 2, 1))
                                        .optGradientHook(nanAt(1, 3, false, attempts))
                                        .train(TRAIN, TEST));
        assertEquals(List.of(0, 1), attempts, "the batch is computed once more");
        assertFalse(e.reproducible());
        assertEquals(1, e.epoch());
        assertEquals(3, e.batch());
        String m = e.getMessage();
        assertTrue(m.startsWith("epoch 1, batch 3 of 19: the gradient of "), m);
        assertTrue(
                m.contains(
                        "has 1 non-finite value(s), but the same batch recomputed from the same parameters gave a "
                                + "finite loss"),
                m);
        assertTrue(
                m.contains(
                        "the fault did not reproduce, so it is not the learning rate but most likely a fault in a "
                                + "native kernel (PyTorch "),
                m);
        assertTrue(m.contains(" 1 thread(s), "), m);
        assertTrue(
                m.endsWith(
                        "run with DNNL_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 "
                                + "(./sltk sets them) and --threads 1"),
                m);
        assertFalse(m.contains("--lr"), m);
    }

    @Test
    void aCnnTrainsThroughTheSameGuard() {
        List<Integer> attempts = new ArrayList<>();
        NonFiniteTrainingException e =
                assertThrows(
                        NonFiniteTrainingException.class,
                        () ->
                                new TargetTrainer(mlp(3e-3f, 2, 1))
                                        .optGradientHook(nanAt(2, 5, false, attempts))
                                        .train(cnn(), TRAIN, TEST));
        assertEquals(List.of(0, 1), attempts);
        assertFalse(e.reproducible());
        assertTrue(
                e.getMessage().startsWith("epoch 2, batch 5 of 19: the gradient of "),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("Conv2d"), "names the conv parameter: " + e.getMessage());
        assertFalse(e.getMessage().contains("--lr"), e.getMessage());
    }

    @Test
    void aReproducibleFaultInAHealthyTrainingIsNotADivergence() {
        List<Integer> attempts = new ArrayList<>();
        NonFiniteTrainingException e =
                assertThrows(
                        NonFiniteTrainingException.class,
                        () ->
                                new TargetTrainer(mlp(1e-2f, 3, 1))
                                        .optGradientHook(nanAt(2, 4, true, attempts))
                                        .train(TRAIN, TEST));
        assertEquals(List.of(0, 1), attempts);
        assertTrue(e.reproducible());
        String m = e.getMessage();
        assertTrue(m.startsWith("epoch 2, batch 4 of 19: the gradient of "), m);
        assertTrue(
                m.contains(
                        "reproduced from the same parameters, but the training shows no sign of diverging (loss "
                                + "first batch "),
                m);
        assertTrue(m.contains("epoch means "), m);
        assertTrue(m.contains("largest |parameter| "), m);
        assertFalse(m.contains("--lr"), m);
    }

    @Test
    void aRealDivergenceStillBlamesTheLearningRateWithTheEvidence() {
        InputException e =
                assertThrows(
                        InputException.class,
                        () -> new TargetTrainer(mlp(1e20f, 2, 1)).train(TRAIN, TEST));
        String m = e.getMessage();
        assertTrue(m.startsWith("training diverged in epoch "), m);
        assertTrue(m.contains("reproduced from the same parameters (loss first batch "), m);
        assertTrue(m.contains("largest |parameter| "), m);
        assertTrue(
                m.contains("largest |parameter| 1.00e+20"),
                "Adam's first step moved every weight by the lr: " + m);
        assertTrue(m.endsWith("; try a smaller --lr (now 1.0E20)"), m);
    }

    @Test
    void trainingRunsWithTheConfiguredThreadsAndRestoresTheEngines() {
        int outside = TargetTrainer.engineThreads();
        try {
            for (int[] c : new int[][] {{2, 1}, {1, 2}}) {
                TargetTrainer.setEngineThreads(c[0]);
                List<Integer> seen = new ArrayList<>();
                TrainResult r =
                        new TargetTrainer(mlp(1e-2f, 2, c[1]))
                                .optOnEpoch(s -> seen.add(TargetTrainer.engineThreads()))
                                .train(TRAIN, TEST);
                assertEquals(
                        List.of(c[1], c[1]), seen, "engine had " + c[0] + ", config asks " + c[1]);
                assertEquals(c[1], r.machine().threads());
                assertEquals(c[0], TargetTrainer.engineThreads(), "restored after training");

                seen.clear();
                TrainResult q =
                        new TargetTrainer(mlp(3e-3f, 1, c[1]))
                                .optOnEpoch(s -> seen.add(TargetTrainer.engineThreads()))
                                .train(cnn(), TRAIN, TEST);
                assertEquals(List.of(c[1]), seen);
                assertEquals(c[1], q.machine().threads());
                assertEquals(c[0], TargetTrainer.engineThreads());
            }
            // restored after a failed training too
            TargetTrainer.setEngineThreads(2);
            assertThrows(
                    InputException.class,
                    () -> new TargetTrainer(mlp(1e20f, 2, 1)).train(TRAIN, TEST));
            assertEquals(2, TargetTrainer.engineThreads());
        } finally {
            TargetTrainer.setEngineThreads(outside);
        }
    }
}
