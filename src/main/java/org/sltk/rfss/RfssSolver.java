package org.sltk.rfss;

/**
 * Solves a batch of RFSS instances, choosing exactly k of n candidates per instance so that their
 * sum is as close as possible to the instance's target.
 *
 * <p><b>The canonical rule.</b> Exact solvers ({@link #isExact()}) all return the same subset for
 * every instance and every eps, tie for tie, on every machine and thread count:
 *
 * <ul>
 *   <li>candidates and targets are doubles ({@link RfssBatch}); the sum of a subset is computed in
 *       float64 by adding its candidates in ascending index order starting from {@code 0.0}, and
 *       its error is {@code |sum - target|} in float64 (the canonical error of {@link
 *       RfssSolution});
 *   <li>{@code eps == 0}: the optimum, the smallest error, and among equal errors the
 *       lexicographically smallest sorted index set;
 *   <li>{@code eps > 0}: the first subset in the lexicographic order of sorted index sets, {0, 1,
 *       .., k-2, k-1}, {0, 1, .., k-2, k}, .., whose error is at most eps; if no subset is within
 *       eps, the optimum as for {@code eps == 0}.
 * </ul>
 *
 * <p>(With {@code eps == 0} the second rule gives the same subset as the first: the first subset of
 * error 0 is the lexicographically smallest optimum.) The result is thus a function of the
 * candidates, the target, k and eps alone, not of a solver's search order. Heuristic solvers
 * ({@link SwapSearchSolver}) need not follow the rule; they are deterministic all the same.
 *
 * <pre>
 * jshell&gt; RfssBatch b = RfssBatch.of(new double[] {0.5, -0.2, 0.3, 0.9}, new double[] {0.8}, 4, 2);
 * jshell&gt; new MeetInTheMiddleSolver().solve(b).subset(0); // [0, 2]: 0.5 + 0.3 = 0.8
 * </pre>
 */
public interface RfssSolver {

    /**
     * Solves every instance of the batch.
     *
     * @param batch the instances, of a shape the solver {@linkplain #supports supports}
     * @param eps the wanted accuracy, at least 0: exact solvers return the subset the canonical
     *     rule above names for this eps; heuristics may stop once within eps
     * @return per instance the chosen subset, its sum and its error
     * @throws IllegalArgumentException for a negative or non-finite eps, or for a shape this solver
     *     cannot handle at all
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
     * Tells whether this solver follows the canonical rule (and so returns the optimum with {@code
     * eps == 0}).
     *
     * @return true for exact solvers
     */
    boolean isExact();
}
