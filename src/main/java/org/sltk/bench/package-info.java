/**
 * Benchmarks of sltk's RFSS solvers against a general-purpose solver and of the pruning pipeline's
 * stages; the CP-SAT baseline is compiled only with the Maven profile {@code bench}.
 *
 * @see org.sltk.bench.RfssBench
 */
package org.sltk.bench;
