package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.data.DataSplit;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;

/** Training a small LeNet-5 on real digits: it learns, and the same seed gives the same weights. */
class CnnTrainerTest {

    private static TrainResult train(ImageSet train, ImageSet test, long seed) {
        Architecture spec =
                Architecture.lenet5(
                        new int[] {1, 28, 28},
                        new int[] {4, 8},
                        new int[] {32},
                        5,
                        new int[] {0},
                        false,
                        10,
                        true);
        TrainConfig cfg =
                TrainConfig.builder().optEpochs(3).optSeed(seed).optLearningRate(3e-3f).build();
        return new TargetTrainer(cfg).train(spec, train, test);
    }

    @Test
    void learnsRealDigitsAndIsReproducible() {
        DataSplit data = Datasets.load("mnist");
        ImageSet train = data.train().subset(0, 2000);
        ImageSet test = data.test().subset(0, 500);
        TrainResult a = train(train, test, 3);
        assertEquals(3, a.history().size());
        assertTrue(a.testAccuracy() > 0.8, "3 epochs on 2,000 digits: " + a.testAccuracy());
        assertTrue(a.history().get(2).loss() < a.history().get(0).loss(), "loss falls");
        assertEquals(
                1,
                a.machine().threads(),
                "the library trains with the config's thread count, 1 by default");
        TrainResult b = train(train, test, 3);
        for (int p = 0; p < a.network().parametricCount(); p++) {
            assertArrayEquals(
                    a.network().weights(p),
                    b.network().weights(p),
                    "layer " + p + ": same seed, same weights");
        }
    }
}
