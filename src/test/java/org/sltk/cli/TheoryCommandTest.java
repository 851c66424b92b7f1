package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.io.TestModels;
import org.sltk.theory.OverparamReport;
import org.sltk.theory.SumBoundReport;

/** The sumbound and overparam verbs in-process. */
class TheoryCommandTest {

    @TempDir static Path tmp;
    static Path model;

    @BeforeAll
    static void model() {
        System.setProperty("sltk.quiet", "true");
        model = tmp.resolve("tiny-model");
        TestModels.save(model, new int[] {16, 6, 3}, 5);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sumboundWritesCsvAndPngAtomically() throws Exception {
        Path out = tmp.resolve("sb");
        Files.createDirectories(out);
        Files.writeString(out.resolve("sumbound.csv"), "old");
        CliRun r =
                CliRun.run(
                        "sumbound",
                        "--dists",
                        "uniform,product",
                        "--ks",
                        "1,2",
                        "--samples",
                        "20000",
                        "--bins",
                        "10",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().contains("| product | paper |")
                        && r.out().contains("| product | standardised |"),
                r.out());
        assertEquals(
                List.of("sumbound-curves.csv", "sumbound.csv", "sumbound.png"),
                names(out),
                "no temporary files left");
        List<String> csv = Files.readAllLines(out.resolve("sumbound.csv"));
        assertEquals(SumBoundReport.CSV_HEADER, csv.get(0), "the old file was replaced");
        assertEquals(1 + 2 * 2 * 3, csv.size(), "2 dists x 2 forms x (2 k + overall)");
        assertTrue(Files.size(out.resolve("sumbound.png")) > 1000);
    }

    @Test
    void overparamRunsOnAnyModelDirectory() throws Exception {
        Path out = tmp.resolve("op");
        CliRun r =
                CliRun.run(
                        "overparam",
                        "--model",
                        model.toString(),
                        "--densities",
                        "0.5,0.25",
                        "--eps",
                        "1e-2",
                        "--blocks",
                        "40",
                        "--max-n",
                        "24",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| k/n | eps | n99 |"), r.out());
        assertEquals(
                List.of(
                        "overparam-tiny-model-seeds.csv",
                        "overparam-tiny-model-trials.csv",
                        "overparam-tiny-model.csv",
                        "overparam-tiny-model.png"),
                names(out));
        List<String> csv = Files.readAllLines(out.resolve("overparam-tiny-model.csv"));
        assertEquals(OverparamReport.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
    }

    @Test
    void overparamRunsSeveralSeedsAndWritesTheirSpread() throws Exception {
        String[] grid = {
            "overparam",
            "--model",
            model.toString(),
            "--densities",
            "0.5,0.25",
            "--eps",
            "1e-2",
            "--blocks",
            "40",
            "--max-n",
            "24"
        };
        Path out = tmp.resolve("op-seeds");
        CliRun r = CliRun.run(concat(grid, "--seeds", "3,1,2", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out()
                        .contains(
                                "| k/n | eps | n99 per seed | C implied per seed | C at the n below, per seed | mean | sd | min | max |"),
                r.out());
        List<String> csv = Files.readAllLines(out.resolve("overparam-tiny-model.csv"));
        assertEquals(1 + 3 * 2, csv.size(), "a row per seed and point");
        assertEquals(
                List.of("3", "3", "1", "1", "2", "2"),
                csv.subList(1, 7).stream().map(l -> l.split(",")[0]).toList());
        // each seed's rows are what a single-seed run writes
        for (String seed : new String[] {"1", "2", "3"}) {
            Path one = tmp.resolve("op-seed" + seed);
            assertEquals(
                    0, CliRun.run(concat(grid, "--seed", seed, "--out", one.toString())).code());
            List<String> single = Files.readAllLines(one.resolve("overparam-tiny-model.csv"));
            assertEquals(
                    single.subList(1, 3),
                    csv.stream().filter(l -> l.startsWith(seed + ",")).toList(),
                    "seed " + seed);
        }
        List<String> seeds = Files.readAllLines(out.resolve("overparam-tiny-model-seeds.csv"));
        assertEquals(OverparamReport.SEEDS_CSV_HEADER, seeds.get(0));
        assertEquals(1 + 2 + 1, seeds.size(), "two points and the row over points");
        String[] all = seeds.get(3).split(",", -1);
        assertEquals("all", all[0]);
        assertEquals("3;1;2", all[2]);
        // the row over points: per seed the max of that seed's c_implied_n99 column
        String[] perSeed = all[5].split(";");
        int col = List.of(OverparamReport.CSV_HEADER.split(",")).indexOf("c_implied_n99");
        for (int i = 0; i < 3; i++) {
            String seed = all[2].split(";")[i];
            double max =
                    csv.stream()
                            .filter(l -> l.startsWith(seed + ","))
                            .mapToDouble(l -> Double.parseDouble(l.split(",", -1)[col]))
                            .max()
                            .orElseThrow();
            assertEquals(max, Double.parseDouble(perSeed[i]), 1e-5, "seed " + seed);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void overparamAcceptsACnnModelDirectory() throws Exception {
        Path cnn = tmp.resolve("cnn-model");
        org.sltk.io.TestModels.save(cnn, org.sltk.io.TestModels.tinyCnn(), 5);
        Path out = tmp.resolve("op-cnn");
        CliRun r =
                CliRun.run(
                        "overparam",
                        "--model",
                        cnn.toString(),
                        "--densities",
                        "0.5",
                        "--eps",
                        "1e-2",
                        "--blocks",
                        "30",
                        "--max-n",
                        "16",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| k/n | eps | n99 |"), r.out());
        assertEquals(
                List.of(
                        "overparam-cnn-model-seeds.csv",
                        "overparam-cnn-model-trials.csv",
                        "overparam-cnn-model.csv",
                        "overparam-cnn-model.png"),
                names(out));
    }

    @Test
    void badFlagsGiveOneLineAndExit2() {
        String m = model.toString();
        String[][] cases = {
            {"sumbound", "--samples", "5"},
            {"sumbound", "--ks", "0"},
            {"sumbound", "--dists", "cauchy"},
            {"sumbound", "--bins", "1"},
            {"sumbound", "--fan-in", "0"},
            {"overparam", "--model", m, "--densities", "1.5"},
            {"overparam", "--model", m, "--eps", "0"},
            {"overparam", "--model", m, "--quantile", "2"},
            {"overparam", "--model", m, "--max-n", "65"},
            {"overparam", "--model", m, "--dist", "cauchy"},
            {"overparam", "--model", tmp.resolve("missing").toString()},
            {"overparam", "--model", m, "--seeds", "1,2,1"},
            {"overparam", "--model", m, "--seed", "1", "--seeds", "2,3"},
        };
        String[] expected = {
            "sltk: --samples: must be in [1000, 2000000000], found 5",
            "sltk: --ks: every k must be in [1, 4096], found 0",
            "sltk: --dists: unknown distribution 'cauchy'; use uniform, product, normal, kaiming-uniform or kaiming-normal",
            "sltk: --bins: must be in [2, 10000], found 1",
            "sltk: --fan-in: must be at least 1, found 0",
            "sltk: --densities: every density must be in (0, 1), found 1.5",
            "sltk: --eps: must be a positive number, found 0.0",
            "sltk: --quantile: must be in (0, 1], found 2.0",
            "sltk: --max-n: must be in [2, 64], found 65",
            "sltk: --dist: unknown distribution 'cauchy'; use uniform, normal, kaiming-uniform or kaiming-normal",
            "sltk: " + tmp.resolve("missing") + ": model directory not found",
            "sltk: --seeds: seed 1 given twice",
            "sltk: --seeds: give either --seed or --seeds, not both",
        };
        for (int c = 0; c < cases.length; c++) {
            Path out = tmp.resolve("bad" + c);
            String[] args = new String[cases[c].length + 2];
            System.arraycopy(cases[c], 0, args, 0, cases[c].length);
            args[args.length - 2] = "--out";
            args[args.length - 1] = out.toString();
            CliRun r = CliRun.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(expected[c], r.err().strip(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", args));
        }
    }
}
