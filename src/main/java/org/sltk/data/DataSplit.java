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
     * Checks that both sets are present and have the same image size and class count.
     *
     * @param train the images to prune and fit on
     * @param test the held-out images to evaluate on
     */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException(
                    "train images are "
                            + train.rows()
                            + "x"
                            + train.cols()
                            + " but test images are "
                            + test.rows()
                            + "x"
                            + test.cols());
        }
        if (train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException(
                    "train has "
                            + train.numClasses()
                            + " classes but test has "
                            + test.numClasses());
        }
    }
}
