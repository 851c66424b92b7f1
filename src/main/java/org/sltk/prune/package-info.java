/**
 * The pair construction: turns a target network and a random network into fixed-density masks by
 * solving one RFSS block per target weight and sign, and states the guaranteed error bound of the
 * result.
 *
 * @see org.sltk.prune.PairPruner
 */
package org.sltk.prune;
