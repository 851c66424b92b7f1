package org.sltk.rfss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.rfss.RfssInstances.Distribution;

class MeetInTheMiddleSolverTest extends ExactRfssSolverTest {

    @Override
    RfssSolver createSolver(int threads) {
        // never switch to enumeration, so the meet-in-the-middle code itself is tested
        return new MeetInTheMiddleSolver(threads, 0);
    }

    /**
     * The rule holds whichever path decides an instance with eps &gt; 0: the depth-first walk alone
     * (unlimited budget), the meet in the middle alone (no walk), and a budget so small that most
     * walks run out part way.
     */
    @Test
    void everyPathFollowsTheCanonicalRule() {
        long seed = 34;
        for (long budget : new long[] {0, 7, 200, Long.MAX_VALUE}) {
            RfssSolver solver = new MeetInTheMiddleSolver(2, 0, budget);
            for (int[] nk : new int[][] {{8, 4}, {12, 3}, {13, 6}, {16, 4}, {16, 8}}) {
                for (Distribution d : Distribution.values()) {
                    RfssBatch batch =
                            RfssInstances.random(seed, nk[0] * 100 + nk[1], 120, nk[0], nk[1], d);
                    for (double eps : new double[] {1e-4, 1e-3, 1e-2, 1e-1}) {
                        compareWithReference(
                                batch,
                                solver.solve(batch, eps),
                                eps,
                                "seed=" + seed + ", budget=" + budget + ", " + d);
                    }
                }
            }
        }
    }

    @Test
    void agreesWithEnumerationOnLargerBlocks() {
        long seed = 31;
        for (int[] nk :
                new int[][] {{20, 5}, {22, 11}, {24, 3}, {24, 6}, {17, 8}, {40, 3}, {64, 2}}) {
            int size = nk[0] > 24 ? 20 : 200;
            RfssBatch batch =
                    RfssInstances.random(seed, nk[0], size, nk[0], nk[1], Distribution.PRODUCT);
            for (double eps : new double[] {0, 1e-4, 1e-3, 1e-2}) {
                String at = "seed=" + seed + ", (n,k)=(" + nk[0] + "," + nk[1] + "), eps=" + eps;
                RfssSolution b = new BruteForceSolver(2).solve(batch, eps);
                assertArrayEquals(b.indices(), createSolver(2).solve(batch, eps).indices(), at);
                assertArrayEquals(
                        b.indices(),
                        new MeetInTheMiddleSolver(2, 0, 0).solve(batch, eps).indices(),
                        at + ", no walk");
            }
        }
    }

    @Test
    void defaultSwitchOverGivesTheSameSubsets() {
        long seed = 32;
        RfssBatch batch = RfssInstances.random(seed, 0, 500, 14, 3, Distribution.PRODUCT);
        for (double eps : new double[] {0, 1e-3}) {
            assertArrayEquals(
                    createSolver(2).solve(batch, eps).indices(),
                    new MeetInTheMiddleSolver(2).solve(batch, eps).indices(),
                    "seed=" + seed + ", eps=" + eps);
        }
    }

    @Test
    void largeBlocksWorkAndTooLargeOnesAreRefused() {
        RfssBatch batch = RfssInstances.random(33, 0, 3, 64, 3, Distribution.PRODUCT);
        ExactRfssSolverTest.CheckContract.run(
                batch, createSolver(1).solve(batch), "seed=33, (64,3)");
        RfssBatch big = RfssInstances.random(33, 0, 1, 64, 32, Distribution.PRODUCT);
        assertThrows(IllegalArgumentException.class, () -> createSolver(1).solve(big));
        MeetInTheMiddleSolver m = new MeetInTheMiddleSolver(1);
        assertTrue(m.supports(40, 10) && m.supports(64, 3) && m.supports(42, 21));
        assertFalse(m.supports(48, 12) || m.supports(64, 32) || m.supports(44, 22));
    }

    @Test
    void targetsBeyondReachGetTheExtremeSubsetsAsEnumerationDoes() {
        // (24,12) products: many small targets cannot be reached when the signs are unbalanced;
        // targets at +-5 can never be reached; both go through the shortcut and must agree with
        // plain enumeration subset for subset, with and without eps
        for (long seed = 40; seed < 42; seed++) {
            RfssBatch base = RfssInstances.random(seed, 0, 60, 24, 12, Distribution.PRODUCT);
            double[] t = base.targets();
            for (int i = 0; i < t.length; i++) {
                t[i] = i % 3 == 0 ? 5 : i % 3 == 1 ? -5 : t[i] * 0.01;
            }
            RfssBatch batch = RfssBatch.of(base.candidates(), t, 24, 12);
            for (double eps : new double[] {0, 1e-3, 1.0}) {
                RfssSolution m = createSolver(2).solve(batch, eps);
                RfssSolution b = new BruteForceSolver(2).solve(batch, eps);
                assertArrayEquals(b.indices(), m.indices(), "seed=" + seed + ", eps=" + eps);
                ExactRfssSolverTest.CheckContract.run(batch, m, "seed=" + seed);
            }
        }
    }

    /**
     * Sorted subset-sum lists of h candidates, sizes up to smax, each with its occupancy bits: the
     * candidates random in [-1, 1) (kind 0), clustered within 1e-6 of 0.25 (kind 1) or quantized to
     * sixteenths, so that sums tie (kind 2).
     */
    private static MeetInTheMiddleSolver.Half indexedLists(
            java.util.Random rnd, int kind, int h, int smax) {
        double[] v = new double[h];
        for (int j = 0; j < h; j++) {
            double r = rnd.nextDouble() * 2 - 1;
            v[j] = kind == 0 ? r : kind == 1 ? 0.25 + r * 1e-6 : Math.rint(r * 16) / 16;
        }
        boolean[] withBits = new boolean[smax + 1];
        java.util.Arrays.fill(withBits, true);
        MeetInTheMiddleSolver.Half half = new MeetInTheMiddleSolver.Half(h, smax, withBits);
        half.build(v);
        for (int s = 1; s <= smax; s++) {
            half.index(s);
        }
        return half;
    }

    /**
     * The occupancy bitmap that answers most look-ups: for a window under half a fine bucket wide,
     * a clear bit at the window's lower end proves no list entry lies in it. Queried right below
     * and right above every entry (where the entry falls in the next fine bucket) and at random
     * points, on lists of random, clustered and quantized sums.
     */
    @Test
    void occupancyBitsNeverHideAnEntry() {
        java.util.Random rnd = new java.util.Random(5);
        for (int kind = 0; kind < 3; kind++) {
            MeetInTheMiddleSolver.Half half = indexedLists(rnd, kind, 16, 4);
            int tested = 0;
            int lists = 0;
            for (int s = 1; s <= 4; s++) {
                long[] bits = half.bits[s];
                lists++;
                double[] ls = half.sum[s];
                int len = half.len[s];
                double lo = ls[0];
                double bsc = half.bscale[s];
                int bm = half.bmax[s];
                for (int q = 0; q < 4 * len + 2000; q++) {
                    double width = bsc > 0 ? 0.25 / bsc : 1e-3;
                    double r2 = width * rnd.nextDouble();
                    double xx;
                    if (q < 4 * len) {
                        double e = ls[q / 4];
                        double d = (q % 2 == 0 ? 1 : -1) * r2 * rnd.nextDouble();
                        xx = q % 4 < 2 ? e + d : Math.nextUp(e) + d;
                    } else if (q % 2 == 0) {
                        xx = lo + (ls[len - 1] - lo) * rnd.nextDouble(); // among the entries
                    } else {
                        xx = lo - 1 + (ls[len - 1] - lo + 2) * rnd.nextDouble();
                    }
                    if (!(r2 * bsc <= 0.25)) {
                        continue;
                    }
                    double u = xx - r2;
                    int bu = MeetInTheMiddleSolver.Half.fine(u, lo, bsc, bm);
                    if (((bits[bu >>> 6] >>> bu) & 1L) != 0) {
                        continue;
                    }
                    tested++;
                    int a = 0; // the first entry at or above u
                    int b = len;
                    while (a < b) {
                        int mid = (a + b) >>> 1;
                        if (ls[mid] < u) {
                            a = mid + 1;
                        } else {
                            b = mid;
                        }
                    }
                    assertFalse(
                            a < len && ls[a] <= xx + r2,
                            "kind "
                                    + kind
                                    + ", size "
                                    + s
                                    + ": an entry in ["
                                    + u
                                    + ", "
                                    + (xx + r2)
                                    + "] behind a clear bit");
                }
            }
            assertTrue(lists == 4, lists + " lists with bits");
            assertTrue(
                    tested > 100, "kind " + kind + ": only " + tested + " windows had a clear bit");
        }
    }

    /**
     * The range rule for wider windows ({@code Half.mayHold}): when every bit between the fine
     * buckets of a window's two ends is clear, no list entry lies in the window. Windows of up to
     * 300 fine buckets, ending just beside entries and at random points, on lists of random,
     * clustered and quantized sums; checked against a scan of the list.
     */
    @Test
    void occupancyRangeNeverHidesAnEntry() {
        java.util.Random rnd = new java.util.Random(6);
        for (int kind = 0; kind < 3; kind++) {
            MeetInTheMiddleSolver.Half half = indexedLists(rnd, kind, 14, 3);
            int empty = 0;
            int full = 0;
            for (int s = 1; s <= 3; s++) {
                long[] bits = half.bits[s];
                double[] ls = half.sum[s];
                int len = half.len[s];
                double lo = ls[0];
                double bsc = half.bscale[s];
                int bm = half.bmax[s];
                double bucket = bsc > 0 ? 1 / bsc : 1e-3;
                for (int q = 0; q < 20_000; q++) {
                    double width = bucket * 300 * rnd.nextDouble() * rnd.nextDouble();
                    double a;
                    if (q % 4 == 0) { // ending right below an entry
                        a = Math.nextDown(ls[rnd.nextInt(len)]) - width;
                    } else if (q % 4 == 1) { // starting right above one
                        a = Math.nextUp(ls[rnd.nextInt(len)]);
                    } else if (q % 4 == 2) { // among the entries
                        a = lo + (ls[len - 1] - lo) * rnd.nextDouble();
                    } else { // around and beyond them
                        a = lo - 1 + (ls[len - 1] - lo + 2) * rnd.nextDouble();
                    }
                    double b = a + width;
                    boolean may =
                            MeetInTheMiddleSolver.Half.mayHold(
                                    bits,
                                    MeetInTheMiddleSolver.Half.fine(a, lo, bsc, bm),
                                    MeetInTheMiddleSolver.Half.fine(b, lo, bsc, bm));
                    boolean holds = false;
                    for (int i = 0; i < len && !holds; i++) {
                        holds = ls[i] >= a && ls[i] <= b;
                    }
                    if (holds) {
                        full++;
                        assertTrue(
                                may,
                                "kind "
                                        + kind
                                        + ", size "
                                        + s
                                        + ": an entry in ["
                                        + a
                                        + ", "
                                        + b
                                        + "] behind clear bits");
                    } else if (!may) {
                        empty++;
                    }
                }
            }
            assertTrue(empty > 1000, "kind " + kind + ": only " + empty + " windows proven empty");
            assertTrue(full > 1000, "kind " + kind + ": only " + full + " windows held an entry");
        }
    }

    /** Meet in the middle equals enumeration where many subset sums tie or cluster. */
    @Test
    void agreesWithEnumerationOnTiedAndClusteredSums() {
        java.util.Random rnd = new java.util.Random(9);
        int n = 26; // small lists of up to C(13, 4) = 715 sums, with occupancy bits
        int k = 8;
        int size = 40;
        for (int kind = 0; kind < 2; kind++) {
            double[] z = new double[size * n];
            double[] w = new double[size];
            for (int i = 0; i < z.length; i++) {
                double r = rnd.nextDouble() * 2 - 1;
                z[i] = kind == 0 ? Math.rint(r * 64) / 64 : 0.1 + r * 1e-9;
            }
            for (int i = 0; i < size; i++) {
                w[i] = kind == 0 ? Math.rint((rnd.nextDouble() * 2 - 1) * 256) / 256 : 0.5 + 1e-9;
            }
            RfssBatch batch = RfssBatch.of(z, w, n, k);
            for (double eps : new double[] {0, 1e-3}) {
                assertArrayEquals(
                        new BruteForceSolver(1).solve(batch, eps).indices(),
                        createSolver(2).solve(batch, eps).indices(),
                        "kind " + kind + ", eps " + eps);
            }
        }
    }
}
