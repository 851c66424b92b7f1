package org.sltk.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sltk.util.InputException;

/**
 * The input domain: its id, box, membership, the check of a data set, and what sltk's loader gives.
 */
class InputDomainTest {

    @Test
    void idsAndBoxes() {
        assertEquals("non-negative [0, 1]", InputDomain.PIXELS.describe());
        assertEquals("non-negative [0, inf)", InputDomain.NON_NEGATIVE.describe());
        assertEquals("signed (-inf, inf)", InputDomain.SIGNED.describe());
        assertEquals("signed [-0.5, 2.75]", new InputDomain(-0.5, 2.75).describe());
        assertTrue(InputDomain.PIXELS.nonNegative());
        assertFalse(InputDomain.SIGNED.nonNegative());
        assertEquals(
                Map.of("id", "non-negative", "lo", 0.0, "hi", 1.0), InputDomain.PIXELS.toMap());
        for (double[] bad :
                new double[][] {
                    {1, 0},
                    {Double.NaN, 1},
                    {0, Double.NaN},
                    {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                    {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}
                }) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new InputDomain(bad[0], bad[1]),
                    bad[0] + ", " + bad[1]);
        }
    }

    @Test
    void containsTheEndsAndNothingOutsideThem() {
        assertTrue(InputDomain.PIXELS.contains(0f));
        assertTrue(InputDomain.PIXELS.contains(1f));
        assertFalse(InputDomain.PIXELS.contains(-Float.MIN_VALUE));
        assertFalse(InputDomain.PIXELS.contains(Math.nextUp(1f)));
        assertFalse(InputDomain.PIXELS.contains(Float.NaN));
        assertTrue(InputDomain.NON_NEGATIVE.contains(Float.POSITIVE_INFINITY));
        assertTrue(InputDomain.SIGNED.contains(-3e38f));
    }

    private static ImageSet set(float... pixels) {
        return new ImageSet("toy/test", 1, pixels.length, 10, pixels, new int[] {0}, Map.of());
    }

    @Test
    void aSetOutsideTheDomainIsRefusedWithOneLine() {
        assertEquals(-0.25f, set(0.5f, -0.25f, 1f).minPixel());
        assertEquals(1f, set(0.5f, -0.25f, 1f).maxPixel());
        InputDomain.PIXELS.check(set(0f, 0.5f, 1f));
        InputDomain.SIGNED.check(set(-7f, 9f));
        InputException below =
                assertThrows(
                        InputException.class, () -> InputDomain.PIXELS.check(set(0.5f, -0.25f)));
        assertEquals(
                "toy/test: input -0.25 is outside the input domain non-negative [0, 1] the ticket was pruned for;"
                        + " evaluate on data inside it, or prune again with --input-domain signed",
                below.getMessage());
        InputException above =
                assertThrows(InputException.class, () -> InputDomain.PIXELS.check(set(0.5f, 1.5f)));
        assertEquals(
                "toy/test: input 1.5 is outside the input domain non-negative [0, 1] the ticket was pruned for;"
                        + " evaluate on data inside it, or prune again with --input-domain signed",
                above.getMessage());
        InputException nan =
                assertThrows(
                        InputException.class, () -> InputDomain.SIGNED.check(set(0.5f, Float.NaN)));
        assertEquals("toy/test: a pixel is NaN; give data without NaN", nan.getMessage());
    }

    @Test
    void theCommittedMnistIsInsideThePixelDomain() {
        DataSplit mnist = Datasets.load("mnist");
        for (ImageSet s : new ImageSet[] {mnist.train(), mnist.test()}) {
            assertTrue(
                    s.minPixel() >= 0 && s.maxPixel() <= 1,
                    s + ": [" + s.minPixel() + ", " + s.maxPixel() + "]");
            InputDomain.PIXELS.check(s);
        }
    }
}
