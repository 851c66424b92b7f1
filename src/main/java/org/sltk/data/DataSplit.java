package org.sltk.data;

import java.util.Objects;

/**
 * A data set's fixed split into a training set and a test set.
 *
 * @param train the images to prune and fit on
 * @param test the held-out images to evaluate on
 */
public record DataSplit(ImageSet train, ImageSet test) {

    /**
     * Checks that both sets are present and have the same image shape and class count.
     *
     * @param train the images to prune and fit on
     * @param test the held-out images to evaluate on
     */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.channels() != test.channels()
                || train.rows() != test.rows()
                || train.cols() != test.cols()) {
            throw new IllegalArgumentException(
                    "train images are " + train.shape() + " but test images are " + test.shape());
        }
        if (train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException(
                    "train has "
                            + train.numClasses()
                            + " classes but test has "
                            + test.numClasses());
        }
    }

    /**
     * Returns both sets normalised alike ({@link ImageSet#normalized(Normalization)}).
     *
     * @param n the normalisation, one mean and std per channel
     * @return the normalised split
     */
    public DataSplit normalized(Normalization n) {
        return new DataSplit(train.normalized(n), test.normalized(n));
    }
}
