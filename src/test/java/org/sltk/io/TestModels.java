package org.sltk.io;

import java.nio.file.Path;
import java.util.List;
import org.sltk.nn.ModelDirectory;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.TargetNetwork;

/** Small model directories for tests: a seeded random target saved like a trained one. */
public final class TestModels {

    private TestModels() {}

    /**
     * Saves a seeded random MLP as a model directory for the committed MNIST.
     *
     * @param dir the directory to write
     * @param widths the widths, e.g. {784, 16, 10}
     * @param seed the seed of the weights
     * @return the saved model
     */
    public static TargetModel save(Path dir, int[] widths, long seed) {
        TargetNetwork net = TargetNetwork.random(widths, true, seed);
        ModelInfo info = new ModelInfo(ModelDirectory.FORMAT_VERSION, ModelDirectory.ARCHITECTURE,
                ModelDirectory.ACTIVATION, widths, true, "mnist", null, -1, -1, seed, 0, Double.NaN, -1,
                null, Double.NaN, Double.NaN, Double.NaN, List.of(), null, null, null, null, null, null);
        return ModelDirectory.save(dir, net, info);
    }
}
