package org.sltk.io;

import java.nio.file.Path;
import java.util.List;
import org.sltk.nn.LayerSpec;
import org.sltk.nn.ModelDirectory;
import org.sltk.nn.ModelInfo;
import org.sltk.nn.TargetModel;
import org.sltk.nn.SequentialSpec;
import org.sltk.nn.SequentialTarget;
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
        ModelInfo info = ModelInfo.untrained(ModelDirectory.ARCHITECTURE, widths, true, "mnist", seed, null);
        return ModelDirectory.save(dir, net, info);
    }

    /**
     * Saves a seeded random sequential (cnn) target as a model directory for the committed MNIST.
     *
     * @param dir the directory to write
     * @param spec the architecture
     * @param seed the seed of the weights
     * @return the saved model
     */
    public static TargetModel saveCnn(Path dir, SequentialSpec spec, long seed) {
        SequentialTarget net = SequentialTarget.random(spec, seed);
        ModelInfo info = ModelInfo.untrained(ModelDirectory.ARCHITECTURE_CNN, new int[] {net.inputSize(), net.outputSize()}, spec.bias(),
                "mnist", seed, spec);
        return ModelDirectory.save(dir, net, info);
    }

    /**
     * A small CNN for 28 x 28 images: conv 3x3 1->3 stride 2 padding 1, ReLU, max-pool 2, conv
     * 3x3 3->4 padding 1, ReLU, flatten, dense 196->10.
     *
     * @return the spec
     */
    public static SequentialSpec tinyCnn() {
        return new SequentialSpec(new int[] {1, 28, 28}, List.of(
                LayerSpec.conv(3, 1, 3, 2, 1, 1), LayerSpec.relu(), LayerSpec.maxPool(2),
                LayerSpec.conv(4, 3, 3, 1, 1, 1), LayerSpec.relu(), LayerSpec.flatten(), LayerSpec.dense(10, 196)), true);
    }
}
