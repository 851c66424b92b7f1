package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * Tests the IDX reader and writer, including a corpus of malformed files that this class's {@link
 * #main} writes (Tribuo's way): run it to regenerate {@code src/test/resources/org/sltk/data/bad/},
 * and {@link #corpusMatchesGenerator} checks that the committed files are what it writes.
 */
class IdxFileTest {

    static final String CORPUS = "src/test/resources/org/sltk/data/bad";

    @TempDir Path tmp;

    /**
     * Writes the corpus of malformed files.
     *
     * @param args optionally the output directory (default {@value #CORPUS}, relative to the
     *     repository root)
     * @throws IOException on a write error
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : CORPUS);
        generate(out);
        System.out.println("wrote the bad-IDX corpus to " + out.toAbsolutePath());
    }

    /** Writes every malformed file under {@code out}. */
    static void generate(Path out) throws IOException {
        Files.createDirectories(out);
        // a labels file where images are expected (the classic mix-up)
        Path labelsAsImages = Files.createDirectories(out.resolve("labels-as-images"));
        write(labelsAsImages.resolve("train-images-idx3-ubyte"), idx(0x0801, new int[] {3}, 3));
        write(labelsAsImages.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {3}, 3));
        write(
                labelsAsImages.resolve("t10k-images-idx3-ubyte"),
                idx(0x0803, new int[] {2, 4, 4}, 32));
        write(labelsAsImages.resolve("t10k-labels-idx1-ubyte"), idx(0x0801, new int[] {2}, 2));
        // an images file where labels are expected
        write(out.resolve("images-as-labels.idx"), idx(0x0803, new int[] {2, 4, 4}, 32));
        // a PNG signature, not IDX
        write(
                out.resolve("not-idx.idx"),
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        // float values
        write(out.resolve("float-type.idx"), idx(0x0D03, new int[] {1, 2, 2}, 16));
        // rank 0
        write(out.resolve("rank-zero.idx"), idx(0x0800, new int[] {}, 1));
        // nothing at all
        write(out.resolve("empty.idx"), new byte[0]);
        // magic, then 5 of the 12 bytes of the dims
        write(
                out.resolve("truncated-header.idx"),
                Arrays.copyOf(idx(0x0803, new int[] {2, 4, 4}, 0), 4 + 5));
        // 20 of 32 value bytes
        byte[] truncated = idx(0x0803, new int[] {2, 4, 4}, 20);
        write(out.resolve("truncated.idx"), truncated);
        write(out.resolve("truncated.idx.gz"), gzip(truncated));
        // a gzip stream cut in the middle
        byte[] fullGz = gzip(idx(0x0803, new int[] {8, 16, 16}, 8 * 16 * 16));
        write(out.resolve("cut-stream.idx.gz"), Arrays.copyOf(fullGz, fullGz.length / 2));
        // 3 bytes after the 32 value bytes
        write(out.resolve("too-much-data.idx"), idx(0x0803, new int[] {2, 4, 4}, 35));
        // a zero and a negative (unsigned 0xffffffff) dimension
        write(out.resolve("zero-dim.idx"), idx(0x0803, new int[] {0, 28, 28}, 0));
        write(out.resolve("negative-dim.idx"), idx(0x0803, new int[] {2, -1, 28}, 0));
        // dims whose product cannot be held: 2^48 values announced, 16 present
        write(out.resolve("absurd-dims.idx"), idx(0x0803, new int[] {65536, 65536, 65536}, 16));
        write(
                out.resolve("absurd-dims.idx.gz"),
                gzip(idx(0x0803, new int[] {65536, 65536, 65536}, 16)));
        // 5 training images but 4 labels
        Path mismatch = Files.createDirectories(out.resolve("count-mismatch"));
        write(mismatch.resolve("train-images-idx3-ubyte"), idx(0x0803, new int[] {5, 4, 4}, 80));
        write(mismatch.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {4}, 4));
        write(mismatch.resolve("t10k-images-idx3-ubyte"), idx(0x0803, new int[] {2, 4, 4}, 32));
        write(mismatch.resolve("t10k-labels-idx1-ubyte"), idx(0x0801, new int[] {2}, 2));
        // test images of another size than the training images
        Path size = Files.createDirectories(out.resolve("size-mismatch"));
        write(size.resolve("train-images-idx3-ubyte"), idx(0x0803, new int[] {2, 3, 3}, 18));
        write(size.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {2}, 2));
        write(size.resolve("t10k-images-idx3-ubyte"), idx(0x0803, new int[] {2, 4, 4}, 32));
        write(size.resolve("t10k-labels-idx1-ubyte"), idx(0x0801, new int[] {2}, 2));
        // the test labels are missing
        Path missing = Files.createDirectories(out.resolve("missing-file"));
        write(missing.resolve("train-images-idx3-ubyte"), idx(0x0803, new int[] {2, 4, 4}, 32));
        write(missing.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {2}, 2));
        write(missing.resolve("t10k-images-idx3-ubyte"), idx(0x0803, new int[] {2, 4, 4}, 32));
    }

    /** An IDX header with the given magic and dims, then {@code values} bytes (i mod 10). */
    static byte[] idx(int magic, int[] dims, int values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeInt(magic);
            for (int dim : dims) {
                d.writeInt(dim);
            }
            for (int i = 0; i < values; i++) {
                d.write(i % 10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.write(file, content);
    }

    static Path bad(String name) {
        try {
            return Path.of(IdxFileTest.class.getResource("bad/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError(
                    "test resource bad/" + name + " is missing; run IdxFileTest.main", e);
        }
    }

    /** Asserts that reading throws exactly this one-line message (so nothing is returned). */
    private static void assertRefused(String expected, Path file, int rank) {
        InputException e = assertThrows(InputException.class, () -> IdxFile.read(file, rank));
        assertEquals(expected, e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    private static IdxFile random(int[] dims, long seed) {
        int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        CounterRandom rng = new CounterRandom(seed);
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) rng.nextInt(0, i, 256);
        }
        return IdxFile.of(dims, data);
    }

    @Test
    void roundTripPlain() throws IOException {
        IdxFile images = random(new int[] {7, 28, 28}, 1);
        Path file = tmp.resolve("train-images-idx3-ubyte");
        images.write(file);
        byte[] raw = Files.readAllBytes(file);
        assertEquals(16 + 7 * 28 * 28, raw.length);
        assertArrayEquals(
                new byte[] {0, 0, 8, 3, 0, 0, 0, 7, 0, 0, 0, 28, 0, 0, 0, 28},
                Arrays.copyOf(raw, 16));
        IdxFile back = IdxFile.read(file, 3);
        assertArrayEquals(new int[] {7, 28, 28}, back.dims());
        assertArrayEquals(images.data(), back.data());
        assertTrue(back.sameContent(images));
        assertEquals(sha256(raw), back.sha256().orElseThrow());
        assertTrue(images.sha256().isEmpty(), "made in memory: no file fingerprint");
    }

    @Test
    void roundTripGzip() throws IOException {
        IdxFile labels = random(new int[] {1000}, 2);
        Path file = tmp.resolve("train-labels-idx1-ubyte.gz");
        labels.write(file);
        byte[] raw = Files.readAllBytes(file);
        assertEquals(0x1f, raw[0] & 0xFF, "written gzipped because the name ends with .gz");
        assertEquals(0x8b, raw[1] & 0xFF);
        IdxFile back = IdxFile.read(file, 1);
        assertTrue(back.sameContent(labels));
        assertEquals(
                sha256(raw),
                back.sha256().orElseThrow(),
                "the fingerprint is of the compressed bytes");
        assertEquals(IdxFile.sha256(file), back.sha256().orElseThrow());
    }

    @Test
    void roundTripHigherRank() {
        IdxFile cube = random(new int[] {2, 3, 4, 5}, 3);
        Path file = tmp.resolve("cube.idx");
        cube.write(file);
        IdxFile back = IdxFile.read(file);
        assertEquals(4, back.rank());
        assertEquals(5, back.dim(3));
        assertTrue(back.sameContent(cube));
    }

    @Test
    void gzipIsDetectedByMagicBytesNotByName() throws IOException {
        IdxFile images = random(new int[] {3, 5, 5}, 4);
        Path gzNoSuffix = tmp.resolve("images-without-suffix");
        Path gz = tmp.resolve("x.gz");
        images.write(gz);
        Files.copy(gz, gzNoSuffix);
        assertTrue(IdxFile.read(gzNoSuffix, 3).sameContent(images));
        Path plainWithSuffix = tmp.resolve("plain.gz");
        Files.write(plainWithSuffix, idx(0x0803, new int[] {2, 4, 4}, 32));
        IdxFile plain = IdxFile.read(plainWithSuffix, 3);
        assertArrayEquals(new int[] {2, 4, 4}, plain.dims());
        assertEquals(9, plain.data()[9]);
    }

    @Test
    void unsignedBytesSurvive() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        Path file = tmp.resolve("all.idx");
        IdxFile.of(new int[] {256}, all).write(file);
        byte[] back = IdxFile.read(file, 1).data();
        for (int i = 0; i < 256; i++) {
            assertEquals(i, back[i] & 0xFF);
        }
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("l.idx");
        IdxFile.of(new int[] {2}, new byte[] {1, 2}).write(file);
        IdxFile.of(new int[] {3}, new byte[] {4, 5, 6}).write(file);
        assertArrayEquals(new byte[] {4, 5, 6}, IdxFile.read(file, 1).data());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(
                    List.of("l.idx"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void ofRefusesInconsistentContent() {
        assertThrows(
                IllegalArgumentException.class, () -> IdxFile.of(new int[] {2, 2}, new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> IdxFile.of(new int[] {0}, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> IdxFile.of(new int[] {}, new byte[1]));
        assertThrows(
                IllegalArgumentException.class,
                () -> IdxFile.of(new int[] {65536, 65536}, new byte[1]));
    }

    @Test
    void missingFile() {
        assertRefused(
                "nope-idx3-ubyte: file not found (" + tmp.resolve("nope-idx3-ubyte") + ")",
                tmp.resolve("nope-idx3-ubyte"),
                3);
    }

    // ---- the committed corpus of malformed files ----

    @Test
    void labelsFileWhereImagesAreExpected() {
        assertRefused(
                "train-images-idx3-ubyte: expected magic 0x00000803 (ubyte, 3 dims), found 0x00000801 (a labels file?)",
                bad("labels-as-images/train-images-idx3-ubyte"),
                3);
    }

    @Test
    void imagesFileWhereLabelsAreExpected() {
        assertRefused(
                "images-as-labels.idx: expected magic 0x00000801 (ubyte, 1 dim), found 0x00000803 (an images file?)",
                bad("images-as-labels.idx"),
                1);
    }

    @Test
    void notAnIdxFile() {
        assertRefused(
                "not-idx.idx: expected magic 0x00000803 (ubyte, 3 dims), found 0x89504e47 (not an IDX file)",
                bad("not-idx.idx"),
                3);
    }

    @Test
    void floatValues() {
        assertRefused(
                "float-type.idx: expected magic 0x00000803 (ubyte, 3 dims), found 0x00000d03 (float values; only ubyte is supported)",
                bad("float-type.idx"),
                3);
    }

    @Test
    void rankZero() {
        assertRefused(
                "rank-zero.idx: expected an IDX magic number 0x000008NN (ubyte, NN dims), found 0x00000800 (0 dims)",
                bad("rank-zero.idx"),
                -1);
    }

    @Test
    void emptyFile() {
        assertRefused(
                "empty.idx: too little data: expected a 4-byte IDX magic number, found 0 byte(s)",
                bad("empty.idx"),
                3);
    }

    @Test
    void truncatedHeader() {
        assertRefused(
                "truncated-header.idx: too little data: expected 3 dimension size(s) (12 bytes) after the magic number, found 5 byte(s)",
                bad("truncated-header.idx"),
                3);
    }

    @Test
    void truncatedData() {
        assertRefused(
                "truncated.idx: too little data: expected 32 value bytes for dims 2 x 4 x 4, found 20",
                bad("truncated.idx"),
                3);
    }

    @Test
    void truncatedDataGzipped() {
        assertRefused(
                "truncated.idx.gz: too little data: expected 32 value bytes for dims 2 x 4 x 4, found 20",
                bad("truncated.idx.gz"),
                3);
    }

    @Test
    void cutGzipStream() {
        assertRefused(
                "cut-stream.idx.gz: corrupt or truncated gzip data (Unexpected end of ZLIB input stream)",
                bad("cut-stream.idx.gz"),
                3);
    }

    @Test
    void trailingBytes() {
        assertRefused(
                "too-much-data.idx: too much data: expected 32 value bytes for dims 2 x 4 x 4, found 3 byte(s) more",
                bad("too-much-data.idx"),
                3);
    }

    @Test
    void zeroDimension() {
        assertRefused(
                "zero-dim.idx: expected every dimension size in 1..2147483647, found dimension 1 of 3 = 0",
                bad("zero-dim.idx"),
                3);
    }

    @Test
    void negativeDimension() {
        assertRefused(
                "negative-dim.idx: expected every dimension size in 1..2147483647, found dimension 2 of 3 = 4294967295",
                bad("negative-dim.idx"),
                3);
    }

    @Test
    void absurdDimensionsAreRefusedBeforeAllocating() {
        assertRefused(
                "absurd-dims.idx: expected at most 2147483639 values, found dims 65536 x 65536 x 65536 (not a real IDX file?)",
                bad("absurd-dims.idx"),
                3);
        assertRefused(
                "absurd-dims.idx.gz: expected at most 2147483639 values, found dims 65536 x 65536 x 65536 (not a real IDX file?)",
                bad("absurd-dims.idx.gz"),
                3);
    }

    @Test
    void largeButTruncatedGzipDoesNotAllocateTheAnnouncedSize() throws IOException {
        // 1.5e9 values announced, 16 present: refused by size (heap) or by too little data,
        // without allocating 1.5 GB first
        Path file = tmp.resolve("big.idx.gz");
        Files.write(file, gzip(idx(0x0803, new int[] {1500, 1000, 1000}, 16)));
        InputException e = assertThrows(InputException.class, () -> IdxFile.read(file, 3));
        assertTrue(
                e.getMessage()
                                .equals(
                                        "big.idx.gz: too little data: expected 1500000000 value bytes for dims 1500 x 1000 x 1000, found 16")
                        || e.getMessage()
                                .startsWith(
                                        "big.idx.gz: expected a file that fits in the Java heap"),
                e.getMessage());
    }

    @Test
    void corpusMatchesGenerator() throws IOException {
        // gzip bytes may differ between zlib versions, so .gz files are compared decompressed
        Path fresh = tmp.resolve("bad");
        generate(fresh);
        Path committed = bad("labels-as-images").getParent();
        List<String> freshFiles = list(fresh);
        assertEquals(freshFiles, list(committed), "run IdxFileTest.main to regenerate the corpus");
        for (String f : freshFiles) {
            byte[] a = Files.readAllBytes(fresh.resolve(f));
            byte[] b = Files.readAllBytes(committed.resolve(f));
            if (f.endsWith(".gz") && !f.startsWith("cut-")) {
                assertArrayEquals(gunzip(a), gunzip(b), f);
            } else if (!f.startsWith("cut-")) {
                assertArrayEquals(a, b, f + " differs from what IdxFileTest.main writes");
            }
        }
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
