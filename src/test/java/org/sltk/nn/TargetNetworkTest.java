package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

class TargetNetworkTest {

    private static final int[][] SHAPES = {{784, 300, 100, 10}, {20, 7, 3}, {5, 4}};

    static double[][] inputs(int batch, int in, long seed) {
        CounterRandom rng = new CounterRandom(seed);
        double[][] x = new double[batch][in];
        for (int r = 0; r < batch; r++) {
            for (int i = 0; i < in; i++) {
                x[r][i] = rng.uniformFloat(r, i); // exactly representable in float32
            }
        }
        return x;
    }

    static float[] flat(double[][] x) {
        float[] f = new float[x.length * x[0].length];
        for (int r = 0; r < x.length; r++) {
            for (int i = 0; i < x[r].length; i++) {
                f[r * x[r].length + i] = (float) x[r][i];
            }
        }
        return f;
    }

    @Test
    void djlForwardMatchesNd4jFloat64Reference() {
        Engines.engine();
        for (boolean bias : new boolean[] {true, false}) {
            for (int[] widths : SHAPES) {
                long seed = 11 + widths.length;
                TargetNetwork net = TargetNetwork.random(Architecture.mlp(widths, bias), seed);
                double[][] x = inputs(16, widths[0], seed + 100);
                double[][] ref = Nd4jReference.forward(net, x);
                try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                    NDArray xa = m.create(flat(x), new Shape(x.length, widths[0]));
                    NDArray y = net.forward(xa);
                    assertEquals(new Shape(x.length, net.outputSize()), y.getShape());
                    assertSame(m, y.getManager(), "result belongs to the input's manager");
                    assertSame(m, xa.getManager(), "input stays with its manager");
                    float[] yv = y.toFloatArray();
                    double max = 0;
                    for (int r = 0; r < x.length; r++) {
                        for (int o = 0; o < net.outputSize(); o++) {
                            max = Math.max(max, Math.abs(yv[r * net.outputSize() + o] - ref[r][o]));
                        }
                    }
                    assertTrue(
                            max < 1e-4, net.describe() + " seed=" + seed + ": max abs diff " + max);
                }
            }
        }
    }

    @Test
    void forward64MatchesNd4j() {
        for (boolean bias : new boolean[] {true, false}) {
            for (int[] widths : SHAPES) {
                long seed = 3 + widths.length;
                TargetNetwork net = TargetNetwork.random(Architecture.mlp(widths, bias), seed);
                double[][] x = inputs(4, widths[0], seed);
                double[][] ref = Nd4jReference.forward(net, x);
                for (int r = 0; r < x.length; r++) {
                    double[] y = net.forward64(x[r]);
                    for (int o = 0; o < y.length; o++) {
                        assertEquals(
                                ref[r][o],
                                y[o],
                                1e-9,
                                net.describe() + " seed=" + seed + " row " + r);
                    }
                }
            }
        }
    }

    @Test
    void reluIsAppliedBetweenLayersOnly() {
        // 1 -> 1 -> 1 with weights -1 then 1, no bias: relu(-x) = 0 for x > 0; last layer not
        // clipped
        TargetNetwork net =
                TargetNetwork.of(
                        Architecture.mlp(new int[] {1, 1, 1}, false),
                        List.of(new float[] {-1f}, new float[] {-2f}),
                        null,
                        "test");
        assertArrayEquals(new double[] {0.0}, net.forward64(new double[] {3}));
        assertArrayEquals(new double[] {-6.0}, net.forward64(new double[] {-3}));
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray y = net.forward(m.create(new float[] {3, -3}, new Shape(2, 1)));
            assertArrayEquals(new float[] {0f, -6f}, y.toFloatArray());
        }
    }

    @Test
    void djlBlockGivesTheSameLogitsAndRoundTrips() {
        for (boolean bias : new boolean[] {true, false}) {
            TargetNetwork net =
                    TargetNetwork.random(Architecture.mlp(new int[] {30, 12, 6, 4}, bias), 5);
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                SequentialBlock block = DjlBlocks.toBlock(net, m);
                assertEquals(net, DjlBlocks.toNetwork(block, net.architecture(), "block"));
                NDArray x = m.create(flat(inputs(8, 30, 9)), new Shape(8, 30));
                NDArray fromBlock =
                        block.forward(new ParameterStore(m, false), new NDList(x), false).head();
                assertArrayEquals(net.forward(x).toFloatArray(), fromBlock.toFloatArray(), 0f);
            }
        }
    }

    @Test
    void accessorsAndDescription() {
        TargetNetwork net =
                TargetNetwork.random(Architecture.mlp(new int[] {784, 300, 100, 10}, true), 1);
        assertEquals("784-300-100-10 ReLU MLP, bias", net.describe());
        assertArrayEquals(new int[] {784, 300, 100, 10}, net.architecture().mlpWidths());
        assertEquals(784, net.inputSize());
        assertEquals(10, net.outputSize());
        assertTrue(net.architecture().allBiased());
        assertEquals(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10, net.parameterCount());
        assertEquals(
                net,
                TargetNetwork.random(Architecture.mlp(new int[] {784, 300, 100, 10}, true), 1),
                "same seed, same network");
        assertNotEquals(
                net,
                TargetNetwork.random(Architecture.mlp(new int[] {784, 300, 100, 10}, true), 2));
        assertEquals(net.weights(1)[7 * 300 + 5], net.weight(1, 7, 5));
        float bound = (float) (1 / Math.sqrt(300));
        for (float w : net.weights(1)) {
            assertTrue(Math.abs(w) <= bound, "weight within PyTorch's default range");
        }
        assertEquals(
                "20-7-3 ReLU MLP, no bias",
                TargetNetwork.random(Architecture.mlp(new int[] {20, 7, 3}, false), 1).describe());
        float[] w = net.weights(1);
        w[0] = 99f;
        assertNotEquals(99f, net.weights(1)[0], "weights() returns a copy");
    }

    @Test
    void aNetworkRejectsBadValuesNamingTheLayer() {
        Architecture a = Architecture.mlp(new int[] {3, 2}, true);
        InputException e =
                assertThrows(
                        InputException.class,
                        () ->
                                TargetNetwork.of(
                                        a,
                                        List.of(new float[] {1, Float.NaN, 0, 0, 0, 0}),
                                        Arrays.asList(new float[2]),
                                        "t"));
        assertEquals(
                "t: layer 1 (dense(3->2)): weight [0][1] is NaN; weights must be finite",
                e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () ->
                                TargetNetwork.of(
                                        a,
                                        List.of(new float[6]),
                                        Arrays.asList(new float[] {0, Float.POSITIVE_INFINITY}),
                                        "t"));
        assertEquals(
                "t: layer 1 (dense(3->2)): bias [1] is Infinity; biases must be finite",
                e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () ->
                                TargetNetwork.of(
                                        a,
                                        List.of(new float[5]),
                                        Arrays.asList(new float[2]),
                                        "t"));
        assertEquals("t: layer 1 (dense(3->2)): expected 6 weights, found 5", e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () ->
                                TargetNetwork.of(
                                        a,
                                        List.of(new float[6]),
                                        Arrays.asList(new float[3]),
                                        "t"));
        assertEquals("t: layer 1 (dense(3->2)): expected 2 biases, found 3", e.getMessage());
        e =
                assertThrows(
                        InputException.class,
                        () ->
                                new Architecture(
                                        new int[] {3, 1, 1},
                                        List.of(
                                                new Layer.Linear(3, 2, false),
                                                new Layer.ReLU(),
                                                new Layer.Linear(3, 1, false))));
        assertEquals("layer 3 (dense(3->1)): expects 3 inputs, gets 2", e.getMessage());
    }
}
