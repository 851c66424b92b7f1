package org.sltk.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is writing through {@link AtomicFiles} ({@code destroyForcibly}, i.e.
 * SIGKILL) and checks that the previous output survives byte for byte and that nothing at the
 * target's name is half-written. Temporary siblings may be left behind; they are hidden ({@code
 * .name.*}) and never at the target's name, so no reader mistakes them for the output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AtomicFilesKillTest {

    @TempDir Path tmp;

    private static Process child(String... args) throws IOException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx256m",
                                "-cp",
                                System.getProperty("java.class.path"),
                                AtomicWriterChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the child's lines until one equals {@code line} (or starts with it, for a prefix). */
    private static String await(Process p, BufferedReader out, String prefix) throws IOException {
        for (String l; (l = out.readLine()) != null; ) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        throw new AssertionError(
                "the child ended (exit " + waitQuietly(p) + ") before printing " + prefix);
    }

    private static int waitQuietly(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child must die");
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Digest of a directory: its file names and contents, in name order. */
    private static String treeSha(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : (Iterable<Path>) s.sorted()::iterator) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Everything next to the target other than the target is a hidden temporary of it. */
    private static void onlyHiddenTemporaries(Path target) throws IOException {
        String name = target.getFileName().toString();
        try (Stream<Path> s = Files.list(target.getParent())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                assertTrue(
                        n.equals(name) || n.startsWith("." + name + "."), "unexpected entry " + n);
            }
        }
    }

    @Test
    void killedInsideTheFileWriterLeavesThePreviousFile() throws Exception {
        Path target = tmp.resolve("masks.bin");
        AtomicFiles.write(target, out -> out.write(AtomicWriterChild.content(1, 0)));
        String before = sha(Files.readAllBytes(target));
        Process p = child("block", "file", target.toString(), "2");
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            await(p, out, "INSIDE");
            kill(p);
        }
        assertEquals(
                before, sha(Files.readAllBytes(target)), "the previous file must survive intact");
        onlyHiddenTemporaries(target);
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(
                    s.anyMatch(f -> f.getFileName().toString().startsWith(".masks.bin.")),
                    "the half-written temporary is where the kill left it, under a hidden name");
        }
    }

    @Test
    void killedInsideTheDirectoryWriterLeavesThePreviousDirectory() throws Exception {
        Path target = tmp.resolve("run");
        AtomicFiles.writeDirectory(
                target,
                d -> {
                    for (int p = 0; p < AtomicWriterChild.FILES; p++) {
                        Files.write(d.resolve("part" + p), AtomicWriterChild.content(1, p));
                    }
                });
        String before = treeSha(target);
        Process p = child("block", "dir", target.toString(), "2");
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            await(p, out, "INSIDE");
            kill(p);
        }
        assertEquals(before, treeSha(target), "the previous directory must survive intact");
        onlyHiddenTemporaries(target);
    }

    @Test
    void killedWhileWritingRepeatedlyLeavesSomeCompleteVersion() throws Exception {
        Path target = tmp.resolve("model.bin");
        for (int round = 0; round < 3; round++) {
            Process p = child("loop", "file", target.toString());
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                await(p, out, "WROTE 3");
                Thread.sleep(7L * round); // land somewhere in a later write
                kill(p);
            }
            byte[] b = Files.readAllBytes(target);
            long v = ByteBuffer.wrap(b).getLong();
            assertTrue(v >= 3, "version " + v);
            assertArrayEquals(
                    AtomicWriterChild.content(v, 0), b, "the file is exactly version " + v);
            onlyHiddenTemporaries(target);
        }
    }

    @Test
    void killedWhileWritingDirectoriesRepeatedlyLeavesSomeCompleteVersion() throws Exception {
        Path target = tmp.resolve("models");
        for (int round = 0; round < 3; round++) {
            Process p = child("loop", "dir", target.toString());
            try (BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                await(p, out, "WROTE 2");
                Thread.sleep(11L * round);
                kill(p);
            }
            // a kill between the two renames of a replacement leaves the old directory hidden and
            // the
            // name free (see AtomicFiles.writeDirectory); the name never holds a partial directory
            if (Files.exists(target)) {
                long v = ByteBuffer.wrap(Files.readAllBytes(target.resolve("part0"))).getLong();
                for (int part = 0; part < AtomicWriterChild.FILES; part++) {
                    assertArrayEquals(
                            AtomicWriterChild.content(v, part),
                            Files.readAllBytes(target.resolve("part" + part)),
                            "part " + part + " of version " + v);
                }
                try (Stream<Path> s = Files.list(target)) {
                    assertEquals(AtomicWriterChild.FILES, s.count());
                }
            }
            onlyHiddenTemporaries(target);
        }
        assertFalse(Files.exists(tmp.resolve("models.tmp")));
    }
}
