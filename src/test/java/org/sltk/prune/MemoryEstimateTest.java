package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sltk.nn.Architecture;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.WeightDistribution;
import org.sltk.util.InputException;

class MemoryEstimateTest {

    private static final long GIB = 1L << 30;

    private static PruneConfig config(int n, int pool) {
        return PruneConfig.builder()
                .setDensity(0.5)
                .optN(n)
                .optPool(pool)
                .optEps(1e-3)
                .optSeed(1)
                .optNonNegativeInput(true)
                .build();
    }

    @Test
    void countsTheRandomNetworksParametersAndItsDenseTensors() {
        int[] widths = {784, 300, 100, 10};
        for (boolean bias : new boolean[] {true, false}) {
            PruneConfig c = config(24, 72);
            RandomNetwork net =
                    new RandomNetwork(
                            Architecture.mlp(widths, bias), 72, WeightDistribution.UNIFORM, 1);
            MemoryEstimate e = MemoryEstimate.of(Architecture.mlp(widths, bias), c, true);
            assertEquals(net.parameterCount(), e.parameters());
            // the plain pass holds the used units only: at most n = 24 of each pool's 72 units
            // (non-negative inputs everywhere: one sign)
            long weights = 0;
            long largest = 0;
            for (int l = 0; l < net.pairs(); l++) {
                long used = (long) net.pools(l) * 24;
                weights += used * net.in(l) + (bias ? used : 0) + net.out(l) * used;
                largest = Math.max(largest, Math.max(used * net.in(l), net.out(l) * used));
            }
            assertEquals(weights * MemoryEstimate.NATIVE_BYTES_PER_WEIGHT, e.nativeBytes());
            assertEquals(largest, e.largestLayer());
            // heap: the biggest layer's float + boolean, plus masks and errors, far below the
            // native part
            long firstLayer = (long) net.pools(0) * 24 * (net.in(0) + (bias ? 1 : 0));
            assertTrue(
                    e.heapBytes() >= firstLayer * MemoryEstimate.HEAP_BYTES_PER_WEIGHT,
                    e.toString());
            assertTrue(
                    e.heapBytes() < firstLayer * MemoryEstimate.HEAP_BYTES_PER_WEIGHT + (64 << 20),
                    e.toString());
        }
    }

    /** The bound on the used units holds on real tickets, signed and non-negative pairs. */
    @Test
    void aTicketUsesNoMoreUnitsThanTheEstimateAssumes() {
        Architecture spec =
                Architecture.builder(1, 8, 8)
                        .conv(3, 3, 1, 1, 1)
                        .maxPool(2) // no ReLU: the second pair's inputs are signed
                        .conv(4, 3, 1, 1, 1)
                        .relu()
                        .flatten()
                        .dense(3)
                        .build();
        org.sltk.nn.TargetNetwork target = org.sltk.nn.TargetNetwork.random(spec, 3);
        for (boolean nonNegative : new boolean[] {true, false}) {
            PruneConfig c =
                    PruneConfig.builder()
                            .setDensity(0.5)
                            .optN(8)
                            .optPool(24)
                            .optEps(1e-3)
                            .optSeed(2)
                            .optNonNegativeInput(nonNegative)
                            .build();
            org.sltk.nn.MaskedNetwork t =
                    new PairPruner(c, new org.sltk.rfss.MeetInTheMiddleSolver())
                            .prune(target)
                            .ticket();
            boolean anySigned = false;
            for (int p = 0; p < t.random().pairs(); p++) {
                boolean signed = !spec.nonNegativeInputOf(p, nonNegative);
                anySigned |= signed;
                long bound =
                        MemoryEstimate.usedUnitsBound(t.random().layer(p), c.n(), c.pool(), signed);
                int used = t.masks().get(p).usedUnits(t.random().units(p)).length;
                assertTrue(used <= bound, "pair " + p + ": " + used + " used > " + bound);
                assertTrue(bound < t.random().units(p), "pair " + p + ": the bound is all units");
                if (signed) { // both signs' first n: more than one sign's n per pool
                    assertTrue(
                            used > (long) t.random().pools(p) * c.n() / 2,
                            "pair " + p + " uses " + used);
                }
            }
            assertTrue(anySigned);
        }
    }

    @Test
    void withoutThePlainPassOnlyTheMasksCount() {
        MemoryEstimate e =
                MemoryEstimate.of(
                        Architecture.mlp(new int[] {784, 300, 100, 10}, true),
                        config(24, 72),
                        false);
        assertEquals(0, e.nativeBytes());
        assertEquals(0, e.largestLayer());
        // blocks: 300*785 + 100*301 + 10*101, each k=12 int32 kept units and one float64 error
        long blocks = 300L * 785 + 100L * 301 + 10L * 101;
        assertEquals(blocks * (12 * 4 + 8), e.heapBytes());
        e.requireFits(GIB, 2 * GIB);
    }

    @Test
    void refusesWithTheNumberAndTheFlags() {
        MemoryEstimate e =
                MemoryEstimate.of(
                        Architecture.mlp(new int[] {784, 300, 100, 10}, true),
                        config(64, 192),
                        true);
        InputException jvm =
                assertThrows(InputException.class, () -> e.requireFits(GIB / 16, 64 * GIB));
        assertEquals(
                String.format(
                        java.util.Locale.ROOT,
                        "the random network needs %.1f GiB (n=64, pool=192); this JVM may use 0.1 GiB: lower --n or --pool,"
                                + " or raise -Xmx (SLTK_JAVA_OPTS)",
                        e.heapBytes() / (double) GIB),
                jvm.getMessage());
        InputException ram =
                assertThrows(InputException.class, () -> e.requireFits(64 * GIB, GIB / 2));
        assertEquals(
                String.format(
                        java.util.Locale.ROOT,
                        "the random network needs %.1f GiB (n=64, pool=192); this machine has 0.5 GiB: lower --n or --pool",
                        e.totalBytes() / (double) GIB),
                ram.getMessage());
        e.requireFits(64 * GIB, 64 * GIB);
    }

    @Test
    void absurdSettingsSaturateInsteadOfOverflowing() {
        PruneConfig c =
                new PruneConfig(
                        0.5,
                        64,
                        32,
                        Integer.MAX_VALUE,
                        1e-3,
                        1,
                        WeightDistribution.UNIFORM,
                        true,
                        false);
        MemoryEstimate e =
                MemoryEstimate.of(
                        Architecture.mlp(
                                new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 10}, true),
                        c,
                        true);
        assertTrue(e.parameters() > 0 && e.heapBytes() > 0 && e.nativeBytes() > 0, e.toString());
        InputException x =
                assertThrows(
                        InputException.class, () -> e.requireFits(Long.MAX_VALUE, Long.MAX_VALUE));
        assertTrue(
                x.getMessage().startsWith("the random network's largest layer has "),
                x.getMessage());
        assertTrue(
                x.getMessage().endsWith("lower --n or --pool (or prune with --no-eval)"),
                x.getMessage());
    }

    @Test
    void aPoolWhoseUnitsOverflowIsRefusedByTheRandomNetwork() {
        InputException e =
                assertThrows(
                        InputException.class,
                        () ->
                                new RandomNetwork(
                                        Architecture.mlp(new int[] {784, 10}, true),
                                        3_000_000,
                                        WeightDistribution.UNIFORM,
                                        1));
        assertEquals(
                "pool 3000000: pair 1 would have 2355000000 hidden units, more than 2147483639; lower pool",
                e.getMessage());
    }
}
