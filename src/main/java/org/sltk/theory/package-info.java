/**
 * Empirical checks of the paper's theory (docs/theory.md, section 5), between {@code rfss} and
 * {@code prune} in the data flow: it uses the RFSS solvers on the blocks the pair construction
 * builds, but produces measurements and figures instead of tickets.
 *
 * <ul>
 *   <li>{@link org.sltk.theory.SumBound}: the sum-bounded constants c_l, c_u of the weight
 *       distributions (and of the product a * b that the blocks actually sum), with intervals;
 *   <li>{@link org.sltk.theory.Overparam}: the smallest block size n at which the real
 *       construction's blocks reach a per-weight eps, against density, next to the paper's
 *       sufficient and lower bounds and the information floor (the paper's Figure 1 shape).
 * </ul>
 *
 * <p>Verbs: {@code sltk sumbound}, {@code sltk overparam}. Results: {@code docs/experiments/}.
 */
package org.sltk.theory;
