package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.TestRequirements;
import org.sltk.data.InputDomain;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.Json;

/**
 * The {@code torch-prune} layout is read by real PyTorch ({@code torch.load}) as an {@code
 * nn.Sequential} of standard modules whose {@code weight_orig} holds the dense random weights and
 * {@code weight_mask} the mask; it computes sltk's masked pass before and after {@code
 * prune.remove}.
 */
class TorchPruneExportTest {

    private static final String SCRIPT =
            String.join(
                    "\n",
                    "import sys, json, numpy as np, torch",
                    "import torch.nn.utils.prune as prune",
                    "m = torch.load(sys.argv[1])",
                    "shape = [int(s) for s in sys.argv[3].split(',')]",
                    "x = torch.from_numpy(np.fromfile(sys.argv[2], dtype='<f4').reshape(shape))",
                    "with torch.no_grad():",
                    "    y = m(x)",
                    "stats = {'type': type(m).__name__, 'modules': [type(c).__name__ for c in m],",
                    "         'digest': m.sltk_mask_digest, 'layout': m.sltk_layout, 'pruned': [],",
                    "         'role': next((getattr(c, 'sltk_role') for c in m if hasattr(c, 'sltk_role')), '')}",
                    "for c in m:",
                    "    if hasattr(c, 'weight_orig'):",
                    "        stats['pruned'].append({",
                    "            'origNonzero': float((c.weight_orig != 0).double().mean()),",
                    "            'origFirst': float(c.weight_orig.flatten()[0]),",
                    "            'weightMask': float(c.weight_mask.sum()),",
                    "            'biasMask': float(c.bias_mask.sum()) if hasattr(c, 'bias_mask') else 0.0,",
                    "            'hooks': len(c._forward_pre_hooks)})",
                    "for c in m:",
                    "    for name in ('weight', 'bias'):",
                    "        if hasattr(c, name + '_orig'):",
                    "            prune.remove(c, name)",
                    "with torch.no_grad():",
                    "    y2 = m(x)",
                    "stats['parameters'] = [n for n, _ in m.named_parameters()]",
                    "stats['buffers'] = [n for n, _ in m.named_buffers()]",
                    "y.numpy().astype('<f4').tofile(sys.argv[4])",
                    "y2.numpy().astype('<f4').tofile(sys.argv[5])",
                    "open(sys.argv[6], 'w').write(json.dumps(stats))",
                    "");

    /** Tickets of targets whose first layer is the input normalisation (MNIST's mean and std). */
    private static MaskedNetwork normalisedCnn;

    private static MaskedNetwork normalisedMlp;

    @BeforeAll
    static void pruneSmallTargets() {
        TicketExportTest.pruneSmallTarget();
        ConvTicketExportTest.pruneSmallTargets();
        PruneConfig cfg = ConvTicketExportTest.smallConfig();
        Architecture cnn =
                Architecture.builder(1, 28, 28)
                        .conv(4, 3, 2, 1)
                        .relu()
                        .maxPool(2)
                        .flatten()
                        .dense(10)
                        .build();
        normalisedCnn =
                new PairPruner(cfg, new MeetInTheMiddleSolver())
                        .prune(TargetNetwork.random(normalised(cnn, 1), 11))
                        .ticket();
        Architecture mlp = Architecture.mlp(new int[] {784, 4, 10}, true);
        normalisedMlp =
                new PairPruner(cfg, new MeetInTheMiddleSolver())
                        .prune(TargetNetwork.random(normalised(mlp, 784), 13))
                        .ticket();
    }

    /** The architecture with (x - 0.1307) / 0.3081 per channel in front. */
    private static Architecture normalised(Architecture a, int channels) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        java.util.Arrays.fill(mean, 0.1307f);
        java.util.Arrays.fill(std, 0.3081f);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer.Normalize(mean, std));
        layers.addAll(a.layers());
        return new Architecture(a.inputShape(), layers);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp", "lenet", "strided", "normalised-cnn", "normalised-mlp"})
    void pythonTorchLoadsThePrunedModulesAndComputesTheMaskedPass(String which, @TempDir Path dir)
            throws Exception {
        String missing = TorchScripts.pythonTorchMissing();
        TestRequirements.require(
                missing == null, "the Python torch.load check needs Python's torch: " + missing);
        MaskedNetwork ticket =
                switch (which) {
                    case "mlp" -> TicketExportTest.ticket;
                    case "lenet" -> ConvTicketExportTest.lenet;
                    case "normalised-cnn" -> normalisedCnn;
                    case "normalised-mlp" -> normalisedMlp;
                    default -> ConvTicketExportTest.strided;
                };
        boolean flat = which.endsWith("mlp");
        int images = which.equals("mlp") ? TicketExportTest.IMAGES : ConvTicketExportTest.IMAGES;
        float[] pixels =
                which.equals("mlp")
                        ? TicketExportTest.test.pixels()
                        : ConvTicketExportTest.test.pixels();
        float[] want =
                which.equals("mlp")
                        ? TicketExportTest.javaForward(TicketExport.Layout.MASKED)
                        : ConvTicketExportTest.javaForward(ticket, TicketExport.Layout.MASKED);
        boolean normalised = which.startsWith("normalised");
        assertTrue(TicketExportTest.spread(want) > 0.1, "the outputs barely vary");

        Path file = dir.resolve("ticket.pt");
        TicketExport.write(
                ticket, TicketExport.Layout.TORCH_PRUNE, InputDomain.PIXELS, file, Map.of());
        Path input = dir.resolve("x.bin");
        TorchScripts.writeFloats(input, pixels);
        String shape = flat ? images + ",784" : images + ",1,28,28";
        Path script = dir.resolve("load.py");
        Files.writeString(script, SCRIPT);
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                TorchScripts.PYTHON,
                                script.toString(),
                                file.toString(),
                                input.toString(),
                                shape,
                                dir.resolve("y.bin").toString(),
                                dir.resolve("y2.bin").toString(),
                                dir.resolve("stats.json").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(
                p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "python failed:\n" + log);

        for (String out : new String[] {"y.bin", "y2.bin"}) {
            float[] got = TorchScripts.floats(Files.readAllBytes(dir.resolve(out)));
            assertEquals(want.length, got.length);
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            double scale = 0;
            for (float w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            System.out.printf(
                    "torch-prune %s %s: %d bytes, max |python torch - java masked| = %.3g, max"
                            + " |logit| %.3g%n",
                    which, out, Files.size(file), worst, scale);
            // x * (1 / std) + (-mean / std) rounds differently from (x - mean) / std: a few ulps
            // of each normalised input, relative to the logits' scale
            double tolerance = normalised ? 1e-5 * Math.max(1, scale) : 1e-5;
            assertTrue(worst <= tolerance, which + " " + out + ": max difference " + worst);
        }

        JsonObject stats = Json.read(dir.resolve("stats.json"));
        assertEquals("Sequential", stats.get("type").getAsString());
        assertEquals(ticket.digest(), stats.get("digest").getAsString());
        assertEquals("torch-prune", stats.get("layout").getAsString());
        RandomNetwork net = ticket.random();
        JsonArray pruned = stats.getAsJsonArray("pruned");
        assertEquals(2 * ticket.masks().size(), pruned.size(), "two pruned modules per pair");
        int q = 0;
        for (int pair = 0; pair < ticket.masks().size(); pair++) {
            JsonObject first = pruned.get(q++).getAsJsonObject();
            JsonObject second = pruned.get(q++).getAsJsonObject();
            // the random network itself: dense weights, not the masked ones
            assertTrue(first.get("origNonzero").getAsDouble() > 0.999, first.toString());
            assertTrue(second.get("origNonzero").getAsDouble() > 0.999, second.toString());
            assertEquals(net.firstWeight(pair, 0, 0), first.get("origFirst").getAsFloat());
            assertEquals(
                    ticket.keptFirst(pair),
                    Math.round(
                            first.get("weightMask").getAsDouble()
                                    + first.get("biasMask").getAsDouble()));
            assertEquals(
                    ticket.keptSecond(pair), Math.round(second.get("weightMask").getAsDouble()));
            assertEquals(net.hasBias(pair) ? 2 : 1, first.get("hooks").getAsInt());
        }
        List<String> modules = new ArrayList<>();
        stats.getAsJsonArray("modules").forEach(e -> modules.add(e.getAsString()));
        long convs = modules.stream().filter("Conv2d"::equals).count();
        long convLayers =
                net.architecture().layers().stream().filter(l -> l instanceof Layer.Conv2d).count();
        // the input normalisation is one more, unpruned, depthwise 1 x 1 Conv2d
        assertEquals(2 * convLayers + (normalised ? 1 : 0), convs, modules.toString());
        if (normalised) {
            assertEquals(
                    flat ? List.of("Flatten", "Unflatten", "Conv2d", "Flatten") : List.of("Conv2d"),
                    modules.subList(0, flat ? 4 : 1),
                    modules.toString());
            assertEquals("input normalisation", stats.get("role").getAsString());
        }
        stats.getAsJsonArray("parameters")
                .forEach(
                        n ->
                                assertFalse(
                                        n.getAsString().endsWith("_orig"),
                                        "prune.remove left " + n));
        assertEquals(0, stats.getAsJsonArray("buffers").size(), stats.get("buffers").toString());
    }
}
