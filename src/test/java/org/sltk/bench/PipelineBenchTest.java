package org.sltk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline bench runs the stages as library calls, in this process or in a child JVM whose
 * entry point is the bench itself, never the CLI; both give the same pruning and evaluation.
 */
class PipelineBenchTest {

    @TempDir Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("sltk.quiet", "true");
    }

    private static final PipelineBench.Case SMALL =
            new PipelineBench.Case(
                    "random h=12", null, new int[] {784, 12, 4, 10}, 0.25, "mnist", 3);

    @Test
    void inProcessAndChildAgreeAndNoCliIsLaunched() {
        PipelineBench.Stages here = PipelineBench.runCase(SMALL);
        assertEquals("random h=12", here.label());
        assertEquals(784 * 12 + 12 + 12 * 4 + 4 + 4 * 10 + 10, here.targetParams());
        assertEquals(3, here.rfssLayerSeconds().size(), "one RFSS time per layer");
        assertTrue(here.blocks() > 0 && here.randomParams() > here.targetParams(), here.toString());
        assertTrue(
                here.agreement() > 0.9,
                "a ticket at eps 1e-3 agrees with its target: " + here.agreement());

        List<String> cmd = PipelineBench.childCommand(tmp.resolve("c.json"), tmp.resolve("r.json"));
        assertEquals(PipelineBench.class.getName(), cmd.get(cmd.size() - 3));
        assertFalse(cmd.stream().anyMatch(a -> a.startsWith("org.sltk.cli")), cmd.toString());

        PipelineBench.Stages child = PipelineBench.runChild(SMALL, tmp.resolve("work"));
        assertEquals(here.blocks(), child.blocks());
        assertEquals(here.randomParams(), child.randomParams());
        assertEquals(here.n(), child.n());
        assertEquals(here.k(), child.k());
        assertEquals(here.medianError(), child.medianError());
        assertEquals(here.agreement(), child.agreement());
        assertEquals(here.ticketAccuracy(), child.ticketAccuracy());
    }

    @Test
    void caseRoundTripsThroughItsJson() {
        Path f = tmp.resolve("case.json");
        PipelineBench.writeCase(SMALL, f);
        PipelineBench.Case back = PipelineBench.readCase(f);
        assertEquals(SMALL.label(), back.label());
        assertEquals(
                List.of(784, 12, 4, 10), java.util.Arrays.stream(back.widths()).boxed().toList());
        assertEquals(SMALL.density(), back.density());
        assertEquals(SMALL.seed(), back.seed());
        PipelineBench.Case lenet =
                new PipelineBench.Case(
                        "LeNet", Path.of("models/lenet-300-100-mnist"), null, 0.5, "mnist", 1);
        PipelineBench.writeCase(lenet, f);
        assertEquals(lenet.model(), PipelineBench.readCase(f).model());
    }
}
