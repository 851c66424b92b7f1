package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.cli.Sltk;
import org.sltk.data.InputDomain;
import org.sltk.nn.Architecture;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.Provenance;

/** {@code sltk export} on a run directory written by {@link RunDirectory#save}. */
class ExportCommandTest {

    @TempDir static Path dir;
    static Path run;
    static PruneResult result;

    static final InputDomain.Choice SIGNED =
            new InputDomain.Choice(InputDomain.SIGNED, "test: pruned for both signs");

    @BeforeAll
    static void makeRun() {
        TargetNetwork net = TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        ModelInfo info = ModelInfo.untrained(net.architecture(), "mnist", 0);
        TargetModel model = ModelDirectory.save(dir.resolve("model"), net, info);
        PruneConfig cfg =
                PruneConfig.builder().setDensity(0.25).optN(16).optEps(1e-3).optSeed(5).build();
        result = new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(net);
        run = dir.resolve("run");
        RunDirectory.save(run, model, "mnist", result, SIGNED, Provenance.current("cpu"));
    }

    record Outcome(int code, String out, String err) {}

    static Outcome sltk(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Sltk.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void exportWritesAModuleThatLibtorchRunsLikeTheTicket() throws Exception {
        for (String layout : new String[] {"masked", "compact"}) {
            Path file = dir.resolve("ticket-" + layout + ".pt");
            Outcome o =
                    sltk(
                            "export",
                            "--run",
                            run.toString(),
                            "--format",
                            "torchscript",
                            "--layout",
                            layout,
                            "--out",
                            file.toString());
            assertEquals(0, o.code, o.err);
            assertTrue(
                    o.out.startsWith("wrote " + file + ": TorchScript, " + layout + " layout"),
                    o.out);
            CounterRandom rng = new CounterRandom(2);
            float[] x = new float[32 * 12];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.symmetricFloat(0, i);
            }
            float[] got = TorchScripts.runDjl(file, x, 32, 12);
            Engines.engine();
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                float[] want =
                        result.ticket()
                                .forwardCompact(m.create(x, new Shape(32, 12)))
                                .toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5, layout + " output " + i);
                }
            }
        }
    }

    @Test
    void aRunPrunedFromAnImportedTorchScriptFileReloadsAndExports() throws Exception {
        Path pt = dir.resolve("imported.pt");
        TicketExport.writeMlp(
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11), pt);
        TargetModel model = TargetModels.load(pt);
        Path run2 = dir.resolve("run-imported");
        RunDirectory.save(run2, model, "mnist", result, SIGNED, Provenance.current("cpu"));
        RunDirectory.Run back = RunDirectory.load(run2);
        assertEquals(model.network(), back.model().network());
        assertEquals(result.ticket().digest(), back.ticket().digest());
        Outcome o =
                sltk(
                        "export",
                        "--run",
                        run2.toString(),
                        "--out",
                        dir.resolve("imported-ticket.pt").toString());
        assertEquals(0, o.code, o.err);
    }

    @Test
    void theExportOfARunPrunedForPixelsRefusesANegativePixel() throws Exception {
        // a 784-input target for the committed MNIST, pruned for non-negative inputs: the domain is
        // [0, 1]
        TargetNetwork net =
                TargetNetwork.random(Architecture.mlp(new int[] {784, 6, 10}, true), 12);
        ModelInfo info = ModelInfo.untrained(net.architecture(), "mnist", 0);
        TargetModel model = ModelDirectory.save(dir.resolve("model784"), net, info);
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(8)
                        .optEps(1e-2)
                        .optSeed(5)
                        .optNonNegativeInput(true)
                        .build();
        PruneResult pixels = new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(net);
        Path run3 = dir.resolve("run-pixels");
        RunDirectory.save(
                run3,
                model,
                "mnist",
                pixels,
                new InputDomain.Choice(InputDomain.PIXELS, "test: mnist pixels"),
                Provenance.current("cpu"));
        float[] x = org.sltk.data.Datasets.load("mnist").test().subset(0, 8).pixels().clone();
        for (String layout : new String[] {"masked", "compact"}) {
            Path file = dir.resolve("pixels-" + layout + ".pt");
            Outcome o =
                    sltk(
                            "export",
                            "--run",
                            run3.toString(),
                            "--layout",
                            layout,
                            "--out",
                            file.toString());
            assertEquals(0, o.code, o.err);
            assertTrue(
                    o.out.contains(", input domain non-negative [0, 1] (checked by forward); "),
                    o.out);
            float[] good = TorchScripts.runDjl(file, x, 8, 784);
            Engines.engine();
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                float[] want =
                        pixels.ticket()
                                .forwardCompact(m.create(x, new Shape(8, 784)))
                                .toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], good[i], 1e-5, layout + " output " + i);
                }
            }
            float[] bad = x.clone();
            bad[5 * 784 + 400] = -0.5f;
            Exception e =
                    assertThrows(Exception.class, () -> TorchScripts.runDjl(file, bad, 8, 784));
            assertTrue(
                    TorchScripts.chain(e)
                            .contains("builtins.ValueError: " + TicketExportTest.BELOW),
                    TorchScripts.chain(e));
        }
    }

    @Test
    void badFlagsExitTwoWithOneLine() {
        Path file = dir.resolve("bad.pt");
        Outcome layout =
                sltk(
                        "export",
                        "--run",
                        run.toString(),
                        "--layout",
                        "sparse",
                        "--out",
                        file.toString());
        assertEquals(2, layout.code);
        assertEquals(
                "sltk: --layout: unknown layout 'sparse'; use masked, compact or torch-prune\n",
                layout.err);
        Outcome format =
                sltk(
                        "export",
                        "--run",
                        run.toString(),
                        "--format",
                        "onnx",
                        "--out",
                        file.toString());
        assertEquals(2, format.code);
        assertEquals(
                "sltk: --format: unknown format 'onnx'; only torchscript is supported\n",
                format.err);
        Outcome missing =
                sltk("export", "--run", dir.resolve("nope").toString(), "--out", file.toString());
        assertEquals(2, missing.code);
        assertEquals(1, missing.err.lines().count(), missing.err);
        assertTrue(missing.err.startsWith("sltk: --run "), missing.err);
        Outcome noOut = sltk("export", "--run", run.toString());
        assertEquals(2, noOut.code);
        assertTrue(noOut.err.startsWith("sltk: Missing required option: '--out=FILE'"), noOut.err);
        assertTrue(Files.notExists(file));
    }
}
