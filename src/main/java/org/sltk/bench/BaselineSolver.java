package org.sltk.bench;

import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssSolution;

/**
 * A general-purpose solver used as the baseline of {@code sltk bench rfss}, one model per instance.
 * The implementation (OR-Tools CP-SAT) lives in {@code src/bench/java} and is compiled only with
 * the Maven profile {@code bench}; {@link Baselines#load} finds it reflectively.
 */
public interface BaselineSolver {

    /**
     * Returns the solver's name and version.
     *
     * @return e.g. {@code OR-Tools CP-SAT 9.15.6755}
     */
    String name();

    /**
     * Returns the seconds spent loading the native library (kept out of every timing).
     *
     * @return seconds
     */
    double loadSeconds();

    /**
     * Solves every instance of a batch, one after the other.
     *
     * @param batch the instances
     * @param scale candidates and targets are multiplied by this and rounded to integers
     * @param workers the solver's worker threads
     * @param timeLimitSeconds the time limit per instance
     * @return the chosen subsets and, per instance, whether optimality was proven
     */
    Result solve(RfssBatch batch, double scale, int workers, double timeLimitSeconds);

    /**
     * What a baseline returned for a batch.
     *
     * @param solution the chosen subsets (errors recomputed canonically from the indices)
     * @param proven per instance, whether the solver proved its (scaled) answer optimal
     * @param found per instance, whether it found any solution (if not, the subset is {0..k-1})
     */
    record Result(RfssSolution solution, boolean[] proven, boolean[] found) {

        /**
         * Counts the instances proven optimal.
         *
         * @return the count
         */
        public int provenCount() {
            int c = 0;
            for (boolean p : proven) {
                c += p ? 1 : 0;
            }
            return c;
        }

        /**
         * Counts the instances with a solution.
         *
         * @return the count
         */
        public int foundCount() {
            int c = 0;
            for (boolean f : found) {
                c += f ? 1 : 0;
            }
            return c;
        }
    }
}
