package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sltk.io.RunDirectory;
import org.sltk.io.TestModels;
import org.sltk.nn.TargetModel;

/**
 * The corpus of bad run directories in {@code src/test/resources/org/sltk/io/bad-runs/}: each case
 * holds a {@code config.json} (with {@code @MODEL@} and {@code @SHA@} standing for a 20-8-4 test
 * model), maybe a {@code masks.npz}, and {@code expected.txt}, the exact line {@code sltk eval}
 * must print ({@code @RUN@} stands for the run directory). Each is refused with exit code 2,
 * nothing on stdout, and no {@code report.json}. The files were written by {@code bad-runs.py} next
 * to them (numpy) (config edits, truncated, wrong dtype and shape, out-of-range and unsorted units,
 * extra and missing arrays, a 100 MB deflated entry, a digest mismatch).
 */
class BadRunsTest {

    static final Path CORPUS = Path.of("src/test/resources/org/sltk/io/bad-runs");

    @TempDir static Path tmp;
    static TargetModel model;

    @BeforeAll
    static void model() {
        System.setProperty("sltk.quiet", "true");
        model = TestModels.save(tmp.resolve("model"), new int[] {20, 8, 4}, 3);
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusedWithOneLineAndNoReport(String name) throws IOException {
        Path src = CORPUS.resolve(name);
        Path run = tmp.resolve(name);
        Files.createDirectories(run);
        Files.writeString(
                run.resolve(RunDirectory.CONFIG),
                Files.readString(src.resolve(RunDirectory.CONFIG))
                        .replace("@MODEL@", model.dir().toString())
                        .replace("@SHA@", model.paramsSha256()));
        if (Files.exists(src.resolve(RunDirectory.MASKS))) {
            Files.copy(src.resolve(RunDirectory.MASKS), run.resolve(RunDirectory.MASKS));
        }
        String expected =
                Files.readString(src.resolve("expected.txt"))
                        .strip()
                        .replace("@RUN@", run.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Sltk.commandLine(new PrintWriter(out), new PrintWriter(err))
                        .execute("eval", "--run", run.toString(), "--device", "cpu");
        assertEquals(2, code, err.toString());
        assertEquals("sltk: " + expected + "\n", err.toString());
        assertEquals("", out.toString());
        assertFalse(Files.exists(run.resolve(RunDirectory.REPORT)), "no report for a bad run");
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(
                    Files.exists(src.resolve(RunDirectory.MASKS)) ? 2 : 1,
                    s.count(),
                    "nothing else written");
        }
    }
}
