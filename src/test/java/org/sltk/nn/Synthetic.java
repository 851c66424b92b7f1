package org.sltk.nn;

import java.util.Map;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;

/** Small seeded synthetic image sets for the tests. */
final class Synthetic {

    private Synthetic() {}

    /**
     * Returns 8x8 images in 4 classes: class c lights up quadrant c (value ~0.8) over uniform noise
     * in [0, 0.5), so the classes are separable but not trivially by one pixel.
     */
    static ImageSet quadrants(String name, int n, long seed) {
        CounterRandom rng = new CounterRandom(seed);
        int rows = 8;
        int cols = 8;
        float[] px = new float[n * rows * cols];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(1000, i, 4);
            labels[i] = c;
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    float v = 0.5f * rng.uniformFloat(i, r * cols + k);
                    boolean lit = (r < 4) == (c < 2) && (k < 4) == (c % 2 == 0);
                    px[i * rows * cols + r * cols + k] = lit ? Math.min(1f, v + 0.3f) : v;
                }
            }
        }
        return new ImageSet(name, rows, cols, 4, px, labels, Map.of(name + ".idx", "0".repeat(64)));
    }
}
