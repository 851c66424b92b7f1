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
}
