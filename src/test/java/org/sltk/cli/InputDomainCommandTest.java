package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.io.RunDirectory;
import org.sltk.io.TestModels;
import org.sltk.io.TicketExport;
import org.sltk.nn.Architecture;
import org.sltk.nn.TargetNetwork;

/**
 * How prune and sweep decide the input domain (--input-domain auto|non-negative|signed), say it in
 * one line, record it in the run, and how eval reads it back: a model directory's dataset and
 * --data are sltk's pixels in [0, 1]; an imported target without --data is signed.
 */
class InputDomainCommandTest {

    @TempDir static Path tmp;
    static Path model;
    static Path imported;

    @BeforeAll
    static void models() {
        System.setProperty("sltk.quiet", "true");
        model = tmp.resolve("model");
        TestModels.save(model, new int[] {784, 12, 10}, 5);
        imported = tmp.resolve("imported.pt");
        TicketExport.writeMlp(
                TargetNetwork.random(Architecture.mlp(new int[] {784, 12, 10}, true), 5), imported);
    }

    private static CliRun prune(Path target, Path out, String... more) {
        String[] args = new String[9 + more.length];
        String[] base = {
            "prune",
            "--model",
            target.toString(),
            "--density",
            "0.5",
            "--n",
            "12",
            "--out",
            out.toString()
        };
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.run(args);
    }

    private static JsonObject json(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    /** The recorded domain: id, lo, hi (Infinity for an unbounded end). */
    private static String recorded(Path run) throws Exception {
        JsonObject d = json(run.resolve(RunDirectory.CONFIG)).getAsJsonObject("inputDomain");
        assertTrue(d != null, run + ": no inputDomain in config.json");
        return d.get("id").getAsString()
                + " "
                + d.get("lo").getAsDouble()
                + " "
                + d.get("hi").getAsDouble();
    }

    private static boolean firstLayerSigned(Path run) throws Exception {
        return json(run.resolve(RunDirectory.PRUNE))
                .getAsJsonArray("layers")
                .get(0)
                .getAsJsonObject()
                .get("signed")
                .getAsBoolean();
    }

    @Test
    void aModelDirectoryIsPrunedForThePixelsOfItsDataset() throws Exception {
        Path out = tmp.resolve("dir-auto");
        CliRun r = prune(model, out, "--no-eval");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains(
                                "\ninput domain: non-negative [0, 1] (auto: from the model's dataset mnist, whose pixels"
                                        + " sltk loads in [0, 1])\n"),
                r.out());
        assertEquals("non-negative 0.0 1.0", recorded(out));
        assertTrue(json(out.resolve(RunDirectory.CONFIG)).get("nonNegativeInput").getAsBoolean());
        assertFalse(firstLayerSigned(out));
    }

    @Test
    void anImportedTargetWithoutDataIsSignedAndEvalThenAsksForData() throws Exception {
        Path out = tmp.resolve("import-nodata");
        CliRun r = prune(imported, out, "--no-eval");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains(
                                "\ninput domain: signed (-inf, inf) (auto: an imported target with no --data, so nothing"
                                        + " says its inputs are non-negative)\n"),
                r.out());
        assertEquals("signed -Infinity Infinity", recorded(out));
        assertFalse(json(out.resolve(RunDirectory.CONFIG)).get("nonNegativeInput").getAsBoolean());
        assertTrue(firstLayerSigned(out), "both signs of the first layer are pruned");

        CliRun noData = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(2, noData.code(), noData.err());
        assertEquals(
                "sltk: --data: the run "
                        + out
                        + " records no dataset (an imported target pruned with --no-eval);"
                        + " give --data mnist|fashion-mnist|DIR\n",
                noData.err());
        assertEquals("", noData.out());

        CliRun e =
                CliRun.run("eval", "--run", out.toString(), "--data", "mnist", "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        assertTrue(
                e.out()
                        .contains(
                                "\ninput domain: signed (-inf, inf) (auto: an imported target with no --data"),
                e.out());
        assertTrue(e.out().contains("bound respected on every image (2000 of 2000)"), e.out());
        assertEquals(
                "signed",
                json(out.resolve(RunDirectory.REPORT))
                        .getAsJsonObject("inputDomain")
                        .get("id")
                        .getAsString());
    }

    @Test
    void anImportedTargetRunOnDataIsNonNegativeForThatData() throws Exception {
        Path out = tmp.resolve("import-data");
        CliRun r =
                prune(
                        imported,
                        out,
                        "--data",
                        "mnist",
                        "--no-eval"); // the data decides, evaluated or not
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains(
                                "\ninput domain: non-negative [0, 1] (auto: an imported target run on --data mnist, whose"
                                        + " pixels sltk loads in [0, 1]; give --input-domain signed if it takes other inputs)\n"),
                r.out());
        assertEquals("non-negative 0.0 1.0", recorded(out));
        assertEquals("mnist", json(out.resolve(RunDirectory.CONFIG)).get("dataset").getAsString());
        assertFalse(firstLayerSigned(out));
    }

    @Test
    void normalisedDataIsSignedWithItsBoxAndRecordedAsTheDataset() throws Exception {
        Path out = tmp.resolve("import-normalized");
        String data = "mnist:normalize=0.1307/0.3081";
        CliRun r = prune(imported, out, "--data", data);
        assertEquals(0, r.code(), r.err());
        // the image of [0, 1] under (x - 0.1307) / 0.3081, rounded to float32 as the pass rounds
        String box =
                "["
                        + (double) (float) (-0.1307 / 0.3081)
                        + ", "
                        + (double) (float) ((1 - 0.1307) / 0.3081)
                        + "]";
        assertEquals("[-0.4242129325866699, 2.821486473083496]", box);
        assertTrue(
                r.out()
                        .contains(
                                "\ninput domain: signed "
                                        + box
                                        + " (auto: an imported target run on --data "
                                        + data
                                        + ", pixels in [0, 1] normalised per channel to "
                                        + box
                                        + ")\n"),
                r.out());
        assertEquals(
                "signed " + (float) (-0.1307 / 0.3081) + " " + (float) ((1 - 0.1307) / 0.3081),
                recordedFloat(out));
        assertEquals(data, json(out.resolve(RunDirectory.CONFIG)).get("dataset").getAsString());
        assertTrue(firstLayerSigned(out), "normalised inputs prune both signs");
        // eval reads the recorded dataset back, normalised alike
        CliRun e = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(0, e.code(), e.err());

        Path refused = tmp.resolve("import-normalized-nonneg");
        r = prune(imported, refused, "--data", data, "--input-domain", "non-negative");
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "sltk: --input-domain non-negative: --data "
                        + data
                        + " is normalised per channel, so its inputs are signed; use --input-domain"
                        + " auto or signed",
                r.err().strip());
        assertEquals("", r.out());
        assertFalse(Files.exists(refused));
    }

    /** The recorded domain with its ends as float32, as the box prints them. */
    private static String recordedFloat(Path run) throws Exception {
        JsonObject d = json(run.resolve(RunDirectory.CONFIG)).getAsJsonObject("inputDomain");
        return d.get("id").getAsString()
                + " "
                + (float) d.get("lo").getAsDouble()
                + " "
                + (float) d.get("hi").getAsDouble();
    }

    @Test
    void explicitChoicesOverrideAuto() throws Exception {
        Path signed = tmp.resolve("dir-signed");
        CliRun s = prune(model, signed, "--no-eval", "--input-domain", "signed");
        assertEquals(0, s.code(), s.err());
        assertTrue(
                s.out().contains("\ninput domain: signed (-inf, inf) (--input-domain signed)\n"),
                s.out());
        assertEquals("signed -Infinity Infinity", recorded(signed));
        assertTrue(firstLayerSigned(signed));

        Path alias = tmp.resolve("dir-signed-alias");
        CliRun a = prune(model, alias, "--no-eval", "--signed-input");
        assertEquals(0, a.code(), a.err());
        assertTrue(
                a.out()
                        .contains(
                                "\ninput domain: signed (-inf, inf) (--signed-input, deprecated: use --input-domain signed)\n"),
                a.out());
        assertEquals("signed -Infinity Infinity", recorded(alias));

        Path nonNeg = tmp.resolve("import-nonneg");
        CliRun n = prune(imported, nonNeg, "--no-eval", "--input-domain", "non-negative");
        assertEquals(0, n.code(), n.err());
        assertTrue(
                n.out()
                        .contains(
                                "\ninput domain: non-negative [0, inf) (--input-domain non-negative, no data to bound it)\n"),
                n.out());
        assertEquals("non-negative 0.0 Infinity", recorded(nonNeg));
        assertFalse(firstLayerSigned(nonNeg));
    }

    @Test
    void badDomainFlagsGiveOneLineAndNoRun() {
        String[][] cases = {
            {"--input-domain", "positive"},
            {"--signed-input", "--input-domain", "non-negative"},
        };
        String[] expected = {
            "sltk: --input-domain: unknown domain 'positive'; use auto, non-negative or signed",
            "sltk: --signed-input: conflicts with --input-domain non-negative; give only --input-domain",
        };
        for (int c = 0; c < cases.length; c++) {
            Path out = tmp.resolve("bad-domain" + c);
            CliRun r = prune(model, out, cases[c]);
            assertEquals(2, r.code(), r.err());
            assertEquals(expected[c], r.err().strip());
            assertEquals("", r.out());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void sweepDecidesAndRecordsTheDomainLikePrune() throws Exception {
        Path out = tmp.resolve("sweep");
        CliRun r =
                CliRun.run(
                        "sweep",
                        "--model",
                        imported.toString(),
                        "--data",
                        "mnist",
                        "--densities",
                        "0.25",
                        "--eps",
                        "1e-2",
                        "--input-domain",
                        "signed",
                        "--device",
                        "cpu",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().startsWith("input domain: signed (-inf, inf) (--input-domain signed)\n"),
                r.out());
        assertEquals("signed -Infinity Infinity", recorded(out.resolve("density-0.25")));
        assertTrue(firstLayerSigned(out.resolve("density-0.25")));
    }
}
