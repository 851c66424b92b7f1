package org.sltk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sltk.data.InputDomain;
import org.sltk.nn.TargetModel;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.InputException;
import org.sltk.util.Provenance;

class RunDirectoryTest {

    @TempDir static Path tmp;
    static TargetModel model;
    static PruneResult result;

    static final InputDomain.Choice PIXELS =
            new InputDomain.Choice(InputDomain.PIXELS, "test: mnist pixels in [0, 1]");

    @BeforeAll
    static void prune() {
        System.setProperty("sltk.quiet", "true");
        model = TestModels.save(tmp.resolve("model"), new int[] {20, 8, 4}, 3);
        PruneConfig cfg =
                PruneConfig.builder()
                        .setDensity(0.25)
                        .optN(16)
                        .optEps(1e-3)
                        .optSeed(7)
                        .optNonNegativeInput(true)
                        .build();
        result = new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(model.network());
    }

    private static Path saved(String name) {
        Path dir = tmp.resolve(name);
        RunDirectory.save(dir, model, "mnist", result, PIXELS, Provenance.current("cpu"));
        return dir;
    }

    @Test
    void roundTripRebuildsTheSameTicket() {
        RunDirectory.Run run = RunDirectory.load(saved("run"));
        assertEquals(result.config(), run.config());
        assertEquals(result.ticket().masks(), run.ticket().masks());
        assertEquals(result.ticket().digest(), run.ticket().digest());
        assertEquals("mnist", run.dataset());
        assertEquals(PIXELS, run.inputDomain());
        assertEquals("mitm", run.result().solver());
        assertEquals(
                result.layers(),
                run.result().layers(),
                "prune.json reads back into the same statistics");
        assertEquals(result.seconds(), run.result().seconds());
    }

    @Test
    void theInputDomainAndItsReasonAreRecordedAndReadBack() throws Exception {
        Path dir = tmp.resolve("domain");
        InputDomain.Choice c =
                new InputDomain.Choice(
                        InputDomain.NON_NEGATIVE,
                        "--input-domain non-negative, no data to bound it");
        RunDirectory.save(dir, model, null, result, c, Provenance.current("cpu"));
        String cfg = Files.readString(dir.resolve(RunDirectory.CONFIG));
        assertTrue(
                cfg.contains(
                        "  \"nonNegativeInput\": true,\n  \"inputDomain\": {\n    \"id\": \"non-negative\",\n"
                                + "    \"lo\": 0.0,\n    \"hi\": Infinity,\n    \"reason\": \"--input-domain non-negative, no data to bound it\"\n  },"),
                cfg);
        assertFalse(cfg.contains("\"dataset\""), "no dataset recorded when there is none");
        RunDirectory.Run run = RunDirectory.load(dir);
        assertEquals(c, run.inputDomain());
        assertEquals(null, run.dataset());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RunDirectory.save(
                                tmp.resolve("domain-bad"),
                                model,
                                "mnist",
                                result,
                                new InputDomain.Choice(
                                        InputDomain.SIGNED,
                                        "signed, but the pruning took the inputs as non-negative"),
                                Provenance.current("cpu")));
        assertFalse(Files.exists(tmp.resolve("domain-bad")));
    }

    /**
     * Runs written before the domain was recorded (by sltk at commit ab7c72d, see {@code
     * old-runs/README.md}) still load: non-negative ones as pixels in [0, 1], the others as signed;
     * the masks rebuild to the recorded digest, and an export records that domain.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"non-negative, true", "signed, false"})
    void runsWrittenBeforeTheDomainWasRecordedStillLoad(String name, boolean nonNegative)
            throws Exception {
        Path src = Path.of("src/test/resources/org/sltk/io/old-runs", name);
        Path dir = tmp.resolve("old-" + name);
        Files.createDirectories(dir);
        String cfg = Files.readString(src.resolve(RunDirectory.CONFIG));
        assertFalse(cfg.contains("inputDomain"), "an old-format config");
        Files.writeString(
                dir.resolve(RunDirectory.CONFIG),
                cfg.replace("@MODEL@", model.dir().toString())
                        .replace("@SHA@", model.paramsSha256()));
        Files.copy(src.resolve(RunDirectory.MASKS), dir.resolve(RunDirectory.MASKS));
        Files.copy(src.resolve(RunDirectory.PRUNE), dir.resolve(RunDirectory.PRUNE));
        RunDirectory.Run run = RunDirectory.load(dir);
        assertEquals(nonNegative, run.config().nonNegativeInput());
        assertEquals(
                nonNegative
                        ? new InputDomain.Choice(
                                InputDomain.PIXELS,
                                "recorded by an sltk that kept only nonNegativeInput (true); its runs were for sltk's pixels in [0, 1]")
                        : new InputDomain.Choice(
                                InputDomain.SIGNED,
                                "recorded by an sltk that kept only nonNegativeInput (false)"),
                run.inputDomain());
        Path pt = dir.resolve("ticket.pt");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code =
                org.sltk.cli.Sltk.commandLine(
                                new java.io.PrintWriter(out), new java.io.PrintWriter(err))
                        .execute("export", "--run", dir.toString(), "--out", pt.toString());
        assertEquals(0, code, err.toString());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(pt.toFile())) {
            String meta =
                    new String(
                            zip.getInputStream(
                                            zip.getEntry("ticket/extra/" + TicketExport.METADATA))
                                    .readAllBytes());
            assertTrue(meta.contains("\"id\": \"" + name + "\""), meta);
            assertTrue(
                    meta.contains(
                            "\"inputDomainReason\": \"recorded by an sltk that kept only nonNegativeInput"),
                    meta);
        }
    }

    @Test
    void changedMasksAreRefusedByTheirDigest() throws Exception {
        Path dir = saved("tampered");
        Path masks = dir.resolve(RunDirectory.MASKS);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDList list;
            try (InputStream in = Files.newInputStream(masks)) {
                list = NDList.decode(m, in);
            }
            int[] kept = list.get(0).toIntArray();
            kept[0] = kept[0] == 0 ? 1 : kept[0] - 1; // still sorted in its row in most cases
            NDArray changed = m.create(kept, list.get(0).getShape());
            changed.setName("pair0");
            NDList out = new NDList(changed, list.get(1));
            try (OutputStream os = Files.newOutputStream(masks)) {
                out.encode(os, NDList.Encoding.NPZ);
            }
        }
        InputException e = assertThrows(InputException.class, () -> RunDirectory.load(dir));
        assertTrue(e.getMessage().startsWith(masks + ": "), e.getMessage());
        assertTrue(
                e.getMessage().contains("digest") || e.getMessage().contains("sorted"),
                e.getMessage());
    }

    @Test
    void missingOrBrokenFilesGiveOneLine() throws Exception {
        Path dir = saved("broken");
        Files.delete(dir.resolve(RunDirectory.MASKS));
        InputException e = assertThrows(InputException.class, () -> RunDirectory.load(dir));
        assertEquals(dir.resolve(RunDirectory.MASKS) + ": file not found", e.getMessage());

        Path dir2 = saved("badjson");
        Files.writeString(dir2.resolve(RunDirectory.CONFIG), "{\"format\": 1, \"model\": ");
        e = assertThrows(InputException.class, () -> RunDirectory.load(dir2));
        assertTrue(
                e.getMessage().startsWith(dir2.resolve(RunDirectory.CONFIG) + ": not valid JSON"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        InputException e3 =
                assertThrows(InputException.class, () -> RunDirectory.load(tmp.resolve("nope")));
        assertEquals(
                "--run "
                        + tmp.resolve("nope")
                        + ": not a run directory (make one with sltk prune --out DIR)",
                e3.getMessage());
    }

    @Test
    void aChangedModelIsNoticed() throws Exception {
        Path dir = saved("model-changed");
        String cfg = Files.readString(dir.resolve(RunDirectory.CONFIG));
        Files.writeString(
                dir.resolve(RunDirectory.CONFIG),
                cfg.replace(model.paramsSha256(), "0".repeat(64)));
        InputException e = assertThrows(InputException.class, () -> RunDirectory.load(dir));
        assertTrue(e.getMessage().contains("changed since the run was made"), e.getMessage());
    }

    @Test
    void anExistingRunIsReplacedOnlyWhenTheNewOneIsComplete() throws Exception {
        Path dir = saved("replace");
        String before = Files.readString(dir.resolve(RunDirectory.CONFIG));
        assertThrows(
                RuntimeException.class,
                () ->
                        org.sltk.util.AtomicFiles.writeDirectory(
                                dir,
                                d -> {
                                    Files.writeString(d.resolve(RunDirectory.CONFIG), "half");
                                    throw new java.io.IOException("simulated crash mid-write");
                                }));
        assertEquals(
                before,
                Files.readString(dir.resolve(RunDirectory.CONFIG)),
                "the old run must survive");
        try (var s = Files.list(tmp)) {
            assertTrue(
                    s.noneMatch(p -> p.getFileName().toString().startsWith(".replace")),
                    "no temporary left behind");
        }
    }
}
