package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;
import org.sltk.util.CpuKernels;
import org.sltk.util.InputException;
import org.sltk.util.Progress;

/**
 * The training epochs both trainers run (dense and convolutional targets): mini-batches in a seeded
 * order from sltk's generator, softmax cross-entropy steps, per-epoch loss, train and test
 * accuracy. Only the shape of a batch differs between the two, so it is a parameter.
 */
final class EpochLoop {

    private EpochLoop() {}

    /**
     * A test hook called after every backward pass, before the gradients are checked: it may
     * corrupt them to stand in for a faulty kernel. Attempt 0 is a batch's first computation, 1 its
     * recomputation after a non-finite value.
     */
    interface GradientHook {
        /** No hook. */
        GradientHook NONE = (epoch, batch, attempt, gradients) -> {};

        /**
         * Sees (and may change in place) the gradients of one pass.
         *
         * @param epoch the epoch, from 1
         * @param batch the batch within the epoch, from 1
         * @param attempt 0 for the first computation, 1 for the recomputation
         * @param gradients the gradients of the trainable parameters, in block order
         */
        void afterBackward(int epoch, int batch, int attempt, NDList gradients);
    }

    /** Batch losses kept for the evidence of a divergence. */
    private static final int TRAIL = 8;

    /**
     * Magnitude of a parameter or logit that counts as blown up (trained LeNets stay below 10 and
     * 100).
     */
    static final double HUGE = 1e3;

    /**
     * Runs all epochs of a training.
     *
     * <p>Every batch is checked before the optimizer step: the loss (read anyway) and the sum of
     * every parameter gradient (one more reduction and read per batch) must be finite. On the first
     * non-finite value the batch's forward and backward pass is recomputed once from the same,
     * unchanged parameters (see {@link #nonFinite}); the training then stops with an error that
     * says whether the value reproduced, and blames the learning rate only for a divergence.
     *
     * @param trainer the initialised DJL trainer
     * @param train the training images
     * @param test the held-out images
     * @param config the configuration (epochs, batch size, seed)
     * @param batchShape the input shape of a batch of m images
     * @param evalChunk images per evaluation batch
     * @param progress where to draw a progress bar, or null
     * @param onEpoch called after every epoch
     * @param machine what the training runs with, for the error messages
     * @param hook the test hook ({@link GradientHook#NONE} outside tests)
     * @return the per-epoch statistics
     * @throws InputException if the training diverged (the fix is a smaller {@code --lr})
     * @throws NonFiniteTrainingException for a non-finite value that is not a divergence
     */
    static List<EpochStats> run(
            Trainer trainer,
            ImageSet train,
            ImageSet test,
            TrainConfig config,
            IntFunction<Shape> batchShape,
            int evalChunk,
            PrintWriter progress,
            Consumer<EpochStats> onEpoch,
            TrainingMachine machine,
            GradientHook hook) {
        List<EpochStats> history = new ArrayList<>();
        CounterRandom rng = new CounterRandom(config.seed());
        int n = train.size();
        int f = train.features();
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        float[] pixels = train.pixels();
        int[] labels = train.labels();
        List<Pair<String, Parameter>> params = trainable(trainer);
        Trail trail = new Trail();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] order = permutation(n, rng, epoch);
            Progress bar = Progress.on(progress, "epoch " + epoch + "/" + config.epochs(), batches);
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
                    NDArray x = bm.create(xb, batchShape.apply(m));
                    NDArray y = bm.create(yb);
                    Pass pass = pass(trainer, x, y, params, bm, hook, epoch, b + 1, 0);
                    if (!pass.finite()) {
                        bar.clear();
                        throw nonFinite(
                                trainer, x, y, xb, params, bm, hook, pass, trail, config, machine,
                                epoch, b + 1, batches);
                    }
                    trail.add(epoch, b + 1, pass.loss);
                    lossSum += pass.loss * (double) m;
                    correct += countCorrect(pass.logits, labels, order, from);
                    trainer.step();
                }
                bar.step(1);
            }
            double testAcc = accuracy(trainer, test, batchShape, evalChunk);
            double secs = (System.nanoTime() - t0) / 1e9;
            bar.clear();
            EpochStats stats =
                    new EpochStats(
                            epoch,
                            config.epochs(),
                            lossSum / n,
                            (double) correct / n,
                            testAcc,
                            secs);
            history.add(stats);
            trail.epochDone(stats.loss());
            onEpoch.accept(stats);
        }
        return history;
    }

    /** One forward and backward pass of a batch: its loss, the sum of all gradients, its logits. */
    private record Pass(float loss, float gradientSum, NDArray logits, NDList gradients) {
        boolean finite() {
            return Float.isFinite(loss) && Float.isFinite(gradientSum);
        }
    }

    private static Pass pass(
            Trainer trainer,
            NDArray x,
            NDArray y,
            List<Pair<String, Parameter>> params,
            NDManager bm,
            GradientHook hook,
            int epoch,
            int batch,
            int attempt) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDList pred = trainer.forward(new NDList(x));
            NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
            gc.backward(loss);
            NDList grads = new NDList(params.size());
            for (Pair<String, Parameter> p : params) {
                NDArray g = p.getValue().getArray().getGradient();
                g.attach(bm);
                grads.add(g);
            }
            hook.afterBackward(epoch, batch, attempt, grads);
            NDArray total = null;
            for (NDArray g : grads) {
                total = total == null ? g.sum() : total.add(g.sum());
            }
            float gsum = total == null ? 0f : total.getFloat();
            return new Pass(loss.getFloat(), gsum, pred.head(), grads);
        }
    }

    /**
     * Explains a non-finite loss or gradient: recomputes the batch once from the same parameters
     * (the optimizer has not stepped; the gradients are zeroed first, as PyTorch accumulates them)
     * and builds the error. Not reproduced: a kernel fault, never the learning rate. Reproduced: a
     * divergence if the loss was rising or parameters or logits blew up (the {@code --lr} message
     * with that evidence), otherwise a reproducible fault with the evidence that it is not a
     * divergence.
     */
    private static RuntimeException nonFinite(
            Trainer trainer,
            NDArray x,
            NDArray y,
            float[] pixels,
            List<Pair<String, Parameter>> params,
            NDManager bm,
            GradientHook hook,
            Pass first,
            Trail trail,
            TrainConfig config,
            TrainingMachine machine,
            int epoch,
            int batch,
            int batches) {
        String where = "epoch " + epoch + ", batch " + batch + " of " + batches;
        String what = describe(first, params);
        for (Pair<String, Parameter> p : params) {
            JniUtils.zeroGrad((PtNDArray) p.getValue().getArray());
        }
        Pass again = pass(trainer, x, y, params, bm, hook, epoch, batch, 1);
        String whatAgain = describe(again, params);
        if (whatAgain == null) {
            return new NonFiniteTrainingException(
                    String.format(
                            Locale.ROOT,
                            "%s: %s, but the same batch recomputed from the same parameters gave a finite loss (%.4g) and "
                                    + "finite gradients: the fault did not reproduce, so it is not the learning rate but most "
                                    + "likely a fault in a native kernel (%s); run with %s (./sltk sets them) and --threads 1",
                            where,
                            what == null ? "a non-finite gradient sum" : what,
                            again.loss,
                            machine.describe(),
                            pins()),
                    epoch,
                    batch,
                    false);
        }
        Extremes w =
                Extremes.of(
                        params.stream().map(p -> p.getValue().getArray().toFloatArray()).toList());
        Extremes z = Extremes.of(List.of(again.logits.toFloatArray()));
        Extremes img = Extremes.of(List.of(pixels));
        String evidence =
                String.format(
                        Locale.ROOT,
                        "loss %s; largest |parameter| %s; largest |logit| %s",
                        trail.describe(again.loss),
                        w.describe(),
                        z.describe());
        if (img.nonFinite > 0) {
            return new NonFiniteTrainingException(
                    where
                            + ": "
                            + whatAgain
                            + ", reproduced from the same parameters, "
                            + "and "
                            + img.nonFinite
                            + " pixel(s) of the batch's images are not finite: fix the data ("
                            + evidence
                            + ")",
                    epoch,
                    batch,
                    true);
        }
        boolean blownUp = w.maxAbs > HUGE || z.maxAbs > HUGE;
        if (trail.rising(again.loss) || blownUp) {
            return new InputException(
                    String.format(
                            Locale.ROOT,
                            "training diverged in %s: %s, reproduced from the same parameters (%s); try a smaller --lr (now %s)",
                            where,
                            whatAgain,
                            evidence,
                            config.learningRate()));
        }
        String params0 =
                w.nonFinite > 0
                        ? " (the parameters became non-finite in the previous step although its gradients were finite)"
                        : "";
        return new NonFiniteTrainingException(
                String.format(
                        Locale.ROOT,
                        "%s: %s, reproduced from the same parameters%s, but the training shows no sign of diverging (%s): not "
                                + "the learning rate; a deterministic fault in a native kernel (%s) is likely; try %s and "
                                + "--threads 1",
                        where,
                        whatAgain,
                        params0,
                        evidence,
                        machine.describe(),
                        pins()),
                epoch,
                batch,
                true);
    }

    /** What is non-finite in a pass (loss, gradients by parameter), or null if all is finite. */
    private static String describe(Pass pass, List<Pair<String, Parameter>> params) {
        List<String> bad = new ArrayList<>();
        if (!Float.isFinite(pass.loss)) {
            bad.add("the loss is " + pass.loss);
        }
        int parameters = 0;
        long values = 0;
        String firstBad = null;
        for (int i = 0; i < params.size(); i++) {
            Extremes e = Extremes.of(List.of(pass.gradients.get(i).toFloatArray()));
            if (e.nonFinite > 0) {
                parameters++;
                values += e.nonFinite;
                firstBad = firstBad == null ? params.get(i).getKey() : firstBad;
            }
        }
        if (parameters == 1) {
            bad.add("the gradient of " + firstBad + " has " + values + " non-finite value(s)");
        } else if (parameters > 1) {
            bad.add(
                    "the gradients of "
                            + parameters
                            + " parameters have "
                            + values
                            + " non-finite values (the first "
                            + firstBad
                            + ")");
        } else if (!Float.isFinite(pass.gradientSum)) {
            bad.add("the sum of the gradients overflowed (every gradient finite)");
        }
        return bad.isEmpty() ? null : String.join(" and ", bad);
    }

    private static String pins() {
        return CpuKernels.PINS.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** The trainable parameters of the trainer's block, in block order. */
    private static List<Pair<String, Parameter>> trainable(Trainer trainer) {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The count of non-finite values and the largest finite magnitude of some arrays. */
    private record Extremes(long nonFinite, double maxAbs) {
        static Extremes of(List<float[]> arrays) {
            long bad = 0;
            double max = 0;
            for (float[] a : arrays) {
                for (float v : a) {
                    if (!Float.isFinite(v)) {
                        bad++;
                    } else if (Math.abs(v) > max) {
                        max = Math.abs(v);
                    }
                }
            }
            return new Extremes(bad, max);
        }

        String describe() {
            return String.format(Locale.ROOT, "%.3g", maxAbs)
                    + (nonFinite > 0 ? " (" + nonFinite + " non-finite)" : "");
        }
    }

    /**
     * The loss so far: the first batch, the lowest batch loss, the last few batches and the epoch
     * means.
     */
    private static final class Trail {
        private final List<Double> epochs = new ArrayList<>();
        private final double[] last = new double[TRAIL];
        private int count;
        private double first = Double.NaN;
        private double min = Double.POSITIVE_INFINITY;
        private String minAt = "";

        void add(int epoch, int batch, double loss) {
            if (count == 0) {
                first = loss;
            }
            if (loss < min) {
                min = loss;
                minAt = "epoch " + epoch + " batch " + batch;
            }
            last[count % TRAIL] = loss;
            count++;
        }

        void epochDone(double mean) {
            epochs.add(mean);
        }

        /**
         * Whether the loss went up: the latest finite loss (the current batch's if finite, else the
         * last batch's) is above twice the lowest and above the first.
         */
        boolean rising(float now) {
            if (count == 0) {
                return false;
            }
            double latest = Float.isFinite(now) ? now : last[(count - 1) % TRAIL];
            return latest > 2 * min && latest > first;
        }

        String describe(float now) {
            if (count == 0) {
                return "non-finite in the first batch (" + now + ")";
            }
            StringBuilder sb =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "first batch %.4g, lowest %.4g (%s)",
                                    first,
                                    min,
                                    minAt));
            if (!epochs.isEmpty()) {
                sb.append(", epoch means");
                for (double e : epochs) {
                    sb.append(String.format(Locale.ROOT, " %.4g", e));
                }
            }
            sb.append(", last batches");
            for (int i = Math.max(0, count - TRAIL); i < count; i++) {
                sb.append(String.format(Locale.ROOT, " %.4g", last[i % TRAIL]));
            }
            sb.append(" then ").append(now);
            return sb.toString();
        }
    }

    /**
     * Returns the accuracy of the trainer's model on an image set.
     *
     * @param trainer the trainer
     * @param set the images
     * @param batchShape the input shape of a batch of m images
     * @param evalChunk images per batch
     * @return the fraction classified right
     */
    static double accuracy(
            Trainer trainer, ImageSet set, IntFunction<Shape> batchShape, int evalChunk) {
        long correct = 0;
        for (int from = 0; from < set.size(); from += evalChunk) {
            int m = Math.min(evalChunk, set.size() - from);
            try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray x = sub.create(chunk(set, from, m), batchShape.apply(m));
                correct +=
                        countCorrect(
                                trainer.evaluate(new NDList(x)).head(), set.labels(), null, from);
            }
        }
        return (double) correct / set.size();
    }

    /** Returns pixels of images [from, from + m) as one array. */
    static float[] chunk(ImageSet set, int from, int m) {
        float[] x = new float[m * set.features()];
        System.arraycopy(set.pixels(), from * set.features(), x, 0, x.length);
        return x;
    }

    /** Counts the rows whose largest logit is at the label (rows in {@code order} when given). */
    static long countCorrect(NDArray logits, int[] labels, int[] order, int from) {
        long[] pred = logits.argMax(1).toLongArray();
        long c = 0;
        for (int r = 0; r < pred.length; r++) {
            int idx = order == null ? from + r : order[from + r];
            if (pred[r] == labels[idx]) {
                c++;
            }
        }
        return c;
    }

    /** A Fisher-Yates permutation of [0, n) drawn from stream {@code epoch} of the generator. */
    static int[] permutation(int n, CounterRandom rng, int epoch) {
        return org.sltk.data.SeededSampler.permutation(rng, n, epoch);
    }
}
