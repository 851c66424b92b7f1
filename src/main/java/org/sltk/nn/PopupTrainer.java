package org.sltk.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;
import org.sltk.util.Engines;
import org.sltk.util.InputException;
import org.sltk.util.Progress;

/**
 * Edge-popup (Ramanujan et al., CVPR 2020; allenai/hidden-networks): finds a ticket of a {@link
 * PopupNetwork} by training its scores, never its weights.
 *
 * <p>Every step: per layer the mask m of the kept count of highest score ({@link
 * PopupNetwork#mask}, exact, ties to the lower index); the forward uses w * m; the backward is
 * straight-through, dL/ds = dL/d(w m) * w (in DJL autograd: w * m is the leaf whose gradient is
 * taken, then multiplied by w). Softmax cross-entropy; SGD with momentum and weight decay on the
 * scores in PyTorch's form (v = mu v + g + wd s; s -= lr v); the learning rate follows a cosine
 * over the epochs (epoch e of E uses lr * (1 + cos(pi (e - 1) / E)) / 2, the paper's {@code
 * cosine_lr} without warm-up). Defaults are the paper's small-scale settings (lr 0.1, momentum 0.9,
 * weight decay 1e-4 as its CIFAR-10 Conv configs, batch 128). Batches come in the seeded order of
 * {@link TargetTrainer}; with the same seed, libtorch build, CPU kernels and thread count a run
 * gives the same bits.
 */
public final class PopupTrainer {

    private int epochs = 10;
    private float learningRate = 0.1f;
    private float momentum = 0.9f;
    private float weightDecay = 1e-4f;
    private int batchSize = 128;
    private long seed = 1;
    private int threads = 1;
    private Device device = Device.cpu();
    private PrintWriter progress;
    private Consumer<EpochStats> onEpoch = e -> {};

    /**
     * Sets the epochs.
     *
     * @param epochs passes over the training images, positive
     * @return this
     */
    public PopupTrainer optEpochs(int epochs) {
        if (epochs < 1) {
            throw new InputException("--epochs: must be positive, found " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /**
     * Sets the base learning rate.
     *
     * @param lr positive
     * @return this
     */
    public PopupTrainer optLearningRate(float lr) {
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new InputException("--lr: must be positive, found " + lr);
        }
        this.learningRate = lr;
        return this;
    }

    /**
     * Sets the momentum.
     *
     * @param momentum in [0, 1)
     * @return this
     */
    public PopupTrainer optMomentum(float momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InputException("--momentum: must be in [0, 1), found " + momentum);
        }
        this.momentum = momentum;
        return this;
    }

    /**
     * Sets the weight decay on the scores.
     *
     * @param wd non-negative
     * @return this
     */
    public PopupTrainer optWeightDecay(float wd) {
        if (!(wd >= 0) || !Float.isFinite(wd)) {
            throw new InputException("--weight-decay: must be non-negative, found " + wd);
        }
        this.weightDecay = wd;
        return this;
    }

    /**
     * Sets the batch size.
     *
     * @param batchSize positive
     * @return this
     */
    public PopupTrainer optBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new InputException("--batch-size: must be positive, found " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Sets the seed of the batch order.
     *
     * @param seed the seed
     * @return this
     */
    public PopupTrainer optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Sets the libtorch thread count used during the search (restored after it).
     *
     * @param threads positive
     * @return this
     */
    public PopupTrainer optThreads(int threads) {
        if (threads < 1) {
            throw new InputException("--threads: must be positive, found " + threads);
        }
        this.threads = threads;
        return this;
    }

    /**
     * Sets the device.
     *
     * @param device where to compute
     * @return this
     */
    public PopupTrainer optDevice(Device device) {
        this.device = Objects.requireNonNull(device);
        return this;
    }

    /**
     * Draws a progress bar per epoch on the stream; none by default.
     *
     * @param progress the stream or null
     * @return this
     */
    public PopupTrainer optProgress(PrintWriter progress) {
        this.progress = progress;
        return this;
    }

    /**
     * Calls the consumer after every epoch.
     *
     * @param onEpoch the consumer
     * @return this
     */
    public PopupTrainer optOnEpoch(Consumer<EpochStats> onEpoch) {
        this.onEpoch = Objects.requireNonNull(onEpoch);
        return this;
    }

    /**
     * Returns the training settings as recorded in a run.
     *
     * @return name to value, in a fixed order
     */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("optimizer", "sgd");
        m.put("lr", Double.parseDouble(Float.toString(learningRate)));
        m.put("lrSchedule", "cosine per epoch, no warm-up");
        m.put("momentum", Double.parseDouble(Float.toString(momentum)));
        m.put("nesterov", false);
        m.put("weightDecay", Double.parseDouble(Float.toString(weightDecay)));
        m.put("batchSize", batchSize);
        m.put("loss", "softmax cross-entropy");
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("device", device.toString());
        return m;
    }

    /** The learning rate of epoch e (1-based) of the cosine schedule. */
    double learningRate(int epoch) {
        return learningRate * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
    }

    /**
     * The outcome of a search.
     *
     * @param masks the ticket, one mask per layer
     * @param scores the final scores, per layer row-major (out, rowLength)
     * @param history per-epoch loss and accuracies (the train accuracy is of the running masks)
     * @param testAccuracy the final ticket's test accuracy
     * @param seconds wall time of the search
     * @param machine threads, engine and CPU it ran with
     */
    public record Result(
            List<PairMask> masks,
            List<float[]> scores,
            List<EpochStats> history,
            double testAccuracy,
            double seconds,
            TrainingMachine machine) {}

    /**
     * Searches a ticket.
     *
     * @param net the random network
     * @param train the training images
     * @param test the test images
     * @return the result
     * @throws InputException if the images do not fit the network or the loss is not finite
     */
    public Result train(PopupNetwork net, ImageSet train, ImageSet test) {
        Architecture arch = net.architecture();
        for (ImageSet s : List.of(train, test)) {
            if (s.features() != arch.inputSize() || s.size() == 0) {
                throw new InputException(
                        s.name()
                                + ": "
                                + s.size()
                                + " images of "
                                + s.features()
                                + " pixels, the network takes "
                                + arch.inputSize());
            }
        }
        return TrainingMachine.withThreads(threads, machine -> fit(net, train, test, machine));
    }

    private Result fit(PopupNetwork net, ImageSet train, ImageSet test, TrainingMachine machine) {
        long start = System.nanoTime();
        int layers = net.layerCount();
        Architecture arch = net.architecture();
        List<EpochStats> history = new ArrayList<>();
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(device, "PyTorch")) {
            NDList weights = new NDList();
            NDArray[] scores = new NDArray[layers];
            NDArray[] velocity = new NDArray[layers];
            float[][] hostScores = new float[layers][];
            for (int p = 0; p < layers; p++) {
                Shape s = new Shape(net.layer(p).out(), net.rowLength(p));
                weights.add(m.create(net.trainingParameters(p), s));
                hostScores[p] = net.initialScores(p);
                scores[p] = m.create(hostScores[p], s);
                velocity[p] = m.zeros(s);
            }
            CounterRandom rng = new CounterRandom(seed);
            int n = train.size();
            int f = train.features();
            int batches = (n + batchSize - 1) / batchSize;
            Loss loss = Loss.softmaxCrossEntropyLoss();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long t0 = System.nanoTime();
                float lr = (float) learningRate(epoch);
                int[] order = EpochLoop.permutation(n, rng, epoch);
                Progress bar = Progress.on(progress, "epoch " + epoch + "/" + epochs, batches);
                double lossSum = 0;
                long correct = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    int mb = Math.min(batchSize, n - from);
                    float[] xb = new float[mb * f];
                    float[] yb = new float[mb];
                    for (int r = 0; r < mb; r++) {
                        int idx = order[from + r];
                        System.arraycopy(train.pixels(), idx * f, xb, r * f, f);
                        yb[r] = train.labels()[idx];
                    }
                    try (NDManager bm = m.newSubManager()) {
                        // the effective parameters w * m are the leaves of the graph; the
                        // straight-through gradient of the scores is then dL/d(w m) * w
                        NDList eff = new NDList();
                        for (int p = 0; p < layers; p++) {
                            NDArray mask =
                                    bm.create(
                                            net.denseMask(p, net.mask(p, hostScores[p])),
                                            scores[p].getShape());
                            NDArray e = mask.mul(weights.get(p)); // owned by bm, like mask
                            mask.close();
                            e.setRequiresGradient(true);
                            eff.add(e);
                        }
                        NDArray x = bm.create(xb, DjlBlocks.inputShape(arch, mb));
                        NDArray y = bm.create(yb);
                        float lv;
                        NDArray logits;
                        try (GradientCollector gc = Engines.engine().newGradientCollector()) {
                            logits = forward(arch, x, eff);
                            NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
                            gc.backward(l);
                            lv = l.getFloat();
                        }
                        if (!Float.isFinite(lv)) {
                            bar.clear();
                            throw new InputException(
                                    "edge-popup: loss "
                                            + lv
                                            + " at epoch "
                                            + epoch
                                            + " batch "
                                            + (b + 1)
                                            + "; lower --lr");
                        }
                        lossSum += lv * (double) mb;
                        correct += EpochLoop.countCorrect(logits, train.labels(), order, from);
                        for (int p = 0; p < layers; p++) {
                            // PyTorch's SGD: v = mu v + (g + wd s); s -= lr v, in place
                            // (temporaries of arrays owned by m are closed at once: m lives
                            // for the whole search)
                            NDArray g = eff.get(p).getGradient().mul(weights.get(p));
                            NDArray decay = scores[p].mul(weightDecay);
                            g.addi(decay);
                            decay.close();
                            velocity[p].muli(momentum).addi(g);
                            g.close();
                            NDArray step = velocity[p].mul(lr);
                            scores[p].subi(step);
                            step.close();
                            hostScores[p] = scores[p].toFloatArray();
                            eff.get(p).close();
                        }
                    }
                    bar.step(1);
                }
                List<PairMask> now = masks(net, hostScores);
                double testAcc = accuracy(net.ticket(now), test, device);
                bar.clear();
                EpochStats stats =
                        new EpochStats(
                                epoch,
                                epochs,
                                lossSum / n,
                                (double) correct / n,
                                testAcc,
                                (System.nanoTime() - t0) / 1e9);
                history.add(stats);
                onEpoch.accept(stats);
            }
            List<PairMask> fin = masks(net, hostScores);
            return new Result(
                    fin,
                    List.of(hostScores),
                    history,
                    history.get(history.size() - 1).testAccuracy(),
                    (System.nanoTime() - start) / 1e9,
                    machine);
        }
    }

    /** The masks the current scores choose. */
    static List<PairMask> masks(PopupNetwork net, float[][] scores) {
        List<PairMask> out = new ArrayList<>();
        for (int p = 0; p < net.layerCount(); p++) {
            out.add(net.mask(p, scores[p]));
        }
        return out;
    }

    /**
     * The forward pass with the given effective parameters, (out, rowLength) per layer: the
     * weights, then the bias column where the layer has biases.
     *
     * @param arch the architecture
     * @param x the inputs
     * @param weights one array per conv or dense layer
     * @return the logits
     */
    static NDArray forward(Architecture arch, NDArray x, NDList weights) {
        NDArray h = TargetNetwork.inputTensor(x, arch);
        int p = 0;
        for (Layer l : arch.layers()) {
            if (l instanceof Layer.Parametric pl) {
                NDArray w = weights.get(p++);
                NDArray b = null;
                if (pl.bias()) {
                    int f = pl.fanIn();
                    b = w.get(new NDIndex(":, " + f));
                    w = w.get(new NDIndex(":, 0:" + f));
                }
                if (pl instanceof Layer.Conv2d c) {
                    h =
                            Conv2d.conv2d(
                                            h,
                                            w.reshape(c.out(), c.in(), c.kernel(), c.kernel()),
                                            b,
                                            new Shape(c.stride(), c.stride()),
                                            new Shape(c.padding(), c.padding()),
                                            new Shape(c.dilation(), c.dilation()))
                                    .head();
                } else {
                    h = TargetNetwork.flatten(h).matMul(w.transpose());
                    if (b != null) {
                        h = h.add(b);
                    }
                }
            } else if (l.kind() == Layer.Kind.RELU) {
                h = Activation.relu(h);
            } else {
                h = TargetNetwork.applyFixed(h, l);
            }
        }
        return h;
    }

    /**
     * The accuracy of a ticket (as a network) on an image set, in chunks.
     *
     * @param network the ticket
     * @param set the images
     * @param device where to compute
     * @return the fraction classified right
     */
    public static double accuracy(TargetNetwork network, ImageSet set, Device device) {
        return TargetTrainer.accuracy(network, set, device);
    }
}
