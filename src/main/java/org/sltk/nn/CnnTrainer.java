package org.sltk.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Trains a {@link SequentialTarget} (e.g. LeNet-5) with DJL like {@link TargetTrainer} trains an
 * MLP: softmax cross-entropy, Adam, mini-batches in the seeded order of
 * {@link TargetTrainer#permutation}, the initial weights of {@link SequentialTarget#random}, and
 * an evaluation on the test split after every epoch.
 */
public final class CnnTrainer {

    private static final int EVAL_CHUNK = 500;

    private final SequentialSpec spec;
    private final TrainConfig config;
    private Consumer<EpochStats> onEpoch = e -> {};

    /**
     * Creates a trainer.
     *
     * @param spec the architecture
     * @param config epochs, learning rate, batch size, seed and device (its hidden widths are unused)
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

    /**
     * The trained target.
     *
     * @param target the trained network
     * @param config the configuration
     * @param history per-epoch statistics
     * @param trainAccuracy final accuracy on the training split
     * @param testAccuracy final accuracy on the test split
     * @param seconds wall time
     */
    public record Result(SequentialTarget target, TrainConfig config, List<EpochStats> history, double trainAccuracy,
            double testAccuracy, double seconds) {}

    /**
     * Trains.
     *
     * @param train the training images
     * @param test the held-out images
     * @return the result
     */
    public Result train(ImageSet train, ImageSet test) {
        int[] in = spec.inputShape();
        if (train.features() != spec.inputSize() || test.features() != spec.inputSize()) {
            throw new InputException(train.name() + ": images have " + train.features() + " pixels, the network expects "
                    + in[0] + "x" + in[1] + "x" + in[2]);
        }
        long start = System.nanoTime();
        SequentialTarget init = SequentialTarget.random(spec, config.seed());
        Engines.engine().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        Device device = config.device();
        List<EpochStats> history = new ArrayList<>();
        try (Model model = Model.newInstance("cnn", device, "PyTorch")) {
            SequentialBlock block = CnnBuilder.block(spec);
            CnnBuilder.setParameters(block, init, model.getNDManager());
            model.setBlock(block);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                    .optDevices(new Device[] {device});
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(CnnBuilder.inputShape(spec, config.batchSize()));
                CounterRandom rng = new CounterRandom(config.seed());
                int n = train.size();
                int f = train.features();
                int batches = (n + config.batchSize() - 1) / config.batchSize();
                float[] pixels = train.pixels();
                int[] labels = train.labels();
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    int[] order = TargetTrainer.permutation(n, rng, epoch);
                    double lossSum = 0;
                    long correct = 0;
                    for (int b = 0; b < batches; b++) {
                        int from = b * config.batchSize();
                        int m = Math.min(config.batchSize(), n - from);
                        float[] xb = new float[m * f];
                        float[] yb = new float[m];
                        for (int r = 0; r < m; r++) {
                            int idx = order[from + r];
                            System.arraycopy(pixels, idx * f, xb, r * f, f);
                            yb[r] = labels[idx];
                        }
                        try (NDManager bm = trainer.getManager().newSubManager()) {
                            NDArray x = bm.create(xb, CnnBuilder.inputShape(spec, m));
                            NDArray y = bm.create(yb);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList pred = trainer.forward(new NDList(x));
                                NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                                gc.backward(loss);
                                lossSum += loss.getFloat() * (double) m;
                                long[] p = pred.head().argMax(1).toLongArray();
                                for (int r = 0; r < m; r++) {
                                    correct += p[r] == labels[order[from + r]] ? 1 : 0;
                                }
                            }
                            trainer.step();
                        }
                    }
                    if (!Double.isFinite(lossSum)) {
                        throw new InputException("training diverged in epoch " + epoch + "; try a smaller --lr");
                    }
                    double testAcc = accuracy(trainer, test);
                    EpochStats stats = new EpochStats(epoch, config.epochs(), lossSum / n, (double) correct / n, testAcc,
                            (System.nanoTime() - t0) / 1e9);
                    history.add(stats);
                    onEpoch.accept(stats);
                }
                SequentialTarget trained = CnnBuilder.toTarget(block, spec, "trained network");
                double trainAcc = accuracy(trainer, train);
                return new Result(trained, config, history, trainAcc, history.get(history.size() - 1).testAccuracy(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private double accuracy(Trainer trainer, ImageSet set) {
        long correct = 0;
        int f = set.features();
        for (int from = 0; from < set.size(); from += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, set.size() - from);
            float[] x = new float[m * f];
            System.arraycopy(set.pixels(), from * f, x, 0, x.length);
            try (NDManager sub = trainer.getManager().newSubManager()) {
                long[] p = trainer.evaluate(new NDList(sub.create(x, CnnBuilder.inputShape(spec, m)))).head().argMax(1).toLongArray();
                for (int r = 0; r < m; r++) {
                    correct += p[r] == set.labels()[from + r] ? 1 : 0;
                }
            }
        }
        return (double) correct / set.size();
    }
}
