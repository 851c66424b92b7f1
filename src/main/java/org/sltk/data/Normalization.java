package org.sltk.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A per-channel input normalisation, {@code (x - mean[c]) / std[c]}, as {@code
 * torchvision.transforms.Normalize} applies it to pixels in [0, 1].
 *
 * <p>{@link ImageSet#normalized(Normalization)} applies it to a set: each value is computed in
 * float64 and rounded once to float32. The normalised set records it ({@link
 * ImageSet#normalization()}, and an entry {@value ImageSet#NORMALIZATION_SOURCE} in {@link
 * ImageSet#sources()}, which trained models write with their data files) and its inputs are signed:
 * {@link #domainOf(InputDomain)} maps [0, 1] to the box they lie in.
 *
 * <pre>
 * jshell&gt; Normalization.CIFAR10.describe()
 * "(x - mean) / std per channel, mean [0.4914, 0.4822, 0.4465], std [0.247, 0.2435, 0.2616]"
 * </pre>
 */
public final class Normalization {

    /**
     * The standard CIFAR-10 normalisation: the per-channel (R, G, B) mean and standard deviation of
     * the 50,000 training pixels in [0, 1], rounded to four decimals (mean 0.49139968, 0.48215841,
     * 0.44653091 and population std 0.24703223, 0.24348513, 0.26158784 over all pixels, as numpy
     * computes them and {@code Cifar10Test} checks on the installed set).
     */
    public static final Normalization CIFAR10 =
            new Normalization(
                    new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616});

    private final double[] mean;
    private final double[] std;

    /**
     * Creates a normalisation.
     *
     * @param mean the mean of each channel, finite
     * @param std the standard deviation of each channel, finite and positive
     * @throws IllegalArgumentException if the arrays are empty, differ in length, or hold a value
     *     that is not finite or a std that is not positive
     */
    public Normalization(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException(
                    "normalization: "
                            + mean.length
                            + " means and "
                            + std.length
                            + " stds; give one of each per channel");
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Double.isFinite(mean[c]) || !Double.isFinite(std[c]) || !(std[c] > 0)) {
                throw new IllegalArgumentException(
                        "normalization: channel "
                                + c
                                + " has mean "
                                + mean[c]
                                + " and std "
                                + std[c]
                                + "; the mean must be finite and the std finite and positive");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** {@return the number of channels} */
    public int channels() {
        return mean.length;
    }

    /** {@return the mean of each channel (a copy)} */
    public double[] mean() {
        return mean.clone();
    }

    /** {@return the standard deviation of each channel (a copy)} */
    public double[] std() {
        return std.clone();
    }

    /**
     * Returns one normalised value, computed in float64 and rounded to float32.
     *
     * @param channel the channel
     * @param x the raw value
     * @return {@code (float) ((x - mean[channel]) / std[channel])}
     */
    public float apply(int channel, float x) {
        return (float) ((x - mean[channel]) / std[channel]);
    }

    /**
     * Returns the box that inputs in a domain lie in once normalised: for [0, 1], from the smallest
     * {@code -mean[c] / std[c]} to the largest {@code (1 - mean[c]) / std[c]} over the channels,
     * signed when a mean is positive. The ends are rounded to float32 as {@link #apply} rounds, so
     * (rounding being monotone) every value it gives for an input in {@code raw} lies inside.
     *
     * @param raw the domain of the raw inputs, with finite ends
     * @return the domain of the normalised inputs
     * @throws IllegalArgumentException if an end of {@code raw} is infinite
     */
    public InputDomain domainOf(InputDomain raw) {
        if (Double.isInfinite(raw.lo()) || Double.isInfinite(raw.hi())) {
            throw new IllegalArgumentException(
                    "normalization: the raw domain " + raw.box() + " must be bounded");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < mean.length; c++) {
            lo = Math.min(lo, (raw.lo() - mean[c]) / std[c]);
            hi = Math.max(hi, (raw.hi() - mean[c]) / std[c]);
        }
        return new InputDomain((float) lo, (float) hi);
    }

    /**
     * Returns the one-line description runs record, e.g. {@code (x - mean) / std per channel, mean
     * [0.4914, 0.4822, 0.4465], std [0.247, 0.2435, 0.2616]}.
     *
     * @return the description
     */
    public String describe() {
        return "(x - mean) / std per channel, mean " + list(mean) + ", std " + list(std);
    }

    /**
     * {@return the normalisation as JSON-ready values: {@code mean} and {@code std}, one number per
     * channel}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean.clone());
        m.put("std", std.clone());
        return m;
    }

    private static String list(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(Double.toString(v[i]).toLowerCase(Locale.ROOT));
        }
        return b.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n
                && Arrays.equals(mean, n.mean)
                && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization(" + describe() + ")";
    }
}
