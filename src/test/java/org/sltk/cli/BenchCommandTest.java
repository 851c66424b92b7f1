package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sltk bench rfss} on a tiny setting writes its own report; an absent baseline is skipped.
 */
class BenchCommandTest {

    @TempDir Path tmp;

    private int run(StringWriter out, StringWriter err, String... args) {
        return Sltk.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    }

    @Test
    void rfssWritesReportAndSkipsMissingBaseline() throws Exception {
        Path md = tmp.resolve("docs/bench.md");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                run(
                        out,
                        err,
                        "bench",
                        "rfss",
                        "--setting",
                        "10,3,40,4,2",
                        "--rounds",
                        "2",
                        "--baseline-class",
                        "org.sltk.bench.Missing",
                        "--out",
                        md.toString());
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("CP-SAT baseline skipped: "), out.toString());
        String text = Files.readString(md);
        assertTrue(text.startsWith("# sltk benchmarks"), text);
        assertTrue(text.contains("- load average (1, 5, 15 min) at start: "), text);
        assertTrue(text.contains("- CPU: "), text);
        assertTrue(text.contains("| (10,3) | 120 | sltk mitm | yes | 40 |"), text);
        assertTrue(
                text.contains(
                        "| (10,3) | 120 | CP-SAT 2 workers | when proven (on S-scaled integers) | skipped: "),
                text);
    }

    @Test
    void badSettingIsOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                run(
                        out,
                        err,
                        "bench",
                        "rfss",
                        "--setting",
                        "5,9",
                        "--out",
                        tmp.resolve("x.md").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--setting"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
}
