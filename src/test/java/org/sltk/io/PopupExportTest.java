package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.TestRequirements;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.nn.Architecture;
import org.sltk.nn.PairMask;
import org.sltk.nn.PopupNetwork;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.nn.WeightDistribution;

/**
 * Edge-popup tickets exported in every layout compute the ticket: the TorchScript layouts loaded by
 * libtorch through DJL, the torch-prune layout by Python's torch (where installed), each against
 * the ticket's float64 forward pass on real MNIST digits.
 */
class PopupExportTest {

    private static final int IMAGES = 20;

    private static PopupNetwork network(String which) {
        return which.equals("plain")
                ? new PopupNetwork(
                        Architecture.mlp(new int[] {784, 30, 10}, false),
                        0.2,
                        false,
                        PopupNetwork.Init.SIGNED_CONSTANT,
                        true,
                        3)
                : PopupNetwork.onPairs(
                        new RandomNetwork(
                                Architecture.mlp(new int[] {784, 6, 10}, true),
                                3,
                                WeightDistribution.UNIFORM,
                                2),
                        0.01,
                        false,
                        5);
    }

    private static List<PairMask> masks(PopupNetwork net) {
        List<PairMask> m = new ArrayList<>();
        for (int p = 0; p < net.layerCount(); p++) {
            m.add(net.mask(p, net.initialScores(p)));
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"plain", "pair"})
    void theTorchScriptLayoutsComputeTheTicket(String which, @TempDir Path dir) throws Exception {
        PopupNetwork net = network(which);
        List<PairMask> masks = masks(net);
        TargetNetwork ticket = net.ticket(masks);
        ImageSet test = Datasets.load("mnist").test().subset(0, IMAGES);
        double[] want = reference(ticket, test);
        long[] sizes = new long[2];
        int i = 0;
        for (TicketExport.Layout l :
                new TicketExport.Layout[] {
                    TicketExport.Layout.MASKED, TicketExport.Layout.COMPACT
                }) {
            Path f = dir.resolve(l.id() + ".pt");
            TicketExport.writePopup(net, masks, l, InputDomain.SIGNED, f, Map.of());
            sizes[i++] = Files.size(f);
            float[] got = TorchScripts.runDjl(f, test.pixels(), IMAGES, 784);
            assertClose(want, got, which + " " + l.id());
        }
        if (which.equals("pair")) {
            // at density 0.01 most hidden units of the pair network keep nothing: compact drops
            // them
            assertTrue(sizes[1] < sizes[0] / 4, sizes[1] + " vs " + sizes[0]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"plain", "pair"})
    void theTorchPruneLayoutComputesTheTicketInPythonTorch(String which, @TempDir Path dir)
            throws Exception {
        String missing = TorchScripts.pythonTorchMissing();
        TestRequirements.require(
                missing == null, "the Python torch.load check needs Python's torch: " + missing);
        PopupNetwork net = network(which);
        List<PairMask> masks = masks(net);
        ImageSet test = Datasets.load("mnist").test().subset(0, IMAGES);
        double[] want = reference(net.ticket(masks), test);
        Path f = dir.resolve("tp.pt");
        TicketExport.writePopup(
                net, masks, TicketExport.Layout.TORCH_PRUNE, InputDomain.SIGNED, f, Map.of());
        Path input = dir.resolve("x.bin");
        TorchScripts.writeFloats(input, test.pixels());
        Path script = dir.resolve("tp.py");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "import sys, numpy as np, torch",
                        "import torch.nn.utils.prune as prune",
                        "m = torch.load(sys.argv[1])",
                        "x = torch.from_numpy(np.fromfile(sys.argv[2], dtype='<f4').reshape(-1, 784))",
                        "for c in m:",
                        "    for n in ('weight', 'bias'):",
                        "        if hasattr(c, n + '_orig'):",
                        "            prune.remove(c, n)",
                        "with torch.no_grad():",
                        "    y = m(x)",
                        "y.numpy().astype('<f4').tofile(sys.argv[3])",
                        "kept = sum(int((p != 0).sum()) for p in m.parameters())",
                        "open(sys.argv[4], 'w').write(str(kept))",
                        ""));
        Process p =
                new ProcessBuilder(
                                TorchScripts.PYTHON,
                                script.toString(),
                                f.toString(),
                                input.toString(),
                                dir.resolve("y.bin").toString(),
                                dir.resolve("kept.txt").toString())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "python: " + log);
        float[] got = TorchScripts.floats(Files.readAllBytes(dir.resolve("y.bin")));
        assertEquals(want.length, got.length);
        assertClose(want, got, which + " torch-prune");
        // after prune.remove exactly the kept parameters are non-zero (no random weight is 0)
        assertEquals(
                Long.toString(net.keptCount()), Files.readString(dir.resolve("kept.txt")).strip());
    }

    private static double[] reference(TargetNetwork ticket, ImageSet set) {
        int f = set.features();
        double[] out = new double[set.size() * ticket.outputSize()];
        for (int i = 0; i < set.size(); i++) {
            double[] x = new double[f];
            for (int j = 0; j < f; j++) {
                x[j] = set.pixels()[i * f + j];
            }
            double[] z = ticket.forward64(x);
            System.arraycopy(z, 0, out, i * z.length, z.length);
        }
        return out;
    }

    private static void assertClose(double[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + ": all logits 0");
        for (int j = 0; j < want.length; j++) {
            assertEquals(want[j], got[j], 1e-5 * scale + 1e-6, what + " logit " + j);
        }
    }
}
