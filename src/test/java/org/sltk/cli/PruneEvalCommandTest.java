package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.io.RunDirectory;
import org.sltk.io.TestModels;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;

/** The prune, eval and sweep verbs in-process, on a small random target and the committed MNIST. */
class PruneEvalCommandTest {

    @TempDir static Path tmp;
    static Path model;

    @BeforeAll
    static void model() {
        System.setProperty("sltk.quiet", "true");
        model = tmp.resolve("model");
        TestModels.save(model, new int[] {784, 12, 10}, 5);
    }

    @Test
    void pruneWritesARunThatEvalReloads() throws Exception {
        Path out = tmp.resolve("run");
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--density",
                        "0.5",
                        "--n",
                        "12",
                        "--device",
                        "cpu",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ticket accuracy"), r.out());
        assertTrue(r.out().contains("bound respected on every image (2000 of 2000)"), r.out());
        for (String f :
                new String[] {
                    RunDirectory.CONFIG, RunDirectory.MASKS, RunDirectory.PRUNE, RunDirectory.REPORT
                }) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        CliRun e = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("verified; every block keeps exactly k=6 of n=12"), e.out());

        CliRun again =
                CliRun.run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--density",
                        "0.5",
                        "--n",
                        "12",
                        "--device",
                        "cpu",
                        "--no-eval",
                        "--out",
                        tmp.resolve("run2").toString());
        assertEquals(0, again.code(), again.err());
        String digest = RunDirectory.load(out).ticket().digest();
        assertEquals(
                digest,
                RunDirectory.load(tmp.resolve("run2")).ticket().digest(),
                "same seed, same masks");
    }

    @Test
    void evalKeepsThePruningStatisticsAndEveryEarlierEvaluation() throws Exception {
        Path out = tmp.resolve("reeval");
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--density",
                        "0.5",
                        "--n",
                        "12",
                        "--device",
                        "cpu",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bound respected on every image (2000 of 2000)"), r.out());
        JsonObject prune = read(out.resolve(RunDirectory.PRUNE));
        JsonObject first = read(out.resolve(RunDirectory.REPORT));
        assertEquals(
                prune,
                first.get("pruning"),
                "prune writes prune.json's statistics into the report");
        JsonObject evaluation = first.getAsJsonObject("evaluation");
        for (String f :
                new String[] {
                    "guaranteedBoundOnData",
                    "guaranteedBoundOverInputBox",
                    "inputBox",
                    "imagesChecked",
                    "imagesViolated",
                    "withinBound",
                    "arithmetic",
                    "boundToErrorRatio"
                }) {
            assertTrue(evaluation.has(f), "evaluation." + f);
        }
        assertEquals(2000, evaluation.get("imagesChecked").getAsInt());
        assertEquals(0, evaluation.get("imagesViolated").getAsInt());
        assertEquals("float32", evaluation.get("arithmetic").getAsString());
        assertEquals(0.0, evaluation.getAsJsonObject("inputBox").get("low").getAsDouble(), 0.0);
        assertEquals(1.0, evaluation.getAsJsonObject("inputBox").get("high").getAsDouble(), 0.0);

        for (int round = 1; round <= 2; round++) {
            JsonObject before = read(out.resolve(RunDirectory.REPORT));
            CliRun e = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
            assertEquals(0, e.code(), e.err());
            assertTrue(e.out().contains("bound respected on every image (2000 of 2000)"), e.out());
            JsonObject after = read(out.resolve(RunDirectory.REPORT));
            // the pruning statistics are prune.json's, unchanged (not zeros from a pruning that did
            // not happen)
            assertEquals(prune, after.get("pruning"), "round " + round);
            assertEquals(
                    prune,
                    read(out.resolve(RunDirectory.PRUNE)),
                    "prune.json itself is never rewritten");
            assertTrue(after.getAsJsonObject("pruning").get("keptParameters").getAsLong() > 0);
            // the previous report is kept whole, after the ones before it
            JsonArray earlier = after.getAsJsonArray("earlierEvaluations");
            assertEquals(round, earlier.size(), "round " + round);
            JsonObject kept = earlier.get(round - 1).getAsJsonObject();
            JsonObject expected = before.deepCopy();
            JsonArray older = (JsonArray) expected.remove("earlierEvaluations");
            expected.remove("pruning");
            assertEquals(
                    expected,
                    kept,
                    "round " + round + ": the previous report, minus its copy of prune.json");
            for (int q = 0; q < round - 1; q++) {
                assertEquals(
                        older.get(q), earlier.get(q), "round " + round + ": older evaluation " + q);
            }
            assertEquals(
                    first.get("evaluation"), earlier.get(0).getAsJsonObject().get("evaluation"));
        }
    }

    @Test
    void evalRefusesABrokenReportOrAForeignPruneJsonBeforeAnyWork() throws Exception {
        Path out = tmp.resolve("broken");
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--density",
                        "0.5",
                        "--n",
                        "12",
                        "--device",
                        "cpu",
                        "--no-eval",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        Path report = out.resolve(RunDirectory.REPORT);
        Files.writeString(report, "{\"evaluation\": ");
        CliRun e = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(2, e.code(), e.err());
        String line = e.err().strip();
        assertEquals(1, line.split("\n").length, line);
        assertTrue(line.startsWith("sltk: " + report + ": not valid JSON ("), line);
        assertTrue(
                line.endsWith(
                        "); sltk eval keeps it as an earlier evaluation: repair it, or move it away to start a new one"),
                line);
        assertEquals("", e.out());
        assertEquals(
                "{\"evaluation\": ",
                Files.readString(report),
                "the broken report is left as it was");
        Files.delete(report);

        Path prune = out.resolve(RunDirectory.PRUNE);
        String recorded = Files.readString(prune);
        Files.writeString(
                prune,
                recorded.replaceFirst(
                        "\"maskDigest\": \"[0-9a-f]{12}", "\"maskDigest\": \"000000000000"));
        CliRun f = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(2, f.code(), f.err());
        assertTrue(
                f.err()
                        .startsWith(
                                "sltk: "
                                        + prune
                                        + ": field 'maskDigest' is '000000000000', but the masks are "),
                f.err());
        assertEquals("", f.out());
        assertFalse(Files.exists(report), "no report");
    }

    private static JsonObject read(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void mitmAndTensorWriteTheSameMasks() throws Exception {
        // n = 16, k = 4: mitm runs its own search (C = 1,820 is above its switch to enumeration)
        String[] digests = new String[2];
        String[] solvers = {"mitm", "tensor"};
        for (int s = 0; s < 2; s++) {
            Path out = tmp.resolve("solver-" + solvers[s]);
            CliRun r =
                    CliRun.run(
                            "prune",
                            "--model",
                            model.toString(),
                            "--density",
                            "0.25",
                            "--n",
                            "16",
                            "--solver",
                            solvers[s],
                            "--device",
                            "cpu",
                            "--no-eval",
                            "--out",
                            out.toString());
            assertEquals(0, r.code(), r.err());
            digests[s] =
                    JsonParser.parseString(Files.readString(out.resolve(RunDirectory.CONFIG)))
                            .getAsJsonObject()
                            .get("maskDigest")
                            .getAsString();
        }
        assertEquals(digests[0], digests[1], "--solver mitm and --solver tensor");
    }

    @Test
    void badFlagsGiveOneLineAndExit2() {
        String[][] cases = {
            {"--density", "1.5"},
            {"--density", "0.3", "--n", "12"},
            {"--eps", "0"},
            {"--n", "65"},
            {"--dist", "cauchy"},
            {"--solver", "gurobi"},
            {"--device", "tpu"},
            {"--pool", "3", "--n", "12", "--density", "0.5"},
            {"--density", "NaN"},
            {"--eps", "NaN"},
            {"--eps", "Infinity"},
            {"--n", "-3"},
            {"--pool", "-5"},
            {"--n", "12", "--density", "0.5", "--pool", "100000000"},
            {"--n", "12", "--density", "0.5", "--pool", "100000000", "--no-eval"},
            // blocks beyond the solver's reach: refused before any work, naming the flag that set n
            {"--solver", "tensor", "--n", "40"},
            {"--eps", "1e-9"},
            {"--solver", "tensor", "--density", "0.5"},
            {"--solver", "brute", "--n", "40", "--no-eval"},
            {"--density", "0.5", "--n", "64"},
            {"--density", "0.333"},
        };
        String[] expected = {
            "sltk: --density: must be in (0, 1], found 1.5",
            "sltk: --n 12 with --density 0.3 gives k = 3.6, not a whole number in [1, n]; pick n so that density * n is whole",
            "sltk: --eps: must be a positive number, found 0.0",
            "sltk: --n: must be in [1, 64], found 65",
            "sltk: --dist: unknown distribution 'cauchy'; use uniform, normal, kaiming-uniform or kaiming-normal",
            "sltk: --solver: unknown solver 'gurobi'; use auto, mitm, tensor, swap or brute",
            "sltk: --device: unknown device 'tpu'; use cpu, gpu, gpu:N or auto",
            "sltk: --pool: must be at least n = 12, found 3",
            "sltk: --density: must be in (0, 1], found NaN",
            "sltk: --eps: must be a positive number, found NaN",
            "sltk: --eps: must be a positive number, found Infinity",
            "sltk: --n: must be 0 (choose) or in [1, 64], found -3",
            "sltk: --pool: must be 0 (3n) or at least n, found -5",
            // 785 pools of 10^8 units: the evaluation's passes would hold only the used units (at
            // most n = 12 per pool), which fit; the random network's unit count does not
            "sltk: --pool 100000000: pair 1 would have 78500000000 hidden units, more than 2147483639; lower --pool",
            "sltk: --pool 100000000: pair 1 would have 78500000000 hidden units, more than 2147483639; lower --pool",
            "sltk: --n 40: blocks of (n, k) = (40, 10) are beyond the tensor solver's reach (C(n, k) <= 2000000);"
                    + " give --n <= 28 or --solver auto",
            "sltk: --eps 1e-9: at --density 0.25 it needs blocks of (n, k) = (48, 12), beyond the auto"
                    + " solver's reach (at most 2097152 subset sums per half: n up to about 40 for every k, 64 for small k;"
                    + " else C(n, k) <= 20000000);"
                    + " give a larger --eps, --n <= 40, or --solver swap",
            "sltk: --density 0.5: its smallest default blocks, (n, k) = (24, 12), are beyond the tensor solver's reach"
                    + " (C(n, k) <= 2000000); give --n <= 22 or --solver auto",
            "sltk: --n 40: blocks of (n, k) = (40, 10) are beyond the brute-force solver's reach (C(n, k) <= 20000000);"
                    + " give --n <= 32 or --solver auto",
            "sltk: --n 64: blocks of (n, k) = (64, 32) are beyond the auto solver's reach (at most 2097152"
                    + " subset sums per half: n up to about 40 for every k, 64 for small k; else C(n, k) <= 20000000); give --n <= 42 or --solver swap",
            "sltk: --density: 0.333 * n is whole for no block size n <= 64; give a density k/n with n <= 64, such as 0.25"
                    + " or 0.5",
        };
        for (int c = 0; c < cases.length; c++) {
            Path out = tmp.resolve("bad" + c);
            String[] args = new String[cases[c].length + 5];
            args[0] = "prune";
            args[1] = "--model";
            args[2] = model.toString();
            args[3] = "--out";
            args[4] = out.toString();
            System.arraycopy(cases[c], 0, args, 5, cases[c].length);
            CliRun r = CliRun.run(args);
            assertEquals(2, r.code(), String.join(" ", cases[c]) + ": " + r.err());
            assertEquals(expected[c], r.err().strip(), String.join(" ", cases[c]));
            assertEquals("", r.out(), "refused before any work: " + String.join(" ", cases[c]));
            assertFalse(Files.exists(out), "no output for bad input " + String.join(" ", cases[c]));
        }
    }

    @Test
    void sweepRefusesADensityBeyondTheSolversReachBeforeAnyWork() {
        // density 0.25 alone would run; 0.5 needs (24, 12), beyond the tensor solver: nothing may
        // be written
        Path out = tmp.resolve("badsweep");
        CliRun r =
                CliRun.run(
                        "sweep",
                        "--model",
                        model.toString(),
                        "--densities",
                        "0.25,0.5",
                        "--solver",
                        "tensor",
                        "--device",
                        "cpu",
                        "--out",
                        out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "sltk: --densities: density 0.5 needs blocks of (n, k) = (24, 12), beyond the tensor solver's reach"
                        + " (C(n, k) <= 2000000); leave it out or give --solver auto",
                r.err().strip());
        assertFalse(Files.exists(out), "no output for a sweep refused up front");
        Path out2 = tmp.resolve("badsweep2");
        CliRun e =
                CliRun.run(
                        "sweep",
                        "--model",
                        model.toString(),
                        "--densities",
                        "0.5,0.25",
                        "--eps",
                        "1e-9",
                        "--device",
                        "cpu",
                        "--out",
                        out2.toString());
        assertEquals(2, e.code(), e.err());
        assertEquals(
                "sltk: --eps 1e-9: density 0.25 needs blocks of (n, k) = (48, 12), beyond the auto"
                        + " solver's reach (at most 2097152 subset sums per half: n up to about 40 for every k, 64 for small k;"
                        + " else C(n, k) <= 20000000);"
                        + " give a larger --eps or --solver swap",
                e.err().strip());
        assertFalse(Files.exists(out2), "no output for a sweep refused up front");
        // a refused density names sweep's flag, --densities, not prune's --density
        String[][] bad = {{"0.25,0.333"}, {"0.25,1.5"}};
        String[] lines = {
            "sltk: --densities: 0.333 * n is whole for no block size n <= 64; give a density k/n with n <= 64, such as 0.25"
                    + " or 0.5",
            "sltk: --densities: must be in (0, 1], found 1.5",
        };
        for (int c = 0; c < bad.length; c++) {
            Path o = tmp.resolve("badsweep-d" + c);
            CliRun d =
                    CliRun.run(
                            "sweep",
                            "--model",
                            model.toString(),
                            "--densities",
                            bad[c][0],
                            "--device",
                            "cpu",
                            "--out",
                            o.toString());
            assertEquals(2, d.code(), d.err());
            assertEquals(lines[c], d.err().strip());
            assertEquals("", d.out(), "refused before any work");
            assertFalse(Files.exists(o), "no output for a sweep refused up front");
        }
    }

    @Test
    void evalRefusesTamperedMasksWithOneLine() throws Exception {
        Path out = tmp.resolve("tampered");
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--density",
                        "0.5",
                        "--n",
                        "12",
                        "--device",
                        "cpu",
                        "--no-eval",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        // reproducible: the settings, the seed and the software versions are recorded in the run
        com.google.gson.JsonObject cfg =
                com.google.gson.JsonParser.parseString(
                                Files.readString(out.resolve(RunDirectory.CONFIG)))
                        .getAsJsonObject();
        assertEquals(1, cfg.get("seed").getAsLong());
        assertEquals(12, cfg.get("n").getAsInt());
        assertEquals(6, cfg.get("k").getAsInt());
        assertEquals(36, cfg.get("pool").getAsInt());
        for (String f : new String[] {"sltk", "java", "os", "djl", "engine", "device", "time"}) {
            assertTrue(cfg.getAsJsonObject("provenance").has(f), "provenance." + f);
        }
        RunDirectory.Run good = RunDirectory.load(out);
        String recorded = good.ticket().digest();
        // move the last kept unit of output 0 of pair 0 one up: still sorted, distinct and in range
        List<PairMask> masks = new ArrayList<>(good.ticket().masks());
        PairMask m0 = masks.get(0);
        int[] kept = m0.kept().clone();
        int last = m0.perOutput() - 1;
        kept[last] = kept[last] + 1 < good.ticket().random().units(0) ? kept[last] + 1 : kept[last];
        assertTrue(kept[last] != m0.kept()[last], "the tamper must change the mask");
        masks.set(0, new PairMask(m0.outputs(), m0.perOutput(), kept));
        String changed = new MaskedNetwork(good.ticket().random(), masks).digest();
        Path npz = out.resolve(RunDirectory.MASKS);
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                OutputStream os = Files.newOutputStream(npz)) {
            NDList list = new NDList();
            for (int l = 0; l < masks.size(); l++) {
                NDArray a =
                        nd.create(
                                masks.get(l).kept(),
                                new Shape(masks.get(l).outputs(), masks.get(l).perOutput()));
                a.setName("pair" + l);
                list.add(a);
            }
            list.encode(os, NDList.Encoding.NPZ);
        }
        CliRun e = CliRun.run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(2, e.code(), e.err());
        assertEquals(
                "sltk: "
                        + npz
                        + ": mask digest "
                        + changed.substring(0, 12)
                        + " does not match "
                        + recorded.substring(0, 12)
                        + " recorded in config.json; the masks were changed or the file is damaged\n",
                e.err());
        assertEquals("", e.out(), "nothing evaluated");
        assertFalse(Files.exists(out.resolve(RunDirectory.REPORT)), "no report for a tampered run");
    }

    @Test
    void missingModelAndRunNameTheFile() {
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        tmp.resolve("nomodel").toString(),
                        "--out",
                        tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("sltk: "), r.err());
        assertTrue(r.err().contains("nomodel"), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        CliRun e = CliRun.run("eval", "--run", tmp.resolve("norun").toString());
        assertEquals(2, e.code());
        assertEquals(
                "sltk: --run "
                        + tmp.resolve("norun")
                        + ": not a run directory (make one with sltk prune --out DIR)",
                e.err().strip());
    }
}
