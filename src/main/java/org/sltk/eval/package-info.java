/**
 * Evaluation of a ticket against its target on real data: accuracy of both, agreement, logit and
 * per-layer activation errors next to the guaranteed bound, as JSON reports and PNG figures.
 *
 * @see org.sltk.eval.Evaluator
 */
package org.sltk.eval;
