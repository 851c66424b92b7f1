package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.TestRequirements;
import org.sltk.io.RunDirectory;
import org.sltk.io.TorchScripts;
import org.sltk.nn.MaskedNetwork;
import org.sltk.util.Engines;

/**
 * The whole path for a user's PyTorch CNN, through the CLI: a BatchNorm CNN with an in-forward
 * normalisation, trained by real PyTorch on the real digits ({@code
 * scripts/make-torchscript-cnn-fixtures.py --trained}), is imported on {@code --data mnist},
 * pruned, evaluated with its bound, and exported in all three layouts, which Python's torch loads
 * and runs to sltk's logits.
 */
class TorchCnnPathCommandTest {

    private static final Path CNN = Path.of("src/test/resources/org/sltk/io/cnn");

    @TempDir static Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("sltk.quiet", "true");
    }

    @Test
    void aPytorchTrainedBatchNormCnnImportsPrunesEvaluatesAndExportsInEveryLayout()
            throws Exception {
        String missing = TorchScripts.pythonTorchMissing();
        TestRequirements.require(
                missing == null, "the whole-path check runs Python's torch: " + missing);
        Path model = CNN.resolve("trained_bn_mnist.pt");
        float[] x;
        float[] torchLogits;
        double torchAccuracy;
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                InputStream in = Files.newInputStream(CNN.resolve("trained_bn_mnist.npz"))) {
            NDList l = NDList.decode(m, in);
            x = l.get("x").toFloatArray();
            torchLogits = l.get("logits").toFloatArray();
            torchAccuracy = l.get("accuracy").toDoubleArray()[0];
        }
        int images = x.length / 784;

        Path run = tmp.resolve("run");
        CliRun p =
                CliRun.run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--data",
                        "mnist",
                        "--density",
                        "0.25",
                        "--device",
                        "cpu",
                        "--no-eval",
                        "--out",
                        run.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(
                p.out()
                        .contains(
                                "input 1x28x28 from the data; 2 BatchNorm2d folded into their convs"),
                p.out());
        assertTrue(
                p.out()
                        .contains(
                                "target: 1x28x28 normalize(1)-conv3x3(1->6,s2,p1)-relu-maxpool2"
                                        + "-conv3x3(6->8,p1)-relu-avgpool2-flatten-dense(72->10)"),
                p.out());

        CliRun e = CliRun.run("eval", "--run", run.toString(), "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        Matcher acc =
                Pattern.compile(
                                "target accuracy ([0-9.]+), ticket accuracy ([0-9.]+) .*, agreement ([0-9.]+)")
                        .matcher(e.out());
        assertTrue(acc.find(), e.out());
        // sltk's import computes torch's own accuracy on the 2,000 test digits
        assertEquals(String.format(Locale.ROOT, "%.4f", torchAccuracy), acc.group(1), e.out());
        double target = Double.parseDouble(acc.group(1));
        double ticket = Double.parseDouble(acc.group(2));
        assertTrue(Math.abs(ticket - target) <= 0.005, e.out());
        assertTrue(Double.parseDouble(acc.group(3)) >= 0.99, e.out());
        assertTrue(e.out().contains("bound respected on every image (2000 of 2000)"), e.out());

        RunDirectory.Run loaded = RunDirectory.load(run);
        MaskedNetwork t = loaded.ticket();
        float[] compact;
        float[] masked;
        float[] imported;
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray in = m.create(x, new Shape(images, 1, 28, 28));
            compact = t.forwardCompact(in).toFloatArray();
            masked = t.forwardDense(in).toFloatArray();
            imported = loaded.model().network().forward(in).toFloatArray();
        }
        assertTrue(maxDifference(imported, torchLogits) <= 1e-5, "import vs torch's logits");

        Path input = tmp.resolve("x.bin");
        TorchScripts.writeFloats(input, x);
        for (String layout : new String[] {"compact", "masked", "torch-prune"}) {
            Path file = tmp.resolve("ticket-" + layout + ".pt");
            CliRun w =
                    CliRun.run(
                            "export",
                            "--run",
                            run.toString(),
                            "--layout",
                            layout,
                            "--out",
                            file.toString());
            assertEquals(0, w.code(), w.err());
            float[] y =
                    TorchScripts.floats(
                            TorchScripts.runPython(
                                    file,
                                    layout.equals("torch-prune"),
                                    input,
                                    new long[] {images, 1, 28, 28},
                                    tmp));
            float[] want = layout.equals("compact") ? compact : masked;
            double scale = 0;
            for (float v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            double d = maxDifference(y, want);
            System.out.printf(
                    Locale.ROOT,
                    "trained BN CNN, %s: python torch vs sltk max difference %.3g (logits up to %.3g)%n",
                    layout,
                    d,
                    scale);
            // Python's libtorch 1.13 and DJL's 2.7.1 sum in other orders: float32 rounding, a few
            // ulps of logits up to ~18 (1e-5 absolute for logits up to 5); torch-prune's
            // normalisation module also rounds x * (1/std) - mean/std, not (x - mean) / std
            double tolerance = (layout.equals("torch-prune") ? 1e-5 : 2e-6) * Math.max(5, scale);
            assertTrue(d <= tolerance, layout + ": " + d);
        }
    }

    @Test
    void aCnnThatDoesNotTakeTheDataIsRefusedInOneLineBeforeAnyWork() {
        Path out = tmp.resolve("refused");
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        CNN.resolve("bn_script.pt").toString(),
                        "--data",
                        "mnist",
                        "--density",
                        "0.25",
                        "--out",
                        out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "sltk: bn_script.pt: does not take the data's 1x28x28 images: layer 1"
                        + " (normalize(3)): has 3 channels, its input has 1; use --data matching the"
                        + " model\n",
                r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(out));
    }

    private static double maxDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
