package org.sltk.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.sltk.util.InputException;

/**
 * Fuzzes the IDX reader: whatever the bytes (plain or gzipped), {@link IdxFile#read} returns a
 * consistent content or throws {@link InputException}; any other throwable (OOM, NPE, index out of
 * bounds) is a finding. {@code mvn test} replays the seed corpus in {@code
 * src/test/resources/org/sltk/data/IdxFuzzTestInputs/}; see docs/fuzzing.md for a real run.
 */
class IdxFuzzTest {

    private static Path dir;

    @BeforeAll
    static void dir() throws IOException {
        dir = Files.createTempDirectory("sltk-idx-fuzz");
    }

    @AfterAll
    static void clean() throws IOException {
        org.sltk.util.AtomicFiles.deleteRecursively(dir);
    }

    @FuzzTest(maxDuration = "10m", maxExecutions = 120_000)
    void idx(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        // the first byte picks the rank the caller expects (-1 for any, 1 labels, 3 images)
        int expected =
                switch (bytes[0] & 3) {
                    case 1 -> 1;
                    case 3 -> 3;
                    default -> -1;
                };
        Path file = dir.resolve("input.idx");
        Files.write(file, java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
        try {
            IdxFile f = IdxFile.read(file, expected);
            long product = 1;
            for (int d : f.dims()) {
                product *= d;
            }
            if (product != f.data().length
                    || (expected > 0 && f.rank() != expected)
                    || f.sha256().isEmpty()) {
                throw new AssertionError("inconsistent content " + f);
            }
        } catch (InputException e) {
            OneLine.check(e);
        }
    }
}
