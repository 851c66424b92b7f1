package org.sltk.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.sltk.data.ImageSet;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Trains a {@link SequentialTarget} (e.g. LeNet-5) with DJL like {@link TargetTrainer} trains an
 * MLP: softmax cross-entropy, Adam, mini-batches in the seeded order of
 * {@link TargetTrainer#permutation}, the initial weights of {@link SequentialTarget#random}, and
 * an evaluation on the test split after every epoch, with the same thread handling, validation
 * split and per-batch checks.
 */
public final class CnnTrainer {

    private static final int EVAL_CHUNK = 500;

    private final SequentialSpec spec;
    private final TrainConfig config;
    private Consumer<EpochStats> onEpoch = e -> {};
    private EpochLoop.GradientHook hook = EpochLoop.GradientHook.NONE;

    /**
     * Creates a trainer.
     *
     * @param spec the architecture
     * @param config epochs, learning rate, batch size, seed, device, threads and validation (its hidden
     *     widths are unused)
     */
    public CnnTrainer(SequentialSpec spec, TrainConfig config) {
        this.spec = spec;
        this.config = config;
    }

    /**
     * Calls the consumer after every epoch.
     *
     * @param onEpoch the consumer
     * @return this trainer
     */
    public CnnTrainer optOnEpoch(Consumer<EpochStats> onEpoch) {
        this.onEpoch = onEpoch;
        return this;
    }

    /** Test hook: sees (and may corrupt) every pass's gradients. */
    CnnTrainer optGradientHook(EpochLoop.GradientHook hook) {
        this.hook = Objects.requireNonNull(hook);
        return this;
    }

    /**
     * The trained target.
     *
     * @param target the trained network
     * @param config the configuration
     * @param history per-epoch statistics
     * @param trainAccuracy final accuracy on the images it was trained on
     * @param testAccuracy final accuracy on the test split
     * @param seconds wall time
     * @param validationAccuracy final accuracy on the held-out validation images, NaN without them
     * @param machine the thread count, engine and CPU kernels the training ran with
     */
    public record Result(SequentialTarget target, TrainConfig config, List<EpochStats> history, double trainAccuracy,
            double testAccuracy, double seconds, double validationAccuracy, TrainingMachine machine) {}

    /**
     * Trains with the configuration's libtorch thread count (restored afterwards) and, if the
     * configuration asks for it, a validation split held out of the training images.
     *
     * @param train the training images
     * @param test the held-out images
     * @return the result
     * @throws InputException if the images do not fit the network or the training diverged
     * @throws NonFiniteTrainingException if a step gave a non-finite value that is not a divergence
     */
    public Result train(ImageSet train, ImageSet test) {
        int[] in = spec.inputShape();
        if (train.features() != spec.inputSize() || test.features() != spec.inputSize()) {
            throw new InputException(train.name() + ": images have " + train.features() + " pixels, the network expects "
                    + in[0] + "x" + in[1] + "x" + in[2]);
        }
        Holdout holdout = config.validation() > 0 ? Holdout.carve(train, config.validation(), config.validationSeed()) : null;
        return TrainingMachine.withThreads(config.threads(), machine -> fit(holdout == null ? train : holdout.train(),
                test, holdout == null ? null : holdout.validation(), machine));
    }

    private Result fit(ImageSet train, ImageSet test, ImageSet validation, TrainingMachine machine) {
        long start = System.nanoTime();
        SequentialTarget init = SequentialTarget.random(spec, config.seed());
        Engines.engine().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        Device device = config.device();
        List<EpochStats> history = new ArrayList<>();
        IntFunction<Shape> shape = m -> CnnBuilder.inputShape(spec, m);
        try (Model model = Model.newInstance("cnn", device, "PyTorch")) {
            SequentialBlock block = CnnBuilder.block(spec);
            CnnBuilder.setParameters(block, init, model.getNDManager());
            model.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(CnnBuilder.inputShape(spec, config.batchSize()));
                history.addAll(EpochLoop.run(trainer, train, test, config, shape, EVAL_CHUNK, null, onEpoch, machine,
                        hook));
                SequentialTarget trained = CnnBuilder.toTarget(block, spec, "trained network");
                double trainAcc = EpochLoop.accuracy(trainer, train, shape, EVAL_CHUNK);
                double valAcc = validation == null ? Double.NaN : EpochLoop.accuracy(trainer, validation, shape, EVAL_CHUNK);
                return new Result(trained, config, history, trainAcc, history.get(history.size() - 1).testAccuracy(),
                        (System.nanoTime() - start) / 1e9, valAcc, machine);
            }
        }
    }
}
