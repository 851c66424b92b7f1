package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.io.PopupRunDirectory;
import org.sltk.io.TestModels;
import org.sltk.nn.PairMask;
import org.sltk.nn.PopupNetwork;
import org.sltk.nn.PopupTrainer;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.Json;

/**
 * {@code sltk popup} end to end on the committed MNIST: exact counts per layer and per unit in the
 * run directory, a run that reloads and evaluates to its recorded accuracy through {@code sltk
 * eval}, exports in every layout, and one-line refusals before any work.
 */
class PopupCommandTest {

    @Test
    void aPlainPerUnitRunReloadsAndEvaluatesToItsRecordedAccuracy(@TempDir Path tmp)
            throws Exception {
        Path run = tmp.resolve("run");
        CliRun r =
                CliRun.run(
                        "popup",
                        "--arch",
                        "784-40-10",
                        "--density",
                        "0.3",
                        "--per-unit",
                        "--epochs",
                        "2",
                        "--seed",
                        "4",
                        "--device",
                        "cpu",
                        "--out",
                        run.toString());
        assertEquals(0, r.code(), r.err());
        PopupRunDirectory.Run loaded = PopupRunDirectory.load(run);
        PopupNetwork net = loaded.network();
        // exactly round(0.3 * fan-in) in every output unit's row
        int[] perRow = {(int) Math.round(0.3 * 784), (int) Math.round(0.3 * 40)};
        for (int p = 0; p < 2; p++) {
            PairMask m = loaded.masks().get(p);
            assertEquals(net.layer(p).out(), m.outputs());
            assertEquals(perRow[p], m.perOutput());
            float[] dense = net.denseMask(p, m);
            for (int o = 0; o < net.layer(p).out(); o++) {
                int c = 0;
                for (int j = 0; j < net.rowLength(p); j++) {
                    c += dense[o * net.rowLength(p) + j] != 0 ? 1 : 0;
                }
                assertEquals(perRow[p], c, "layer " + p + " unit " + o);
            }
        }
        // the ticket as a network has exactly those non-zero weights
        TargetNetwork t = net.ticket(loaded.masks());
        assertEquals(40L * perRow[0], nonZero(t.weights(0)));
        assertEquals(10L * perRow[1], nonZero(t.weights(1)));

        // sltk eval reproduces the recorded accuracy exactly
        CliRun e = CliRun.run("eval", "--run", run.toString(), "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        String acc = String.format(Locale.ROOT, "%.4f", loaded.testAccuracy());
        assertTrue(e.out().contains("recorded test accuracy " + acc + ", now " + acc), e.out());
        JsonObject report = Json.read(run.resolve("report.json"));
        assertEquals(
                loaded.testAccuracy(),
                report.getAsJsonObject("evaluation").get("ticketAccuracy").getAsDouble());
        // an independent recount: the ticket's predictions on the test digits
        ImageSet test = Datasets.load("mnist").test();
        assertEquals(
                loaded.testAccuracy(), PopupTrainer.accuracy(t, test, ai.djl.Device.cpu()), 0.0);

        // sltk compare reads the run as recorded
        Path cmp = tmp.resolve("cmp");
        CliRun c = CliRun.run("compare", "--run", run.toString(), "--out", cmp.toString());
        assertEquals(0, c.code(), c.err());
        String csv = Files.readString(cmp.resolve("compare.csv"));
        assertTrue(
                csv.contains(
                        ","
                                + String.format(
                                        Locale.ROOT,
                                        "%.6g",
                                        (double) loaded.network().keptCount()
                                                / loaded.network().parameterCount())
                                + ","
                                + loaded.network().keptCount()
                                + ","
                                + loaded.network().parameterCount()
                                + ","
                                + acc
                                + ","),
                csv);
        for (String line : csv.split("\n")) {
            assertEquals(13, line.split(",", -1).length, line); // no comma inside a field
        }
        assertTrue(Files.size(cmp.resolve("compare.png")) > 0);
        CliRun bad = CliRun.run("compare", "--run", tmp.toString(), "--out", cmp.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("sltk: --run " + tmp + ": neither"), bad.err());

        for (String layout : new String[] {"masked", "compact", "torch-prune"}) {
            Path f = tmp.resolve(layout + ".pt");
            CliRun x =
                    CliRun.run(
                            "export",
                            "--run",
                            run.toString(),
                            "--layout",
                            layout,
                            "--out",
                            f.toString());
            assertEquals(0, x.code(), x.err());
            assertTrue(Files.size(f) > 0);
        }
    }

    @Test
    void aPairNetworkRunRecordsTheConstructedDensityAndAgreementWithItsTarget(@TempDir Path tmp)
            throws Exception {
        Path model = tmp.resolve("target");
        TargetModel target = TestModels.save(model, new int[] {784, 32, 10}, 3);
        Path run = tmp.resolve("run");
        CliRun r =
                CliRun.run(
                        "popup",
                        "--model",
                        model.toString(),
                        "--block-density",
                        "0.5",
                        "--n",
                        "8",
                        "--train-images",
                        "500",
                        "--epochs",
                        "1",
                        "--device",
                        "cpu",
                        "--out",
                        run.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject o = Json.read(run.resolve(PopupRunDirectory.POPUP));
        JsonObject pn = o.getAsJsonObject("pairNetwork");
        double d = pn.get("constructedDensity").getAsDouble();
        PopupRunDirectory.Run loaded = PopupRunDirectory.load(run);
        PopupNetwork net = loaded.network();
        assertEquals(d, net.density());
        // the pair network sltk prune builds: 785 pools of 24 units with biases, then 10 outputs
        assertEquals(2 * 2, net.layerCount());
        assertEquals(785 * 24, net.layer(0).out()); // pool 3n
        assertTrue(net.layer(0).bias());
        assertFalse(net.layer(1).bias());
        long total = 0;
        for (int p = 0; p < net.layerCount(); p++) {
            assertEquals(Math.round(d * net.size(p)), loaded.masks().get(p).kept().length);
            total += net.size(p);
        }
        assertEquals(pn.get("constructedParameters").getAsLong(), total);
        assertEquals(target.paramsSha256(), o.get("modelParamsSha256").getAsString());

        CliRun e = CliRun.run("eval", "--run", run.toString(), "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("agreement"), e.out());
        CliRun x =
                CliRun.run(
                        "export",
                        "--run",
                        run.toString(),
                        "--layout",
                        "compact",
                        "--out",
                        tmp.resolve("c.pt").toString());
        assertEquals(0, x.code(), x.err());
    }

    @Test
    void theSameSeedGivesTheSameTicket(@TempDir Path tmp) {
        String[] digest = new String[3];
        long[] seeds = {7, 7, 8};
        for (int i = 0; i < 3; i++) {
            Path run = tmp.resolve("r" + i);
            CliRun r =
                    CliRun.run(
                            "popup",
                            "--arch",
                            "784-20-10",
                            "--density",
                            "0.2",
                            "--epochs",
                            "1",
                            "--train-images",
                            "512",
                            "--seed",
                            Long.toString(seeds[i]),
                            "--device",
                            "cpu",
                            "--out",
                            run.toString());
            assertEquals(0, r.code(), r.err());
            digest[i] =
                    Json.read(run.resolve(PopupRunDirectory.POPUP)).get("maskDigest").getAsString();
        }
        assertEquals(digest[0], digest[1]);
        assertFalse(digest[0].equals(digest[2]));
    }

    @Test
    void badFlagsAreRefusedInOneLineBeforeAnyWork(@TempDir Path tmp) {
        Path out = tmp.resolve("never");
        String[][] cases = {
            {"--arch", "784-300-100-10", "--density", "1.5"},
            {"--arch", "784-x-10", "--density", "0.5"},
            {"--arch", "784-300-10"},
            {"--arch", "784-10", "--model", "models/lenet-300-100-mnist", "--density", "0.5"},
            {"--arch", "784-10", "--density", "0.5", "--epochs", "0"},
            {"--arch", "784-10", "--density", "0.5", "--init", "zeros"},
            {"--arch", "784-10", "--density", "0.5", "--momentum", "1"},
            {"--arch", "784-10", "--density", "0.00001"},
            {"--arch", "784-10", "--density", "0.5", "--pool", "24"},
            {"--model", "models/lenet-300-100-mnist", "--init", "kaiming-normal"},
        };
        String[] flags = {
            "--density",
            "--arch",
            "--density",
            "--model/--arch",
            "--epochs",
            "--init",
            "--momentum",
            "--density",
            "--pool",
            "--init"
        };
        for (int c = 0; c < cases.length; c++) {
            String[] args = new String[cases[c].length + 3];
            args[0] = "popup";
            System.arraycopy(cases[c], 0, args, 1, cases[c].length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = out.toString();
            CliRun r = CliRun.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            String line = r.err().strip();
            assertFalse(line.contains("\n"), line);
            assertTrue(line.startsWith("sltk: " + flags[c]), line);
            assertFalse(Files.exists(out), String.join(" ", args));
        }
    }

    private static long nonZero(float[] a) {
        long c = 0;
        for (float v : a) {
            c += v != 0 ? 1 : 0;
        }
        return c;
    }
}
