package org.sltk.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sltk.data.Datasets;
import org.sltk.data.ImageSet;
import org.sltk.util.InputException;

/** The validation split: seeded, stratified, disjoint, complete, in file order. */
class HoldoutTest {

    /** Identifies an image by its pixels (the MNIST digits are distinct). */
    private static String key(ImageSet s, int i) {
        int f = s.features();
        return Arrays.toString(Arrays.copyOfRange(s.pixels(), i * f, (i + 1) * f))
                + "/"
                + s.labels()[i];
    }

    @Test
    void carvesAStratifiedSeededSplitOfTheRealTrainingDigits() {
        ImageSet all = Datasets.load("mnist").train();
        Holdout h = Holdout.carve(all, 1000, 1);
        assertEquals(7000, h.train().size());
        assertEquals(1000, h.validation().size());
        int[] perClass = new int[10];
        int[] valPerClass = new int[10];
        for (int l : all.labels()) {
            perClass[l]++;
        }
        for (int l : h.validation().labels()) {
            valPerClass[l]++;
        }
        for (int c = 0; c < 10; c++) {
            double exact = 1000.0 * perClass[c] / all.size();
            assertTrue(
                    Math.abs(valPerClass[c] - exact) < 1,
                    "class " + c + ": " + valPerClass[c] + " for " + exact);
        }
        // disjoint, together the whole set, each part in the original order
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            index.put(key(all, i), i);
        }
        assertEquals(all.size(), index.size(), "distinct images");
        int[] seen = new int[all.size()];
        for (ImageSet part : new ImageSet[] {h.train(), h.validation()}) {
            int last = -1;
            for (int i = 0; i < part.size(); i++) {
                int at = index.get(key(part, i));
                assertTrue(at > last, "original order");
                last = at;
                seen[at]++;
            }
        }
        assertTrue(Arrays.stream(seen).allMatch(v -> v == 1), "every image in exactly one part");
        assertEquals(all.sources(), h.validation().sources());

        Holdout again = Holdout.carve(all, 1000, 1);
        assertArrayEquals(
                h.validation().pixels(), again.validation().pixels(), "same seed, same split");
        Holdout other = Holdout.carve(all, 1000, 2);
        assertFalse(
                Arrays.equals(h.validation().pixels(), other.validation().pixels()),
                "another seed, another split");
    }

    @Test
    void theCountMustLeaveImagesOnBothSides() {
        ImageSet s = Synthetic.quadrants("q", 10, 1);
        assertEquals(1, Holdout.carve(s, 1, 1).validation().size());
        assertEquals(9, Holdout.carve(s, 9, 1).validation().size());
        InputException e = assertThrows(InputException.class, () -> Holdout.carve(s, 10, 1));
        assertEquals(
                "--validation: must be between 1 and 9 (the training split of q has 10 images), found 10",
                e.getMessage());
        assertThrows(InputException.class, () -> Holdout.carve(s, 0, 1));
    }
}
