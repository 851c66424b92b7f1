/**
 * Dense ReLU networks: the immutable target network the pruner reads, its DJL block, a seeded
 * trainer, and the validated on-disk model directory.
 *
 * @see org.sltk.nn.TargetNetwork
 */
package org.sltk.nn;
