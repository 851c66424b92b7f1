package org.sltk.prune;

/**
 * The guaranteed error of a ticket against its target, computed in float64: for one input, or for
 * every input in a box, an interval that contains the difference of the two networks' float32
 * outputs, per logit, and a bound per target (conv or dense) layer. {@link ErrorBound} is the one
 * implementation, for dense and sequential (conv) targets alike.
 */
public interface TicketBound {

    /**
     * Returns the enclosure for one input.
     *
     * @param x the input, flat ((c, h, w) for images)
     * @return the enclosure
     */
    Enclosure forInput(double[] x);

    /**
     * Returns an enclosure valid for every input in the box [lo, hi]^d (the a-priori bound).
     *
     * @param lo the lower end of every input
     * @param hi the upper end of every input
     * @return the enclosure
     */
    Enclosure overBox(double lo, double hi);

    /** {@return the float32 arithmetic the bound assumes for both networks} */
    Arithmetic arithmetic();

    /**
     * What the bound guarantees for one input or one box. With h a float64 reference of the target
     * (the target computed in float64 for one input; for a box, the exact target of any input in
     * it), the ticket's float32 logit k lies in h_k + [ticketLower_k, ticketUpper_k], the target's
     * float32 logit in h_k + [targetLower_k, targetUpper_k], and their difference (ticket minus
     * target) in [lower_k, upper_k].
     *
     * @param layers per conv/dense layer, the bound on |ticket - target| of any of its
     *     pre-activations
     * @param referenceLower the float64 reference of the logits (for a box: the lower ends of an
     *     interval that holds the exact target's logits of every input in it)
     * @param referenceUpper the same, upper ends (for one input: equal to referenceLower)
     * @param lower lower ends of ticket32 - target32 per logit
     * @param upper upper ends of ticket32 - target32 per logit
     * @param ticketLower lower ends of ticket32 - reference
     * @param ticketUpper upper ends of ticket32 - reference
     * @param targetLower lower ends of target32 - reference
     * @param targetUpper upper ends of target32 - reference
     */
    record Enclosure(
            double[] layers,
            double[] referenceLower,
            double[] referenceUpper,
            double[] lower,
            double[] upper,
            double[] ticketLower,
            double[] ticketUpper,
            double[] targetLower,
            double[] targetUpper) {

        /** {@return the bound on the largest logit difference: max |lower|, |upper|} */
        public double logitBound() {
            return layers[layers.length - 1];
        }

        /**
         * Returns whether measured float32 logits respect the enclosure: every difference ticket -
         * target lies in its interval.
         *
         * @param ticket the ticket's logits
         * @param target the target's logits
         * @param offset where this input's logits start in both arrays
         * @return true if all lie inside
         */
        public boolean contains(float[] ticket, float[] target, int offset) {
            for (int k = 0; k < lower.length; k++) {
                double e = (double) ticket[offset + k] - target[offset + k];
                if (!(e >= lower[k] && e <= upper[k])) {
                    return false;
                }
            }
            return true;
        }
    }
}
