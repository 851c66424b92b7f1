package org.sltk.rfss;

/**
 * Solves a batch of RFSS instances, choosing exactly k of n candidates per instance so that their
 * sum is as close as possible to the instance's target.
 *
 * <p>Exact solvers ({@link #isExact()}) return, with {@code eps == 0}, the optimum under one
 * deterministic order: the smallest canonical float64 error (see {@link RfssSolution}), and among
 * equal errors the lexicographically smallest sorted index set. Every solver is deterministic: the
 * same batch gives bit-identical subsets on every machine and for every thread count.
 *
 * <pre>
 * jshell&gt; RfssBatch b = RfssBatch.of(new float[] {0.5f, -0.2f, 0.3f, 0.9f}, new float[] {0.8f}, 4, 2);
 * jshell&gt; new MeetInTheMiddleSolver().solve(b).subset(0); // [0, 2]: 0.5 + 0.3 = 0.8
 * </pre>
 */
public interface RfssSolver {

    /**
     * Solves every instance of the batch.
     *
     * @param batch the instances, of a shape the solver {@linkplain #supports supports}
     * @param eps the wanted accuracy: with {@code eps > 0} a solver may stop an instance as soon
     *     as it holds a subset with error at most {@code eps}; with {@code eps == 0} exact solvers
     *     return the optimum
     * @return per instance the chosen subset, its sum and its error
     * @throws IllegalArgumentException for a shape this solver cannot handle at all
     */
    RfssSolution solve(RfssBatch batch, double eps);

    /**
     * Solves every instance of the batch to optimality (for exact solvers).
     *
     * @param batch the instances
     * @return per instance the chosen subset, its sum and its error
     */
    default RfssSolution solve(RfssBatch batch) {
        return solve(batch, 0);
    }

    /**
     * Tells whether this solver handles blocks of shape (n, k): {@link #solve} accepts them and
     * finishes in practical time. Callers check it before any work (the pruner does when it is
     * built), so a shape beyond reach is refused up front rather than failing mid-run.
     *
     * @param n candidates per instance
     * @param k subset size
     * @return true if (n, k) is within this solver's reach
     */
    boolean supports(int n, int k);

    /**
     * Describes the reach of {@link #supports} in a few words, for messages.
     *
     * @return e.g. {@code C(n, k) <= 2000000}
     */
    String reach();

    /**
     * Returns a short name of the method, as used on the command line.
     *
     * @return the name, e.g. {@code mitm}
     */
    String name();

    /**
     * Tells whether {@code solve(batch, 0)} always returns the optimum.
     *
     * @return true for exact solvers
     */
    boolean isExact();
}
