package org.sltk.nn;

/**
 * Thrown to indicate that a training step gave a NaN or infinite loss or gradient that is not a
 * divergence of the training: either the same batch recomputed from the same parameters was finite
 * (the fault did not reproduce: a native kernel, not the learning rate), or it reproduced while the
 * training showed no sign of diverging. A real divergence is an {@link
 * org.sltk.util.InputException} naming {@code --lr}.
 */
public final class NonFiniteTrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int batch;
    private final boolean reproducible;

    /**
     * Creates the exception.
     *
     * @param message the one-line explanation with the evidence and the fix
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param reproducible whether the recomputation gave a non-finite value again
     */
    public NonFiniteTrainingException(String message, int epoch, int batch, boolean reproducible) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
        this.reproducible = reproducible;
    }

    /**
     * Returns the epoch of the faulty step.
     *
     * @return the epoch, from 1
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Returns the batch of the faulty step within its epoch.
     *
     * @return the batch, from 1
     */
    public int batch() {
        return batch;
    }

    /**
     * Returns whether the same batch recomputed from the same parameters was non-finite again.
     *
     * @return false for a fault that did not reproduce
     */
    public boolean reproducible() {
        return reproducible;
    }
}
