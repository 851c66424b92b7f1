package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * CNN tickets exported as TorchScript are loaded back by libtorch (DJL's PyTorch engine) and must
 * compute what sltk's Java passes compute on real MNIST test images.
 */
class ConvTicketExportTest {

    static final int IMAGES = 200;

    static ImageSet test;
    static MaskedNetwork lenet;
    static MaskedNetwork strided;

    /** The small settings of these tests' tickets: density 0.25, n = 8, pool 16, eps 1e-2. */
    static PruneConfig smallConfig() {
        return PruneConfig.builder()
                .setDensity(0.25)
                .optN(8)
                .optPool(16)
                .optEps(1e-2)
                .optSeed(7)
                .optNonNegativeInput(true)
                .build();
    }

    @BeforeAll
    static void pruneSmallTargets() {
        test = Datasets.load("mnist").test().subset(0, IMAGES);
        PruneConfig cfg = smallConfig();
        // channels {4, 8}, max pooling, padding 2, like sltk train-cnn's LeNet-5 with fewer
        // channels
        Architecture l5 =
                Architecture.lenet5(
                        new int[] {1, 28, 28},
                        new int[] {4, 8},
                        new int[] {16},
                        5,
                        new int[] {2},
                        false,
                        10,
                        true);
        lenet =
                new PairPruner(cfg, new MeetInTheMiddleSolver())
                        .prune(TargetNetwork.random(l5, 3))
                        .ticket();
        // stride 2 and padding 1, then a dilated conv with padding 2; average then max pooling
        Architecture odd =
                Architecture.builder(1, 28, 28)
                        .conv(4, 3, 2, 1, 1)
                        .relu()
                        .avgPool(2)
                        .conv(8, 3, 1, 2, 2)
                        .relu()
                        .maxPool(2)
                        .flatten()
                        .dense(10)
                        .build();
        strided =
                new PairPruner(cfg, new MeetInTheMiddleSolver())
                        .prune(TargetNetwork.random(odd, 5))
                        .ticket();
    }

    static float[] javaForward(MaskedNetwork ticket, TicketExport.Layout layout) {
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            var x = m.create(test.pixels(), new Shape(IMAGES, 784));
            return (layout == TicketExport.Layout.MASKED
                            ? ticket.forwardDense(x)
                            : ticket.forwardCompact(x))
                    .toFloatArray();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"lenet, MASKED", "lenet, COMPACT", "strided, MASKED", "strided, COMPACT"})
    void libtorchLoadsTheCnnExportAndComputesTheJavaPass(
            String which, TicketExport.Layout layout, @TempDir Path dir) throws Exception {
        MaskedNetwork ticket = which.equals("lenet") ? lenet : strided;
        Path file = dir.resolve("ticket.pt");
        TicketExport.write(ticket, layout, InputDomain.PIXELS, file, Map.of("note", "test"));
        float[] want = javaForward(ticket, layout);
        assertTrue(
                TicketExportTest.spread(want) > 0.1,
                "the ticket's outputs barely vary; the comparison would prove little");
        float[] got = TorchScripts.runDjl(file, test.pixels(), IMAGES, 784);
        assertEquals(want.length, got.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        System.out.printf(
                "cnn %s %s: %d bytes, max |libtorch - java| = %.3g over %d images%n",
                which, layout, Files.size(file), worst, IMAGES);
        assertTrue(worst <= 1e-5, which + " " + layout + ": max difference " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MASKED", "COMPACT"})
    void theCnnExportRefusesInputsOutsideTheDomainItWasPrunedFor(
            TicketExport.Layout layout, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("ticket.pt");
        TicketExport.write(lenet, layout, InputDomain.PIXELS, file, Map.of());
        float[] x = test.subset(0, 4).pixels().clone();
        assertEquals(40, TorchScripts.runDjl(file, x, 4, 784).length);
        x[3 * 784 + 500] = -0.25f;
        Exception below = assertThrows(Exception.class, () -> TorchScripts.runDjl(file, x, 4, 784));
        assertTrue(
                TorchScripts.chain(below)
                        .contains("builtins.ValueError: " + TicketExportTest.BELOW),
                TorchScripts.chain(below));
        x[3 * 784 + 500] = 1.5f;
        Exception above = assertThrows(Exception.class, () -> TorchScripts.runDjl(file, x, 4, 784));
        assertTrue(
                TorchScripts.chain(above)
                        .contains("builtins.ValueError: " + TicketExportTest.ABOVE),
                TorchScripts.chain(above));
    }
}
