package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.TargetModel;
import org.sltk.util.InputException;

/**
 * cnn model directories: round trip, the layer list, refusal of layers the pruner cannot handle.
 */
class CnnModelDirectoryTest {

    @TempDir Path tmp;

    @Test
    void aCnnModelRoundTripsAndMlpDirectoriesStillLoad() throws Exception {
        Path dir = tmp.resolve("cnn");
        TargetModel saved = TestModels.save(dir, TestModels.tinyCnn(), 3);
        assertTrue(Files.isRegularFile(dir.resolve(ModelDirectory.PARAMS_FILE_CNN)));
        TargetModel back = ModelDirectory.load(dir);
        assertEquals(TestModels.tinyCnn(), back.network().architecture());
        assertEquals(saved.info().architecture(), back.info().architecture());
        for (int p = 0; p < back.network().parametricCount(); p++) {
            assertArrayEquals(saved.network().weights(p), back.network().weights(p));
            assertArrayEquals(saved.network().biases(p), back.network().biases(p));
        }
        String json = Files.readString(dir.resolve("model.json"));
        assertTrue(json.contains("\"architecture\": \"cnn\""), json);
        assertTrue(json.contains("\"type\": \"conv2d\""), json);
        // the committed mlp models load as before
        TargetModel mlp = ModelDirectory.load(Path.of("models/lenet-300-100-mnist"));
        assertArrayEquals(new int[] {784, 300, 100, 10}, mlp.network().architecture().mlpWidths());
        assertEquals("784-300-100-10 ReLU MLP, bias", mlp.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"batchnorm", "tanh"})
    void anUnsupportedLayerIsRefusedInOneLine(String type) throws Exception {
        Path dir = tmp.resolve(type);
        TestModels.save(dir, TestModels.tinyCnn(), 3);
        Path json = dir.resolve("model.json");
        Files.writeString(
                json,
                Files.readString(json)
                        .replaceFirst("\"type\": \"relu\"", "\"type\": \"" + type + "\""));
        InputException e = assertThrows(InputException.class, () -> ModelDirectory.load(dir));
        assertEquals(
                json
                        + ": layer 2 is '"
                        + type
                        + "', which sltk cannot prune; supported layers: conv2d, dense, relu,"
                        + " maxpool, avgpool, flatten, normalize (fold batch norm into the preceding conv first)",
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void shapesStrideAndPaddingAreInferred() {
        Architecture s =
                Architecture.lenet5(
                        new int[] {1, 28, 28},
                        new int[] {6, 16},
                        new int[] {120, 84},
                        5,
                        new int[] {0},
                        false,
                        10,
                        true);
        assertEquals(256, ((Layer.Linear) s.layers().get(7)).in());
        Architecture p =
                Architecture.lenet5(
                        new int[] {1, 28, 28},
                        new int[] {6, 16},
                        new int[] {120, 84},
                        5,
                        new int[] {2, 0},
                        false,
                        10,
                        true);
        assertEquals(400, ((Layer.Linear) p.layers().get(7)).in());
        assertArrayEquals(new int[] {3, 14, 14}, TestModels.tinyCnn().shapes()[1]);
        assertThrows(
                InputException.class,
                () ->
                        new Architecture(
                                new int[] {1, 28, 28},
                                java.util.List.of(
                                        new Layer.Conv2d(2, 3, 3, 1, 0, 1, true),
                                        new Layer.Flatten(),
                                        new Layer.Linear(2028, 10, true))));
    }
}
