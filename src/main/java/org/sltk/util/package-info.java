/**
 * Small shared pieces every capability uses: the counter-based random generator, atomic file
 * writes, the one-line input error, and the offline DJL engine and device parsing.
 *
 * @see org.sltk.util.CounterRandom
 */
package org.sltk.util;
