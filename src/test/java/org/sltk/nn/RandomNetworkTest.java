package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.sltk.util.Engines;

/**
 * The dense tensors of the random network, built in row blocks (a layer of more than 2^31 bytes
 * cannot be created from one Java array: DJL's direct buffer has an int capacity, which threw
 * "capacity < 0" for a 3072-64-10 target at n = 24, 679,718,912 first-layer weights), against the
 * per-weight generator.
 */
class RandomNetworkTest {

    private static void churn() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            java.nio.ByteBuffer[] junk = new java.nio.ByteBuffer[64];
            for (int q = 0; q < junk.length; q++) {
                junk[q] = java.nio.ByteBuffer.allocateDirect(1 << 16);
                for (int b = 0; b < 1 << 16; b += 8) {
                    junk[q].putLong(b, 0x7ff8dead7ff8beefL);
                }
            }
        }
    }

    /** Every entry of the tensor equals the generator's weight, for several block sizes. */
    @Test
    void weightsBuiltInBlocksAreTheGeneratorsWeights() {
        Engines.engine();
        Architecture conv =
                Architecture.builder(2, 6, 6).conv(3, 3, 1, 1, 1).relu().flatten().dense(4).build();
        RandomNetwork net = new RandomNetwork(conv, 5, WeightDistribution.UNIFORM, 7);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (int p = 0; p < net.pairs(); p++) {
                int units = net.units(p);
                int in = net.in(p);
                // 1: one row per block; 2 * in + 1: blocks of 2 rows, a short last one; whole
                for (long chunk : new long[] {1, 2L * in + 1, RandomNetwork.CREATE_CHUNK}) {
                    NDArray w1 = net.firstWeights(m, p, chunk);
                    NDArray w2 = net.secondWeights(m, p, chunk);
                    // a tensor that wraps a Java direct buffer must keep it alive: churn the
                    // collector and direct memory before reading (a reshaped view of a closed
                    // array read freed memory here, and gave the plain pass wrong logits)
                    churn();
                    assertEquals(net.firstShape(p), w1.getShape());
                    float[] a = w1.toFloatArray();
                    for (int u = 0; u < units; u++) {
                        for (int j = 0; j < in; j++) {
                            assertEquals(
                                    net.firstWeight(p, u, j),
                                    a[u * in + j],
                                    "pair "
                                            + p
                                            + " chunk "
                                            + chunk
                                            + " first ("
                                            + u
                                            + ","
                                            + j
                                            + ")");
                        }
                    }
                    assertEquals(new Shape(net.out(p), units), w2.getShape());
                    float[] b = w2.toFloatArray();
                    for (int o = 0; o < net.out(p); o++) {
                        for (int u = 0; u < units; u++) {
                            assertEquals(
                                    net.secondWeight(p, o, u),
                                    b[o * units + u],
                                    "pair "
                                            + p
                                            + " chunk "
                                            + chunk
                                            + " second ("
                                            + o
                                            + ","
                                            + u
                                            + ")");
                        }
                    }
                }
            }
            // the rows of some units, as the plain pass builds them
            int[] some = {4, 0, net.units(1) - 1};
            NDArray r1 = net.firstWeights(m, 1, some);
            NDArray r2 = net.secondWeights(m, 1, some);
            churn();
            float[] ra = r1.toFloatArray();
            float[] rb = r2.toFloatArray();
            for (int t = 0; t < some.length; t++) {
                for (int j = 0; j < net.in(1); j++) {
                    assertEquals(net.firstWeight(1, some[t], j), ra[t * net.in(1) + j]);
                }
                for (int o = 0; o < net.out(1); o++) {
                    assertEquals(net.secondWeight(1, o, some[t]), rb[o * some.length + t]);
                }
            }
            // the public methods are the default block size
            assertEquals(
                    net.firstWeights(m, 1, 3).toFloatArray().length,
                    net.firstWeights(m, 1).toFloatArray().length);
        }
    }
}
