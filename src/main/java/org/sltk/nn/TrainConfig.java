package org.sltk.nn;

import ai.djl.Device;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.sltk.util.InputException;

/**
 * The immutable configuration of a {@link TargetTrainer} run; {@link #builder()} gives the defaults
 * (LeNet-300-100 with biases, Adam at 1e-3, batch 128, {@value #DEFAULT_EPOCHS} epochs, seed 1,
 * CPU, one libtorch thread).
 *
 * @param hidden the hidden widths, e.g. {@code {300, 100}}; the input and output widths come from
 *     the data
 * @param bias whether the layers have biases
 * @param epochs the number of passes over the training split
 * @param learningRate Adam's learning rate
 * @param batchSize the mini-batch size
 * @param seed the seed of the initial weights and of the shuffling
 * @param device where to train
 * @param threads the libtorch intra-op thread count during training (the trainers set it for the
 *     duration of {@code train} and restore the previous count afterwards); the count changes the
 *     rounding of sums, so it is part of what makes a run bit-reproducible
 * @param validation how many training images to hold out for validation ({@link Holdout}), 0 for
 *     none
 * @param validationSeed the seed of the held-out choice
 */
public record TrainConfig(
        int[] hidden,
        boolean bias,
        int epochs,
        float learningRate,
        int batchSize,
        long seed,
        Device device,
        int threads,
        int validation,
        long validationSeed) {

    /**
     * The default number of epochs: enough for LeNet-300-100 on the shipped MNIST and on
     * Fashion-MNIST.
     */
    public static final int DEFAULT_EPOCHS = 20;

    /**
     * Creates a configuration, checking every field.
     *
     * @param hidden the hidden widths
     * @param bias whether the layers have biases
     * @param epochs the number of epochs
     * @param learningRate the learning rate
     * @param batchSize the batch size
     * @param seed the seed
     * @param device the device
     * @param threads the libtorch thread count
     * @param validation the held-out count
     * @param validationSeed the held-out seed
     * @throws InputException naming the field and the value found if a field is invalid
     */
    public TrainConfig {
        Objects.requireNonNull(hidden, "hidden");
        Objects.requireNonNull(device, "device");
        hidden = hidden.clone();
        for (int h : hidden) {
            if (h <= 0) {
                throw new InputException(
                        "--widths: every hidden width must be positive, found "
                                + Arrays.toString(hidden));
            }
        }
        if (epochs <= 0) {
            throw new InputException("--epochs: must be positive, found " + epochs);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new InputException(
                    "--lr: must be a positive finite number, found " + learningRate);
        }
        if (batchSize <= 0) {
            throw new InputException("--batch-size: must be positive, found " + batchSize);
        }
        if (threads <= 0) {
            throw new InputException("--threads: must be positive, found " + threads);
        }
        if (validation < 0) {
            throw new InputException(
                    "--validation: must be 0 (none) or positive, found " + validation);
        }
    }

    /**
     * Returns a copy of the hidden widths.
     *
     * @return the hidden widths
     */
    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * Returns the full widths for data with the given input and class counts.
     *
     * @param inputs the number of input features
     * @param classes the number of classes
     * @return {@code {inputs, hidden..., classes}}
     */
    public int[] widths(int inputs, int classes) {
        int[] w = new int[hidden.length + 2];
        w[0] = inputs;
        System.arraycopy(hidden, 0, w, 1, hidden.length);
        w[w.length - 1] = classes;
        return w;
    }

    /**
     * Returns a builder with the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrainConfig)) {
            return false;
        }
        TrainConfig c = (TrainConfig) o;
        return Arrays.equals(hidden, c.hidden)
                && bias == c.bias
                && epochs == c.epochs
                && Float.compare(learningRate, c.learningRate) == 0
                && batchSize == c.batchSize
                && seed == c.seed
                && device.equals(c.device)
                && threads == c.threads
                && validation == c.validation
                && validationSeed == c.validationSeed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(hidden),
                bias,
                epochs,
                learningRate,
                batchSize,
                seed,
                device,
                threads,
                validation,
                validationSeed);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "TrainConfig(hidden=%s,bias=%s,epochs=%d,lr=%s,batchSize=%d,seed=%d,device=%s,threads=%d,"
                        + "validation=%d,validationSeed=%d)",
                Arrays.toString(hidden),
                bias,
                epochs,
                learningRate,
                batchSize,
                seed,
                device,
                threads,
                validation,
                validationSeed);
    }

    /** Builds a {@link TrainConfig}; every value is optional and checked in {@link #build()}. */
    public static final class Builder {
        private int[] hidden = {300, 100};
        private boolean bias = true;
        private int epochs = DEFAULT_EPOCHS;
        private float learningRate = 1e-3f;
        private int batchSize = 128;
        private long seed = 1;
        private Device device = Device.cpu();
        private int threads = 1;
        private int validation;
        private long validationSeed = 1;

        private Builder() {}

        /**
         * Sets the hidden widths (none for a linear classifier).
         *
         * @param hidden the widths
         * @return this builder
         */
        public Builder optHidden(int... hidden) {
            this.hidden = hidden.clone();
            return this;
        }

        /**
         * Sets whether the layers have biases.
         *
         * @param bias true for biases
         * @return this builder
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Sets the number of epochs.
         *
         * @param epochs the epochs
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets Adam's learning rate.
         *
         * @param learningRate the learning rate
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the batch size.
         *
         * @param batchSize the batch size
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the seed.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the device.
         *
         * @param device the device
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Sets the libtorch intra-op thread count of the training (default 1, as {@code sltk
         * train}).
         *
         * @param threads the thread count, positive
         * @return this builder
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Holds images out of the training split for validation (default 0, none).
         *
         * @param validation how many images
         * @param validationSeed the seed of their choice
         * @return this builder
         */
        public Builder optValidation(int validation, long validationSeed) {
            this.validation = validation;
            this.validationSeed = validationSeed;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws InputException if a value is invalid
         */
        public TrainConfig build() {
            return new TrainConfig(
                    hidden,
                    bias,
                    epochs,
                    learningRate,
                    batchSize,
                    seed,
                    device,
                    threads,
                    validation,
                    validationSeed);
        }
    }
}
