package org.sltk.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.sltk.data.OneLine;
import org.sltk.nn.PairMask;
import org.sltk.util.InputException;

/**
 * Fuzzes the {@code masks.npz} reader of run directories: for a network of two pairs (8 outputs of
 * 1008 units, 4 outputs of 432 units, the shapes of 20-8-4 with pool 48) any bytes give valid masks
 * or an {@link InputException}, nothing else. Seeds: {@code
 * src/test/resources/org/sltk/io/NpzMasksFuzzTestInputs/}.
 */
class NpzMasksFuzzTest {

    static final int[] OUTPUTS = {8, 4};
    static final int[] UNITS = {1008, 432};

    @FuzzTest(maxDuration = "10m", maxExecutions = 120_000)
    void masks(byte[] bytes) {
        try {
            List<PairMask> masks =
                    NpzMasks.decode("masks.npz", new ByteArrayInputStream(bytes), OUTPUTS, UNITS);
            for (int l = 0; l < masks.size(); l++) {
                PairMask m = masks.get(l);
                if (m.outputs() != OUTPUTS[l] || m.perOutput() > UNITS[l]) {
                    throw new AssertionError(
                            "pair " + l + ": " + m.outputs() + " x " + m.perOutput());
                }
                for (int u : m.kept()) {
                    if (u < 0 || u >= UNITS[l]) {
                        throw new AssertionError("pair " + l + " keeps unit " + u);
                    }
                }
            }
        } catch (InputException e) {
            OneLine.check(e);
        }
    }
}
