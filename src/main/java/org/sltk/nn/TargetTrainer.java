package org.sltk.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Trains a {@link TargetNetwork} of any {@link Architecture} (an MLP, LeNet-5, ...) with DJL on an
 * image set: softmax cross-entropy, Adam, mini-batches in a seeded random order, and an evaluation
 * on the test split after every epoch.
 *
 * <p><b>Reproducibility.</b> The initial weights ({@link TargetNetwork#random}, PyTorch's default
 * {@code nn.Linear} range) and the order of the training images (a Fisher-Yates shuffle per epoch
 * driven by {@link CounterRandom}) are pure functions of the seed, identical on every machine;
 * DJL's engine seed is set too ({@code Engine.setRandomSeed}), although nothing here draws from it.
 * Adam has no randomness. What is left is floating point: libtorch's CPU kernels give the same bits
 * run after run with the same libtorch build, CPU instruction set and thread count (the tests check
 * two runs in one JVM give identical weights), but another thread count, CPU (AVX2 against AVX-512)
 * or a GPU changes the rounding of sums, and such differences grow over the epochs: expect test
 * accuracies equal to within a few tenths of a percent there, not identical weights. The thread
 * count is the configuration's ({@link TrainConfig#threads()}, default 1, as the CLI's), set for
 * the training and restored after it; the kernels are pinned to AVX2 by the environment of sltk's
 * processes ({@link org.sltk.util.CpuKernels}). Each batch's loss and gradients are checked before
 * the optimizer step (see {@link NonFiniteTrainingException}).
 *
 * <p>Cost: one epoch of LeNet-300-100 over 8,000 MNIST digits takes about 0.4 s on 2 CPU cores.
 */
public final class TargetTrainer {

    /**
     * Images per evaluation batch: dense networks take all the test digits at once, conv ones 500.
     */
    private static final int EVAL_CHUNK = 2000;

    private static final int CONV_EVAL_CHUNK = 500;

    private final TrainConfig config;
    private PrintWriter progress;
    private Consumer<EpochStats> onEpoch = e -> {};
    private EpochLoop.GradientHook hook = EpochLoop.GradientHook.NONE;

    /**
     * Creates a trainer.
     *
     * @param config the configuration
     */
    public TargetTrainer(TrainConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Draws a progress bar for each epoch on the given stream (usually stderr); none by default.
     *
     * @param progress the stream, or null for none
     * @return this trainer
     */
    public TargetTrainer optProgress(PrintWriter progress) {
        this.progress = progress;
        return this;
    }

    /**
     * Calls the consumer after every epoch, e.g. to print {@link EpochStats#toLine()}.
     *
     * @param onEpoch the consumer
     * @return this trainer
     */
    public TargetTrainer optOnEpoch(Consumer<EpochStats> onEpoch) {
        this.onEpoch = Objects.requireNonNull(onEpoch);
        return this;
    }

    /** Test hook: sees (and may corrupt) every pass's gradients. */
    TargetTrainer optGradientHook(EpochLoop.GradientHook hook) {
        this.hook = Objects.requireNonNull(hook);
        return this;
    }

    /**
     * Returns the configuration.
     *
     * @return the configuration
     */
    public TrainConfig config() {
        return config;
    }

    /**
     * Trains the MLP of the configuration's hidden widths (input and output widths from the data),
     * like {@link #train(Architecture, ImageSet, ImageSet)}.
     *
     * @param train the training images
     * @param test the held-out images
     * @return the trained network with its history
     */
    public TrainResult train(ImageSet train, ImageSet test) {
        checkSplits(train, test);
        return train(
                Architecture.mlp(
                        config.widths(train.features(), train.numClasses()), config.bias()),
                train,
                test);
    }

    /**
     * Trains a network on the training split, evaluating on the test split after every epoch, with
     * the configuration's libtorch thread count (restored afterwards) and, if the configuration
     * asks for it, a validation split held out of the training images.
     *
     * @param architecture the architecture; its initial weights are {@link TargetNetwork#random}
     *     with the configuration's seed
     * @param train the training images
     * @param test the held-out images
     * @return the trained network with its history
     * @throws InputException if the splits disagree on image size or class count, one is empty, the
     *     images do not fit the architecture, or the training diverged
     * @throws NonFiniteTrainingException if a step gave a non-finite value that is not a divergence
     */
    public TrainResult train(Architecture architecture, ImageSet train, ImageSet test) {
        checkSplits(train, test);
        if (train.features() != architecture.inputSize()) {
            int[] in = architecture.inputShape();
            throw new InputException(
                    train.name()
                            + ": images have "
                            + train.features()
                            + " pixels, the network expects "
                            + in[0]
                            + "x"
                            + in[1]
                            + "x"
                            + in[2]);
        }
        Holdout holdout =
                config.validation() > 0
                        ? Holdout.carve(train, config.validation(), config.validationSeed())
                        : null;
        return TrainingMachine.withThreads(
                config.threads(),
                machine ->
                        fit(
                                architecture,
                                holdout == null ? train : holdout.train(),
                                test,
                                holdout == null ? null : holdout.validation(),
                                machine));
    }

    private TrainResult fit(
            Architecture architecture,
            ImageSet train,
            ImageSet test,
            ImageSet validation,
            TrainingMachine machine) {
        long start = System.nanoTime();
        TargetNetwork init = TargetNetwork.random(architecture, config.seed());
        Engines.engine().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        Device device = config.device();
        List<EpochStats> history = new ArrayList<>();
        IntFunction<Shape> shape = m -> DjlBlocks.inputShape(architecture, m);
        boolean conv = architecture.parametric().stream().anyMatch(l -> l instanceof Layer.Conv2d);
        int evalChunk = conv ? CONV_EVAL_CHUNK : EVAL_CHUNK;
        try (Model model = Model.newInstance("target", device, "PyTorch")) {
            SequentialBlock block = DjlBlocks.block(architecture);
            DjlBlocks.setParameters(block, init, model.getNDManager());
            model.setBlock(block);
            DefaultTrainingConfig tc =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    Tracker.fixed(config.learningRate()))
                                            .build())
                            .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(shape.apply(config.batchSize()));
                history.addAll(
                        EpochLoop.run(
                                trainer, train, test, config, shape, evalChunk, progress, onEpoch,
                                machine, hook));
                TargetNetwork trained = DjlBlocks.toNetwork(block, architecture, "trained network");
                double trainAcc = EpochLoop.accuracy(trainer, train, shape, evalChunk);
                double valAcc =
                        validation == null
                                ? Double.NaN
                                : EpochLoop.accuracy(trainer, validation, shape, evalChunk);
                double testAcc = history.get(history.size() - 1).testAccuracy();
                return new TrainResult(
                        trained,
                        config,
                        history,
                        trainAcc,
                        testAcc,
                        (System.nanoTime() - start) / 1e9,
                        valAcc,
                        machine);
            }
        }
    }

    /**
     * Sets the number of libtorch intra-op threads for the whole process, now and for an engine
     * started later ({@code ai.djl.pytorch.num_threads}).
     *
     * <p>One thread is the fastest for MLPs of this size and, unlike the default of one thread per
     * core, does not collapse when other processes share the cores (measured on 2 shared cores:
     * 0.2-0.4 s per MNIST epoch against 1.5-25 s). The thread count changes the rounding of sums,
     * so it is part of what makes a run bit-reproducible.
     *
     * @param threads the thread count, positive
     * @throws InputException if the count is not positive
     */
    public static void setEngineThreads(int threads) {
        if (threads <= 0) {
            throw new InputException("--threads: must be positive, found " + threads);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        Engines.engine();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /**
     * Returns the number of libtorch intra-op threads in use.
     *
     * @return the thread count
     */
    public static int engineThreads() {
        Engines.engine();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /**
     * Computes the accuracy of a network on an image set with DJL, on the given device.
     *
     * @param network the network
     * @param set the images
     * @param device where to compute
     * @return the fraction of images whose largest logit is at the true label
     */
    public static double accuracy(TargetNetwork network, ImageSet set, Device device) {
        if (set.features() != network.inputSize()) {
            throw new InputException(
                    set.name()
                            + ": images have "
                            + set.features()
                            + " pixels, network expects "
                            + network.inputSize());
        }
        long correct = 0;
        try (NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
            for (int from = 0; from < set.size(); from += EVAL_CHUNK) {
                int m = Math.min(EVAL_CHUNK, set.size() - from);
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x =
                            sub.create(
                                    EpochLoop.chunk(set, from, m),
                                    DjlBlocks.inputShape(network.architecture(), m));
                    correct += EpochLoop.countCorrect(network.forward(x), set.labels(), null, from);
                }
            }
        }
        return set.size() == 0 ? 0 : (double) correct / set.size();
    }

    private static void checkSplits(ImageSet train, ImageSet test) {
        if (train.size() == 0) {
            throw new InputException(train.name() + ": no training images");
        }
        if (test.size() == 0) {
            throw new InputException(test.name() + ": no test images");
        }
        if (train.features() != test.features() || train.numClasses() != test.numClasses()) {
            throw new InputException(
                    test.name()
                            + ": "
                            + test.shape()
                            + " images in "
                            + test.numClasses()
                            + " classes, but "
                            + train.name()
                            + " has "
                            + train.shape()
                            + " in "
                            + train.numClasses());
        }
    }
}
