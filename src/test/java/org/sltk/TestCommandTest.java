package org.sltk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The test command: {@code .ci/run} runs exactly the command the README gives for the tests, and
 * {@code scripts/test.sh} is strict under CI=true ({@code scripts/test-ci-strict.sh}, with stubbed
 * tools: an install that fails, a step that cannot run or a skipped test fails the run).
 */
class TestCommandTest {

    static final String README_MARK = "# the tests (what .ci/run calls)";

    /** The README's test command: the line after {@link #README_MARK} in its code block. */
    static String readmeTestCommand() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int at = lines.indexOf(README_MARK);
        assertTrue(at >= 0 && at + 1 < lines.size(), "README.md has no line '" + README_MARK + "'");
        assertEquals(
                1,
                lines.stream().filter(README_MARK::equals).count(),
                "README.md names the test command once");
        return lines.get(at + 1).trim();
    }

    /**
     * What .ci/run runs: its lines less the shebang, comments, blank lines, `set` and the `cd` to
     * the root.
     */
    static List<String> ciRunCommands() throws Exception {
        return Files.readAllLines(Path.of(".ci/run")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .filter(l -> !l.startsWith("set "))
                .filter(l -> !l.equals("cd \"$(dirname \"$0\")/..\""))
                .toList();
    }

    @Test
    void ciRunRunsExactlyTheReadmeTestCommand() throws Exception {
        String command = readmeTestCommand();
        assertTrue(
                command.matches("(\\./|bash )scripts/test\\.sh( .*)?"),
                "the README's test command runs scripts/test.sh: " + command);
        assertEquals(
                List.of(command),
                ciRunCommands(),
                ".ci/run must run the README's test command and nothing else");
        assertTrue(
                Files.isExecutable(Path.of(".ci/run"))
                        && Files.isExecutable(Path.of("scripts/test.sh")),
                ".ci/run and scripts/test.sh must be executable");
    }

    @Test
    void testShIsStrictUnderCi() throws Exception {
        Process p =
                new ProcessBuilder("bash", "scripts/test-ci-strict.sh")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "test-ci-strict.sh timed out");
        assertEquals(0, p.exitValue(), out);
        Matcher m =
                Pattern.compile("test-ci-strict\\.sh: (\\d+) passed, 0 failed\\s*$").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Integer.parseInt(m.group(1)) >= 30, "fewer cases than written: " + out);
    }
}
