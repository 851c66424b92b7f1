package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sltk.cli.Sltk;
import org.sltk.nn.Architecture;
import org.sltk.nn.DjlBlocks;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetNetwork;

/**
 * The corpus of bad model directories in {@code src/test/resources/org/sltk/io/bad-models/}: each
 * case holds {@code model.json}, {@code mlp-0000.params} and {@code expected.txt}, the exact line
 * {@code sltk prune} must print ({@code @DIR@} stands for the case's directory). Each is refused
 * with exit code 2 and no run directory appears. {@link #main} wrote the cases (Tribuo's way); the
 * expected lines were written by hand.
 */
class BadModelsTest {

    static final Path CORPUS = Path.of("src/test/resources/org/sltk/io/bad-models");

    @TempDir Path tmp;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusedWithOneLineAndNoOutput(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        for (String f : List.of(ModelDirectory.JSON_FILE, ModelDirectory.PARAMS_FILE)) {
            Files.copy(CORPUS.resolve(name).resolve(f), dir.resolve(f));
        }
        String expected =
                Files.readString(CORPUS.resolve(name).resolve("expected.txt"))
                        .strip()
                        .replace("@DIR@", dir.toString());
        Path out = tmp.resolve("run-" + name);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code =
                Sltk.commandLine(new PrintWriter(o), new PrintWriter(e))
                        .execute(
                                "prune",
                                "--model",
                                dir.toString(),
                                "--out",
                                out.toString(),
                                "--no-eval",
                                "--device",
                                "cpu");
        assertEquals(2, code, e.toString());
        assertEquals("sltk: " + expected + "\n", e.toString());
        assertFalse(Files.exists(out), "no run directory for a bad model");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "nothing else written next to it");
        }
    }

    /**
     * Writes the corpus (run once from the project root with the test classpath).
     *
     * @param args unused
     * @throws Exception on a write error
     */
    public static void main(String[] args) throws Exception {
        int[] widths = {4, 3, 2};
        TargetNetwork net = TargetNetwork.random(Architecture.mlp(widths, true), 11);
        write("nan-weight", net, block -> set(block, 0, "weight", 1 * 4 + 2, Float.NaN), null);
        write(
                "infinite-bias",
                net,
                block -> set(block, 1, "bias", 1, Float.POSITIVE_INFINITY),
                null);
        write("absurd-widths", net, null, o -> o.add("widths", array(4, 2_000_000_000, 2)));
        write("absurd-depth", net, null, o -> o.add("widths", array(4, 3, 65536, 65536, 65536, 2)));
        write(
                "fractional-width",
                net,
                null,
                o -> {
                    JsonArray a = array(4, 3, 2);
                    a.set(1, new com.google.gson.JsonPrimitive(3.5));
                    o.add("widths", a);
                });
        write(
                "nan-width",
                net,
                null,
                o -> {
                    JsonArray a = array(4, 3, 2);
                    a.set(1, new com.google.gson.JsonPrimitive(Double.NaN));
                    o.add("widths", a);
                });
    }

    private interface Edit<T> {
        void apply(T t) throws Exception;
    }

    private static JsonArray array(int... v) {
        JsonArray a = new JsonArray();
        for (int x : v) {
            a.add(x);
        }
        return a;
    }

    private static void set(
            SequentialBlock block, int layer, String param, int index, float value) {
        Linear lin =
                (Linear)
                        block.getChildren().values().stream()
                                .filter(b -> b instanceof Linear)
                                .skip(layer)
                                .findFirst()
                                .orElseThrow();
        Parameter p = lin.getParameters().get(param);
        float[] v = p.getArray().toFloatArray();
        v[index] = value;
        NDArray changed = p.getArray().getManager().create(v, p.getArray().getShape());
        p.getArray().set(changed.toByteBuffer());
    }

    private static void write(
            String name, TargetNetwork net, Edit<SequentialBlock> params, Edit<JsonObject> json)
            throws Exception {
        Path dir = CORPUS.resolve(name);
        Files.createDirectories(dir);
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SequentialBlock block = DjlBlocks.toBlock(net, nd);
            if (params != null) {
                params.apply(block);
            }
            ModelDirectory.writeParams(dir, block);
        }
        String sha = org.sltk.util.Hashing.sha256(dir.resolve(ModelDirectory.PARAMS_FILE));
        ModelInfo info = ModelInfo.untrained(net.architecture(), "mnist", 11);
        JsonObject o = JsonParser.parseString(ModelDirectory.toJson(info, sha)).getAsJsonObject();
        if (json != null) {
            json.apply(o);
        }
        Files.writeString(
                dir.resolve(ModelDirectory.JSON_FILE),
                new com.google.gson.GsonBuilder()
                                .setPrettyPrinting()
                                .serializeSpecialFloatingPointValues()
                                .create()
                                .toJson(o)
                        + "\n",
                StandardCharsets.UTF_8);
    }
}
