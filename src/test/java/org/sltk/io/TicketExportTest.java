package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.TestRequirements;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.nn.Architecture;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.Engines;

/**
 * Tickets exported as TorchScript are loaded back by libtorch (through DJL's PyTorch engine, not by
 * sltk) and by Python's torch where installed, and must compute what sltk's Java passes compute on
 * real MNIST test images.
 */
class TicketExportTest {

    static final int IMAGES = 300;

    static ImageSet test;
    static MaskedNetwork ticket;

    @BeforeAll
    static void pruneSmallTarget() {
        test = Datasets.load("mnist").test().subset(0, IMAGES);
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {784, 32, 10}, true), 3);
        // n = 8 and pool = 16 keep the masked layout's dense first layer at 12560 x 784
        PruneConfig cfg = ConvTicketExportTest.smallConfig();
        ticket = new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(target).ticket();
    }

    /** The Java pass the layout mirrors, on the test images. */
    static float[] javaForward(TicketExport.Layout layout) {
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            var x = m.create(test.pixels(), new Shape(IMAGES, 784));
            return (layout == TicketExport.Layout.MASKED
                            ? ticket.forwardDense(x)
                            : ticket.forwardCompact(x))
                    .toFloatArray();
        }
    }

    static double spread(float[] v) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (float f : v) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return hi - lo;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MASKED", "COMPACT"})
    void libtorchLoadsTheExportAndComputesTheJavaPass(TicketExport.Layout layout, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("ticket.pt");
        TicketExport.write(ticket, layout, InputDomain.PIXELS, file, Map.of("note", "test"));
        float[] want = javaForward(layout);
        assertTrue(
                spread(want) > 0.1,
                "the ticket's outputs barely vary; the comparison would prove little");
        float[] got = TorchScripts.runDjl(file, test.pixels(), IMAGES, 784);
        assertEquals(want.length, got.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        System.out.printf(
                "%s: %d bytes, max |libtorch - java| = %.3g over %d images%n",
                layout, Files.size(file), worst, IMAGES);
        assertTrue(worst <= 1e-5, layout + ": max difference " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MASKED", "COMPACT"})
    void pythonTorchLoadsTheExportAndComputesTheJavaPass(
            TicketExport.Layout layout, @TempDir Path dir) throws Exception {
        String missing = TorchScripts.pythonTorchMissing();
        TestRequirements.require(
                missing == null,
                "the Python torch.jit.load check needs Python's torch: " + missing);
        Path file = dir.resolve("ticket.pt");
        TicketExport.write(ticket, layout, InputDomain.PIXELS, file, Map.of());
        Path input = dir.resolve("x.bin");
        TorchScripts.writeFloats(input, test.pixels());
        float[] got = TorchScripts.floats(TorchScripts.runPython(file, input, IMAGES, 784, dir));
        float[] want = javaForward(layout);
        assertEquals(want.length, got.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        System.out.printf("%s: max |python torch - java| = %.3g%n", layout, worst);
        assertTrue(worst <= 1e-5, layout + ": max difference " + worst);
    }

    /** What the module raises for an input below 0 of a ticket pruned for pixels in [0, 1]. */
    static final String BELOW =
            "sltk ticket: an input is below 0, outside the input domain non-negative [0, 1] this ticket"
                    + " was pruned for; its output is only valid for inputs in [0, 1] (attribute sltk_input_domain)";

    /** What the module raises for an input above 1 of a ticket pruned for pixels in [0, 1]. */
    static final String ABOVE =
            "sltk ticket: an input is above 1, outside the input domain non-negative [0, 1] this ticket"
                    + " was pruned for; its output is only valid for inputs in [0, 1] (attribute sltk_input_domain)";

    /** Four test images with one pixel set to v. */
    static float[] withPixel(float v) {
        float[] x = test.subset(0, 4).pixels().clone();
        x[2 * 784 + 300] = v;
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MASKED", "COMPACT"})
    void theExportRefusesInputsOutsideTheDomainItWasPrunedFor(
            TicketExport.Layout layout, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("ticket.pt");
        TicketExport.write(ticket, layout, InputDomain.PIXELS, file, Map.of());
        Exception below =
                assertThrows(
                        Exception.class,
                        () -> TorchScripts.runDjl(file, withPixel(-0.25f), 4, 784));
        assertTrue(
                TorchScripts.chain(below).contains("builtins.ValueError: " + BELOW),
                TorchScripts.chain(below));
        Exception above =
                assertThrows(
                        Exception.class, () -> TorchScripts.runDjl(file, withPixel(1.5f), 4, 784));
        assertTrue(
                TorchScripts.chain(above).contains("builtins.ValueError: " + ABOVE),
                TorchScripts.chain(above));
        // the ends themselves are inside
        assertEquals(40, TorchScripts.runDjl(file, withPixel(0f), 4, 784).length);
        assertEquals(40, TorchScripts.runDjl(file, withPixel(1f), 4, 784).length);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String code =
                    new String(
                            zip.getInputStream(zip.getEntry("ticket/code/__torch__.py"))
                                    .readAllBytes());
            assertTrue(code.contains("  sltk_input_domain : str\n"), code);
            String meta =
                    new String(
                            zip.getInputStream(
                                            zip.getEntry("ticket/extra/" + TicketExport.METADATA))
                                    .readAllBytes());
            assertTrue(
                    meta.contains(
                            "\"inputDomain\": {\n    \"id\": \"non-negative\",\n    \"lo\": 0.0,\n    \"hi\": 1.0\n  }"),
                    meta);
        }
    }

    /** The check is written the same way for both layouts; the compact one is small. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"COMPACT"})
    void anUnboundedEndIsNotChecked(TicketExport.Layout layout, @TempDir Path dir)
            throws Exception {
        Path nonNegative = dir.resolve("nonneg.pt");
        TicketExport.write(ticket, layout, InputDomain.NON_NEGATIVE, nonNegative, Map.of());
        assertEquals(
                40,
                TorchScripts.runDjl(nonNegative, withPixel(7f), 4, 784).length,
                "[0, inf) has no upper check");
        Exception below =
                assertThrows(
                        Exception.class,
                        () -> TorchScripts.runDjl(nonNegative, withPixel(-1f), 4, 784));
        assertTrue(
                TorchScripts.chain(below)
                        .contains("outside the input domain non-negative [0, inf)"),
                TorchScripts.chain(below));
        Path signed = dir.resolve("signed.pt");
        TicketExport.write(ticket, layout, InputDomain.SIGNED, signed, Map.of());
        try (ZipFile zip = new ZipFile(signed.toFile())) {
            String code =
                    new String(
                            zip.getInputStream(zip.getEntry("signed/code/__torch__.py"))
                                    .readAllBytes());
            assertFalse(code.contains("RaiseException"), code);
        }
        assertEquals(40, TorchScripts.runDjl(signed, withPixel(-1f), 4, 784).length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"COMPACT"})
    void pythonTorchRefusesInputsOutsideTheDomainToo(TicketExport.Layout layout, @TempDir Path dir)
            throws Exception {
        String missing = TorchScripts.pythonTorchMissing();
        TestRequirements.require(
                missing == null,
                "the Python torch.jit.load check needs Python's torch: " + missing);
        Path file = dir.resolve("ticket.pt");
        TicketExport.write(ticket, layout, InputDomain.PIXELS, file, Map.of());
        Path input = dir.resolve("x.bin");
        TorchScripts.writeFloats(input, withPixel(-0.25f));
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () -> TorchScripts.runPython(file, input, 4, 784, dir));
        assertTrue(e.getMessage().contains("builtins.ValueError: " + BELOW), e.getMessage());
    }
}
