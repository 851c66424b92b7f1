package org.sltk.nn;

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
import org.sltk.io.TestModels;
import org.sltk.util.InputException;

/** cnn model directories: round trip, the layer list, refusal of layers the pruner cannot handle. */
class CnnModelDirectoryTest {

    @TempDir Path tmp;

    @Test
    void aCnnModelRoundTripsAndMlpDirectoriesStillLoad() throws Exception {
        Path dir = tmp.resolve("cnn");
        TargetModel saved = TestModels.saveCnn(dir, TestModels.tinyCnn(), 3);
        assertTrue(Files.isRegularFile(dir.resolve(ModelDirectory.PARAMS_FILE_CNN)));
        TargetModel back = ModelDirectory.load(dir);
        assertTrue(back.isCnn());
        assertEquals(TestModels.tinyCnn(), back.sequential().spec());
        assertEquals(saved.info().sequential(), back.info().sequential());
        assertEquals("cnn", back.info().architecture());
        for (int p = 0; p < back.sequential().parametricCount(); p++) {
            assertArrayEquals(saved.sequential().weights(p), back.sequential().weights(p));
            assertArrayEquals(saved.sequential().biases(p), back.sequential().biases(p));
        }
        String json = Files.readString(dir.resolve("model.json"));
        assertTrue(json.contains("\"architecture\": \"cnn\""), json);
        assertTrue(json.contains("\"type\": \"conv2d\""), json);
        // the committed mlp models load as before
        TargetModel mlp = ModelDirectory.load(Path.of("models/lenet-300-100-mnist"));
        assertFalse(mlp.isCnn());
        assertEquals("784-300-100-10 ReLU MLP, bias", mlp.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"batchnorm", "tanh"})
    void anUnsupportedLayerIsRefusedInOneLine(String type) throws Exception {
        Path dir = tmp.resolve(type);
        TestModels.saveCnn(dir, TestModels.tinyCnn(), 3);
        Path json = dir.resolve("model.json");
        Files.writeString(json, Files.readString(json).replaceFirst("\"type\": \"relu\"", "\"type\": \"" + type + "\""));
        InputException e = assertThrows(InputException.class, () -> ModelDirectory.load(dir));
        assertEquals(json + ": layer 2 is '" + type + "', which sltk cannot prune; supported layers: conv2d, dense, relu,"
                + " maxpool, avgpool, flatten (fold batch norm into the preceding conv first)", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void shapesStrideAndPaddingAreInferred() {
        SequentialSpec s = SequentialSpec.lenet5(new int[] {1, 28, 28}, new int[] {6, 16}, new int[] {120, 84}, 5,
                new int[] {0}, false, 10, true);
        assertEquals(256, s.layers().get(7).in());
        SequentialSpec p = SequentialSpec.lenet5(new int[] {1, 28, 28}, new int[] {6, 16}, new int[] {120, 84}, 5,
                new int[] {2, 0}, false, 10, true);
        assertEquals(400, p.layers().get(7).in());
        assertArrayEquals(new int[] {3, 14, 14}, TestModels.tinyCnn().shapes()[1]);
        assertThrows(InputException.class, () -> new SequentialSpec(new int[] {1, 28, 28},
                java.util.List.of(LayerSpec.conv(3, 2, 3, 1, 0, 1), LayerSpec.flatten(), LayerSpec.dense(10, 2028)), true));
    }
}
