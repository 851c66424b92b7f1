package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

public class TargetTrainerTest {

    public static final ImageSet TRAIN = Synthetic.quadrants("quad/train", 600, 1);
    public static final ImageSet TEST = Synthetic.quadrants("quad/test", 200, 2);

    public static TrainConfig small(long seed, int epochs) {
        return TrainConfig.builder()
                .optHidden(16, 8)
                .optEpochs(epochs)
                .optBatchSize(32)
                .optLearningRate(1e-2f)
                .optSeed(seed)
                .build();
    }

    @Test
    void learnsASeparableSetAndReportsEveryEpoch() {
        List<EpochStats> seen = new ArrayList<>();
        StringWriter bar = new StringWriter();
        TrainResult r =
                new TargetTrainer(small(3, 6))
                        .optOnEpoch(seen::add)
                        .optProgress(new PrintWriter(bar))
                        .train(TRAIN, TEST);
        assertEquals(6, r.history().size());
        assertEquals(r.history(), seen);
        assertArrayEquals(new int[] {64, 16, 8, 4}, r.network().architecture().mlpWidths());
        EpochStats last = r.history().get(5);
        assertTrue(last.testAccuracy() >= 0.97, "test accuracy " + last.testAccuracy());
        assertTrue(r.trainAccuracy() >= 0.97, "train accuracy " + r.trainAccuracy());
        assertTrue(last.loss() < r.history().get(0).loss(), "loss falls");
        assertEquals(last.testAccuracy(), r.testAccuracy());
        // the trained network, evaluated outside the trainer, agrees with the trainer's evaluation
        assertEquals(
                r.testAccuracy(), TargetTrainer.accuracy(r.network(), TEST, Device.cpu()), 1e-12);
        // util/Progress draws the epoch bars (the one bar of sltk) and erases each before the epoch
        // line
        String full =
                String.format(
                        java.util.Locale.ROOT, "%-44s [%s] 100%%", "epoch 6/6", "#".repeat(30));
        assertTrue(bar.toString().contains("\r" + full), bar.toString());
        assertTrue(
                bar.toString().endsWith(full + "\r" + " ".repeat(full.length()) + "\r"),
                bar.toString());
        assertTrue(
                last.toLine()
                        .matches(
                                "epoch 6/6  loss \\d\\.\\d{4}  train [ 1]\\d\\d\\.\\d\\d%  test [ 1]\\d\\d\\.\\d\\d%  \\d+\\.\\d\\d s"),
                last.toLine());
    }

    @Test
    void sameSeedGivesIdenticalWeightsOtherSeedOthers() {
        TrainResult a = new TargetTrainer(small(7, 2)).train(TRAIN, TEST);
        TrainResult b = new TargetTrainer(small(7, 2)).train(TRAIN, TEST);
        TrainResult c = new TargetTrainer(small(8, 2)).train(TRAIN, TEST);
        assertEquals(a.network(), b.network(), "same seed in one JVM: bit-identical weights");
        assertNotEquals(a.network(), c.network());
        assertEquals(a.history().get(1).loss(), b.history().get(1).loss());
    }

    @Test
    void biasFreeNetworksTrainToo() {
        TrainConfig cfg =
                TrainConfig.builder()
                        .optHidden(16)
                        .optBias(false)
                        .optEpochs(8)
                        .optBatchSize(32)
                        .optLearningRate(1e-2f)
                        .build();
        TrainResult r = new TargetTrainer(cfg).train(TRAIN, TEST);
        assertTrue(r.network().architecture().noBias());
        assertTrue(r.testAccuracy() >= 0.9, "test accuracy " + r.testAccuracy());
    }

    @Test
    void shuffleIsAPermutation() {
        int[] p = EpochLoop.permutation(1000, new CounterRandom(1), 1);
        int[] q = EpochLoop.permutation(1000, new CounterRandom(1), 2);
        assertNotEquals(Arrays.toString(p), Arrays.toString(q));
        Arrays.sort(p);
        for (int i = 0; i < p.length; i++) {
            assertEquals(i, p[i]);
        }
    }

    @Test
    void badConfigAndMismatchedSplitsAreOneLineErrors() {
        InputException e =
                assertThrows(
                        InputException.class, () -> TrainConfig.builder().optEpochs(0).build());
        assertEquals("--epochs: must be positive, found 0", e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () -> TrainConfig.builder().optLearningRate(-1f).build());
        assertEquals("--lr: must be a positive finite number, found -1.0", e.getMessage());
        e = assertThrows(InputException.class, () -> TrainConfig.builder().optBatchSize(0).build());
        assertEquals("--batch-size: must be positive, found 0", e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () -> TrainConfig.builder().optHidden(300, 0).build());
        assertEquals(
                "--widths: every hidden width must be positive, found [300, 0]", e.getMessage());
        ImageSet other =
                new ImageSet("other", 2, 2, 4, new float[4], new int[] {0}, java.util.Map.of());
        e =
                assertThrows(
                        InputException.class,
                        () -> new TargetTrainer(small(1, 1)).train(TRAIN, other));
        assertEquals("other: 2x2 images in 4 classes, but quad/train has 8x8 in 4", e.getMessage());
    }
}
