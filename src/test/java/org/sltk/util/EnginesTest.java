package org.sltk.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void engineRunsOfflineFromTheMavenJars() {
        assertEquals("PyTorch", Engines.engine().getEngineName());
        assertTrue(ai.djl.util.Utils.isOfflineMode(), "DJL must run in offline mode");
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            NDArray p = a.matMul(a);
            assertArrayEquals(new float[] {7, 10, 15, 22}, p.toFloatArray());
        }
    }

    /** Holds on a machine without a GPU (CI) and with one: the assertions follow what DJL sees. */
    @Test
    void deviceNames() {
        int gpus = Engines.engine().getGpuCount();
        assertEquals(Device.cpu(), Engines.device("cpu"));
        assertEquals(
                gpus > 0 ? Device.gpu(0) : Device.cpu(),
                Engines.device("auto"),
                "auto: a GPU where DJL sees one, else the CPU");
        if (gpus > 0) {
            assertEquals(Device.gpu(0), Engines.device("gpu"));
            assertEquals(Device.gpu(gpus - 1), Engines.device("cuda:" + (gpus - 1)));
        }
        InputException e = assertThrows(InputException.class, () -> Engines.device("tpu"));
        assertEquals("--device: unknown device 'tpu'; use cpu, gpu, gpu:N or auto", e.getMessage());
    }

    /** A GPU index DJL does not see fails with one line; without a GPU that is any GPU. */
    @Test
    void aGpuThatIsNotThereFailsCleanly() {
        int gpus = Engines.engine().getGpuCount();
        String[] names =
                gpus == 0
                        ? new String[] {"gpu", "gpu:1", "cuda:0"}
                        : new String[] {"gpu:" + gpus, "cuda:" + gpus, "gpu" + (gpus + 1)};
        for (String name : names) {
            InputException e = assertThrows(InputException.class, () -> Engines.device(name));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "--device "
                                            + name
                                            + ": DJL sees "
                                            + gpus
                                            + " GPU(s) with the loaded libtorch"),
                    e.getMessage());
            assertTrue(
                    e.getMessage()
                            .endsWith(
                                    "use --device cpu or auto, or install DJL's CUDA flavour (see docs/gpu.md)"));
        }
    }
}
