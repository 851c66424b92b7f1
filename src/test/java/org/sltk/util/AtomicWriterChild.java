package org.sltk.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child process of {@link AtomicFilesKillTest}: writes a large file or directory through {@link
 * AtomicFiles} and is killed by the test mid-write.
 *
 * <p>Modes: {@code block file|dir TARGET VERSION} writes half of version VERSION, prints {@code
 * INSIDE} and blocks inside the writer callback; {@code loop file|dir TARGET} writes versions 1, 2,
 * ... for ever, printing {@code WROTE v} after each.
 */
public final class AtomicWriterChild {

    /** Bytes of one version of the file, and of each of the directory's files. */
    static final int SIZE = 4 << 20;

    /** Files of one version of the directory. */
    static final int FILES = 4;

    private AtomicWriterChild() {}

    /**
     * Returns version v of the content: an 8-byte header with v, then seeded bytes.
     *
     * @param v the version
     * @param part which file of a directory (0 for a single file)
     * @return the bytes
     */
    static byte[] content(long v, int part) {
        byte[] b = new byte[SIZE];
        new Random(v * 31 + part).nextBytes(b);
        ByteBuffer.wrap(b).putLong(v);
        return b;
    }

    /**
     * Runs the child.
     *
     * @param args mode, kind, target and (for block) version
     * @throws Exception on any error
     */
    public static void main(String[] args) throws Exception {
        boolean dir = args[1].equals("dir");
        Path target = Path.of(args[2]);
        if (args[0].equals("block")) {
            long v = Long.parseLong(args[3]);
            if (dir) {
                AtomicFiles.writeDirectory(
                        target,
                        tmp -> {
                            for (int p = 0; p < FILES / 2; p++) {
                                Files.write(tmp.resolve("part" + p), content(v, p));
                            }
                            try (OutputStream out =
                                    Files.newOutputStream(tmp.resolve("part" + FILES / 2))) {
                                out.write(content(v, FILES / 2), 0, SIZE / 2);
                                out.flush();
                                block();
                            }
                        });
            } else {
                AtomicFiles.write(
                        target,
                        out -> {
                            out.write(content(v, 0), 0, SIZE / 2);
                            out.flush();
                            block();
                        });
            }
            throw new AssertionError("unreachable: the test kills this process");
        }
        for (long v = 1; ; v++) {
            long version = v;
            if (dir) {
                AtomicFiles.writeDirectory(
                        target,
                        tmp -> {
                            for (int p = 0; p < FILES; p++) {
                                Files.write(tmp.resolve("part" + p), content(version, p));
                            }
                        });
            } else {
                AtomicFiles.write(target, out -> out.write(content(version, 0)));
            }
            System.out.println("WROTE " + v);
            System.out.flush();
        }
    }

    private static void block() throws IOException {
        System.out.println("INSIDE");
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
