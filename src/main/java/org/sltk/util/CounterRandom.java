package org.sltk.util;

/**
 * A seeded, counter-based random generator: value number {@code i} of stream {@code s} is a pure
 * function of (seed, s, i), computed with integer arithmetic only.
 *
 * <p>The same seed therefore gives the same numbers on every machine, JVM, libtorch version and
 * device, in any order and from any number of threads; this is what makes a seed give the same
 * random network, and so the same masks, everywhere. The mixing function is SplitMix64's finalizer
 * applied to a Weyl sequence keyed by seed and stream.
 */
public final class CounterRandom {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final float FLOAT_UNIT = 0x1.0p-24f;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private final long seed;

    /**
     * Creates a generator.
     *
     * @param seed the seed
     */
    public CounterRandom(long seed) {
        this.seed = seed;
    }

    /**
     * Returns the seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns 64 random bits: value {@code index} of stream {@code stream}.
     *
     * @param stream the stream (for example one per layer)
     * @param index the position in the stream
     * @return the bits
     */
    public long bits(long stream, long index) {
        long key = mix(seed * GOLDEN + mix(stream + 0x632BE59BD9B4E019L));
        return mix(key + (index + 1) * GOLDEN);
    }

    /**
     * Returns a float uniform on [0, 1) with 24 random bits.
     *
     * @param stream the stream
     * @param index the position in the stream
     * @return the value
     */
    public float uniformFloat(long stream, long index) {
        return (bits(stream, index) >>> 40) * FLOAT_UNIT;
    }

    /**
     * Returns a double uniform on [0, 1) with 53 random bits.
     *
     * @param stream the stream
     * @param index the position in the stream
     * @return the value
     */
    public double uniformDouble(long stream, long index) {
        return (bits(stream, index) >>> 11) * DOUBLE_UNIT;
    }

    /**
     * Returns a float uniform on [-1, 1), exactly representable (a multiple of 2^-23).
     *
     * @param stream the stream
     * @param index the position in the stream
     * @return the value
     */
    public float symmetricFloat(long stream, long index) {
        return 2f * uniformFloat(stream, index) - 1f;
    }

    /**
     * Returns a standard normal value (Box-Muller with {@link StrictMath}, so reproducible).
     *
     * @param stream the stream
     * @param index the position in the stream
     * @return the value
     */
    public double normal(long stream, long index) {
        long b = bits(stream, index);
        double u1 = ((b >>> 32) + 1) * 0x1.0p-32; // (0, 1]
        double u2 = (b & 0xFFFFFFFFL) * 0x1.0p-32; // [0, 1)
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /**
     * Returns a uniform integer in [0, bound).
     *
     * @param stream the stream
     * @param index the position in the stream
     * @param bound the exclusive upper bound, positive
     * @return the value
     */
    public int nextInt(long stream, long index, int bound) {
        return (int) (((bits(stream, index) >>> 33) * bound) >>> 31);
    }

    /**
     * SplitMix64's finalizer.
     *
     * @param z the input
     * @return the mixed bits
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns a Fisher-Yates permutation of [0, n) drawn from one stream: for i from n - 1 down to
     * 1, i swaps with {@code nextInt(stream, i, i + 1)}. The one shuffle behind data splits,
     * holdouts and epoch orders.
     *
     * @param n the size, at least 0
     * @param stream the stream
     * @return the permutation
     */
    public int[] permutation(int n, long stream) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(stream, i, i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
