package org.sltk.prune;

/**
 * The guaranteed error bound of a ticket against its target, computed in float64: per target
 * (conv or dense) layer, for one input or for every input in a box. {@link ErrorBound} serves
 * dense targets, {@link ConvErrorBound} sequential (conv) ones.
 */
public interface TicketBound {

    /**
     * Returns the per-layer bounds for one input: element l bounds every output of target layer l
     * (pre-activation); the last element bounds the logits.
     *
     * @param x the input, flat
     * @return the bounds per layer
     */
    double[] forInput(double[] x);

    /**
     * Returns the per-layer bounds valid for every input in the box [lo, hi]^d.
     *
     * @param lo the lower end of every input
     * @param hi the upper end of every input
     * @return the bounds per layer
     */
    double[] overBox(double lo, double hi);
}
