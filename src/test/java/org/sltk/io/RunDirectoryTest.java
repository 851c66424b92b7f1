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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sltk.nn.TargetModel;
import org.sltk.nn.WeightDistribution;
import org.sltk.prune.PairPruner;
import org.sltk.prune.PruneConfig;
import org.sltk.prune.PruneResult;
import org.sltk.rfss.MeetInTheMiddleSolver;
import org.sltk.util.InputException;

class RunDirectoryTest {

    @TempDir static Path tmp;
    static TargetModel model;
    static PruneResult result;

    @BeforeAll
    static void prune() {
        System.setProperty("sltk.quiet", "true");
        model = TestModels.save(tmp.resolve("model"), new int[] {20, 8, 4}, 3);
        PruneConfig cfg = PruneConfig.of(0.25, 16, 0, 1e-3, 7, WeightDistribution.UNIFORM, "mitm", true);
        result = new PairPruner(cfg, new MeetInTheMiddleSolver()).prune(model.network());
    }

    private static Path saved(String name) {
        Path dir = tmp.resolve(name);
        RunDirectory.save(dir, model, "mnist", result, Map.of("test", true));
        return dir;
    }

    @Test
    void roundTripRebuildsTheSameTicket() {
        RunDirectory.Run run = RunDirectory.load(saved("run"));
        assertEquals(result.config(), run.config());
        assertEquals(result.ticket().masks(), run.ticket().masks());
        assertEquals(result.ticket().digest(), run.ticket().digest());
        assertEquals("mnist", run.dataset());
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
        assertTrue(e.getMessage().contains("digest") || e.getMessage().contains("sorted"), e.getMessage());
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
        assertTrue(e.getMessage().startsWith(dir2.resolve(RunDirectory.CONFIG) + ": not valid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        InputException e3 = assertThrows(InputException.class, () -> RunDirectory.load(tmp.resolve("nope")));
        assertEquals("--run " + tmp.resolve("nope") + ": not a run directory (make one with sltk prune --out DIR)", e3.getMessage());
    }

    @Test
    void aChangedModelIsNoticed() throws Exception {
        Path dir = saved("model-changed");
        String cfg = Files.readString(dir.resolve(RunDirectory.CONFIG));
        Files.writeString(dir.resolve(RunDirectory.CONFIG), cfg.replace(model.paramsSha256(), "0".repeat(64)));
        InputException e = assertThrows(InputException.class, () -> RunDirectory.load(dir));
        assertTrue(e.getMessage().contains("changed since the run was made"), e.getMessage());
    }

    @Test
    void anExistingRunIsReplacedOnlyWhenTheNewOneIsComplete() throws Exception {
        Path dir = saved("replace");
        String before = Files.readString(dir.resolve(RunDirectory.CONFIG));
        assertThrows(RuntimeException.class, () -> org.sltk.util.AtomicFiles.writeDirectory(dir, d -> {
            Files.writeString(d.resolve(RunDirectory.CONFIG), "half");
            throw new java.io.IOException("simulated crash mid-write");
        }));
        assertEquals(before, Files.readString(dir.resolve(RunDirectory.CONFIG)), "the old run must survive");
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".replace")), "no temporary left behind");
        }
    }
}
