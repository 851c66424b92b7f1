package org.sltk.util;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files and directories so that a reader sees either the old content or the new, never a
 * half-written one: everything goes to a temporary sibling first, which is then renamed.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Writes the content of one file through a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * Writes the content.
         *
         * @param out the stream of the temporary file
         * @throws IOException on a write error
         */
        void write(OutputStream out) throws IOException;
    }

    /** Fills a directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        /**
         * Writes the files of the directory.
         *
         * @param dir the temporary directory to fill
         * @throws IOException on a write error
         */
        void write(Path dir) throws IOException;
    }

    /**
     * Writes a file atomically.
     *
     * @param target the file to create or replace
     * @param writer writes the content
     */
    public static void write(Path target, StreamWriter writer) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    writer.write(out);
                }
                readable(tmp, "rw-r--r--");
                move(tmp, abs);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a UTF-8 text file atomically.
     *
     * @param target the file to create or replace
     * @param text the content
     */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes a whole directory atomically: it is filled under a temporary name, then renamed; an
     * existing directory of that name is replaced only after the new one is complete.
     *
     * <p>Replacing takes two renames (old away, new in), since Java has no atomic exchange of
     * directories: a process killed between them leaves the name free and the previous directory
     * complete under {@code .name.old<nanos>}; the name never holds a partial directory ({@code
     * AtomicFilesKillTest}).
     *
     * @param target the directory to create or replace
     * @param writer fills the directory
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
            try {
                writer.write(tmp);
                readable(tmp, "rwxr-xr-x");
                if (Files.exists(abs)) {
                    Path old =
                            abs.resolveSibling(
                                    "." + abs.getFileName() + ".old" + System.nanoTime());
                    move(abs, old);
                    move(tmp, abs);
                    deleteRecursively(old);
                } else {
                    move(tmp, abs);
                }
            } finally {
                deleteRecursively(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Temp files are created private; the result gets the usual permissions. */
    private static void readable(Path p, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes a file or a directory tree if it exists.
     *
     * @param path what to delete
     * @throws IOException on a delete error
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
