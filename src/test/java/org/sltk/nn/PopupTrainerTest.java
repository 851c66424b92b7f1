package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;

/**
 * The score updates of {@link PopupTrainer} against an independent computation: on tiny networks,
 * two SGD steps (batch 1, momentum, weight decay) recomputed in float64 in plain Java, with the
 * gradient of the loss with respect to the effective weights backpropagated by hand (checked
 * against central finite differences where the loss is smooth) and multiplied by the weights (the
 * straight-through estimator: dL/ds = dL/d(w m) * w, for kept and pruned weights alike).
 */
class PopupTrainerTest {

    private static final float LR = 0.5f;
    private static final float MOMENTUM = 0.9f;
    private static final float WD = 0.01f;

    /** Two images of 3 pixels, labels 1 and 0. */
    private static ImageSet tinySet() {
        return new ImageSet(
                "tiny",
                1,
                3,
                2,
                new float[] {0.9f, 0.2f, 0.6f, 0.1f, 0.8f, 0.4f},
                new int[] {1, 0},
                Map.of());
    }

    @Test
    void scoresMoveAsTheStraightThroughGradientSaysOnAPlainNetwork() {
        PopupNetwork net =
                new PopupNetwork(
                        Architecture.mlp(new int[] {3, 4, 2}, false),
                        0.5,
                        false,
                        PopupNetwork.Init.KAIMING_NORMAL,
                        false,
                        5);
        check(net);
    }

    @Test
    void scoresMoveAsTheStraightThroughGradientSaysOnAPairNetworkWithBiases() {
        RandomNetwork pairs =
                new RandomNetwork(
                        Architecture.mlp(new int[] {3, 2}, true),
                        2,
                        WeightDistribution.parse("uniform"),
                        3);
        PopupNetwork net = PopupNetwork.onPairs(pairs, 0.4, false, 9);
        assertEquals(2, net.layerCount());
        assertEquals(4, net.rowLength(0)); // 3 weights and the bias of each of the 8 units
        check(net);
    }

    private static void check(PopupNetwork net) {
        ImageSet set = tinySet();
        long seed = 11;
        PopupTrainer.Result r =
                new PopupTrainer()
                        .optEpochs(1)
                        .optLearningRate(LR)
                        .optMomentum(MOMENTUM)
                        .optWeightDecay(WD)
                        .optBatchSize(1)
                        .optSeed(seed)
                        .train(net, set, set);
        double[][] want = handScores(net, set, seed);
        int changedPruned = 0;
        for (int p = 0; p < net.layerCount(); p++) {
            float[] got = r.scores().get(p);
            float[] s0 = net.initialScores(p);
            float[] m0 = net.denseMask(p, net.mask(p, s0));
            for (int j = 0; j < got.length; j++) {
                assertEquals(
                        want[p][j],
                        got[j],
                        2e-5 * Math.max(1, Math.abs(want[p][j])),
                        "layer " + p + " score " + j);
                if (m0[j] == 0 && Math.abs(got[j] - s0[j]) > 1e-4) {
                    changedPruned++;
                }
            }
        }
        // the straight-through gradient reaches pruned weights too: some of their scores moved by
        // more than weight decay alone would move them
        assertTrue(changedPruned > 0, "no pruned weight's score moved");
        // and the masks are those of the final scores
        for (int p = 0; p < net.layerCount(); p++) {
            assertEquals(net.mask(p, r.scores().get(p)), r.masks().get(p));
        }
    }

    /** Two SGD steps with batch 1 in float64, the order of {@link EpochLoop#permutation}. */
    private static double[][] handScores(PopupNetwork net, ImageSet set, long seed) {
        int layers = net.layerCount();
        double[][] s = new double[layers][];
        double[][] v = new double[layers][];
        double[][] w = new double[layers][];
        for (int p = 0; p < layers; p++) {
            s[p] = toDouble(net.initialScores(p));
            v[p] = new double[s[p].length];
            w[p] = toDouble(net.trainingParameters(p)); // what the search trains on
        }
        int[] order = EpochLoop.permutation(set.size(), new CounterRandom(seed), 1);
        double lr = LR; // epoch 1 of the cosine: the base rate
        for (int idx : order) {
            double[] x = new double[set.features()];
            for (int j = 0; j < x.length; j++) {
                x[j] = set.pixels()[idx * x.length + j];
            }
            int y = set.labels()[idx];
            double[][] eff = new double[layers][];
            for (int p = 0; p < layers; p++) {
                float[] m = net.denseMask(p, net.mask(p, toFloat(s[p])));
                eff[p] = new double[w[p].length];
                for (int j = 0; j < m.length; j++) {
                    eff[p][j] = w[p][j] * m[j];
                }
            }
            double[][] grad = backprop(net, eff, x, y);
            for (int p = 0; p < layers; p++) {
                for (int j = 0; j < eff[p].length; j++) {
                    double g = grad[p][j] * w[p][j]; // straight through
                    v[p][j] = MOMENTUM * v[p][j] + g + WD * s[p][j];
                }
            }
            for (int p = 0; p < layers; p++) {
                for (int j = 0; j < s[p].length; j++) {
                    s[p][j] -= lr * v[p][j];
                }
            }
        }
        return s;
    }

    /**
     * dL/d(effective parameter) of a dense ReLU MLP in float64 by backpropagation by hand, with
     * relu'(0) = 0 as libtorch has it; checked against central finite differences wherever no
     * pre-activation lies within 1e-3 of the ReLU's kink (there the loss is smooth).
     */
    private static double[][] backprop(PopupNetwork net, double[][] eff, double[] x, int y) {
        int layers = net.layerCount();
        double[][] act = new double[layers + 1][];
        double[][] pre = new double[layers][];
        act[0] = x;
        for (int p = 0; p < layers; p++) {
            pre[p] = affine(net, p, eff[p], act[p]);
            act[p + 1] = new double[pre[p].length];
            for (int o = 0; o < pre[p].length; o++) {
                act[p + 1][o] = p + 1 < layers ? Math.max(0, pre[p][o]) : pre[p][o];
            }
        }
        double[] z = act[layers];
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double[] delta = new double[z.length]; // dL/d(pre-activation) of the current layer
        for (int o = 0; o < z.length; o++) {
            delta[o] = Math.exp(z[o] - max) / sum - (o == y ? 1 : 0);
        }
        double[][] grad = new double[layers][];
        boolean nearKink = false;
        for (int p = layers - 1; p >= 0; p--) {
            int in = net.fanIn(p);
            int len = net.rowLength(p);
            grad[p] = new double[eff[p].length];
            double[] back = new double[in];
            for (int o = 0; o < delta.length; o++) {
                for (int j = 0; j < in; j++) {
                    grad[p][o * len + j] = delta[o] * act[p][j];
                    back[j] += delta[o] * eff[p][o * len + j];
                }
                if (len > in) {
                    grad[p][o * len + in] = delta[o];
                }
            }
            if (p > 0) {
                for (int j = 0; j < in; j++) {
                    back[j] *= pre[p - 1][j] > 0 ? 1 : 0;
                    nearKink |= Math.abs(pre[p - 1][j]) < 1e-3;
                }
            }
            delta = back;
        }
        if (!nearKink) {
            for (int p = 0; p < layers; p++) {
                for (int j = 0; j < eff[p].length; j++) {
                    double h = 1e-6;
                    double keep = eff[p][j];
                    eff[p][j] = keep + h;
                    double up = loss(net, eff, x, y);
                    eff[p][j] = keep - h;
                    double down = loss(net, eff, x, y);
                    eff[p][j] = keep;
                    assertEquals((up - down) / (2 * h), grad[p][j], 1e-6, "hand gradient");
                }
            }
        }
        return grad;
    }

    private static double[] affine(PopupNetwork net, int p, double[] eff, double[] h) {
        int out = net.layer(p).out();
        int in = net.fanIn(p);
        int len = net.rowLength(p);
        double[] z = new double[out];
        for (int o = 0; o < out; o++) {
            double t = len > in ? eff[o * len + in] : 0;
            for (int j = 0; j < in; j++) {
                t += eff[o * len + j] * h[j];
            }
            z[o] = t;
        }
        return z;
    }

    /** Softmax cross-entropy of a dense ReLU MLP with (out, rowLength) parameters, in float64. */
    private static double loss(PopupNetwork net, double[][] eff, double[] x, int y) {
        double[] h = x;
        for (int p = 0; p < net.layerCount(); p++) {
            double[] z = affine(net, p, eff[p], h);
            if (p + 1 < net.layerCount()) {
                for (int o = 0; o < z.length; o++) {
                    z[o] = Math.max(0, z[o]);
                }
            }
            h = z;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double z : h) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : h) {
            sum += Math.exp(z - max);
        }
        return -(h[y] - max - Math.log(sum));
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void theLearningRateFollowsTheCosine() {
        PopupTrainer t = new PopupTrainer().optEpochs(4).optLearningRate(0.2f);
        assertEquals(0.2, t.learningRate(1), 1e-7);
        assertEquals(0.1, t.learningRate(3), 1e-7);
        assertEquals(0.2 * (1 + Math.cos(Math.PI * 3 / 4)) / 2, t.learningRate(4), 1e-7);
    }
}
