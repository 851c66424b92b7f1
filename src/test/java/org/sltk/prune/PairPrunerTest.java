package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.nn.Architecture;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.rfss.BruteForceSolver;
import org.sltk.rfss.ExhaustiveTensorSolver;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;

/**
 * The pair construction on small networks, checked in float64 against the target by an independent
 * evaluation of the pruned random network (unit by unit, straight from the random weights and the
 * masks), and against the guaranteed bound.
 */
class PairPrunerTest {

    private static PruneResult prune(TargetNetwork target, boolean nonNegative, long seed) {
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(16)
                        .optEps(1e-3)
                        .optSeed(seed)
                        .optNonNegativeInput(nonNegative)
                        .build();
        return new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(target);
    }

    /**
     * The pruned random network evaluated unit by unit in float64: no effective weights, no
     * tensors.
     */
    static double[] ticketForward64(MaskedNetwork t, double[] x) {
        RandomNetwork net = t.random();
        double[] h = x;
        for (int l = 0; l < net.pairs(); l++) {
            PairMask m = t.masks().get(l);
            double[] hidden = new double[net.units(l)];
            for (int u : m.usedUnits(net.units(l))) {
                int j = u / net.pool();
                double in = j == net.in(l) ? 1.0 : h[j];
                hidden[u] = Math.max(0, (double) net.poolWeight(l, u) * in);
            }
            double[] z = new double[net.out(l)];
            for (int i = 0; i < z.length; i++) {
                for (int q = 0; q < m.perOutput(); q++) {
                    int u = m.kept()[i * m.perOutput() + q];
                    z[i] += net.secondWeight(l, i, u) * hidden[u];
                }
                if (l < net.pairs() - 1) {
                    z[i] = Math.max(0, z[i]);
                }
            }
            h = z;
        }
        return h;
    }

    private static double[] input(CounterRandom r, int i, int d, boolean nonNegative) {
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] =
                    nonNegative
                            ? r.uniformFloat(7, (long) i * d + j)
                            : r.symmetricFloat(7, (long) i * d + j);
        }
        return x;
    }

    @ParameterizedTest(name = "bias={0}, nonNegativeInput={1}")
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void ticketMatchesTargetInFloat64WithinTheBound(boolean bias, boolean nonNegative) {
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 7, 4}, bias), 11);
        PruneResult r = prune(target, nonNegative, 5);
        MaskedNetwork t = r.ticket();
        assertEquals(List.of(), BlockCheck.violations(t, 16, 4, nonNegative, 10));
        ErrorBound bound = new ErrorBound(target, t, nonNegative);
        CounterRandom rng = new CounterRandom(3);
        double worst = 0;
        for (int i = 0; i < 200; i++) {
            double[] x = input(rng, i, 12, nonNegative);
            double[] want = target.forward64(x);
            double[] got = ticketForward64(t, x);
            double b = bound.forInput(x).layers()[2];
            for (int o = 0; o < want.length; o++) {
                double e = Math.abs(want[o] - got[o]);
                worst = Math.max(worst, e);
                assertTrue(
                        e <= b,
                        "input " + i + " output " + o + ": error " + e + " above bound " + b);
            }
        }
        assertTrue(worst < 0.05, "pruned network far from target: " + worst);
    }

    @Test
    void compactAndPlainPassesAgreeWithFloat64() {
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {10, 8, 3}, true), 2);
        MaskedNetwork t = prune(target, false, 9).ticket();
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            CounterRandom rng = new CounterRandom(4);
            float[] x = new float[64 * 10];
            for (int q = 0; q < x.length; q++) {
                x[q] = rng.symmetricFloat(1, q);
            }
            NDArray in = m.create(x, new Shape(64, 10));
            float[] compact = t.forwardCompact(in).toFloatArray();
            float[] dense = t.forwardDense(in).toFloatArray();
            float[] effective = t.forwardEffective(in).toFloatArray();
            for (int i = 0; i < 64; i++) {
                double[] xi = new double[10];
                for (int j = 0; j < 10; j++) {
                    xi[j] = x[i * 10 + j];
                }
                double[] ref = ticketForward64(t, xi);
                for (int o = 0; o < 3; o++) {
                    assertEquals(ref[o], compact[i * 3 + o], 1e-4, "compact, input " + i);
                    assertEquals(ref[o], dense[i * 3 + o], 1e-4, "dense, input " + i);
                    assertEquals(ref[o], effective[i * 3 + o], 1e-4, "effective, input " + i);
                }
            }
        }
    }

    @Test
    void sameSeedSameMasksOtherSeedOtherMasks() {
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        String a = prune(target, true, 5).ticket().digest();
        assertEquals(a, prune(target, true, 5).ticket().digest());
        assertFalse(a.equals(prune(target, true, 6).ticket().digest()));
    }

    @Test
    void aDeliberatelyWrongMaskIsCaught() {
        TargetNetwork target =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        MaskedNetwork good = prune(target, true, 5).ticket();
        // swap one kept unit of output 0 of the first pair for a unit of the same pool it did not
        // keep
        PairMask m0 = good.masks().get(0);
        int[] kept = m0.kept().clone();
        int u = kept[0];
        int pool = good.random().pool();
        int replacement = -1;
        for (int c = (u / pool) * pool; c < (u / pool + 1) * pool; c++) {
            if (c != u
                    && java.util.Arrays.binarySearch(kept, 0, m0.perOutput(), c) < 0
                    && good.random().poolWeight(0, c) > 0) {
                replacement = c;
                break;
            }
        }
        kept[0] = replacement;
        java.util.Arrays.sort(kept, 0, m0.perOutput());
        List<PairMask> masks = new ArrayList<>(good.masks());
        masks.set(0, new PairMask(m0.outputs(), m0.perOutput(), kept));
        MaskedNetwork bad = new MaskedNetwork(good.random(), masks);
        assertFalse(good.digest().equals(bad.digest()), "the digest must change");
        // the effective weight of that block moves far off its target weight
        PairApproximation pa = PairApproximation.of(bad, 0);
        int j = u / pool;
        double err =
                Math.abs(pa.positive(0, j) - (j < 12 ? target.weights(0)[j] : target.biases(0)[0]));
        assertTrue(
                err > 1e-3, "a swapped unit should break the block's approximation, error " + err);
        // and the float64 comparison of the first pair with the target's first layer sees it
        double[] x = new double[12];
        if (j < 12) {
            x[j] = 1;
        }
        double[] want = firstLayer64(target, x);
        double[] okGot = firstPair64(good, x);
        double[] badGot = firstPair64(bad, x);
        double okDiff = 0;
        double badDiff = 0;
        for (int o = 0; o < want.length; o++) {
            okDiff = Math.max(okDiff, Math.abs(want[o] - okGot[o]));
            badDiff = Math.max(badDiff, Math.abs(want[o] - badGot[o]));
        }
        PairApproximation okPa = PairApproximation.of(good, 0);
        float[] b0 = target.biases(0);
        float[] w0 = target.weights(0);
        double okBound = 0;
        for (int o = 0; o < want.length; o++) {
            double e =
                    Math.abs(okPa.positive(o, 12) - b0[o])
                            + (j < 12 ? Math.abs(okPa.positive(o, j) - w0[o * 12 + j]) : 0);
            okBound = Math.max(okBound, e);
        }
        assertTrue(
                okDiff <= okBound + 1e-9,
                "good ticket: " + okDiff + " above its block errors " + okBound);
        assertTrue(
                badDiff > okDiff + 1e-2,
                "wrong mask not caught: error " + badDiff + ", good " + okDiff);
    }

    private static double[] firstLayer64(TargetNetwork target, double[] x) {
        int in = target.layer(0).in();
        double[] z = new double[target.layer(0).out()];
        for (int i = 0; i < z.length; i++) {
            z[i] = target.bias(0, i);
            for (int j = 0; j < in; j++) {
                z[i] += target.weight(0, i, j) * x[j];
            }
        }
        return z;
    }

    private static double[] firstPair64(MaskedNetwork t, double[] x) {
        RandomNetwork net = t.random();
        PairMask m = t.masks().get(0);
        double[] z = new double[net.out(0)];
        for (int i = 0; i < z.length; i++) {
            for (int q = 0; q < m.perOutput(); q++) {
                int u = m.kept()[i * m.perOutput() + q];
                int j = u / net.pool();
                double in = j == net.in(0) ? 1.0 : x[j];
                z[i] += net.secondWeight(0, i, u) * Math.max(0, (double) net.poolWeight(0, u) * in);
            }
        }
        return z;
    }

    /**
     * The canonical rule on the network: mitm, brute force and the tensor solver give the same
     * masks, for 1 and 2 threads, with eps &gt; 0 (every block stops at the lexicographically first
     * subset within eps). On a real target, the trained layers 300-100-10 of the shipped
     * LeNet-300-100 (inputs after a ReLU, so non-negative), and on a small random one with signed
     * inputs (both sides of every pool).
     */
    @Test
    void exactSolversGiveTheSameMasksForEveryThreadCount() {
        TargetNetwork shipped =
                org.sltk.io.ModelDirectory.load(java.nio.file.Path.of("models/lenet-300-100-mnist"))
                        .network();
        TargetNetwork real =
                TargetNetwork.of(
                        Architecture.mlp(new int[] {300, 100, 10}, true),
                        List.of(shipped.weights(1), shipped.weights(2)),
                        List.of(shipped.biases(1), shipped.biases(2)),
                        "layers 2-3");
        TargetNetwork small =
                TargetNetwork.random(Architecture.mlp(new int[] {40, 16, 6}, true), 13);
        for (double eps : new double[] {1e-3, 1e-2}) {
            for (boolean signed : new boolean[] {false, true}) {
                TargetNetwork target = signed ? small : real;
                // n = 16, k = 4: C(16, 4) = 1,820 subsets, above mitm's switch to enumeration
                PruneConfig cfg =
                        PruneConfig.builder()
                                .setDensity(0.25)
                                .optN(16)
                                .optEps(eps)
                                .optSeed(5)
                                .optNonNegativeInput(!signed)
                                .build();
                PruneResult ref = new PairPruner(cfg, new MeetInTheMiddleSolver(1)).prune(target);
                String at =
                        "eps="
                                + eps
                                + ", "
                                + (signed ? "small signed target" : "shipped layers 2-3");
                assertTrue(ref.layers().stream().mapToLong(LayerStats::blocks).sum() > 1000, at);
                String want = ref.ticket().digest();
                assertEquals(
                        want,
                        new PairPruner(cfg, new MeetInTheMiddleSolver(2))
                                .prune(target)
                                .ticket()
                                .digest(),
                        at + ": mitm, 2 threads");
                assertEquals(
                        want,
                        new PairPruner(cfg, new BruteForceSolver(1))
                                .prune(target)
                                .ticket()
                                .digest(),
                        at + ": brute, 1 thread");
                assertEquals(
                        want,
                        new PairPruner(cfg, new BruteForceSolver(2))
                                .prune(target)
                                .ticket()
                                .digest(),
                        at + ": brute, 2 threads");
                assertEquals(
                        want,
                        new PairPruner(cfg, new ExhaustiveTensorSolver(Device.cpu()))
                                .prune(target)
                                .ticket()
                                .digest(),
                        at + ": tensor");
            }
        }
    }

    /**
     * The main job's settings (shipped LeNet-300-100, density 0.25, eps 1e-3, seed 1: n = 24, k =
     * 6, 266,610 blocks): the meet in the middle on 1 and 2 threads and plain enumeration give the
     * same masks. (The tensor solver would take minutes on a CPU here; it is compared on the
     * network above, at n = 16.)
     */
    @Test
    void mainJobMasksAreTheSameForMitmAndBruteForceOnEveryThreadCount() {
        TargetNetwork shipped =
                org.sltk.io.ModelDirectory.load(java.nio.file.Path.of("models/lenet-300-100-mnist"))
                        .network();
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optEps(1e-3)
                        .optSeed(1)
                        .optNonNegativeInput(true)
                        .build();
        assertEquals(24, cfg.n());
        String want =
                new PairPruner(cfg, new MeetInTheMiddleSolver(2)).prune(shipped).ticket().digest();
        assertEquals(
                want,
                new PairPruner(cfg, new MeetInTheMiddleSolver(1)).prune(shipped).ticket().digest(),
                "mitm, 1 thread");
        assertEquals(
                want,
                new PairPruner(cfg, new BruteForceSolver(2)).prune(shipped).ticket().digest(),
                "brute, 2 threads");
        assertEquals(
                want,
                new PairPruner(cfg, new BruteForceSolver(1)).prune(shipped).ticket().digest(),
                "brute, 1 thread");
    }

    @Test
    void blocksBeyondTheSolversReachAreRefusedWhenThePrunerIsBuilt() {
        PruneConfig given =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(40)
                        .optEps(1e-3)
                        .optSeed(5)
                        .optNonNegativeInput(true)
                        .build();
        org.sltk.util.InputException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        org.sltk.util.InputException.class,
                        () -> new PairPruner(given, new ExhaustiveTensorSolver(Device.cpu())));
        assertEquals(
                "n 40: blocks of (n, k) = (40, 10) are beyond the tensor solver's reach (C(n, k) <= 2000000);"
                        + " give n <= 28 or solver auto",
                e.getMessage());
        assertEquals(java.util.Optional.of("n"), e.field());
        PruneConfig chosen =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optEps(1e-9)
                        .optSeed(5)
                        .optNonNegativeInput(true)
                        .build();
        assertEquals(48, chosen.n());
        e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        org.sltk.util.InputException.class,
                        () -> new PairPruner(chosen, new MeetInTheMiddleSolver(1)));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "eps 1e-9: at density 0.25 it needs blocks of (n, k) = (48, 12)"),
                e.getMessage());
        assertEquals(java.util.Optional.of("eps"), e.field());
    }

    @Test
    void aTargetTooLargeForTheRandomNetworkIsRefusedInOneLine() {
        TargetNetwork small =
                TargetNetwork.random(Architecture.mlp(new int[] {12, 9, 4}, true), 11);
        List<float[]> weights = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (int l = 0; l < small.parametricCount(); l++) {
            float[] w = small.weights(l);
            for (int q = 0; q < w.length; q++) {
                w[q] *= 40; // weights up to about 11, beyond any 4 products of magnitude <= 1
            }
            weights.add(w);
            biases.add(small.biases(l));
        }
        TargetNetwork big = TargetNetwork.of(small.architecture(), weights, biases, "test");
        org.sltk.util.InputException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        org.sltk.util.InputException.class, () -> prune(big, true, 5));
        assertTrue(e.getMessage().startsWith("layer 1 (12->9): "), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("target weights are larger in magnitude than any 4 of their 16"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
