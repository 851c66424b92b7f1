package org.sltk.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.sltk.data.ImageSet;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The training epochs both trainers run (dense and convolutional targets): mini-batches in a
 * seeded order from sltk's generator, softmax cross-entropy steps, per-epoch loss, train and test
 * accuracy. Only the shape of a batch differs between the two, so it is a parameter.
 */
final class EpochLoop {

    private EpochLoop() {}

    /**
     * Runs all epochs of a training.
     *
     * @param trainer the initialised DJL trainer
     * @param train the training images
     * @param test the held-out images
     * @param config the configuration (epochs, batch size, seed)
     * @param batchShape the input shape of a batch of m images
     * @param evalChunk images per evaluation batch
     * @param progress where to draw a progress bar, or null
     * @param onEpoch called after every epoch
     * @return the per-epoch statistics
     */
    static List<EpochStats> run(Trainer trainer, ImageSet train, ImageSet test, TrainConfig config,
            IntFunction<Shape> batchShape, int evalChunk, PrintWriter progress, Consumer<EpochStats> onEpoch) {
        List<EpochStats> history = new ArrayList<>();
        CounterRandom rng = new CounterRandom(config.seed());
        int n = train.size();
        int f = train.features();
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        float[] pixels = train.pixels();
        int[] labels = train.labels();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] order = permutation(n, rng, epoch);
            Bar bar = new Bar(progress, "epoch " + epoch + "/" + config.epochs(), batches);
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
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList pred = trainer.forward(new NDList(x));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                        gc.backward(loss);
                        lossSum += loss.getFloat() * (double) m;
                        correct += countCorrect(pred.head(), labels, order, from);
                    }
                    trainer.step();
                }
                bar.step(b + 1);
            }
            double testAcc = accuracy(trainer, test, batchShape, evalChunk);
            double secs = (System.nanoTime() - t0) / 1e9;
            bar.done();
            if (!Double.isFinite(lossSum)) {
                throw new InputException(
                        "training diverged in epoch " + epoch + " (loss is " + lossSum / n + "); try a smaller --lr");
            }
            EpochStats stats = new EpochStats(epoch, config.epochs(), lossSum / n, (double) correct / n, testAcc, secs);
            history.add(stats);
            onEpoch.accept(stats);
        }
        return history;
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
    static double accuracy(Trainer trainer, ImageSet set, IntFunction<Shape> batchShape, int evalChunk) {
        long correct = 0;
        for (int from = 0; from < set.size(); from += evalChunk) {
            int m = Math.min(evalChunk, set.size() - from);
            try (NDManager sub = trainer.getManager().newSubManager()) {
                NDArray x = sub.create(chunk(set, from, m), batchShape.apply(m));
                correct += countCorrect(trainer.evaluate(new NDList(x)).head(), set.labels(), null, from);
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

    /**
     * A one-line text progress bar redrawn in place with carriage returns, in 5% steps; not drawn
     * when the command line runs without a terminal (system property {@code sltk.console} is
     * {@code false}), so logs get the per-epoch lines and no carriage-return noise.
     */
    private static final class Bar {
        private static final int WIDTH = 30;
        private final PrintWriter out;
        private final String label;
        private final int total;
        private int shown = -1;

        Bar(PrintWriter out, String label, int total) {
            this.out = "false".equals(System.getProperty("sltk.console")) ? null : out;
            this.label = label;
            this.total = total;
            step(0);
        }

        void step(int done) {
            if (out == null) {
                return;
            }
            int pct = (int) (100L * done / total);
            if (pct / 5 == shown / 5 && done != total) {
                return;
            }
            shown = pct;
            int fill = WIDTH * done / total;
            out.print("\r" + label + " [" + "=".repeat(fill) + " ".repeat(WIDTH - fill) + "] " + pct + "%");
            out.flush();
        }

        void done() {
            if (out != null) {
                out.print("\r" + " ".repeat(label.length() + WIDTH + 8) + "\r");
                out.flush();
            }
        }
    }
}
