package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.io.RunDirectory;
import org.sltk.io.TestModels;

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

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Sltk.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void pruneWritesARunThatEvalReloads() throws Exception {
        Path out = tmp.resolve("run");
        Result r = run("prune", "--model", model.toString(), "--density", "0.5", "--n", "12", "--device", "cpu",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ticket accuracy"), r.out());
        assertTrue(r.out().contains("(respected)"), r.out());
        for (String f : new String[] {RunDirectory.CONFIG, RunDirectory.MASKS, RunDirectory.PRUNE, RunDirectory.REPORT}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Result e = run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("verified; every block keeps exactly k=6 of n=12"), e.out());

        Result again = run("prune", "--model", model.toString(), "--density", "0.5", "--n", "12", "--device", "cpu",
                "--no-eval", "--out", tmp.resolve("run2").toString());
        assertEquals(0, again.code(), again.err());
        String digest = RunDirectory.load(out).ticket().digest();
        assertEquals(digest, RunDirectory.load(tmp.resolve("run2")).ticket().digest(), "same seed, same masks");
    }

    @Test
    void badFlagsGiveOneLineAndExit2() {
        String[][] cases = {
            {"--density", "1.5"}, {"--density", "0.3", "--n", "12"}, {"--eps", "0"}, {"--n", "65"},
            {"--dist", "cauchy"}, {"--solver", "gurobi"}, {"--device", "tpu"}, {"--pool", "3", "--n", "12", "--density", "0.5"},
        };
        String[] expected = {
            "sltk: --density: must be in (0, 1], found 1.5",
            "sltk: --n 12 with --density 0.3 gives k = 3.6, not a whole number in [1, n]; pick n so that density * n is whole",
            "sltk: --eps: must be a positive number, found 0.0",
            "sltk: --n: must be in [1, 64], found 65",
            "sltk: --dist: unknown distribution 'cauchy'; use uniform, normal, kaiming-uniform or kaiming-normal",
            "sltk: --solver: unknown solver 'gurobi'; use mitm, tensor, swap or brute",
            "sltk: --device: unknown device 'tpu'; use cpu, gpu, gpu:N or auto",
            "sltk: --pool: must be at least n = 12, found 3",
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
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", cases[c]) + ": " + r.err());
            assertEquals(expected[c], r.err().strip(), String.join(" ", cases[c]));
            assertFalse(Files.exists(out), "no output for bad input " + String.join(" ", cases[c]));
        }
    }

    @Test
    void missingModelAndRunNameTheFile() {
        Result r = run("prune", "--model", tmp.resolve("nomodel").toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("sltk: "), r.err());
        assertTrue(r.err().contains("nomodel"), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        Result e = run("eval", "--run", tmp.resolve("norun").toString());
        assertEquals(2, e.code());
        assertEquals("sltk: --run " + tmp.resolve("norun") + ": not a run directory (make one with sltk prune --out DIR)",
                e.err().strip());
    }
}
