package org.sltk.prune;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.RandomNetwork;
import org.sltk.util.InputException;

/**
 * An estimate, made before anything is allocated, of the memory that pruning a target and checking
 * the ticket need, so that {@code sltk prune} can refuse a setting that cannot fit with one line
 * naming the number and the flag to change, instead of failing an hour later.
 *
 * <p>The counts follow the code, all in {@code long} so absurd settings cannot overflow:
 *
 * <ul>
 *   <li><b>masks</b> (Java heap): per pair, the kept units, {@code out * (pools + signed inputs) *
 *       k} int32, plus one float64 error per block;
 *   <li><b>plain pass</b> ({@link org.sltk.nn.MaskedNetwork#forwardDense}, run by the evaluation as
 *       a check): for every pair it builds the dense first and second layers of the used hidden
 *       units, at most {@link #usedUnitsBound} of them. Each weight costs a Java {@code float} and
 *       {@code boolean} while it is built (heap, one layer at a time), and 13 native bytes that
 *       stay until the pass ends (the float32 tensor, the bool mask, its float32 copy and the
 *       masked product), for all pairs together; a conv pair adds a chunk's hidden channels;
 *   <li><b>compact pass</b> of a conv ticket: a batch's gathered, scaled and rectified used
 *       channels;
 *   <li>a layer of more than {@link RandomNetwork#MAX_LAYER_WEIGHTS} weights cannot be built at
 *       all.
 * </ul>
 *
 * <p>The weights themselves never exist outside the plain pass: they are a function of the seed.
 *
 * @param heapBytes Java heap needed at the peak
 * @param nativeBytes native (libtorch) memory needed at the peak
 * @param parameters the random network's parameter count ({@link RandomNetwork#parameterCount})
 * @param largestLayer the most weights of one dense layer
 * @param n candidates per block
 * @param pool units per input pool
 */
public record MemoryEstimate(
        long heapBytes, long nativeBytes, long parameters, long largestLayer, int n, int pool) {

    /** Java bytes per dense weight while a layer is built: a float and a boolean mask entry. */
    static final int HEAP_BYTES_PER_WEIGHT = 4 + 1;

    /** Native bytes per dense weight in the plain pass: weights, bool mask, float mask, product. */
    static final int NATIVE_BYTES_PER_WEIGHT = 4 + 1 + 4 + 4;

    private static final double GIB = 1L << 30;

    /**
     * Estimates the memory of pruning a target and, optionally, of the plain masked pass.
     *
     * @param architecture the target's architecture
     * @param config the pruning settings (n, k, pool)
     * @param plainPass whether the plain pass will run (the evaluation does; {@code --no-eval} not)
     * @return the estimate
     */
    public static MemoryEstimate of(
            Architecture architecture, PruneConfig config, boolean plainPass) {
        long params = 0;
        long largest = 0;
        long masks = 0;
        long denseNative = 0;
        long denseHeapPeak = 0;
        long activations = 0;
        int[][] shapes = architecture.shapes();
        int[] idx = architecture.parametricIndices();
        List<Layer.Parametric> layers = architecture.parametric();
        long compact = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer.Parametric layer = layers.get(l);
            long in = layer.fanIn();
            long out = layer.out();
            long pools = in + (layer.bias() ? 1 : 0);
            long units = mul(pools, config.pool());
            long first = add(mul(units, in), layer.bias() ? units : 0);
            long second = mul(out, units);
            params = add(params, add(first, second));
            boolean signed = !architecture.nonNegativeInputOf(l, config.nonNegativeInput());
            long blocks = mul(out, pools + (signed ? in : 0));
            masks = add(masks, add(mul(mul(blocks, config.k()), 4), mul(blocks, 8)));
            // the passes hold the used units only: at most the first n of each sign per pool
            long used = usedUnitsBound(layer, config.n(), config.pool(), signed);
            long usedFirst = add(mul(used, in), layer.bias() ? used : 0);
            long usedSecond = mul(out, used);
            largest = Math.max(largest, Math.max(mul(used, in), usedSecond));
            denseNative =
                    add(denseNative, mul(add(usedFirst, usedSecond), NATIVE_BYTES_PER_WEIGHT));
            denseHeapPeak =
                    Math.max(
                            denseHeapPeak,
                            mul(Math.max(usedFirst, usedSecond), HEAP_BYTES_PER_WEIGHT));
            if (layer instanceof Layer.Conv2d) {
                int[] o = shapes[idx[l] + 1];
                long positions = (long) o[1] * o[2];
                // the plain pass holds a chunk's used channels at every output position (pre- and
                // post-ReLU, float32)
                activations = Math.max(activations, mul(mul(mul(used, positions), PLAIN_CHUNK), 8));
                // the compact pass: a batch's gathered, scaled and rectified channels (float32)
                compact = Math.max(compact, mul(mul(mul(used, positions), COMPACT_BATCH), 3 * 4));
            }
        }
        long heap = add(masks, plainPass ? denseHeapPeak : 0);
        return new MemoryEstimate(
                heap,
                plainPass ? add(add(denseNative, activations), compact) : 0,
                params,
                plainPass ? largest : 0,
                config.n(),
                config.pool());
    }

    /** Images per chunk of the plain pass of a ticket with conv pairs ({@code MaskedNetwork}). */
    static final int PLAIN_CHUNK = 4;

    /** Images per batch of a conv ticket's compact pass in the evaluation ({@code Evaluator}). */
    static final int COMPACT_BATCH = 20;

    /**
     * Returns an upper bound on the hidden units of a pair that a ticket can use: a block draws its
     * candidates from the first n units of its pool whose weight has the block's sign, so a pool
     * contributes at most n units per sign (one sign after a ReLU), and never more than its {@code
     * pool} units.
     *
     * @param layer the target layer of the pair
     * @param n candidates per block
     * @param pool units per pool
     * @param signed whether the pair's inputs may be negative (blocks of both signs)
     * @return the bound
     */
    public static long usedUnitsBound(Layer.Parametric layer, int n, int pool, boolean signed) {
        long pools = layer.fanIn() + (layer.bias() ? 1L : 0L);
        return mul(pools, Math.min(pool, (signed ? 2L : 1L) * n));
    }

    /**
     * Returns the total bytes, heap and native.
     *
     * @return the bytes
     */
    public long totalBytes() {
        return add(heapBytes, nativeBytes);
    }

    /**
     * Refuses, with one line, a setting that does not fit.
     *
     * @param maxHeap the most heap this JVM may use ({@code Runtime.maxMemory()})
     * @param physical the machine's (or container's) memory, or a non-positive value if unknown
     * @throws InputException naming the bytes needed, the limit and the flags to change
     */
    public void requireFits(long maxHeap, long physical) {
        String what = String.format(Locale.ROOT, "(n=%d, pool=%d)", n, pool);
        if (largestLayer > RandomNetwork.MAX_LAYER_WEIGHTS) {
            throw new InputException(
                    String.format(
                            Locale.ROOT,
                            "the random network's largest layer has %,d weights %s, more than the %,d one tensor may hold: "
                                    + "lower --n or --pool (or prune with --no-eval)",
                            largestLayer,
                            what,
                            RandomNetwork.MAX_LAYER_WEIGHTS));
        }
        if (physical > 0 && totalBytes() > physical) {
            throw new InputException(
                    String.format(
                            Locale.ROOT,
                            "the random network needs %s %s; this machine has %s: lower --n or --pool",
                            gib(totalBytes()),
                            what,
                            gib(physical)));
        }
        if (heapBytes > maxHeap) {
            throw new InputException(
                    String.format(
                            Locale.ROOT,
                            "the random network needs %s %s; this JVM may use %s: lower --n or --pool, or raise -Xmx (SLTK_JAVA_OPTS)",
                            gib(heapBytes),
                            what,
                            gib(maxHeap)));
        }
    }

    /**
     * Returns the memory of this machine or container, as the JVM sees it.
     *
     * @return bytes, or -1 if unknown
     */
    public static long physicalMemory() {
        try {
            var os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean) {
                return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // unknown
        }
        return -1;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
    }

    private static long mul(long a, long b) {
        long r = a * b;
        return (a != 0 && (r / a != b || (a == -1 && b == Long.MIN_VALUE))) ? Long.MAX_VALUE : r;
    }

    private static long add(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "MemoryEstimate(heap=%s, native=%s, params=%,d, n=%d, pool=%d)",
                gib(heapBytes),
                gib(nativeBytes),
                parameters,
                n,
                pool);
    }
}
