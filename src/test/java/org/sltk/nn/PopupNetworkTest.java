package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
