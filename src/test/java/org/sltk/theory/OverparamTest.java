package org.sltk.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sltk.nn.Architecture;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.nn.WeightDistribution;
import org.sltk.prune.LayerStats;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.rfss.RfssBatch;
import org.sltk.util.InputException;

/** The smallest-n search against brute force over n with the real pruner. */
class OverparamTest {

    @BeforeAll
    static void quiet() {
        System.setProperty("sltk.quiet", "true");
    }

    private static final long SEED = 11;

    private static Overparam.Config config(List<Double> densities, double eps, int maxN) {
        return new Overparam.Config(
                densities,
                List.of(eps),
                100_000,
                0.99,
                3,
                WeightDistribution.UNIFORM,
                true,
                SEED,
                maxN,
                2);
    }

    /**
     * Prunes the whole target with the pruner itself; null where the pruner refuses (a pool too
     * small).
     */
    private static List<LayerStats> prune(TargetNetwork target, double gamma, int n, double eps) {
        int k = (int) Math.round(gamma * n);
        PruneConfig cfg =
                new PruneConfig(
                        (double) k / n,
                        n,
                        k,
                        3 * n,
                        eps,
                        SEED,
                        WeightDistribution.UNIFORM,
                        true,
                        false);
        try {
            return new PairPruner(cfg, new MeetInTheMiddleSolver(2)).prune(target).layers();
        } catch (InputException e) {
            return null;
        }
    }

    @Test
    void searchReturnsTheSmallestNThatBruteForceFinds() {
        TargetNetwork target = TargetNetwork.random(Architecture.mlp(new int[] {6, 5, 3}, true), 3);
        double eps = 1e-2;
        int maxN = 24;
        List<Double> densities = List.of(0.5, 0.25);
        Overparam.Result r = Overparam.run(target, "tiny", config(densities, eps, maxN));
        for (double gamma : densities) {
            // brute force: prune at every allowed n; with 35 and 18 blocks, "fraction >= 0.99"
            // means no miss
            int expected = -1;
            List<Integer> tried = new ArrayList<>();
            for (int n = 1; n <= maxN && expected < 0; n++) {
                int k = (int) Math.round(gamma * n);
                if (k < 1 || k >= n || Math.abs(gamma * n - k) > 1e-9) {
                    continue;
                }
                tried.add(n);
                List<LayerStats> st = prune(target, gamma, n, eps);
                boolean pass = st != null && st.stream().allMatch(s -> s.misses() == 0);
                if (st != null) {
                    for (LayerStats s : st) {
                        final int nn = n;
                        Overparam.Trial t =
                                r.trials().stream()
                                        .filter(
                                                x ->
                                                        x.density() == gamma
                                                                && x.n() == nn
                                                                && x.layer() == s.layer())
                                        .findFirst()
                                        .orElseThrow();
                        assertEquals(s.blocks(), t.sampled(), "every block sampled");
                        assertEquals(
                                s.blocks() - s.misses(),
                                t.within(),
                                "hook and pruner agree at n=" + n);
                    }
                }
                if (pass) {
                    expected = n;
                }
            }
            Overparam.Point p =
                    r.points().stream().filter(x -> x.density() == gamma).findFirst().orElseThrow();
            assertEquals(expected, p.n99(), "gamma " + gamma + ", tried " + tried);
            assertEquals(expected, p.nAll(), "with so few blocks both criteria coincide");
            assertTrue(expected > 0, "the tiny target is reachable by n = " + maxN);
            assertEquals(
                    p.n99()
                            * org.sltk.rfss.RfssTheory.binaryEntropy(gamma)
                            / Stats.log2(p.k99() / eps),
                    p.cImplied(),
                    1e-12);
            // the grid point below n99 is the last n tried before it
            int below = tried.size() > 1 ? tried.get(tried.size() - 2) : -1;
            assertEquals(below, p.nBelow99(), "gamma " + gamma + ", tried " + tried);
            if (below > 0) {
                assertEquals(
                        Overparam.implied(below, (int) Math.round(gamma * below), gamma, eps),
                        p.cImpliedBelow(),
                        1e-12);
                assertTrue(p.cImpliedBelow() < p.cImplied());
            }
        }
    }

    /**
     * A small CNN: a conv, max-pooling only (so pair 2 is signed), a strided conv, ReLU, a dense
     * layer.
     */
    private static Architecture smallCnn() {
        return Architecture.builder(1, 8, 8)
                .conv(3, 3, 1, 1, 1)
                .maxPool(2)
                .conv(4, 3, 2, 1, 1)
                .relu()
                .flatten()
                .dense(3)
                .build();
    }

    @Test
    void convHookBlocksSolvedExactlyGiveThePrunersMissCounts() {
        TargetNetwork target = TargetNetwork.random(smallCnn(), 3);
        double eps = 1e-2;
        long allMisses = 0;
        for (int[] nk : new int[][] {{8, 4}, {12, 3}, {16, 4}}) {
            int n = nk[0];
            int k = nk[1];
            PruneConfig cfg =
                    new PruneConfig(
                            (double) k / n,
                            n,
                            k,
                            3 * n,
                            eps,
                            SEED,
                            WeightDistribution.UNIFORM,
                            true,
                            false);
            PairPruner pruner = new PairPruner(cfg, new MeetInTheMiddleSolver(2));
            List<LayerStats> stats = pruner.prune(target).layers();
            RandomNetwork net = pruner.randomNetworkFor(target);
            assertEquals(3, stats.size());
            assertTrue(stats.get(1).signed(), "pair 2 has no ReLU before it");
            for (LayerStats st : stats) {
                int p = st.layer();
                long blocks = pruner.blockCount(net, p);
                assertEquals(st.blocks(), blocks, "block count of pair " + p);
                double[] cand = new double[(int) blocks * n];
                double[] tg = new double[(int) blocks];
                for (int b = 0; b < blocks; b++) {
                    tg[b] = pruner.block(target, net, p, b, cand, b * n);
                }
                double[] err =
                        new MeetInTheMiddleSolver(2)
                                .solve(RfssBatch.of(cand, tg, n, k), eps)
                                .errors();
                long misses = java.util.Arrays.stream(err).filter(x -> x > eps).count();
                assertEquals(st.misses(), misses, "pair " + p + " at n=" + n + ", k=" + k);
                allMisses += misses;
            }
        }
        assertTrue(allMisses > 0, "some blocks miss, so the comparison is not vacuous");
    }

    @Test
    void searchOnACnnAgreesWithThePrunerLayerByLayer() {
        TargetNetwork target = TargetNetwork.random(smallCnn(), 3);
        double eps = 1e-2;
        int maxN = 16;
        Overparam.Result r = Overparam.run(target, "tiny cnn", config(List.of(0.25), eps, maxN));
        assertEquals(3, r.sampled().length);
        int expected = -1;
        for (int n = 4; n <= maxN && expected < 0; n += 4) {
            int k = n / 4;
            PruneConfig cfg =
                    new PruneConfig(
                            0.25, n, k, 3 * n, eps, SEED, WeightDistribution.UNIFORM, true, false);
            List<LayerStats> st;
            try {
                st = new PairPruner(cfg, new MeetInTheMiddleSolver(2)).prune(target).layers();
            } catch (InputException e) {
                continue;
            }
            for (LayerStats s : st) {
                final int nn = n;
                Overparam.Trial t =
                        r.trials().stream()
                                .filter(x -> x.n() == nn && x.layer() == s.layer())
                                .findFirst()
                                .orElseThrow();
                assertEquals(s.blocks(), t.sampled(), "every block sampled");
                assertEquals(
                        s.blocks() - s.misses(), t.within(), "hook and pruner agree at n=" + n);
            }
            if (st.stream().allMatch(s -> s.misses() == 0)) {
                expected = n;
            }
        }
        assertTrue(expected > 0, "the tiny cnn is reachable by n = " + maxN);
        assertEquals(expected, r.points().get(0).nAll());
        assertEquals(target.parameterCount(), r.targetParams());
    }

    @Test
    void boundsSolveTheirEquations() {
        double n = Overparam.sufficientN(0.1, 1e-3, 1.5);
        assertEquals(
                n,
                1.5 * Stats.log2(0.1 * n / 1e-3) / org.sltk.rfss.RfssTheory.binaryEntropy(0.1),
                1e-9);
        double f = Overparam.floorN(0.25, 1e-3, 2);
        assertEquals(Stats.log2(1000), Stats.log2Binomial(f, 0.25 * f), 1e-6);
        double l = Overparam.lowerBoundOverparam(0.5, 1e-2, 1000);
        assertEquals(l, 0.5 * Stats.log2(0.5 * l * 1000 / 1e-2), 1e-9);
    }

    @Test
    void sampleIsDistinctSortedAndSeeded() {
        int[] s = Overparam.sample(1000, 100, 5, 0);
        assertEquals(100, s.length);
        for (int i = 1; i < s.length; i++) {
            assertTrue(s[i] > s[i - 1]);
        }
        assertArrayEquals(s, Overparam.sample(1000, 100, 5, 0));
        assertEquals(10, Overparam.sample(10, 100, 5, 0).length);
    }
}
