package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.data.ImageSet;
import org.sltk.nn.Architecture;
import org.sltk.nn.DjlBlocks;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetTrainer;
import org.sltk.nn.TargetTrainerTest;
import org.sltk.nn.TrainResult;
import org.sltk.util.InputException;

class ModelDirectoryTest {

    static final ImageSet TRAIN = TargetTrainerTest.TRAIN;
    static final ImageSet TEST = TargetTrainerTest.TEST;
    static TrainResult trained;

    @TempDir Path tmp;

    @BeforeAll
    static void train() {
        trained = new TargetTrainer(TargetTrainerTest.small(5, 2)).train(TRAIN, TEST);
    }

    private Path saved() {
        Path dir = tmp.resolve("models").resolve("quad");
        ModelDirectory.save(dir, trained.network(), ModelInfo.of(trained, "quad", TRAIN, TEST));
        return dir;
    }

    private static void editJson(Path dir, Consumer<JsonObject> edit) throws IOException {
        Path json = dir.resolve(ModelDirectory.JSON_FILE);
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        edit.accept(o);
        Files.writeString(json, o.toString(), StandardCharsets.UTF_8);
    }

    private static String load(Path dir) {
        return assertThrows(InputException.class, () -> ModelDirectory.load(dir)).getMessage();
    }

    @Test
    void trainSaveLoadGivesIdenticalLogits() throws IOException {
        Path dir = saved();
        try (var files = Files.list(dir)) {
            assertEquals(
                    java.util.List.of(ModelDirectory.PARAMS_FILE, ModelDirectory.JSON_FILE),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "exactly the two files, no temporary leftovers");
        }
        try (var siblings = Files.list(dir.getParent())) {
            assertEquals(1, siblings.count(), "the atomic write leaves no temporary directory");
        }
        TargetModel m = ModelDirectory.load(dir);
        assertEquals(trained.network(), m.network(), "bit-identical weights");
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = TEST.flatImages(nd);
            assertArrayEquals(
                    trained.network().forward(x).toFloatArray(),
                    m.network().forward(x).toFloatArray(),
                    0f);
        }
        ModelInfo info = m.info();
        assertEquals(1, info.formatVersion());
        assertEquals(Architecture.mlp(new int[] {64, 16, 8, 4}, true), info.architecture());
        assertArrayEquals(new int[] {64, 16, 8, 4}, info.widths());
        assertEquals("quad", info.dataset());
        assertEquals(
                java.util.Map.of("quad/train.idx", "0".repeat(64), "quad/test.idx", "0".repeat(64)),
                info.datasetFiles());
        assertEquals(600, info.trainSize());
        assertEquals(200, info.testSize());
        assertEquals(5, info.seed());
        assertEquals(2, info.epochs());
        assertEquals(0.01, info.learningRate());
        assertEquals(32, info.batchSize());
        assertEquals(trained.testAccuracy(), info.testAccuracy());
        assertEquals(trained.trainAccuracy(), info.trainAccuracy());
        assertEquals(2, info.history().size());
        assertEquals(trained.history().get(1).loss(), info.history().get(1).loss());
        assertEquals(
                "PyTorch " + org.sltk.util.Engines.engine().getVersion(), info.software().engine());
        // one provenance format: the cores and device of the training machine are recorded too
        assertEquals(Runtime.getRuntime().availableProcessors(), info.software().cores());
        assertEquals("cpu()", info.software().device());
        assertEquals("0.36.0", info.software().djl());
        assertTrue(
                info.software().time().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                info.software().time());
        assertEquals(
                org.sltk.util.Hashing.sha256(dir.resolve(ModelDirectory.PARAMS_FILE)),
                m.paramsSha256());

        // saving again replaces the directory atomically
        ModelDirectory.save(dir, trained.network(), ModelInfo.of(trained, "quad2", TRAIN, TEST));
        assertEquals("quad2", ModelDirectory.load(dir).info().dataset());
    }

    @Test
    void rejectsMissingFiles() throws IOException {
        Path dir = saved();
        Path params = dir.resolve(ModelDirectory.PARAMS_FILE);
        Files.delete(params);
        assertEquals(params + ": file not found; the model directory is incomplete", load(dir));
        Files.delete(dir.resolve(ModelDirectory.JSON_FILE));
        assertEquals(
                dir.resolve("model.json")
                        + ": file not found; a model directory holds model.json and mlp-0000.params (write one with 'sltk train')",
                load(dir));
        assertEquals(
                tmp.resolve("nothing") + ": model directory not found",
                load(tmp.resolve("nothing")));
    }

    @Test
    void rejectsACorruptedParamsFile() throws IOException {
        Path dir = saved();
        Path params = dir.resolve(ModelDirectory.PARAMS_FILE);
        String good = org.sltk.util.Hashing.sha256(params);
        byte[] bytes = Files.readAllBytes(params);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        Files.write(params, cut);
        String bad = org.sltk.util.Hashing.sha256(params);
        assertEquals(
                params
                        + ": SHA-256 "
                        + bad
                        + " does not match model.json ("
                        + good
                        + "); the file is corrupted or was replaced",
                load(dir));
        // even with a matching checksum, a truncated file is refused by its size, before DJL reads
        // it
        editJson(dir, o -> o.addProperty("params_sha256", bad));
        assertEquals(
                dir.resolve("model.json")
                        + ": widths 64-16-8-4 with bias need 1212 float32 parameters (4848 bytes),"
                        + " but mlp-0000.params has only "
                        + cut.length
                        + " bytes",
                load(dir));
        // cut after the size check would pass: the DJL reader refuses it
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length - 8);
        Files.write(params, longer);
        String sha = org.sltk.util.Hashing.sha256(params);
        editJson(dir, o -> o.addProperty("params_sha256", sha));
        String msg = load(dir);
        assertTrue(
                msg.startsWith(
                        params
                                + ": not the DJL parameters of a 64-16-8-4 with bias MLP as model.json says ("),
                msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void rejectsWrongFormatVersionArchitectureActivationAndJson() throws IOException {
        Path dir = saved();
        Path json = dir.resolve("model.json");
        editJson(dir, o -> o.addProperty("format_version", 2));
        assertEquals(
                json + ": unknown format_version 2; this sltk reads format_version 1", load(dir));
        editJson(
                dir,
                o -> {
                    o.addProperty("format_version", 1);
                    o.addProperty("architecture", "rnn");
                });
        assertEquals(
                json + ": unknown architecture \"rnn\"; this sltk reads \"mlp\" and \"cnn\"",
                load(dir));
        editJson(dir, o -> o.addProperty("architecture", "cnn"));
        assertEquals(
                json
                        + ": field 'params_file' must be \"cnn-0000.params\", found \"mlp-0000.params\"",
                load(dir));
        editJson(
                dir,
                o -> {
                    o.addProperty("architecture", "mlp");
                    o.addProperty("activation", "tanh");
                });
        assertEquals(json + ": unknown activation \"tanh\"; this sltk reads \"relu\"", load(dir));
        editJson(
                dir,
                o -> {
                    o.addProperty("activation", "relu");
                    o.remove("bias");
                });
        assertEquals(json + ": missing field 'bias'", load(dir));
        editJson(
                dir,
                o -> {
                    o.addProperty("bias", true);
                    o.add("widths", new JsonPrimitive("784-300"));
                });
        assertEquals(
                json
                        + ": field 'widths' must be an array of at least two positive integers, found \"784-300\"",
                load(dir));
        Files.writeString(json, "{\"format_version\": 1,", StandardCharsets.UTF_8);
        String msg = load(dir);
        assertTrue(msg.startsWith(json + ": not valid JSON ("), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void nestedFieldErrorsNameThePathAndTheValueFound() throws IOException {
        Path dir = saved();
        Path json = dir.resolve("model.json");
        editJson(
                dir,
                o ->
                        o.getAsJsonArray("history")
                                .get(1)
                                .getAsJsonObject()
                                .addProperty("loss", "low"));
        assertEquals(json + ": field 'history[1].loss' must be a number, found \"low\"", load(dir));
        editJson(
                dir,
                o -> {
                    o.getAsJsonArray("history").get(1).getAsJsonObject().addProperty("loss", 0.5);
                    o.getAsJsonObject("training").addProperty("seed", 2.5);
                });
        assertEquals(json + ": field 'training.seed' must be a whole number, found 2.5", load(dir));
        editJson(
                dir,
                o -> {
                    o.getAsJsonObject("training").addProperty("seed", 5);
                    o.getAsJsonObject("training").addProperty("batch_size", 1e10);
                });
        assertEquals(
                json
                        + ": field 'training.batch_size' must be a whole number in the int range, found 1.0E10",
                load(dir));
        editJson(
                dir,
                o -> {
                    o.getAsJsonObject("training").addProperty("batch_size", 32);
                    o.add("dataset", new JsonPrimitive("quad"));
                });
        assertEquals(json + ": field 'dataset' must be an object, found \"quad\"", load(dir));
    }

    @Test
    void rejectsShapeMismatchBetweenJsonAndParams() throws IOException {
        Path dir = saved();
        editJson(
                dir,
                o -> {
                    com.google.gson.JsonArray w = new com.google.gson.JsonArray();
                    for (int x : new int[] {64, 12, 8, 4}) {
                        w.add(new JsonPrimitive(x));
                    }
                    o.add("widths", w);
                });
        assertEquals(
                dir.resolve("mlp-0000.params")
                        + ": layer 1 (dense(64->12)) weight has shape (16, 64) but model.json says (12, 64)",
                load(dir));
    }

    @Test
    void rejectsNanWeights() throws IOException {
        Path dir = saved();
        int[] widths = {64, 16, 8, 4};
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SequentialBlock block = DjlBlocks.block(Architecture.mlp(widths, true));
            DjlBlocks.setParameters(block, trained.network(), nd);
            block.initialize(nd, DataType.FLOAT32, new Shape(1, 64));
            Linear second = (Linear) block.getChildren().get(2).getValue();
            Parameter w = second.getParameters().get("weight");
            float[] v = w.getArray().toFloatArray();
            v[16 + 3] = Float.NaN; // row 1, column 3 of the 16->8 layer
            NDArray nan = nd.create(v, w.getArray().getShape());
            w.getArray().set(nan.toByteBuffer());
            ModelDirectory.writeParams(dir, block);
        }
        Path params = dir.resolve(ModelDirectory.PARAMS_FILE);
        String sha = org.sltk.util.Hashing.sha256(params);
        editJson(dir, o -> o.addProperty("params_sha256", sha));
        assertEquals(
                params + ": layer 2 (dense(16->8)): weight [1][3] is NaN; weights must be finite",
                load(dir));
    }
}
