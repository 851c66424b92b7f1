package org.sltk.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.sltk.util.AtomicFiles;
import org.sltk.util.Hashing;
import org.sltk.util.InputException;

/**
 * An IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST), read with every header
 * field checked, and written atomically.
 *
 * <p>The format: a 4-byte magic number {@code 0x00 0x00 type rank}, then {@code rank} big-endian
 * 32-bit dimension sizes, then the values, row-major. Only type {@code 0x08} (unsigned byte) is
 * supported. A file that starts with the gzip magic bytes {@code 0x1f 0x8b} is decompressed
 * whatever its name. Every problem is an {@link InputException} with one line that names the file,
 * what was expected and what was found; no partial data is ever returned.
 */
public final class IdxFile {

    /** The IDX type byte of unsigned bytes, the only type supported. */
    public static final int UBYTE = 0x08;

    /** The most values one IDX file may hold here: the largest Java byte array. */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private final int[] dims;
    private final byte[] data;
    private final String sha256;

    private IdxFile(int[] dims, byte[] data, String sha256) {
        this.dims = dims;
        this.data = data;
        this.sha256 = sha256;
    }

    /**
     * Creates an IDX content in memory from its dimensions and values.
     *
     * @param dims the dimension sizes, each positive; 1 to 255 of them
     * @param data the values as unsigned bytes, row-major; as many as the product of the dims
     * @return the content (copies of the arguments)
     * @throws IllegalArgumentException if the dims are invalid or do not match the data length
     */
    public static IdxFile of(int[] dims, byte[] data) {
        Objects.requireNonNull(dims, "dims");
        Objects.requireNonNull(data, "data");
        if (dims.length < 1 || dims.length > 255) {
            throw new IllegalArgumentException(
                    "IDX rank must be in [1, 255], found " + dims.length);
        }
        long product = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] <= 0) {
                throw new IllegalArgumentException(
                        "IDX dimension " + (i + 1) + " must be positive, found " + dims[i]);
            }
            product *= dims[i];
            if (product > MAX_VALUES) {
                throw new IllegalArgumentException("IDX dims " + dimsText(dims) + " are too large");
            }
        }
        if (product != data.length) {
            throw new IllegalArgumentException(
                    "IDX dims "
                            + dimsText(dims)
                            + " need "
                            + product
                            + " values, found "
                            + data.length);
        }
        return new IdxFile(dims.clone(), data.clone(), null);
    }

    /**
     * Reads an IDX file of unsigned bytes of any rank, plain or gzipped.
     *
     * @param file the file
     * @return the content, with the SHA-256 of the file's bytes
     * @throws InputException if the file is missing, unreadable or malformed
     */
    public static IdxFile read(Path file) {
        return read(file, -1);
    }

    /**
     * Reads an IDX file of unsigned bytes with a given rank, plain or gzipped.
     *
     * @param file the file
     * @param expectedRank the number of dimensions the file must have (3 for images, 1 for labels)
     * @return the content, with the SHA-256 of the file's bytes
     * @throws InputException if the file is missing, unreadable, malformed or of another rank
     */
    public static IdxFile read(Path file, int expectedRank) {
        if (expectedRank != -1 && (expectedRank < 1 || expectedRank > 255)) {
            throw new IllegalArgumentException(
                    "expected rank must be in [1, 255], found " + expectedRank);
        }
        String name = String.valueOf(file.getFileName());
        MessageDigest sha = Hashing.sha256();
        try (InputStream raw = Files.newInputStream(file);
                DigestInputStream digested = new DigestInputStream(raw, sha);
                BufferedInputStream buffered = new BufferedInputStream(digested, 1 << 16)) {
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
            IdxFile parsed;
            if (gzip) {
                // closing the gzip stream (its inflater) must leave the file open for the digest
                InputStream shield =
                        new FilterInputStream(buffered) {
                            @Override
                            public void close() {}
                        };
                try (InputStream in = new GZIPInputStream(shield, 1 << 16)) {
                    parsed = parse(name, in, expectedRank, -1);
                } catch (ZipException | EOFException e) {
                    throw new InputException(
                            name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
                }
            } else {
                parsed = parse(name, buffered, expectedRank, Files.size(file));
            }
            // the fingerprint covers every byte of the file, even bytes after the gzip stream
            byte[] rest = new byte[1 << 16];
            while (digested.read(rest) != -1) {
                // drain
            }
            return new IdxFile(parsed.dims, parsed.data, HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": file not found (" + file + ")", e);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read " + file + " (" + e + ")", e);
        }
    }

    /**
     * Parses IDX content from a stream.
     *
     * @param name the file name for messages
     * @param in the decompressed content
     * @param expectedRank the rank required, or -1 for any
     * @param plainFileSize the size of an uncompressed file, or -1 when unknown
     */
    private static IdxFile parse(String name, InputStream in, int expectedRank, long plainFileSize)
            throws IOException {
        byte[] magicBytes = in.readNBytes(4);
        if (magicBytes.length < 4) {
            throw new InputException(
                    name
                            + ": too little data: expected a 4-byte IDX magic number, found "
                            + magicBytes.length
                            + " byte(s)");
        }
        int magic = toInt(magicBytes, 0);
        int type = magicBytes[2] & 0xFF;
        int rank = magicBytes[3] & 0xFF;
        boolean ok = magicBytes[0] == 0 && magicBytes[1] == 0 && type == UBYTE && rank > 0;
        if (expectedRank > 0) {
            ok &= rank == expectedRank;
        }
        if (!ok) {
            throw new InputException(
                    name
                            + ": expected "
                            + expectedMagic(expectedRank)
                            + ", found "
                            + hex(magic)
                            + " ("
                            + describe(magicBytes, expectedRank)
                            + ")");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new InputException(
                    name
                            + ": too little data: expected "
                            + rank
                            + " dimension size(s) ("
                            + 4 * rank
                            + " bytes) after the magic number, found "
                            + dimBytes.length
                            + " byte(s)");
        }
        int[] dims = new int[rank];
        long product = 1;
        boolean overflow = false;
        for (int i = 0; i < rank; i++) {
            dims[i] = toInt(dimBytes, 4 * i);
            if (dims[i] <= 0) {
                throw new InputException(
                        name
                                + ": expected every dimension size in 1.."
                                + Integer.MAX_VALUE
                                + ", found dimension "
                                + (i + 1)
                                + " of "
                                + rank
                                + " = "
                                + Integer.toUnsignedString(dims[i]));
            }
        }
        for (int d : dims) {
            product *= d;
            if (product > MAX_VALUES) {
                overflow = true;
                break;
            }
        }
        if (overflow) {
            throw new InputException(
                    name
                            + ": expected at most "
                            + MAX_VALUES
                            + " values, found dims "
                            + dimsText(dims)
                            + " (not a real IDX file?)");
        }
        long headerBytes = 4 + 4L * rank;
        if (plainFileSize >= 0 && plainFileSize < headerBytes + product) {
            // known before allocating anything
            throw tooLittle(name, dims, product, plainFileSize - headerBytes);
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (product > heap / 2) {
            throw new InputException(
                    name
                            + ": expected a file that fits in the Java heap ("
                            + heap / (1 << 20)
                            + " MiB), found dims "
                            + dimsText(dims)
                            + " ("
                            + product / (1 << 20)
                            + " MiB); raise -Xmx");
        }
        // readNBytes grows its buffer as data arrives, so a short stream never allocates it all
        byte[] data = in.readNBytes((int) product);
        if (data.length < product) {
            throw tooLittle(name, dims, product, data.length);
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        for (int n; (n = in.read(skip)) != -1; ) {
            extra += n;
        }
        if (extra > 0) {
            throw new InputException(
                    name
                            + ": too much data: expected "
                            + product
                            + " value bytes for dims "
                            + dimsText(dims)
                            + ", found "
                            + extra
                            + " byte(s) more");
        }
        return new IdxFile(dims, data, null);
    }

    private static InputException tooLittle(String name, int[] dims, long expected, long found) {
        return new InputException(
                name
                        + ": too little data: expected "
                        + expected
                        + " value bytes for dims "
                        + dimsText(dims)
                        + ", found "
                        + Math.max(0, found));
    }

    private static String expectedMagic(int rank) {
        if (rank < 0) {
            return "an IDX magic number 0x000008NN (ubyte, NN dims)";
        }
        return "magic "
                + hex(UBYTE << 8 | rank)
                + " (ubyte, "
                + rank
                + (rank == 1 ? " dim)" : " dims)");
    }

    /** Says what a wrong magic number looks like. */
    private static String describe(byte[] magic, int expectedRank) {
        int type = magic[2] & 0xFF;
        int rank = magic[3] & 0xFF;
        if (magic[0] != 0 || magic[1] != 0) {
            if ((magic[0] & 0xFF) == GZIP_MAGIC_0 && (magic[1] & 0xFF) == GZIP_MAGIC_1) {
                return "gzip inside gzip?";
            }
            return "not an IDX file";
        }
        if (type != UBYTE) {
            String t =
                    switch (type) {
                        case 0x09 -> "signed byte";
                        case 0x0B -> "short";
                        case 0x0C -> "int";
                        case 0x0D -> "float";
                        case 0x0E -> "double";
                        default -> "unknown type";
                    };
            return t + " values; only ubyte is supported";
        }
        if (rank == 0) {
            return "0 dims";
        }
        if (expectedRank == 3 && rank == 1) {
            return "a labels file?";
        }
        if (expectedRank == 1 && rank == 3) {
            return "an images file?";
        }
        return rank + (rank == 1 ? " dim" : " dims");
    }

    /**
     * Writes the content atomically, gzipped when the file name ends with {@code .gz}.
     *
     * @param file the file to create or replace
     */
    public void write(Path file) {
        boolean gzip = String.valueOf(file.getFileName()).endsWith(".gz");
        AtomicFiles.write(
                file,
                out -> {
                    OutputStream sink = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
                    DataOutputStream d =
                            new DataOutputStream(new BufferedOutputStream(sink, 1 << 16));
                    d.writeInt(UBYTE << 8 | dims.length);
                    for (int dim : dims) {
                        d.writeInt(dim);
                    }
                    d.write(data);
                    d.flush();
                    if (gzip) {
                        ((GZIPOutputStream) sink).finish();
                    }
                });
    }

    /**
     * Returns the dimension sizes.
     *
     * @return a copy of the dims
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Returns the number of dimensions.
     *
     * @return the rank
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Returns the size of one dimension.
     *
     * @param axis the dimension, from 0
     * @return its size
     */
    public int dim(int axis) {
        return dims[axis];
    }

    /**
     * Returns the values as unsigned bytes, row-major (shared, do not modify).
     *
     * @return the values; mask with {@code 0xFF} to read them
     */
    public byte[] data() {
        return data;
    }

    /**
     * Returns the SHA-256 of the file's bytes as read (compressed bytes for a gzip file).
     *
     * @return lower-case hex, or empty for content made in memory
     */
    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /**
     * Returns whether two contents have the same dims and values.
     *
     * @param other the other content
     * @return whether they are equal, ignoring the fingerprint
     */
    public boolean sameContent(IdxFile other) {
        return Arrays.equals(dims, other.dims) && Arrays.equals(data, other.data);
    }

    @Override
    public String toString() {
        return "IdxFile(ubyte " + dimsText(dims) + ")";
    }

    /**
     * Returns the SHA-256 of a file's bytes.
     *
     * @param file the file
     * @return lower-case hex
     * @throws InputException if the file cannot be read
     */
    public static String sha256(Path file) {
        try {
            return Hashing.sha256(file);
        } catch (java.io.UncheckedIOException e) {
            throw new InputException(
                    file.getFileName() + ": cannot read " + file + " (" + e.getCause() + ")", e);
        }
    }

    private static int toInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24
                | (b[at + 1] & 0xFF) << 16
                | (b[at + 2] & 0xFF) << 8
                | (b[at + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    static String dimsText(int[] dims) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? "" : " x ").append(Integer.toUnsignedString(dims[i]));
        }
        return s.toString();
    }
}
