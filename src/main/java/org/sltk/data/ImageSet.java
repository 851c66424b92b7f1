package org.sltk.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable set of labelled grey-scale images held in memory, pixels scaled to [0, 1].
 *
 * <p>Pixels are row-major, image after image: pixel (r, c) of image i is {@code pixels()[i * rows *
 * cols + r * cols + c]}. The set remembers where it came from (the SHA-256 of its source files) for
 * run provenance.
 */
public final class ImageSet {

    private final String name;
    private final int rows;
    private final int cols;
    private final int numClasses;
    private final float[] pixels;
    private final int[] labels;
    private final Map<String, String> sources;
    private final float min;
    private final float max;

    /**
     * Creates an image set.
     *
     * @param name a short name for reports, e.g. {@code mnist/test}
     * @param rows image height
     * @param cols image width
     * @param numClasses number of classes; labels lie in [0, numClasses)
     * @param pixels the pixels, {@code labels.length * rows * cols} values; in [0, 1] as sltk loads
     *     them ({@link #minPixel()} and {@link #maxPixel()} say what they are)
     * @param labels the labels
     * @param sources file name to SHA-256 of the files the set was read from (may be empty)
     */
    public ImageSet(
            String name,
            int rows,
            int cols,
            int numClasses,
            float[] pixels,
            int[] labels,
            Map<String, String> sources) {
        this.name = Objects.requireNonNull(name);
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(
                    name
                            + ": "
                            + pixels.length
                            + " pixels for "
                            + labels.length
                            + " images of "
                            + rows
                            + "x"
                            + cols);
        }
        for (int l : labels) {
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException(
                        name + ": label " + l + " outside [0, " + numClasses + ")");
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : pixels) {
            lo = Math.min(lo, v); // NaN if any pixel is NaN
            hi = Math.max(hi, v);
        }
        this.min = lo;
        this.max = hi;
    }

    /**
     * Returns the name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the number of images.
     *
     * @return the number of images
     */
    public int size() {
        return labels.length;
    }

    /**
     * Returns the image height.
     *
     * @return rows
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the image width.
     *
     * @return columns
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the number of inputs of one image, rows * cols.
     *
     * @return the feature count
     */
    public int features() {
        return rows * cols;
    }

    /**
     * Returns the number of classes.
     *
     * @return the class count
     */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Returns the pixels (shared, do not modify).
     *
     * @return the pixels in [0, 1], image after image
     */
    public float[] pixels() {
        return pixels;
    }

    /**
     * Returns the smallest pixel: at least 0 for every set sltk loads (IDX bytes / 255).
     *
     * @return the smallest pixel; NaN if a pixel is NaN, +inf for an empty set
     */
    public float minPixel() {
        return min;
    }

    /**
     * Returns the largest pixel: at most 1 for every set sltk loads (IDX bytes / 255).
     *
     * @return the largest pixel; NaN if a pixel is NaN, -inf for an empty set
     */
    public float maxPixel() {
        return max;
    }

    /**
     * Returns the labels (shared, do not modify).
     *
     * @return the labels
     */
    public int[] labels() {
        return labels;
    }

    /**
     * Returns the SHA-256 of each source file, by file name.
     *
     * @return the fingerprints
     */
    public Map<String, String> sources() {
        return sources;
    }

    /**
     * Returns images [from, to) as a new set.
     *
     * @param from first image
     * @param to end, exclusive
     * @return the subset
     */
    public ImageSet subset(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int f = features();
        return new ImageSet(
                name + "[" + from + ":" + to + "]",
                rows,
                cols,
                numClasses,
                Arrays.copyOfRange(pixels, from * f, to * f),
                Arrays.copyOfRange(labels, from, to),
                sources);
    }

    /**
     * Returns the images as an array of shape (size, rows * cols) on the manager's device.
     *
     * @param manager the owner of the array
     * @return the flattened images
     */
    public NDArray flatImages(NDManager manager) {
        return manager.create(pixels, new Shape(size(), features()));
    }

    /**
     * Returns the images as an array of shape (size, 1, rows, cols) for convolutional networks.
     *
     * @param manager the owner of the array
     * @return the images
     */
    public NDArray images(NDManager manager) {
        return manager.create(pixels, new Shape(size(), 1, rows, cols));
    }

    /**
     * Returns the set as a DJL dataset of (flattened image, label) pairs in file order.
     *
     * @param manager owner of the arrays
     * @param batchSize mini-batch size
     * @return the dataset
     */
    public ArrayDataset toDataset(NDManager manager, int batchSize) {
        return dataset(manager).setSampling(batchSize, false).build();
    }

    /**
     * Returns the set as a DJL dataset of (flattened image, label) pairs, shuffled every epoch in a
     * seeded order ({@link SeededSampler}): the same seed gives the same batches everywhere.
     *
     * @param manager owner of the arrays
     * @param batchSize mini-batch size
     * @param seed the seed of the shuffling
     * @return the dataset
     */
    public ArrayDataset toDataset(NDManager manager, int batchSize, long seed) {
        return dataset(manager)
                .setSampling(
                        new ai.djl.training.dataset.BatchSampler(
                                new SeededSampler(seed), batchSize))
                .build();
    }

    private ArrayDataset.Builder dataset(NDManager manager) {
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        return new ArrayDataset.Builder().setData(flatImages(manager)).optLabels(manager.create(y));
    }

    @Override
    public String toString() {
        return "ImageSet("
                + name
                + ", "
                + size()
                + " images "
                + rows
                + "x"
                + cols
                + ", "
                + numClasses
                + " classes)";
    }
}
