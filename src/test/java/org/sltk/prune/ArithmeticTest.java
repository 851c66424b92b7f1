package org.sltk.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which arithmetic the bound assumes on which device, and its rounding factors (no GPU needed). */
class ArithmeticTest {

    @Test
    void float32OnTheCpuWhateverTheEnvironment() {
        assertEquals(Arithmetic.FLOAT32, Arithmetic.of(Device.cpu(), Map.of()));
        assertEquals(
                Arithmetic.FLOAT32,
                Arithmetic.of(Device.cpu(), Map.of(Arithmetic.TF32_OVERRIDE, "1")));
    }

    @Test
    void tf32OnAGpuUnlessTheOverrideTurnsItOff() {
        assertEquals(
                Arithmetic.TF32,
                Arithmetic.of(Device.gpu(), Map.of()),
                "cuDNN's default on Ampere and later");
        assertEquals(
                Arithmetic.TF32,
                Arithmetic.of(Device.gpu(1), Map.of(Arithmetic.TF32_OVERRIDE, "1")));
        assertEquals(
                Arithmetic.TF32, Arithmetic.of(Device.gpu(), Map.of(Arithmetic.TF32_OVERRIDE, "")));
        assertEquals(
                Arithmetic.FLOAT32,
                Arithmetic.of(Device.gpu(), Map.of(Arithmetic.TF32_OVERRIDE, "0")));
        assertEquals(
                Arithmetic.FLOAT32,
                Arithmetic.of(Device.gpu(2), Map.of(Arithmetic.TF32_OVERRIDE, " 0 ")));
        assertEquals("tf32", Arithmetic.TF32.id());
        assertEquals("float32", Arithmetic.FLOAT32.id());
    }

    @Test
    void theDotProductFactorsAreGammaOfTheTermCount() {
        double u = 0x1.0p-24;
        assertEquals(3 * u / (1 - 3 * u), Arithmetic.FLOAT32.dot(1), 0.0);
        assertEquals(1002 * u / (1 - 1002 * u), Arithmetic.FLOAT32.dot(1000), 0.0);
        double t = 0x1.0p-11;
        double g =
                1002
                        * 2
                        * u
                        / (1 - 1002 * 2 * u); // tensor cores may truncate their sums: 2^-23 per
        // step
        assertEquals((1 + g) * (1 + 2 * t / (1 - 2 * t)) - 1, Arithmetic.TF32.dot(1000), 1e-18);
        assertTrue(
                Arithmetic.TF32.dot(10) > 100 * Arithmetic.FLOAT32.dot(10),
                "TF32 operands dominate");
        assertEquals(
                Double.POSITIVE_INFINITY,
                Arithmetic.gamma(1 << 24, u),
                "beyond 1/u terms nothing is guaranteed");
    }

    @Test
    void theLauncherTurnsTf32OffUnlessTheUserSetIt() throws Exception {
        String launcher = Files.readString(Path.of("sltk"));
        assertTrue(
                launcher.contains("export NVIDIA_TF32_OVERRIDE=\"${NVIDIA_TF32_OVERRIDE:-0}\""),
                "./sltk exports the override");
    }
}
