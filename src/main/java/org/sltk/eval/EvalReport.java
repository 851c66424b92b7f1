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
 * @param boundOnData the largest per-image bound on the logit error over the images
 * @param boundOverBox the a-priori bound on the logit error, valid for every input in the box
 *     [boxLow, boxHigh]^d
 * @param boxLow the lower end of the input box of {@code boundOverBox}
 * @param boxHigh the upper end of the input box
 * @param imagesChecked images whose logit differences were checked against their own bound
 * @param imagesViolated images with a logit difference outside the interval their bound guarantees
 * @param arithmetic the float32 arithmetic the bound assumed: "float32" or "tf32"
 * @param compactVsDense largest difference between the compact and the plain masked pass
 * @param denseCheckedImages images on which the plain masked pass was run
 * @param boundSeconds wall time of the per-image and box bounds, part of {@code seconds}
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
        double boxLow,
        double boxHigh,
        int imagesChecked,
        int imagesViolated,
        String arithmetic,
        double compactVsDense,
        int denseCheckedImages,
        double boundSeconds,
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

    /**
     * Returns whether every image was checked against its own bound and none violated it.
     *
     * @return true if the bound held on every image
     */
    public boolean withinBound() {
        return imagesViolated == 0 && imagesChecked == images;
    }

    /**
     * Returns the verdict in words: "bound respected on every image (N of N)" or "VIOLATED on K of N images".
     *
     * @return the verdict
     */
    public String verdict() {
        if (withinBound()) {
            return String.format(Locale.ROOT, "bound respected on every image (%d of %d)", imagesChecked, images);
        }
        if (imagesChecked < images) {
            return String.format(Locale.ROOT, "VIOLATED on %d of %d images (%d not checked)", imagesViolated, images,
                    images - imagesChecked);
        }
        return String.format(Locale.ROOT, "VIOLATED on %d of %d images", imagesViolated, images);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "EvalReport(%s, n=%d, target=%.4f, ticket=%.4f, agree=%.4f, maxLogitErr=%.3g, bound=%.3g, box=%.3g, %s, %s)",
                dataset, images, targetAccuracy, ticketAccuracy, agreement, maxLogitError, boundOnData, boundOverBox,
                arithmetic, verdict());
    }
}
