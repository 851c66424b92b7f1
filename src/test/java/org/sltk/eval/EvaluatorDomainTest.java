package org.sltk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.nn.Architecture;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The evaluator refuses data outside the input domain the ticket was pruned for, before any pass.
 */
class EvaluatorDomainTest {

    static TargetNetwork target;
    static MaskedNetwork ticket;

    @BeforeAll
    static void prune() {
        System.setProperty("sltk.quiet", "true");
        target = TargetNetwork.random(Architecture.mlp(new int[] {20, 8, 4}, true), 3);
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(16)
                        .optEps(1e-3)
                        .optSeed(7)
                        .optNonNegativeInput(true)
                        .build();
        ticket = new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(target).ticket();
    }

    /** 30 images of 4 x 5 pixels in [0, 1), image 7's pixel 3 set to v. */
    static ImageSet images(float v) {
        CounterRandom rng = new CounterRandom(4);
        float[] px = new float[30 * 20];
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.abs(rng.symmetricFloat(0, i));
        }
        px[7 * 20 + 3] = v;
        return new ImageSet("toy/test", 4, 5, 4, px, new int[30], Map.of());
    }

    @Test
    void dataInsideTheDomainIsEvaluated() {
        EvalReport r =
                new Evaluator(Device.cpu(), 10)
                        .evaluate(target, ticket, images(1f), InputDomain.PIXELS);
        assertEquals(30, r.images());
        assertEquals(true, r.withinBound());
    }

    @Test
    void dataOutsideTheBoxIsRefusedNamingTheSetAndTheFlag() {
        Evaluator e = new Evaluator(Device.cpu(), 10);
        InputException above =
                assertThrows(
                        InputException.class,
                        () -> e.evaluate(target, ticket, images(1.5f), InputDomain.PIXELS));
        assertEquals(
                "toy/test: input 1.5 is outside the input domain non-negative [0, 1] the ticket was pruned for;"
                        + " evaluate on data inside it, or prune again with --input-domain signed",
                above.getMessage());
        // the boolean form of before: non-negative means [0, inf)
        InputException below =
                assertThrows(
                        InputException.class,
                        () -> e.evaluate(target, ticket, images(-0.5f), true));
        assertEquals(
                "toy/test: input -0.5 is outside the input domain non-negative [0, inf) the ticket was pruned for;"
                        + " evaluate on data inside it, or prune again with --input-domain signed",
                below.getMessage());
        assertEquals(
                30,
                e.evaluate(target, ticket, images(1.5f), true).images(),
                "[0, inf) has no upper end");
    }
}
