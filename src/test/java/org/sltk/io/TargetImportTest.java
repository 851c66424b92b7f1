package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Imports of pretrained targets: TorchScript fixtures made by Python torch 1.13 ({@code
 * make_fixtures.py} next to them), MLPs written by sltk's own exporter, and .npz files.
 */
class TargetImportTest {
    private static final String ONLY =
            "; sltk imports only sequential networks of Conv2d, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Linear, Dropout and Identity";

    static ImageSet test;

    @BeforeAll
    static void images() {
        test = Datasets.load("mnist").test().subset(0, 200);
    }

    static Path fixture(String name) throws Exception {
        return Path.of(TargetImportTest.class.getResource(name).toURI());
    }

    /**
     * The imported network's Java pass against libtorch running the source file, on MNIST images.
     */
    static void predictsLikeTheSource(TargetNetwork net, Path source) throws Exception {
        float[] want = TorchScripts.runDjl(source, test.pixels(), test.size(), 784);
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            float[] got =
                    net.forward(m.create(test.pixels(), new Shape(test.size(), 784)))
                            .toFloatArray();
            assertEquals(want.length, got.length);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-5, source.getFileName() + " output " + i);
            }
        }
    }

    @Test
    void scriptedPythonMlpAndItsNpzImportAsTheSameNetwork() throws Exception {
        TargetNetwork pt = TorchScriptImport.load(fixture("mlp_relu.pt"));
        assertArrayEquals(new int[] {784, 16, 10}, pt.architecture().mlpWidths());
        assertTrue(pt.architecture().allBiased());
        predictsLikeTheSource(pt, fixture("mlp_relu.pt"));
        TargetNetwork npz = NpzImport.load(fixture("mlp_relu.npz"));
        assertEquals(pt, npz);
    }

    @Test
    void tracedSequentialWithFlattenImports() throws Exception {
        TargetNetwork net = TorchScriptImport.load(fixture("seq_relu.pt"));
        assertArrayEquals(new int[] {784, 8, 8, 10}, net.architecture().mlpWidths());
        predictsLikeTheSource(net, fixture("seq_relu.pt"));
    }

    @Test
    void sltksOwnMlpExportRoundTrips(@TempDir Path dir) throws Exception {
        for (boolean bias : new boolean[] {true, false}) {
            TargetNetwork net =
                    TargetNetwork.random(Architecture.mlp(new int[] {784, 20, 12, 10}, bias), 4);
            Path file = dir.resolve("mlp-" + bias + ".pt");
            TicketExport.writeMlp(net, file);
            TargetNetwork back = TorchScriptImport.load(file);
            assertEquals(net, back);
            predictsLikeTheSource(back, file);
        }
    }

    @Test
    void tanhLayerIsRefusedByName() throws Exception {
        InputException e =
                assertThrows(
                        InputException.class, () -> TorchScriptImport.load(fixture("mlp_tanh.pt")));
        assertEquals("mlp_tanh.pt: layer 'act1' is Tanh" + ONLY, e.getMessage());
    }

    @Test
    void sigmoidCallIsRefusedByName() throws Exception {
        InputException e =
                assertThrows(
                        InputException.class,
                        () -> TorchScriptImport.load(fixture("mlp_sigmoid_fn.pt")));
        assertEquals(
                "mlp_sigmoid_fn.pt: forward of 'SigmoidMlp' calls torch.sigmoid"
                        + " (\"_0 = (fc2).forward(torch.sigmoid((fc1).forward(x, )), )\")"
                        + ONLY,
                e.getMessage());
    }

    @Test
    void tanhMlpFromSltksWriterIsRefused(@TempDir Path dir) {
        Path file = dir.resolve("tanh.pt");
        TicketExport.mlpWriter(
                        TargetNetwork.random(Architecture.mlp(new int[] {6, 4, 2}, true), 1),
                        "tanh")
                .write(file);
        InputException e = assertThrows(InputException.class, () -> TorchScriptImport.load(file));
        assertEquals(
                "tanh.pt: forward of 'SltkMlp' calls torch.tanh (\"h = torch.tanh(h)\")" + ONLY,
                e.getMessage());
    }

    @Test
    void aReluChainWithTheWrongWiringIsCaughtByRunningIt(@TempDir Path dir) {
        // allowed ops only, but no ReLU between the layers: only running the module shows it
        TargetNetwork net = TargetNetwork.random(Architecture.mlp(new int[] {6, 4, 2}, true), 1);
        Path file = dir.resolve("linear.pt");
        TicketExport.mlpWriter(net, "relu")
                .forward(
                        String.join(
                                "\n",
                                "h = torch.linear(x, self.fc1_weight, self.fc1_bias)",
                                "return torch.linear(h, self.fc2_weight, self.fc2_bias)"))
                .write(file);
        InputException e = assertThrows(InputException.class, () -> TorchScriptImport.load(file));
        assertTrue(
                e.getMessage()
                        .startsWith("linear.pt: the module does not compute the Linear+ReLU chain"),
                e.getMessage());
    }

    @Test
    void notTorchScriptIsRefused(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "not a zip");
        assertEquals(
                junk + ": not a TorchScript file (not a ZIP archive)",
                assertThrows(InputException.class, () -> TorchScriptImport.load(junk))
                        .getMessage());
        Path npzAsPt = dir.resolve("weights.pt");
        Files.copy(fixture("mlp_relu.npz"), npzAsPt);
        assertTrue(
                assertThrows(InputException.class, () -> TorchScriptImport.load(npzAsPt))
                        .getMessage()
                        .startsWith(npzAsPt + ": not a TorchScript module (no data.pkl or code/"));
    }

    /** Writes named float32 arrays as .npz through DJL (NumPy reads the result). */
    static Path npz(Path file, Map<String, float[][]> arrays) throws Exception {
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                OutputStream out = Files.newOutputStream(file)) {
            NDList list = new NDList();
            for (Map.Entry<String, float[][]> e : arrays.entrySet()) {
                float[][] v = e.getValue();
                NDArray a =
                        v.length == 1 && e.getKey().toLowerCase().startsWith("b")
                                ? m.create(v[0])
                                : m.create(v);
                a.setName(e.getKey());
                list.add(a);
            }
            list.encode(out, NDList.Encoding.NPZ);
        }
        return file;
    }

    static float[][] rows(TargetNetwork net, int l) {
        Layer.Parametric d = net.layer(l);
        float[][] r = new float[d.out()][d.in()];
        for (int o = 0; o < d.out(); o++) {
            for (int i = 0; i < d.in(); i++) {
                r[o][i] = net.weight(l, o, i);
            }
        }
        return r;
    }

    @Test
    void numberedNpzImports(@TempDir Path dir) throws Exception {
        TargetNetwork net = TargetNetwork.random(Architecture.mlp(new int[] {5, 4, 3}, true), 8);
        Map<String, float[][]> a = new java.util.LinkedHashMap<>();
        for (int l = 0; l < 2; l++) {
            a.put("w" + l, rows(net, l));
            a.put("b" + l, new float[][] {net.biases(l)});
        }
        assertEquals(net, NpzImport.load(npz(dir.resolve("mlp.npz"), a)));
    }

    @Test
    void npzProblemsAreOneLineNamingTheArray(@TempDir Path dir) throws Exception {
        float[][] w0 = {{1, 2, 3}, {4, 5, 6}};
        float[][] nan = {{1, Float.NaN}, {3, 4}};
        assertEquals(
                "nan.npz: 'w1' has NaN at [0, 1]; weights must be finite",
                assertThrows(
                                InputException.class,
                                () ->
                                        NpzImport.load(
                                                npz(
                                                        dir.resolve("nan.npz"),
                                                        Map.of("w0", w0, "w1", nan))))
                        .getMessage());
        float[][] inf = {{Float.POSITIVE_INFINITY, 0}};
        assertEquals(
                "inf.npz: 'fc2.weight' has Infinity at [0, 0]; weights must be finite",
                assertThrows(
                                InputException.class,
                                () ->
                                        NpzImport.load(
                                                npz(
                                                        dir.resolve("inf.npz"),
                                                        new java.util.LinkedHashMap<>(
                                                                Map.of("fc1.weight", w0)) {
                                                            {
                                                                put("fc2.weight", inf);
                                                            }
                                                        })))
                        .getMessage());
        float[][] bad = {{1, 2, 3}};
        assertEquals(
                "chain.npz: 'w1' has shape (1, 3) but 'w0' has 2 outputs; layers must chain",
                assertThrows(
                                InputException.class,
                                () ->
                                        NpzImport.load(
                                                npz(
                                                        dir.resolve("chain.npz"),
                                                        Map.of("w0", w0, "w1", bad))))
                        .getMessage());
        float[][] t0 = {{1, 2}, {3, 4}, {5, 6}}; // (in=3, out=2) stored as (in, out)
        float[][] t1 = {{1, 2, 3, 4}, {5, 6, 7, 8}}; // (in=2, out=4)
        assertTrue(
                assertThrows(
                                InputException.class,
                                () ->
                                        NpzImport.load(
                                                npz(
                                                        dir.resolve("t.npz"),
                                                        Map.of("w0", t0, "w1", t1))))
                        .getMessage()
                        .endsWith("transpose them"));
        assertTrue(
                assertThrows(
                                InputException.class,
                                () ->
                                        NpzImport.load(
                                                npz(dir.resolve("names.npz"), Map.of("alpha", w0))))
                        .getMessage()
                        .startsWith(
                                "names.npz: cannot tell the layers from the array names [alpha]"));
    }

    @Test
    void targetModelsDispatchOnDirectoryAndExtension(@TempDir Path dir) throws Exception {
        TargetModel pt = TargetModels.load(fixture("mlp_relu.pt"));
        TargetModel npz = TargetModels.load(fixture("mlp_relu.npz"));
        assertEquals(pt.network(), npz.network());
        assertEquals(64, pt.paramsSha256().length());
        Path other = Files.writeString(dir.resolve("model.onnx"), "x");
        assertTrue(
                assertThrows(InputException.class, () -> TargetModels.load(other))
                        .getMessage()
                        .contains("unknown kind of file"));
        assertTrue(
                assertThrows(InputException.class, () -> TargetModels.load(dir.resolve("none.pt")))
                        .getMessage()
                        .contains("not found"));
    }
}
