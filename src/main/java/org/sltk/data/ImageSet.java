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
import java.util.Optional;

/**
 * An immutable set of labelled images held in memory, pixels scaled to [0, 1] unless {@link
 * #normalized(Normalization) normalised}.
 *
 * <p>An image has {@link #channels()} planes of rows x cols pixels (1 for MNIST, 3 for CIFAR-10's
 * R, G, B), stored channel-first (CHW, as torch lays out an image), image after image: pixel (r, c)
 * of channel k of image i is {@code pixels()[i * features() + k * rows * cols + r * cols + c]}. The
 * set remembers where it came from (the SHA-256 of its source files, and the normalisation applied)
 * for run provenance.
 */
public final class ImageSet {

    /**
     * The key of {@link #sources()} under which a normalised set records its {@link
     * Normalization#describe()}.
     */
    public static final String NORMALIZATION_SOURCE = "normalization";

    private final String name;
    private final int channels;
    private final int rows;
    private final int cols;
    private final int numClasses;
    private final float[] pixels;
    private final int[] labels;
    private final Map<String, String> sources;
    private final Normalization normalization;
    private final float min;
    private final float max;

    /**
     * Creates a grey-scale (one-channel) image set.
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
        this(name, 1, rows, cols, numClasses, pixels, labels, sources, null);
    }

    /**
     * Creates an image set of {@code channels} planes per image, channel-first.
     *
     * @param name a short name for reports, e.g. {@code cifar10/test}
     * @param channels planes per image, e.g. 3 for R, G, B
     * @param rows image height
     * @param cols image width
     * @param numClasses number of classes; labels lie in [0, numClasses)
     * @param pixels the pixels, {@code labels.length * channels * rows * cols} values in CHW order;
     *     in [0, 1] as sltk loads them
     * @param labels the labels
     * @param sources file name to SHA-256 of the files the set was read from (may be empty)
     */
    public ImageSet(
            String name,
            int channels,
            int rows,
            int cols,
            int numClasses,
            float[] pixels,
            int[] labels,
            Map<String, String> sources) {
        this(name, channels, rows, cols, numClasses, pixels, labels, sources, null);
    }

    private ImageSet(
            String name,
            int channels,
            int rows,
            int cols,
            int numClasses,
            float[] pixels,
            int[] labels,
            Map<String, String> sources,
            Normalization normalization) {
        this.name = Objects.requireNonNull(name);
        if (channels < 1) {
            throw new IllegalArgumentException(name + ": images of " + channels + " channels");
        }
        if ((long) labels.length * channels * rows * cols != pixels.length) {
            throw new IllegalArgumentException(
                    name
                            + ": "
                            + pixels.length
                            + " pixels for "
                            + labels.length
                            + " images of "
                            + shape(channels, rows, cols));
        }
        for (int l : labels) {
            if (l < 0 || l >= numClasses) {
                throw new IllegalArgumentException(
                        name + ": label " + l + " outside [0, " + numClasses + ")");
            }
        }
        this.channels = channels;
        this.rows = rows;
        this.cols = cols;
        this.numClasses = numClasses;
        this.pixels = pixels;
        this.labels = labels;
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        this.normalization = normalization;
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
     * Returns a set of the same image shape, classes, sources and normalisation holding other
     * images (a part of this one, e.g.).
     *
     * @param setName the new set's name
     * @param newPixels its pixels, laid out as {@link #pixels()}
     * @param newLabels its labels
     * @return the set
     */
    public ImageSet withImages(String setName, float[] newPixels, int[] newLabels) {
        return new ImageSet(
                setName,
                channels,
                rows,
                cols,
                numClasses,
                newPixels,
                newLabels,
                sources,
                normalization);
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

    /** {@return the number of planes of an image: 1 for grey-scale, 3 for RGB} */
    public int channels() {
        return channels;
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
     * Returns the number of inputs of one image, channels * rows * cols.
     *
     * @return the feature count
     */
    public int features() {
        return channels * rows * cols;
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
     * @return the pixels, in [0, 1] unless normalised, image after image, each channel-first
     */
    public float[] pixels() {
        return pixels;
    }

    /**
     * Returns the normalisation applied to the pixels, if any.
     *
     * @return the normalisation, or empty for pixels as loaded
     */
    public Optional<Normalization> normalization() {
        return Optional.ofNullable(normalization);
    }

    /**
     * Returns the box the set's inputs are known to lie in: {@link InputDomain#PIXELS} for pixels
     * in [0, 1] as sltk loads them, the image of [0, 1] under the normalisation for a normalised
     * set (signed), and {@link InputDomain#SIGNED} for a set made with pixels outside [0, 1].
     *
     * @return the domain
     */
    public InputDomain inputDomain() {
        if (normalization != null) {
            return normalization.domainOf(InputDomain.PIXELS);
        }
        return size() == 0 || (min >= 0 && max <= 1) ? InputDomain.PIXELS : InputDomain.SIGNED;
    }

    /**
     * Returns the set normalised per channel: each pixel of channel k becomes {@code (x - mean[k])
     * / std[k]} ({@link Normalization#apply}). The result is named {@code name[normalized]} and
     * records the normalisation in {@link #normalization()} and in {@link #sources()} under {@value
     * #NORMALIZATION_SOURCE}.
     *
     * @param n the normalisation, one mean and std per channel
     * @return the normalised set
     * @throws IllegalArgumentException if {@code n} has another channel count, or this set is
     *     normalised already or holds pixels outside [0, 1]
     */
    public ImageSet normalized(Normalization n) {
        if (n.channels() != channels) {
            throw new IllegalArgumentException(
                    name
                            + ": a normalization of "
                            + n.channels()
                            + " channels for images of "
                            + channels);
        }
        if (normalization != null) {
            throw new IllegalArgumentException(name + ": already normalized");
        }
        if (!inputDomain().equals(InputDomain.PIXELS)) {
            throw new IllegalArgumentException(
                    name
                            + ": pixels in ["
                            + min
                            + ", "
                            + max
                            + "]; only pixels in [0, 1] are normalized");
        }
        int plane = rows * cols;
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.apply((i / plane) % channels, pixels[i]);
        }
        Map<String, String> s = new LinkedHashMap<>(sources);
        s.put(NORMALIZATION_SOURCE, n.describe());
        return new ImageSet(
                name + "[normalized]", channels, rows, cols, numClasses, out, labels, s, n);
    }

    /**
     * Returns the smallest pixel: at least 0 for every set sltk loads (bytes / 255).
     *
     * @return the smallest pixel; NaN if a pixel is NaN, +inf for an empty set
     */
    public float minPixel() {
        return min;
    }

    /**
     * Returns the largest pixel: at most 1 for every set sltk loads (bytes / 255).
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
        return withImages(
                name + "[" + from + ":" + to + "]",
                Arrays.copyOfRange(pixels, from * f, to * f),
                Arrays.copyOfRange(labels, from, to));
    }

    /**
     * Returns the images as an array of shape (size, channels * rows * cols) on the manager's
     * device, each row an image in CHW order.
     *
     * @param manager the owner of the array
     * @return the flattened images
     */
    public NDArray flatImages(NDManager manager) {
        return manager.create(pixels, new Shape(size(), features()));
    }

    /**
     * Returns the images as an array of shape (size, channels, rows, cols) for convolutional
     * networks.
     *
     * @param manager the owner of the array
     * @return the images
     */
    public NDArray images(NDManager manager) {
        return manager.create(pixels, new Shape(size(), channels, rows, cols));
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
                + shape(channels, rows, cols)
                + ", "
                + numClasses
                + " classes)";
    }

    /**
     * Formats an image shape as messages show it: {@code 28x28} for one channel, {@code 3x32x32}
     * otherwise.
     *
     * @param channels planes per image
     * @param rows image height
     * @param cols image width
     * @return the shape
     */
    static String shape(int channels, int rows, int cols) {
        return (channels == 1 ? "" : channels + "x") + rows + "x" + cols;
    }

    /**
     * {@return this set's image shape as {@link #toString()} shows it, e.g. {@code 28x28} or {@code
     * 3x32x32}}
     */
    public String shape() {
        return shape(channels, rows, cols);
    }
}
