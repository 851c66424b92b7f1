package org.sltk.nn;

import java.util.ArrayList;
import java.util.List;
import org.sltk.data.ImageSet;
import org.sltk.data.SeededSampler;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * A validation split carved from a training set: a seeded, class-stratified choice of images held
 * out of training, so that settings (an architecture, a learning rate) can be chosen without
 * looking at the test split.
 *
 * <p>Each class gives its share of the n images (largest remainders for the rounding, ties to the
 * smaller class), chosen by a Fisher-Yates permutation of that class's images drawn from sltk's
 * counter-based generator: the same seed gives the same split everywhere. Both parts keep the
 * images in their original order.
 *
 * @param train the images left for training
 * @param validation the held-out images
 * @param seed the seed of the choice
 */
public record Holdout(ImageSet train, ImageSet validation, long seed) {

    /** First generator stream of the per-class permutations (one stream per class after it). */
    static final int STREAM = 0x5A11_0000;

    /**
     * Carves n images out of a set.
     *
     * @param set the training images
     * @param n how many to hold out, from 1 to {@code set.size() - 1}
     * @param seed the seed of the choice
     * @return the two parts
     * @throws InputException naming {@code --validation} if n leaves no image on either side
     */
    public static Holdout carve(ImageSet set, int n, long seed) {
        if (n <= 0 || n >= set.size()) {
            throw new InputException(
                    "--validation: must be between 1 and "
                            + (set.size() - 1)
                            + " (the training split of "
                            + set.name()
                            + " has "
                            + set.size()
                            + " images), found "
                            + n);
        }
        int classes = set.numClasses();
        int[] labels = set.labels();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        int[] quota = new int[classes];
        double[] rest = new double[classes];
        int given = 0;
        for (int c = 0; c < classes; c++) {
            double exact = (double) n * byClass.get(c).size() / set.size();
            quota[c] = (int) Math.floor(exact);
            rest[c] = exact - quota[c];
            given += quota[c];
        }
        while (given < n) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (quota[c] < byClass.get(c).size() && (best < 0 || rest[c] > rest[best])) {
                    best = c;
                }
            }
            quota[best]++;
            rest[best] = -1;
            given++;
        }
        boolean[] held = new boolean[labels.length];
        CounterRandom rng = new CounterRandom(seed);
        for (int c = 0; c < classes; c++) {
            List<Integer> members = byClass.get(c);
            int[] p = SeededSampler.permutation(rng, members.size(), STREAM + c);
            for (int j = 0; j < quota[c]; j++) {
                held[members.get(p[j])] = true;
            }
        }
        return new Holdout(
                pick(set, held, false, "fit"), pick(set, held, true, "validation"), seed);
    }

    private static ImageSet pick(ImageSet set, boolean[] held, boolean want, String part) {
        int f = set.features();
        int count = 0;
        for (boolean h : held) {
            count += h == want ? 1 : 0;
        }
        float[] pixels = new float[count * f];
        int[] labels = new int[count];
        int k = 0;
        for (int i = 0; i < held.length; i++) {
            if (held[i] == want) {
                System.arraycopy(set.pixels(), i * f, pixels, k * f, f);
                labels[k++] = set.labels()[i];
            }
        }
        return set.withImages(set.name() + "[" + part + "]", pixels, labels);
    }
}
