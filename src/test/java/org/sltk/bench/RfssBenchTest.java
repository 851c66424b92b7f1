package org.sltk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sltk.rfss.BruteForceSolver;
import org.sltk.rfss.RfssBatch;
import org.sltk.rfss.RfssInstances;
import org.sltk.rfss.RfssSolution;

/** The RFSS benchmark harness on tiny settings: rows, exactness, and the absent baseline. */
class RfssBenchTest {

    private static final long SEED = 7;
    private static final RfssBench.Setting TINY = new RfssBench.Setting(10, 3, 60, 5, 2);

    private static RfssBench.Result run(String baselineClass) {
        return RfssBench.run(
                new RfssBench.Options(SEED, 2, 3, List.of(TINY), baselineClass),
                new PrintWriter(new StringWriter()));
    }

    /** Exact optima of the benchmark's instances, by an independent solver. */
    private static double[] exact() {
        RfssBatch b =
                RfssInstances.random(
                        SEED,
                        0,
                        TINY.instances(),
                        TINY.n(),
                        TINY.k(),
                        RfssInstances.Distribution.PRODUCT);
        RfssSolution s = new BruteForceSolver(1).solve(b);
        return s.errors();
    }

    private static void checkNeverBelowExact(RfssBench.Row r, double[] exact) {
        assertTrue(r.instances() > 0, r.method());
        for (int i = 0; i < r.instances(); i++) {
            assertTrue(
                    r.errors()[i] >= exact[i],
                    r.method() + " beats the exact optimum: seed=" + SEED + ", instance=" + i);
            assertEquals(exact[i], r.exactErrors()[i], 0.0, "exact reference, instance " + i);
        }
        assertEquals(0, r.belowOptimum(), r.method());
        assertTrue(r.perSecond() > 0 && Double.isFinite(r.perSecond()), r.method());
    }

    @Test
    void absentBaselineIsSkippedNotCrashed() {
        RfssBench.Result r = run("org.sltk.bench.NoSuchBaseline");
        assertNull(r.baseline());
        assertTrue(r.baselineSkipped().contains("-Pbench"), r.baselineSkipped());
        List<String> methods = r.rows().stream().map(RfssBench.Row::method).toList();
        assertEquals(
                List.of(
                        RfssBench.MITM,
                        RfssBench.TENSOR,
                        RfssBench.SWAP,
                        RfssBench.BRUTE,
                        RfssBench.CPSAT_1,
                        RfssBench.CPSAT_2),
                methods);
        double[] exact = exact();
        for (RfssBench.Row row : r.rows()) {
            if (row.method().startsWith("CP-SAT")) {
                assertNotNull(row.skipped(), row.method());
                assertNull(r.bestBaseline(TINY));
            } else {
                assertNull(row.skipped(), row.method());
                assertEquals(TINY.instances(), row.instances(), row.method());
                checkNeverBelowExact(row, exact);
            }
        }
        for (String m : List.of(RfssBench.MITM, RfssBench.TENSOR, RfssBench.BRUTE)) {
            assertEquals(TINY.instances(), r.row(TINY, m).atOptimum(), m + " is exact");
        }
        String md = BenchReport.rfssSection(r, 2, 3, SEED);
        assertTrue(
                md.contains(
                        "| (10,3) | 120 | CP-SAT 1 worker | when proven (on S-scaled integers) | skipped: "),
                md);
        assertTrue(md.contains("Baseline: **skipped**"), md);
        assertTrue(BenchReport.headline(r).contains("not run"));
    }

    @Test
    void baselineWhereBuiltNeverBeatsExact() {
        RfssBench.Result r = run(Baselines.CP_SAT_CLASS);
        double[] exact = exact();
        if (!Baselines.load(Baselines.CP_SAT_CLASS).available()) {
            // the default build: no OR-Tools, the column says how to get it
            assertTrue(r.row(TINY, RfssBench.CPSAT_1).skipped().contains("mvn -q -Pbench"));
            return;
        }
        for (String m : List.of(RfssBench.CPSAT_1, RfssBench.CPSAT_2)) {
            RfssBench.Row row = r.row(TINY, m);
            assertEquals(TINY.baselineInstances(), row.instances(), m);
            checkNeverBelowExact(row, exact);
            assertEquals(row.instances(), row.proven(), m + " proves tiny instances optimal");
            assertEquals(
                    row.instances(),
                    row.atOptimum(),
                    m + " with S >= 10 (k+1) C(n,k) reaches the exact optimum");
        }
        assertNotNull(r.bestBaseline(TINY));
    }

    @Test
    void settingScaleFollowsTheBaselinesDoc() {
        assertEquals(1e5, new RfssBench.Setting(16, 4, 1, 1, 1).scale());
        assertEquals(1e6, new RfssBench.Setting(20, 5, 1, 1, 1).scale());
        assertEquals(1e7, new RfssBench.Setting(24, 6, 1, 1, 1).scale());
        assertEquals(1e9, new RfssBench.Setting(32, 8, 1, 1, 1).scale());
    }
}
