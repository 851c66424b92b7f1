/**
 * Batched Random Fixed-Size Subset Sum (RFSS) solvers: per instance, choose exactly k of n
 * candidates whose sum is closest to a target.
 *
 * @see org.sltk.rfss.RfssSolver
 */
package org.sltk.rfss;
