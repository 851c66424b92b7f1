package org.sltk.nn;

import java.util.Locale;

/**
 * What one training epoch achieved.
 *
 * @param epoch the epoch number, from 1
 * @param epochs the number of epochs of the run
 * @param loss the mean softmax cross-entropy over the epoch's training batches
 * @param trainAccuracy the fraction of training images classified correctly during the epoch
 *     (running, with the weights of each batch's step)
 * @param testAccuracy the fraction of test images classified correctly after the epoch
 * @param seconds the wall time of the epoch, test evaluation included
 */
public record EpochStats(
        int epoch,
        int epochs,
        double loss,
        double trainAccuracy,
        double testAccuracy,
        double seconds) {

    /**
     * Formats the epoch as one line, e.g. {@code epoch 3/20 loss 0.1234 train 96.41% test 95.10%
     * 0.42 s}.
     *
     * @return the line
     */
    public String toLine() {
        int w = Integer.toString(epochs).length();
        return String.format(
                Locale.ROOT,
                "epoch %" + w + "d/%d  loss %.4f  train %6.2f%%  test %6.2f%%  %.2f s",
                epoch,
                epochs,
                loss,
                100 * trainAccuracy,
                100 * testAccuracy,
                seconds);
    }
}
