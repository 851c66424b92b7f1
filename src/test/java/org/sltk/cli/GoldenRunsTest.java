package org.sltk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.Golden;
import org.sltk.io.RunDirectory;

/**
 * The README's runs on the committed targets, through the CLI, against the values pinned in {@code
 * golden.properties}: the main job's mask digest and bound, the sweep's three digests (and {@code
 * sltk sweep}'s outputs), the Fashion-MNIST target's digest. The LeNet-5 digest is pinned in {@code
 * ShippedConvTicketTest}, which prunes it already. A change that moves a digest says why in its
 * commit and updates golden.properties.
 */
class GoldenRunsTest {

    @TempDir static Path tmp;
    static Path sweep;
    static String sweepOut;

    private static JsonObject read(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    /** The mask digest a run records in its config. */
    private static String digest(Path run) throws Exception {
        return read(run.resolve(RunDirectory.CONFIG)).get("maskDigest").getAsString();
    }

    /**
     * Prunes a committed target as the main job does ({@code --density 0.25 --eps 1e-3}, no
     * evaluation).
     */
    private static String prunedDigest(String model, String name) throws Exception {
        Path out = tmp.resolve(name);
        CliRun r =
                CliRun.run(
                        "prune",
                        "--model",
                        model,
                        "--density",
                        "0.25",
                        "--eps",
                        "1e-3",
                        "--device",
                        "cpu",
                        "--no-eval",
                        "--out",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        return digest(out);
    }

    /**
     * The README's sweep: {@code sltk sweep --densities 0.5,0.25,0.1 --eps 1e-3} on the MNIST
     * target.
     */
    @BeforeAll
    static void sweep() {
        System.setProperty("sltk.quiet", "true");
        sweep = tmp.resolve("sweep");
        CliRun r =
                CliRun.run(
                        "sweep",
                        "--model",
                        "models/lenet-300-100-mnist",
                        "--densities",
                        "0.5,0.25,0.1",
                        "--eps",
                        "1e-3",
                        "--device",
                        "cpu",
                        "--out",
                        sweep.toString());
        assertEquals(0, r.code(), r.err());
        sweepOut = r.out();
    }

    @Test
    void sweepWritesThreeRunsACsvAndAChartWithThePinnedDigests() throws Exception {
        List<String> csv = Files.readAllLines(sweep.resolve("sweep.csv"));
        assertEquals(4, csv.size(), "a header and one row per density: " + csv);
        assertTrue(csv.get(0).startsWith("density,n,k,"), csv.get(0));
        // rows sorted by density, each with the (n, k) the density and eps chose
        assertTrue(csv.get(1).startsWith("0.1,40,4,"), csv.get(1));
        assertTrue(csv.get(2).startsWith("0.25,24,6,"), csv.get(2));
        assertTrue(csv.get(3).startsWith("0.5,24,12,"), csv.get(3));
        assertTrue(Files.size(sweep.resolve("sweep.png")) > 1000, "a chart");
        assertTrue(sweepOut.contains("wrote " + sweep.resolve("sweep.csv")), sweepOut);
        for (String d : new String[] {"0.5", "0.25", "0.1"}) {
            Path run = sweep.resolve("density-" + d);
            String digest = digest(run);
            assertEquals(Golden.get("sweep.digest." + d), digest, "density " + d);
            assertEquals(
                    digest,
                    RunDirectory.load(run).ticket().digest(),
                    "the masks on disk are the recorded ones");
            JsonObject e = read(run.resolve(RunDirectory.REPORT)).getAsJsonObject("evaluation");
            assertEquals(2000, e.get("imagesChecked").getAsInt(), "density " + d);
            assertEquals(0, e.get("imagesViolated").getAsInt(), "density " + d);
        }
    }

    @Test
    void mainJobGivesThePinnedDigestAndBound() throws Exception {
        // the README's main job, prune --density 0.25 --eps 1e-3; its evaluation is the sweep's
        // density-0.25 run
        // (the same command and settings), so it is pruned here without one
        String digest = prunedDigest("models/lenet-300-100-mnist", "main");
        assertEquals(Golden.get("main.digest"), digest);
        assertEquals(
                Golden.get("sweep.digest.0.25"),
                digest,
                "sweep's density-0.25 run is the main job");

        JsonObject e =
                read(sweep.resolve("density-0.25").resolve(RunDirectory.REPORT))
                        .getAsJsonObject("evaluation");
        // the bound is float64 arithmetic over float32 weights and data: pinned to 1e-6 relative,
        // far above the
        // summation-order differences between CPUs and far below any change of the bound's method
        double bound = e.get("guaranteedBoundOnData").getAsDouble();
        double pinned = Golden.number("main.boundOnData");
        assertEquals(pinned, bound, 1e-6 * pinned, String.format(Locale.ROOT, "bound %.9g", bound));
        double box = e.get("guaranteedBoundOverInputBox").getAsDouble();
        assertEquals(
                Golden.number("main.boundOverInputBox"),
                box,
                1e-6 * box,
                String.format(Locale.ROOT, "box %.9g", box));
        assertTrue(e.get("maxLogitError").getAsDouble() < bound, e.toString());
    }

    @Test
    void fashionMnistTargetGivesThePinnedDigest() throws Exception {
        // pruning needs no data: the Fashion-MNIST target is pruned even where its dataset is not
        // installed
        assertEquals(
                Golden.get("fashion.digest"),
                prunedDigest("models/lenet-300-100-fashion-mnist", "fashion"));
    }
}
