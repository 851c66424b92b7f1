package org.sltk.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sltk.util.InputException;

/**
 * Loads a directory that holds the four standard IDX files of MNIST and its look-alikes
 * (Fashion-MNIST, KMNIST, ...), each plain or gzipped, as a train/test split.
 *
 * <p>The files are {@value #TRAIN_IMAGES}, {@value #TRAIN_LABELS}, {@value #TEST_IMAGES} and
 * {@value #TEST_LABELS}, each optionally with a {@code .gz} suffix (the plain one is used when both
 * exist). Pixels are scaled to [0, 1] by dividing by 255; the class count is the largest label plus
 * one, and at least 10.
 */
public final class IdxDirectory {

    /** The training images file name (without {@code .gz}). */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";

    /** The training labels file name (without {@code .gz}). */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

    /** The test images file name (without {@code .gz}). */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";

    /** The test labels file name (without {@code .gz}). */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** The smallest class count reported, that of the MNIST-style ten-class sets. */
    public static final int MIN_CLASSES = 10;

    private static final List<String> ALL =
            List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private IdxDirectory() {}

    /**
     * Loads the train and test sets of a directory of IDX files.
     *
     * @param dir the directory
     * @param name the data set's short name, used to name the sets ({@code name/train}, {@code
     *     name/test})
     * @return the split, each set carrying the SHA-256 of its two files
     * @throws InputException if the directory or a file is missing or malformed, or if an images
     *     file and its labels file disagree
     */
    public static DataSplit load(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(
                    "--data "
                            + dir
                            + ": no such directory; --data DIR must hold the four standard IDX files "
                            + String.join(", ", ALL)
                            + " (plain or .gz)");
        }
        // find all four before reading any, so a missing file is reported at once
        Path trainImages = find(dir, TRAIN_IMAGES);
        Path trainLabels = find(dir, TRAIN_LABELS);
        Path testImages = find(dir, TEST_IMAGES);
        Path testLabels = find(dir, TEST_LABELS);
        Part train = readPart(trainImages, trainLabels);
        Part test = readPart(testImages, testLabels);
        if (train.rows != test.rows || train.cols != test.cols) {
            throw new InputException(
                    test.imagesFile
                            + ": expected "
                            + train.rows
                            + "x"
                            + train.cols
                            + " images like "
                            + train.imagesFile
                            + ", found "
                            + test.rows
                            + "x"
                            + test.cols);
        }
        int numClasses = Math.max(MIN_CLASSES, Math.max(train.maxLabel, test.maxLabel) + 1);
        return new DataSplit(
                train.toSet(name + "/train", numClasses), test.toSet(name + "/test", numClasses));
    }

    /**
     * Returns the file of a standard name in a directory, plain or gzipped.
     *
     * @param dir the directory
     * @param base the standard name without {@code .gz}
     * @return the plain file if present, else the gzipped one
     * @throws InputException if neither exists
     */
    static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new InputException(
                "--data "
                        + dir
                        + ": missing "
                        + base
                        + " (or "
                        + base
                        + ".gz); --data DIR must hold the four standard IDX files "
                        + String.join(", ", ALL)
                        + " (plain or .gz)");
    }

    private static Part readPart(Path imagesFile, Path labelsFile) {
        IdxFile images = IdxFile.read(imagesFile, 3);
        IdxFile labels = IdxFile.read(labelsFile, 1);
        String imagesName = String.valueOf(imagesFile.getFileName());
        String labelsName = String.valueOf(labelsFile.getFileName());
        if (images.dim(0) != labels.dim(0)) {
            throw new InputException(
                    imagesName
                            + " has "
                            + images.dim(0)
                            + " images but "
                            + labelsName
                            + " has "
                            + labels.dim(0)
                            + " labels; expected the same count");
        }
        return new Part(imagesName, labelsName, images, labels);
    }

    /** One images file with its labels file, checked to agree. */
    private static final class Part {
        final String imagesFile;
        final String labelsFile;
        final IdxFile images;
        final IdxFile labels;
        final int rows;
        final int cols;
        final int maxLabel;

        Part(String imagesFile, String labelsFile, IdxFile images, IdxFile labels) {
            this.imagesFile = imagesFile;
            this.labelsFile = labelsFile;
            this.images = images;
            this.labels = labels;
            this.rows = images.dim(1);
            this.cols = images.dim(2);
            int max = 0;
            for (byte b : labels.data()) {
                max = Math.max(max, b & 0xFF);
            }
            this.maxLabel = max;
        }

        ImageSet toSet(String setName, int numClasses) {
            byte[] raw = images.data();
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xFF) / 255f;
            }
            byte[] rawLabels = labels.data();
            int[] y = new int[rawLabels.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = rawLabels[i] & 0xFF;
            }
            Map<String, String> sources = new LinkedHashMap<>();
            sources.put(imagesFile, images.sha256().orElseThrow());
            sources.put(labelsFile, labels.sha256().orElseThrow());
            return new ImageSet(setName, rows, cols, numClasses, pixels, y, sources);
        }
    }
}
