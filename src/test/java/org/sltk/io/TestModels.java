package org.sltk.io;

import java.nio.file.Path;
import org.sltk.nn.Architecture;
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
        return save(dir, Architecture.mlp(widths, true), seed);
    }

    /**
     * Saves a seeded random target of any architecture as a model directory for the committed
     * MNIST.
     *
     * @param dir the directory to write
     * @param architecture the architecture
     * @param seed the seed of the weights
     * @return the saved model
     */
    public static TargetModel save(Path dir, Architecture architecture, long seed) {
        TargetNetwork net = TargetNetwork.random(architecture, seed);
        return ModelDirectory.save(dir, net, ModelInfo.untrained(architecture, "mnist", seed));
    }

    /**
     * A small CNN for 28 x 28 images: conv 3x3 1->3 stride 2 padding 1, ReLU, max-pool 2, conv 3x3
     * 3->4 padding 1, ReLU, flatten, dense 196->10.
     *
     * @return the spec
     */
    public static Architecture tinyCnn() {
        return Architecture.builder(1, 28, 28)
                .conv(3, 3, 2, 1)
                .relu()
                .maxPool(2)
                .conv(4, 3, 1, 1)
                .relu()
                .flatten()
                .dense(10)
                .build();
    }
}
