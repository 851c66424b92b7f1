package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.TestRequirements;
import org.sltk.data.DataSplit;
import org.sltk.data.Datasets;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetTrainer;

/**
 * The committed target models load, and reach on their data the accuracy their model.json records.
 */
class CommittedModelsTest {

    @ParameterizedTest
    @CsvSource({"mnist, 0.95", "fashion-mnist, 0.87"})
    void committedModelReachesItsRecordedAccuracy(String dataset, double required) {
        Path dir = Path.of("models", "lenet-300-100-" + dataset);
        TestRequirements.require(Files.isDirectory(dir), dir + " not present");
        TestRequirements.require(
                Files.isDirectory(Path.of("datasets", dataset)),
                "datasets/" + dataset + " not installed (scripts/install-data.sh " + dataset + ")");
        TargetModel m = ModelDirectory.load(dir);
        assertArrayEquals(new int[] {784, 300, 100, 10}, m.network().architecture().mlpWidths());
        assertEquals("784-300-100-10 ReLU MLP, bias", m.network().describe());
        assertEquals(dataset, m.info().dataset());
        DataSplit split = Datasets.load(dataset);
        for (var e : split.test().sources().entrySet()) {
            assertEquals(
                    e.getValue(),
                    m.info().datasetFiles().get(e.getKey()),
                    "data file " + e.getKey() + " changed");
        }
        double acc = TargetTrainer.accuracy(m.network(), split.test(), Device.cpu());
        assertTrue(acc >= required, dataset + ": " + acc);
        assertEquals(
                m.info().testAccuracy(),
                acc,
                1.5 / split.test().size(),
                "recorded test accuracy reproduced");
    }
}
