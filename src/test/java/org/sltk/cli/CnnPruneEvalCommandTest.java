package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/**
 * sltk prune and eval on a cnn model directory: no new flags, the run stores and reloads the conv
 * masks.
 */
class CnnPruneEvalCommandTest {

    @TempDir static Path tmp;
    static Path model;

    @BeforeAll
    static void model() {
        System.setProperty("sltk.quiet", "true");
        model = tmp.resolve("cnn");
        TestModels.save(model, TestModels.tinyCnn(), 5);
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Sltk.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void pruneWritesACnnRunThatEvalReloads() throws Exception {
        Path out = tmp.resolve("run");
        String[] r =
                run(
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
        assertEquals("0", r[0], r[2]);
        assertTrue(
                r[1].contains("target: 1x28x28 conv3x3(1->3,s2,p1)-relu-maxpool2-conv3x3(3->4,p1)"),
                r[1]);
        assertTrue(r[1].contains("bound respected on every image (2000 of 2000)"), r[1]);
        assertTrue(r[1].contains("agreement"), r[1]);
        for (String f :
                new String[] {
                    RunDirectory.CONFIG, RunDirectory.MASKS, RunDirectory.PRUNE, RunDirectory.REPORT
                }) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        RunDirectory.Run loaded = RunDirectory.load(out);
        assertNotNull(loaded.ticket());
        assertEquals(3, loaded.ticket().masks().size());
        assertTrue(
                Files.readString(out.resolve(RunDirectory.CONFIG))
                        .contains(loaded.ticket().digest()));
        String[] e = run("eval", "--run", out.toString(), "--device", "cpu");
        assertEquals("0", e[0], e[2]);
        assertTrue(e[1].contains("verified; every block keeps exactly k=6 of n=12"), e[1]);
        assertTrue(e[1].contains("bound respected on every image (2000 of 2000)"), e[1]);
        // the first N test images only, recorded in the report
        String[] few = run("eval", "--run", out.toString(), "--device", "cpu", "--images", "7");
        assertEquals("0", few[0], few[2]);
        assertTrue(few[1].contains("bound respected on every image (7 of 7)"), few[1]);
        assertEquals(
                7,
                com.google.gson.JsonParser.parseString(
                                Files.readString(out.resolve(RunDirectory.REPORT)))
                        .getAsJsonObject()
                        .getAsJsonObject("evaluation")
                        .get("images")
                        .getAsInt());
        String[] neg = run("eval", "--run", out.toString(), "--device", "cpu", "--images", "-1");
        assertEquals("2", neg[0]);
        assertEquals(
                "sltk: --images -1: must be 0 (all test images) or a positive count",
                neg[2].strip());
        String[] big = run("eval", "--run", out.toString(), "--device", "cpu", "--images", "2001");
        assertEquals("2", big[0]);
        assertEquals(
                "sltk: --images 2001: the test split of mnist has 2000 images; give at most that, or 0 for all",
                big[2].strip());
    }

    @Test
    void aPoolTooLargeForTheRandomNetworkIsRefusedBeforeAnyWork() {
        // pair 1 has 3 * 3 + 1 = 10 pools: 3e8 units each overflow an int (the solver never starts)
        Path out = tmp.resolve("hugepool");
        String[] r =
                run(
                        "prune",
                        "--model",
                        model.toString(),
                        "--density",
                        "0.5",
                        "--n",
                        "12",
                        "--pool",
                        "300000000",
                        "--no-eval",
                        "--device",
                        "cpu",
                        "--out",
                        out.toString());
        assertEquals("2", r[0], r[2]);
        assertEquals(
                "sltk: --pool 300000000: pair 1 would have 3000000000 hidden units, more than 2147483639; lower --pool",
                r[2].strip());
        assertEquals("", r[1], "nothing printed: no work started");
        assertTrue(!Files.exists(out), "no run directory");
    }
}
