package org.sltk.eval;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;

/**
 * The comparison of a ticket with its target on one dataset.
 *
 * @param dataset the dataset's name
 * @param images the number of images evaluated
 * @param targetAccuracy accuracy of the target (float32, DJL)
 * @param ticketAccuracy accuracy of the pruned network (effective pass, float32, DJL)
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
 * @param effectiveVsDense largest logit difference between the effective pass (whose logits are
 *     measured) and the plain masked pass, on the checked images
 * @param compactVsDense largest logit difference between the compact and the plain masked pass, on
 *     the checked images
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
        double effectiveVsDense,
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
     * Returns the verdict in words: "bound respected on every image (N of N)" or "VIOLATED on K of
     * N images" ("no guaranteed bound (a trained ticket)" for an edge-popup ticket).
     *
     * @return the verdict
     */
    public String verdict() {
        if (Evaluator.NO_BOUND.equals(arithmetic)) {
            return "no guaranteed bound (a trained ticket)";
        }
        if (withinBound()) {
            return String.format(
                    Locale.ROOT,
                    "bound respected on every image (%d of %d)",
                    imagesChecked,
                    images);
        }
        if (imagesChecked < images) {
            return String.format(
                    Locale.ROOT,
                    "VIOLATED on %d of %d images (%d not checked)",
                    imagesViolated,
                    images,
                    images - imagesChecked);
        }
        return String.format(Locale.ROOT, "VIOLATED on %d of %d images", imagesViolated, images);
    }

    /** Writes the accuracy, agreement and logit-error lines against the target. */
    private void comparison(PrintWriter w) {
        w.printf(
                Locale.ROOT,
                "%s (%d images): target accuracy %.4f, ticket accuracy %.4f (diff %+.2f pp), agreement %.4f%n",
                dataset(),
                images(),
                targetAccuracy(),
                ticketAccuracy(),
                100 * (ticketAccuracy() - targetAccuracy()),
                agreement());
        w.printf(
                Locale.ROOT,
                "logit error: max %.3e, mean %.3e, relative L2 %.3e%n",
                maxLogitError(),
                meanLogitError(),
                relativeL2());
    }

    /**
     * Returns the evaluation in words, as {@code sltk prune} and {@code sltk eval} print it:
     * accuracies and agreement, logit errors, the guaranteed bounds and their verdict, one line per
     * layer, and the compact-against-plain check.
     *
     * @return the lines, each ending in a line break
     */
    public String summary() {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        EvalReport e = this;
        if (Evaluator.NO_BOUND.equals(e.arithmetic())) {
            if (Double.isNaN(e.targetAccuracy())) {
                w.printf(
                        Locale.ROOT,
                        "%s (%d images): ticket accuracy %.4f (no target to compare with)%n",
                        e.dataset(),
                        e.images(),
                        e.ticketAccuracy());
            } else {
                comparison(w);
            }
            w.println(
                    "no guaranteed bound: a trained (edge-popup) ticket, not built from the target");
            w.flush();
            return out.toString();
        }
        comparison(w);
        w.printf(
                Locale.ROOT,
                "guaranteed bound (%s arithmetic): per image up to %.3e (%.0fx the measured max), a priori"
                        + " %.3e for every input with values in [%s, %s]; %s%n",
                e.arithmetic(),
                e.boundOnData(),
                e.maxLogitError() > 0 ? e.boundOnData() / e.maxLogitError() : 0.0,
                e.boundOverBox(),
                num(e.boxLow()),
                num(e.boxHigh()),
                e.verdict());
        for (EvalReport.LayerError l : e.layers()) {
            w.printf(
                    Locale.ROOT,
                    "  layer %d activation error: max %.3e, relative L2 %.3e, bound %.3e%n",
                    l.layer() + 1,
                    l.maxError(),
                    l.relativeL2(),
                    l.bound());
        }
        w.printf(
                Locale.ROOT,
                "effective and compact passes vs the plain masked pass (first %d images): max diff"
                        + " %.2e and %.2e%n",
                e.denseCheckedImages(),
                e.effectiveVsDense(),
                e.compactVsDense());
        w.flush();
        return out.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6
                ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.3g", v);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "EvalReport(%s, n=%d, target=%.4f, ticket=%.4f, agree=%.4f, maxLogitErr=%.3g, bound=%.3g, box=%.3g, %s, %s)",
                dataset,
                images,
                targetAccuracy,
                ticketAccuracy,
                agreement,
                maxLogitError,
                boundOnData,
                boundOverBox,
                arithmetic,
                verdict());
    }
}
