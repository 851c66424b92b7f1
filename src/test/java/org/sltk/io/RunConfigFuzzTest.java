package org.sltk.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.sltk.data.OneLine;
import org.sltk.nn.Architecture;
import org.sltk.nn.RandomNetwork;
import org.sltk.util.InputException;

/**
 * Fuzzes the reader of a run's {@code config.json}: any bytes give checked settings or an {@link
 * InputException}. Settings that pass are also used the way {@code sltk eval} uses them next (the
 * random network of a 784-300-100-10 target is built, which checks the pool), without loading a
 * model. Seeds: {@code src/test/resources/org/sltk/io/RunConfigFuzzTestInputs/}.
 */
class RunConfigFuzzTest {

    private static Path dir;

    @BeforeAll
    static void dir() throws IOException {
        dir = Files.createTempDirectory("sltk-config-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        org.sltk.util.AtomicFiles.deleteRecursively(dir);
    }

    @FuzzTest(maxDuration = "10m", maxExecutions = 120_000)
    void config(byte[] bytes) throws IOException {
        Path file = dir.resolve(RunDirectory.CONFIG);
        Files.write(file, bytes);
        try {
            RunDirectory.Settings s = RunDirectory.readConfig(file);
            if (s.maskDigest().length() != 64
                    || s.config().k() > s.config().n()
                    || s.config().pool() < s.config().n()) {
                throw new AssertionError("unchecked settings " + s);
            }
            new RandomNetwork(
                    Architecture.mlp(new int[] {784, 300, 100, 10}, true),
                    s.config().pool(),
                    s.config().distribution(),
                    s.config().seed());
        } catch (InputException e) {
            OneLine.check(e);
        }
    }
}
