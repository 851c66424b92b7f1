package org.sltk.nn;

import java.util.List;

/**
 * The outcome of {@link TargetTrainer#train}: the trained network, its configuration and its
 * per-epoch history.
 *
 * @param network the trained network
 * @param config the configuration it was trained with (widths resolved from the data)
 * @param history one entry per epoch, in order
 * @param trainAccuracy accuracy of the final network on the images it was trained on
 * @param testAccuracy accuracy of the final network on the whole test split
 * @param seconds the wall time of the whole training
 * @param validationAccuracy accuracy of the final network on the held-out validation images ({@link
 *     TrainConfig#validation()}), NaN without them
 * @param machine the thread count, engine and CPU kernels the training ran with
 */
public record TrainResult(
        TargetNetwork network,
        TrainConfig config,
        List<EpochStats> history,
        double trainAccuracy,
        double testAccuracy,
        double seconds,
        double validationAccuracy,
        TrainingMachine machine) {

    /**
     * Creates a result, copying the history.
     *
     * @param network the trained network
     * @param config the configuration
     * @param history the per-epoch history
     * @param trainAccuracy the final train accuracy
     * @param testAccuracy the final test accuracy
     * @param seconds the total wall time
     * @param validationAccuracy the final validation accuracy, or NaN
     * @param machine what the training ran with
     */
    public TrainResult {
        history = List.copyOf(history);
    }
}
