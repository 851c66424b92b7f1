package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.util.Engines;

/** The archive writer: ZIP layout, determinism, and a hand-written module run by libtorch. */
class TorchScriptWriterTest {

    static TorchScriptWriter gatherScale() {
        return TorchScriptWriter.module("GatherScale")
                .parameter("a", new float[] {2f, -3f}, 2)
                .buffer("idx", new long[] {2, 0}, 2)
                .buffer("keep", new boolean[] {true, false, true}, 3)
                .attribute("note", "hello")
                .attribute("count", 7)
                .extraFile("meta.json", "{\"k\": 1}")
                .forward("g = torch.index_select(x, 1, self.idx)\nreturn torch.mul(g, self.a)");
    }

    @Test
    void libtorchRunsAHandWrittenModuleWithIndexAndBoolBuffers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gs.pt");
        gatherScale().write(file);
        Engines.engine();
        try (Model model = Model.newInstance("gs", Device.cpu(), "PyTorch")) {
            model.load(file, null, Map.of("extraFiles", "meta.json"));
            assertEquals("{\"k\": 1}", model.getProperty("meta.json"));
            try (Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator())) {
                float[] y =
                        p.predict(
                                        new NDList(
                                                model.getNDManager()
                                                        .create(
                                                                new float[] {1, 2, 3, 4, 5, 6},
                                                                new Shape(2, 3))))
                                .singletonOrThrow()
                                .toFloatArray();
                assertArrayEquals(new float[] {6, -3, 12, -12}, y);
            }
        }
    }

    @Test
    void sameContentSameBytesAndDataAlignedTo64(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("gs.pt");
        Path b = dir.resolve("copy/gs.pt");
        gatherScale().write(a);
        gatherScale().write(b);
        byte[] bytes = Files.readAllBytes(a);
        assertArrayEquals(bytes, Files.readAllBytes(b));
        try (ZipFile zip = new ZipFile(a.toFile())) {
            assertEquals(
                    java.util.List.of(
                            "gs/data/0",
                            "gs/data/1",
                            "gs/data/2",
                            "gs/data.pkl",
                            "gs/code/__torch__.py",
                            "gs/constants.pkl",
                            "gs/version",
                            "gs/byteorder",
                            "gs/extra/meta.json"),
                    zip.stream().map(e -> e.getName()).toList());
            assertEquals(
                    "3\n",
                    new String(zip.getInputStream(zip.getEntry("gs/version")).readAllBytes()));
        }
        // walk the local headers: every entry's data starts on a 64-byte boundary
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        int entries = 0;
        while (buf.getInt(pos) == 0x04034b50) {
            int size = buf.getInt(pos + 18);
            int data =
                    pos
                            + 30
                            + (buf.getShort(pos + 26) & 0xFFFF)
                            + (buf.getShort(pos + 28) & 0xFFFF);
            assertEquals(0, data % 64, "entry " + entries);
            pos = data + size;
            entries++;
        }
        assertEquals(9, entries);
    }

    @Test
    void sourceDeclaresParametersBuffersAndAttributes() {
        String src = gatherScale().source();
        assertTrue(
                src.startsWith(
                        "class GatherScale(Module):\n  __parameters__ = [\"a\", ]\n  __buffers__ = [\"idx\", \"keep\", ]\n"),
                src);
        assertTrue(
                src.contains(
                        "  note : str\n  count : int\n  def forward(self: __torch__.GatherScale,\n    x: Tensor) -> Tensor:\n"),
                src);
    }

    @Test
    void forwardRaisesTheGivenMessageWhenAConditionOnTheInputHolds(@TempDir Path dir)
            throws Exception {
        TorchScriptWriter w =
                TorchScriptWriter.module("Checked")
                        .raiseIf(
                                "torch.any(torch.lt(x, 0.0))",
                                "below 0: \"quoted\" and back\\slash")
                        .forward("return torch.mul(x, 2.0)");
        assertTrue(
                w.source()
                        .endsWith(
                                "    x: Tensor) -> Tensor:\n"
                                        + "    if bool(torch.any(torch.lt(x, 0.0))):\n"
                                        + "      ops.prim.RaiseException(\"below 0: \\\"quoted\\\" and back\\\\slash\", \"builtins.ValueError\")\n"
                                        + "    return torch.mul(x, 2.0)\n"),
                w.source());
        Path file = dir.resolve("checked.pt");
        w.write(file);
        Engines.engine();
        try (Model model = Model.newInstance("checked", Device.cpu(), "PyTorch")) {
            model.load(file);
            try (Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator())) {
                var m = model.getNDManager();
                assertArrayEquals(
                        new float[] {0, 2, 4},
                        p.predict(new NDList(m.create(new float[] {0, 1, 2}, new Shape(1, 3))))
                                .singletonOrThrow()
                                .toFloatArray());
                Exception e =
                        assertThrows(
                                Exception.class,
                                () ->
                                        p.predict(
                                                new NDList(
                                                        m.create(
                                                                new float[] {0, -1, 2},
                                                                new Shape(1, 3)))));
                assertTrue(
                        TorchScripts.chain(e).contains("below 0: \"quoted\" and back\\slash"),
                        TorchScripts.chain(e));
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchScriptWriter.module("M").raiseIf("a\nb", "m"));
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchScriptWriter.module("M").raiseIf("x", "line\nbreak"));
    }

    @Test
    void badNamesAndShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TorchScriptWriter.module("1bad"));
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchScriptWriter.module("M").parameter("w", new float[3], 2, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchScriptWriter.module("M").attribute("training", "x"));
        assertThrows(
                IllegalArgumentException.class,
                () -> TorchScriptWriter.module("M").buffer("a", new long[1], 1).attribute("a", 1));
    }
}
