package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;
import org.sltk.util.CounterRandom;

/**
 * Exact solvers against the plain reference of the canonical rule ({@link ReferenceEnumerator}):
 * the same subset, index for index, for every eps (the lexicographically first subset within eps,
 * else the optimum; the optimum with the lexicographically smallest index set for eps = 0), on
 * random instances, exact ties and errors within a few ulps of eps.
 */
abstract class ExactRfssSolverTest extends RfssSolverContractTest {

    /** (n, k) compared against the reference: k = 1, k = n, k = n / 2 and others. */
    static final int[][] SHAPES = {
        {1, 1}, {4, 1}, {4, 4}, {6, 3}, {7, 2}, {8, 4}, {9, 9}, {10, 5}, {11, 3}, {12, 1}, {12, 6},
        {13, 4}, {14, 7}, {15, 5}, {16, 1}, {16, 4}, {16, 8}, {16, 16}
    };

    /** The accuracies compared: the optimum, the pruning default, and two looser ones. */
    static final double[] EPS = {0, 1e-3, 1e-2, 1e-1};

    /** Scales an instance count; slow solvers (the tensor solver on a CPU) test fewer instances. */
    int scaled(int count) {
        return count;
    }

    @Test
    void followsTheCanonicalRuleOnRandomInstances() {
        RfssSolver solver = createSolver(2);
        assertTrue(solver.isExact());
        long seed = 21;
        int total = 0;
        for (int[] nk : SHAPES) {
            for (Distribution d : Distribution.values()) {
                int size = scaled(nk[0] <= 12 ? 150 : 60);
                int stream = nk[0] * 100 + nk[1];
                RfssBatch batch = RfssInstances.random(seed, stream, size, nk[0], nk[1], d);
                for (double eps : EPS) {
                    compareWithReference(
                            batch,
                            solver.solve(batch, eps),
                            eps,
                            "seed=" + seed + ", stream=" + stream + ", " + d);
                    total += size;
                }
            }
        }
        assertTrue(total >= scaled(10_000), "compared " + total);
    }

    @Test
    void tiesGoToTheLexicographicallySmallestSubset() {
        RfssSolver solver = createSolver(2);
        long seed = 22;
        int n = 12;
        RfssBatch raw = RfssInstances.random(seed, 0, scaled(300), n, 4, Distribution.UNIFORM);
        double[] z = raw.candidates();
        double[] w = raw.targets();
        for (int i = 0; i < raw.size(); i++) {
            for (int j = 0; j < n; j++) {
                // few distinct values, many exact ties
                z[i * n + j] = Math.round(z[i * n + j] * 4) / 4.0;
            }
            w[i] = Math.round(w[i] * 8) / 8.0;
        }
        RfssBatch rounded = RfssBatch.of(z, w, n, 4);
        // duplicated candidates: every value three or four times, so distinct subsets have equal
        // sums
        double[] dup = raw.candidates();
        for (int i = 0; i < raw.size(); i++) {
            for (int j = 3; j < n; j++) {
                dup[i * n + j] = dup[i * n + j % 3];
            }
        }
        RfssBatch duplicated = RfssBatch.of(dup, raw.targets(), n, 4);
        // padded blocks with fewer real candidates than k: ties among the padding values
        double[] zp = raw.candidates();
        for (int i = 0; i < raw.size(); i++) {
            for (int j = i % 3 + 1; j < n; j++) {
                zp[i * n + j] = 1e6;
            }
        }
        RfssBatch padded = RfssBatch.of(zp, raw.targets(), n, 4);
        for (double eps : new double[] {0, 1e-3, 0.05, 0.3}) {
            compareWithReference(
                    rounded, solver.solve(rounded, eps), eps, "seed=" + seed + ", rounded ties");
            compareWithReference(
                    duplicated,
                    solver.solve(duplicated, eps),
                    eps,
                    "seed=" + seed + ", duplicates");
            compareWithReference(
                    padded, solver.solve(padded, eps), eps, "seed=" + seed + ", padding ties");
        }
    }

    /**
     * Errors a few ulps either side of eps, where a solver that adds in another order than the
     * canonical one (the tensor solver's matrix product) could judge a subset the wrong side of
     * eps: targets w = sum(S) +- eps +- t ulps for an early subset S in lexicographic order, on
     * candidates of mixed magnitudes (so that summation orders round differently).
     */
    @Test
    void errorsWithinAFewUlpsOfEpsFollowTheRule() {
        RfssSolver solver = createSolver(2);
        long seed = 25;
        CounterRandom rng = new CounterRandom(seed);
        for (int[] nk : new int[][] {{10, 3}, {12, 4}, {14, 5}, {16, 6}}) {
            int n = nk[0];
            int k = nk[1];
            int size = scaled(400);
            for (double eps : new double[] {1e-3, 1e-2, 0.1}) {
                double[] z = new double[size * n];
                double[] w = new double[size];
                long pos = (long) n * 1_000_000 + Math.round(eps * 1e4) * 10_000;
                for (int i = 0; i < size; i++) {
                    for (int j = 0; j < n; j++) {
                        double scale = Math.scalb(1.0, -(int) (rng.uniformFloat(1, pos) * 24));
                        z[i * n + j] =
                                (double) rng.symmetricFloat(2, pos++)
                                        * rng.symmetricFloat(3, pos++)
                                        * scale;
                    }
                    int[] s = new int[k];
                    Subsets.unrank(
                            (long) (rng.uniformFloat(4, pos++) * Math.min(40, Subsets.count(n, k))),
                            n,
                            s);
                    double sum = 0;
                    for (int j : s) {
                        sum += z[i * n + j];
                    }
                    double base = sum + (i % 2 == 0 ? eps : -eps);
                    w[i] = base + (i / 2 % 7 - 3) * Math.ulp(base);
                }
                RfssBatch batch = RfssBatch.of(z, w, n, k);
                int near = 0;
                for (int i = 0; i < size; i++) {
                    double e =
                            RfssSolution.of(batch.slice(i, i + 1), firstNear(batch, i, eps))
                                    .error(0);
                    near +=
                            Math.abs(e - eps) <= 8 * Math.ulp(Math.max(Math.abs(w[i]), eps))
                                    ? 1
                                    : 0;
                }
                assertTrue(
                        near > size / 2,
                        "the construction puts errors within ulps of eps: " + near + " of " + size);
                compareWithReference(
                        batch, solver.solve(batch, eps), eps, "seed=" + seed + ", near eps " + eps);
            }
        }
    }

    /** The subset of an instance with error closest to eps (to check the construction). */
    private static int[] firstNear(RfssBatch batch, int i, double eps) {
        int n = batch.n();
        double[] z = new double[n];
        for (int j = 0; j < n; j++) {
            z[j] = batch.candidate(i, j);
        }
        int[] c = Subsets.first(batch.k());
        int[] best = c.clone();
        double bd = Double.POSITIVE_INFINITY;
        do {
            double d = Math.abs(ReferenceEnumerator.error(z, batch.target(i), c) - eps);
            if (d < bd) {
                bd = d;
                best = c.clone();
            }
        } while (Subsets.next(c, n) >= 0);
        return best;
    }

    /**
     * Near-ties of the optimum: a subset a and the subset b that swaps one index p of a for an
     * index q whose candidate is z_p +- a few ulps, with the target a's sum added in descending
     * index order, +- a few ulps. Both errors are a few ulps, equal or not, and the order of
     * summation decides which is smaller; candidates of mixed magnitudes make that order matter.
     */
    @Test
    void nearTiesOfTheOptimumFollowTheRule() {
        RfssSolver solver = createSolver(2);
        long seed = 26;
        CounterRandom rng = new CounterRandom(seed);
        int size = scaled(400);
        for (int[] nk : new int[][] {{8, 3}, {12, 4}, {14, 6}}) {
            int n = nk[0];
            int k = nk[1];
            double[] z = new double[size * n];
            double[] w = new double[size];
            long count = Subsets.count(n, k);
            long pos = n * 100_000L;
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < n; j++) {
                    double scale = Math.scalb(1.0, -(int) (rng.uniformFloat(1, pos) * 30));
                    z[i * n + j] =
                            (double) rng.symmetricFloat(2, pos++)
                                    * rng.symmetricFloat(3, pos++)
                                    * scale;
                }
                int[] a = new int[k];
                Subsets.unrank((long) (rng.uniformFloat(4, pos++) * count), n, a);
                int p = a[(int) (rng.uniformFloat(5, pos++) * k)];
                int q = -1;
                for (int j = 0; j < n && q < 0; j++) {
                    if (java.util.Arrays.binarySearch(a, j) < 0) {
                        q = j;
                    }
                }
                z[i * n + q] = z[i * n + p] + (i % 5 - 2) * Math.ulp(z[i * n + p]);
                double down = 0;
                for (int r = k - 1; r >= 0; r--) {
                    down += z[i * n + a[r]];
                }
                w[i] = down + (i / 5 % 5 - 2) * Math.ulp(down);
            }
            RfssBatch batch = RfssBatch.of(z, w, n, k);
            for (double eps : new double[] {0, 1e-3}) {
                compareWithReference(
                        batch, solver.solve(batch, eps), eps, "seed=" + seed + ", near ties");
            }
        }
    }

    @Test
    void deterministicAcrossRunsAndThreadCounts() {
        long seed = 23;
        RfssBatch batch = RfssInstances.random(seed, 0, scaled(3000), 20, 5, Distribution.PRODUCT);
        for (double eps : new double[] {0, 1e-3}) {
            RfssSolution one = createSolver(1).solve(batch, eps);
            RfssSolution two = createSolver(2).solve(batch, eps);
            RfssSolution again = createSolver(2).solve(batch, eps);
            assertArrayEquals(
                    one.indices(),
                    two.indices(),
                    "seed=" + seed + ", eps=" + eps + ": 1 vs 2 threads");
            assertArrayEquals(
                    two.indices(),
                    again.indices(),
                    "seed=" + seed + ", eps=" + eps + ": run twice");
            assertArrayEquals(one.errors(), two.errors(), "seed=" + seed + ", eps=" + eps);
        }
    }

    @Test
    void withEpsTheErrorIsWithinEpsWheneverTheOptimumIs() {
        long seed = 24;
        RfssSolver solver = createSolver(2);
        for (int[] nk : new int[][] {{12, 3}, {16, 8}, {20, 5}}) {
            RfssBatch batch =
                    RfssInstances.random(
                            seed, nk[0], scaled(500), nk[0], nk[1], Distribution.PRODUCT);
            RfssSolution exact = solver.solve(batch);
            for (double eps : new double[] {1e-2, 1e-3, 1e-4}) {
                RfssSolution fast = solver.solve(batch, eps);
                CheckContract.run(batch, fast, "seed=" + seed + ", eps=" + eps);
                for (int i = 0; i < batch.size(); i++) {
                    String at =
                            "seed="
                                    + seed
                                    + ", (n,k)=("
                                    + nk[0]
                                    + ","
                                    + nk[1]
                                    + "), eps="
                                    + eps
                                    + ", instance="
                                    + i;
                    assertTrue(fast.error(i) >= exact.error(i), at + ": better than the optimum");
                    if (exact.error(i) <= eps) {
                        assertTrue(fast.error(i) <= eps, at + ": " + fast.error(i) + " > eps");
                    } else {
                        assertArrayEquals(exact.subset(i), fast.subset(i), at);
                    }
                }
            }
        }
    }

    static void compareWithReference(RfssBatch batch, RfssSolution sol, String what) {
        compareWithReference(batch, sol, 0, what);
    }

    static void compareWithReference(RfssBatch batch, RfssSolution sol, double eps, String what) {
        checkContract(batch, sol, what);
        for (int i = 0; i < batch.size(); i++) {
            int[] ref = ReferenceEnumerator.solve(batch, i, eps);
            String at =
                    what
                            + ", eps="
                            + eps
                            + ", instance="
                            + i
                            + ", (n,k)=("
                            + batch.n()
                            + ","
                            + batch.k()
                            + ")";
            RfssSolution r = RfssSolution.of(batch.slice(i, i + 1), ref);
            assertArrayEquals(
                    ref,
                    sol.subset(i),
                    at + ": subset (errors " + r.error(0) + " vs " + sol.error(i) + ")");
            assertEquals(r.error(0), sol.error(i), 0.0, at + ": error");
        }
    }

    /** Indirection so subclasses' static context can reach the contract check. */
    static final class CheckContract {
        static void run(RfssBatch batch, RfssSolution sol, String what) {
            checkContract(batch, sol, what);
        }
    }
}
