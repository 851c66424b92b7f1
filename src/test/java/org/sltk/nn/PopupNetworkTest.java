package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PopupNetworkTest {

    @Test
    void everyLayerKeepsExactlyRoundedDensityTimesSize() {
        Architecture a = Architecture.mlp(new int[] {784, 300, 100, 10}, false);
        for (double d : new double[] {0.5, 0.3, 0.1, 0.013}) {
            PopupNetwork net =
                    new PopupNetwork(a, d, false, PopupNetwork.Init.SIGNED_CONSTANT, true, 7);
            for (int p = 0; p < net.layerCount(); p++) {
                PairMask m = net.mask(p, net.initialScores(p));
                assertEquals(Math.round(d * net.size(p)), m.kept().length);
                float[] dense = net.denseMask(p, m);
                double sum = 0;
                for (float v : dense) {
                    sum += v;
                }
                assertEquals(Math.round(d * net.size(p)), (long) sum);
            }
        }
    }

    @Test
    void tiesGoToTheLowerIndexAndTheCountIsExact() {
        float[] s = {1, 3, 3, 3, 0, 3, 2};
        assertArrayEquals(new int[] {1, 2}, PopupNetwork.topK(s, 0, s.length, 2));
        assertArrayEquals(new int[] {1, 2, 3, 5, 6}, PopupNetwork.topK(s, 0, s.length, 5));
        // brute force: sort by (score desc, index asc)
        float[] r = new float[501];
        for (int i = 0; i < r.length; i++) {
            r[i] = (i * 7919) % 13;
        }
        for (int k = 0; k <= r.length; k += 50) {
            Integer[] idx = new Integer[r.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (x, y) -> r[x] != r[y] ? Float.compare(r[y], r[x]) : x - y);
            int[] want = Arrays.stream(idx, 0, k).mapToInt(Integer::intValue).sorted().toArray();
            assertArrayEquals(want, PopupNetwork.topK(r, 0, r.length, k));
        }
    }

    @Test
    void perUnitKeepsTheSameCountInEveryRow() {
        Architecture a = Architecture.mlp(new int[] {20, 8, 3}, false);
        PopupNetwork net =
                new PopupNetwork(a, 0.3, true, PopupNetwork.Init.KAIMING_NORMAL, false, 3);
        PairMask m = net.mask(0, net.initialScores(0));
        assertEquals(8, m.outputs());
        assertEquals(6, m.perOutput());
    }

    @Test
    void thePairNetworkIsPrunesOwnAndItsTrainingScaleChangesNoPrediction() {
        Architecture target = Architecture.mlp(new int[] {5, 4, 3}, true);
        RandomNetwork pairs = new RandomNetwork(target, 3, WeightDistribution.UNIFORM, 2);
        PopupNetwork net = PopupNetwork.onPairs(pairs, 0.3, false, 4);
        assertEquals(4, net.layerCount());
        // layer 0: 6 pools (5 inputs and the bias pool) of 3 units, 5 weights and a bias each
        assertEquals(18, net.layer(0).out());
        assertEquals(6, net.rowLength(0));
        float[] v = net.parameters(0);
        assertEquals(pairs.firstWeight(0, 7, 2), v[7 * 6 + 2]);
        assertEquals(pairs.firstBias(0, 7), v[7 * 6 + 5]);
        assertEquals(pairs.secondWeight(1, 2, 9), net.parameters(3)[2 * net.rowLength(3) + 9]);
        long total = 0;
        for (int p = 0; p < net.layerCount(); p++) {
            assertEquals(
                    Math.round(0.3 * net.size(p)), net.mask(p, net.initialScores(p)).kept().length);
            total += net.size(p);
        }
        assertEquals(pairs.parameterCount(), total);
        // every pre-activation of the rescaled network is c_0 ... c_p times the original's, for any
        // mask: the same predictions
        java.util.List<PairMask> masks = new java.util.ArrayList<>();
        double[][] plain = new double[net.layerCount()][];
        double[][] scaled = new double[net.layerCount()][];
        for (int p = 0; p < net.layerCount(); p++) {
            PairMask m = net.mask(p, net.initialScores(p));
            masks.add(m);
            float[] dm = net.denseMask(p, m);
            float[] a = net.parameters(p);
            float[] b = net.trainingParameters(p);
            plain[p] = new double[a.length];
            scaled[p] = new double[a.length];
            for (int j = 0; j < a.length; j++) {
                plain[p][j] = a[j] * dm[j];
                scaled[p][j] = b[j] * dm[j];
            }
        }
        double prod = 1;
        for (int p = 0; p < net.layerCount(); p++) {
            prod *= net.trainingScale(p);
        }
        assertTrue(prod > 1, "the U[-1, 1] pair network is scaled up: " + prod);
        double[] x = {0.1, 0.9, 0.4, 0.0, 0.7};
        double[] za = forward(net, plain, x);
        double[] zb = forward(net, scaled, x);
        for (int o = 0; o < za.length; o++) {
            assertEquals(za[o] * prod, zb[o], 1e-5 * Math.abs(zb[o]) + 1e-9);
        }
        // and the ticket as a network is the plain one
        TargetNetwork t = net.ticket(masks);
        double[] zt = t.forward64(x);
        for (int o = 0; o < za.length; o++) {
            assertEquals(za[o], zt[o], 1e-5 * Math.abs(za[o]) + 1e-6);
        }
    }

    private static double[] forward(PopupNetwork net, double[][] v, double[] x) {
        double[] h = x;
        for (int p = 0; p < net.layerCount(); p++) {
            int in = net.fanIn(p);
            int len = net.rowLength(p);
            double[] z = new double[net.layer(p).out()];
            for (int o = 0; o < z.length; o++) {
                double t = len > in ? v[p][o * len + in] : 0;
                for (int j = 0; j < in; j++) {
                    t += v[p][o * len + j] * h[j];
                }
                z[o] = p + 1 < net.layerCount() ? Math.max(0, t) : t;
            }
            h = z;
        }
        return h;
    }
}
