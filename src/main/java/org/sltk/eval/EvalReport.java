package org.sltk.eval;

import java.util.List;
import java.util.Locale;

/**
 * The comparison of a ticket with its target on one dataset.
 *
 * @param dataset the dataset's name
 * @param images the number of images evaluated
 * @param targetAccuracy accuracy of the target (float32, DJL)
 * @param ticketAccuracy accuracy of the pruned network (compact pass, float32, DJL)
 * @param agreement fraction of images on which both predict the same class
 * @param maxLogitError largest absolute logit difference
 * @param meanLogitError mean absolute logit difference
 * @param relativeL2 ||ticket - target||_F / ||target||_F over all logits
 * @param layers per-layer activation errors (pre-activation of each target layer)
 * @param boundOnData the guaranteed bound on the logit error, the largest over the images
 * @param boundOverBox the guaranteed bound for every input in the box [0, 1]^d (or the data's box)
 * @param compactVsDense largest difference between the compact and the plain masked pass
 * @param denseCheckedImages images on which the plain masked pass was run
 * @param seconds wall time of the evaluation
 */
public record EvalReport(
        String dataset,
        int images,
        double targetAccuracy,
        double ticketAccuracy,
        double agreement,
        double maxLogitError,
        double meanLogitError,
        double relativeL2,
        List<LayerError> layers,
        double boundOnData,
        double boundOverBox,
        double compactVsDense,
        int denseCheckedImages,
        double seconds) {

    /**
     * The error of one layer's pre-activations.
     *
     * @param layer the target layer, from 0
     * @param maxError largest absolute difference
     * @param relativeL2 ||ticket - target||_F / ||target||_F
     * @param bound the guaranteed bound for this layer, largest over the images
     */
    public record LayerError(int layer, double maxError, double relativeL2, double bound) {}

    /** Returns whether the measured error respects the guaranteed bound. @return true if it does */
    public boolean withinBound() {
        return maxLogitError <= boundOnData;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "EvalReport(%s, n=%d, target=%.4f, ticket=%.4f, agree=%.4f, maxLogitErr=%.3g, bound=%.3g)",
                dataset, images, targetAccuracy, ticketAccuracy, agreement, maxLogitError, boundOnData);
    }
}
