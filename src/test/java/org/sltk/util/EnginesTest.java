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

    @Test
    void deviceNames() {
        assertEquals(Device.cpu(), Engines.device("cpu"));
        assertEquals(Device.cpu(), Engines.device("auto"), "no GPU on this machine: auto is the CPU");
        InputException e = assertThrows(InputException.class, () -> Engines.device("tpu"));
        assertEquals("--device: unknown device 'tpu'; use cpu, gpu, gpu:N or auto", e.getMessage());
    }

    @Test
    void anExplicitGpuWithoutOneFailsCleanly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Engines.engine().getGpuCount() == 0, "a GPU is present");
        for (String name : new String[] {"gpu", "gpu:1", "cuda:0"}) {
            InputException e = assertThrows(InputException.class, () -> Engines.device(name));
            assertTrue(e.getMessage().startsWith("--device " + name + ": DJL sees 0 GPU(s) with the loaded libtorch"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("use --device cpu or auto, or install DJL's CUDA flavour (see docs/gpu.md)"));
        }
    }
}
