package org.sltk.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.sltk.data.ImageSet;
import org.sltk.data.InputDomain;
import org.sltk.nn.Layer;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.prune.Arithmetic;
import org.sltk.prune.ErrorBound;
import org.sltk.prune.TicketBound;
import org.sltk.util.Engines;
import org.sltk.util.InputException;

/**
 * Compares a ticket with its target on a dataset: both run as float32 tensors on the chosen device
 * (the ticket through its effective pass, {@link MaskedNetwork#forwardEffectiveLayers}; it and the
 * compact pass are checked against the plain masked pass on the first images), and the guaranteed
 * bound ({@link ErrorBound}) is computed per image in float64: every image's logit differences are
 * checked against the interval its own bound guarantees, and the a-priori bound over the input box
 * is reported next to it.
 *
 * <pre>{@code
 * EvalReport r = new Evaluator(Device.cpu()).evaluate(target, ticket, test, true);
 * r.agreement();  // e.g. 0.999
 * }</pre>
 */
public final class Evaluator {

    private static final int BATCH = 1000;

    /** The arithmetic of a report without a guaranteed bound ({@link #evaluateTrained}). */
    public static final String NO_BOUND = "none";

    /**
     * Images per batch of a target with conv layers (the effective pass is the target's size; the
     * compact pass, which materialises every used hidden channel, runs only on the checked images).
     */
    private static final int CNN_BATCH = 100;

    private final Device device;
    private final int denseCheck;

    /** Images on which the plain masked pass checks the effective and compact passes (dense). */
    public static final int DENSE_CHECK = 200;

    /**
     * Images on which the plain masked pass checks the effective and compact passes of a ticket
     * with conv pairs: the plain pass convolves every used random channel at every position (about
     * 4 GMAC per CIFAR-10 image of the shipped VGG at density 0.25, 3.4 s on 2 shared cores), so it
     * checks the first 20 images, and the report says how many ({@code denseCheckedImages}).
     */
    public static final int CNN_DENSE_CHECK = 20;

    /**
     * Creates an evaluator that checks the plain masked pass on the first {@value #DENSE_CHECK}
     * images ({@value #CNN_DENSE_CHECK} for a ticket with conv pairs).
     *
     * @param device where the tensors run
     */
    public Evaluator(Device device) {
        this(device, -1);
    }

    /**
     * Creates an evaluator.
     *
     * @param device where the tensors run
     * @param denseCheck images on which to run the plain masked pass as a check (0: none; -1: the
     *     defaults {@value #DENSE_CHECK} and {@value #CNN_DENSE_CHECK})
     */
    public Evaluator(Device device, int denseCheck) {
        this.device = device;
        this.denseCheck = denseCheck;
    }

    /**
     * Evaluates a ticket, with its bound for the arithmetic of this evaluator's device ({@link
     * Arithmetic#of}).
     *
     * @param target the target network
     * @param ticket the pruned random network
     * @param data the images
     * @param nonNegativeInput whether the ticket was pruned for non-negative inputs (checked: the
     *     domain is then [0, inf), else unbounded)
     * @return the report
     */
    public EvalReport evaluate(
            TargetNetwork target, MaskedNetwork ticket, ImageSet data, boolean nonNegativeInput) {
        return evaluate(
                target,
                ticket,
                data,
                nonNegativeInput ? InputDomain.NON_NEGATIVE : InputDomain.SIGNED);
    }

    /**
     * Evaluates a ticket on data that must lie in the input domain it was pruned for.
     *
     * @param target the target network
     * @param ticket the pruned random network
     * @param data the images
     * @param domain the input domain the ticket was pruned for (checked)
     * @return the report
     */
    public EvalReport evaluate(
            TargetNetwork target, MaskedNetwork ticket, ImageSet data, InputDomain domain) {
        return evaluate(
                target,
                ticket,
                data,
                domain,
                () -> new ErrorBound(target, ticket, domain.nonNegative(), arithmetic()));
    }

    /**
     * Evaluates a ticket against a given bound: every image's measured logit differences are
     * checked against the interval the bound guarantees for that image. With the bound of another
     * ticket (e.g. a correct one, while {@code ticket} has corrupted masks) this shows the check
     * can fail.
     *
     * @param target the target network
     * @param ticket the pruned random network whose passes are measured
     * @param data the images
     * @param nonNegativeInput whether the ticket was pruned for non-negative inputs (checked)
     * @param bound the bound to check the measured errors against
     * @return the report
     */
    public EvalReport evaluate(
            TargetNetwork target,
            MaskedNetwork ticket,
            ImageSet data,
            boolean nonNegativeInput,
            TicketBound bound) {
        return evaluate(
                target,
                ticket,
                data,
                nonNegativeInput ? InputDomain.NON_NEGATIVE : InputDomain.SIGNED,
                () -> bound);
    }

    private EvalReport evaluate(
            TargetNetwork target,
            MaskedNetwork ticket,
            ImageSet data,
            InputDomain domain,
            Supplier<TicketBound> bound) {
        int[] width = new int[target.parametricCount()];
        for (int l = 0; l < width.length; l++) {
            int[] s = target.outputShapeOf(l);
            width[l] = s[0] * s[1] * s[2];
        }
        boolean conv =
                target.architecture().parametric().stream()
                        .anyMatch(l -> l instanceof Layer.Conv2d);
        Pass pass =
                new Pass(
                        target.inputSize(),
                        target.outputSize(),
                        width,
                        conv ? CNN_BATCH : BATCH,
                        conv,
                        target::forwardLayers,
                        bound);
        return evaluate(pass, ticket, data, domain);
    }

    /**
     * Returns the arithmetic the bound assumes on this evaluator's device: float32 on a CPU; on a
     * GPU, TF32 unless {@value Arithmetic#TF32_OVERRIDE}=0 turned it off for this process.
     *
     * @return the arithmetic
     */
    public Arithmetic arithmetic() {
        return Arithmetic.of(device, System.getenv());
    }

    /**
     * What the evaluation needs from a target, dense or sequential.
     *
     * @param inputSize the pixels per image the target expects
     * @param classes the logits per image
     * @param width the values per image of each target layer's output
     * @param batch images per batch of the passes
     * @param conv whether the ticket has conv pairs
     * @param layers the target's pre-activations per layer, float32 on the input's device
     * @param bound makes the float64 bound (after the passes)
     */
    private record Pass(
            int inputSize,
            int classes,
            int[] width,
            int batch,
            boolean conv,
            Function<NDArray, NDList> layers,
            Supplier<TicketBound> bound) {}

    /**
     * Checks, before any work, that a network with {@code inputs} inputs takes the data's images.
     *
     * @param data the images
     * @param inputs the network's input size, e.g. {@code TargetNetwork.inputSize()}
     * @throws InputException naming the data and both sizes if they differ
     */
    public static void checkFits(ImageSet data, int inputs) {
        if (data.features() != inputs) {
            throw new InputException(
                    data.name()
                            + ": images have "
                            + data.features()
                            + " pixels ("
                            + data.shape()
                            + "), the target expects "
                            + inputs
                            + " inputs; use --data matching the model");
        }
    }

    /**
     * The one evaluation core: target and effective ticket pass layer by layer, the compact and
     * plain passes as checks, the bound per image.
     */
    private EvalReport evaluate(
            Pass pass, MaskedNetwork ticket, ImageSet data, InputDomain domain) {
        long start = System.nanoTime();
        checkFits(data, pass.inputSize());
        float[] px = data.pixels();
        domain.check(data);
        int[] width = pass.width();
        int layersCount = width.length;
        int size = data.size();
        int classes = pass.classes();
        // only the logits are kept; every layer's error statistics are accumulated batch by batch
        // (in image order, so the sums are the same as over whole-set arrays)
        float[] tl = new float[size * classes];
        float[] pl = new float[size * classes];
        double[] layerMax = new double[layersCount];
        double[] layerNum = new double[layersCount];
        double[] layerDen = new double[layersCount];
        double compactVsDense = 0;
        double effectiveVsDense = 0;
        int checked =
                Math.min(
                        denseCheck >= 0 ? denseCheck : pass.conv() ? CNN_DENSE_CHECK : DENSE_CHECK,
                        size);
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(device, "PyTorch")) {
            for (int from = 0; from < size; from += pass.batch()) {
                int to = Math.min(size, from + pass.batch());
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = data.subset(from, to).flatImages(sub);
                    NDList t = pass.layers().apply(x);
                    NDList p = ticket.forwardEffectiveLayers(x);
                    for (int l = 0; l < layersCount; l++) {
                        float[] ta = t.get(l).toFloatArray();
                        float[] pa = p.get(l).toFloatArray();
                        for (int q = 0; q < ta.length; q++) {
                            double e = (double) pa[q] - ta[q];
                            layerMax[l] = Math.max(layerMax[l], Math.abs(e));
                            layerNum[l] += e * e;
                            layerDen[l] += (double) ta[q] * ta[q];
                        }
                        if (l == layersCount - 1) {
                            System.arraycopy(ta, 0, tl, from * classes, (to - from) * classes);
                            System.arraycopy(pa, 0, pl, from * classes, (to - from) * classes);
                        }
                    }
                    if (from < checked) {
                        // the measured (effective) pass and the compact pass, each against the
                        // plain masked pass, on the first images
                        int c = Math.min(checked, to) - from;
                        NDArray head = x.get(new NDIndex("0:" + c));
                        NDArray dense = ticket.forwardDense(head);
                        NDArray effective = p.get(layersCount - 1).get(new NDIndex("0:" + c));
                        NDArray compact = ticket.forwardCompact(head);
                        effectiveVsDense =
                                Math.max(
                                        effectiveVsDense,
                                        dense.sub(effective).abs().max().getFloat());
                        compactVsDense =
                                Math.max(compactVsDense, dense.sub(compact).abs().max().getFloat());
                    }
                }
            }
        }
        int tCorrect = 0;
        int pCorrect = 0;
        int agree = 0;
        double maxErr = 0;
        double sumErr = 0;
        int[] labels = data.labels();
        for (int i = 0; i < size; i++) {
            int ta = argmax(tl, i * classes, classes);
            int pa = argmax(pl, i * classes, classes);
            tCorrect += ta == labels[i] ? 1 : 0;
            pCorrect += pa == labels[i] ? 1 : 0;
            agree += ta == pa ? 1 : 0;
        }
        for (int q = 0; q < tl.length; q++) {
            double e = Math.abs((double) pl[q] - tl[q]);
            maxErr = Math.max(maxErr, e);
            sumErr += e;
        }
        long boundStart = System.nanoTime();
        TicketBound bound = pass.bound().get();
        int f = data.features();
        // per image: the bound of every layer, and whether the logit differences lie in their
        // intervals
        double[][] perImage = new double[size][];
        boolean[] inside = new boolean[size];
        IntStream.range(0, size)
                .parallel()
                .forEach(
                        i -> {
                            double[] x = new double[f];
                            for (int j = 0; j < f; j++) {
                                x[j] = px[i * f + j];
                            }
                            TicketBound.Enclosure e = bound.forInput(x);
                            perImage[i] = e.layers();
                            inside[i] = e.contains(pl, tl, i * classes);
                        });
        int violated = 0;
        for (boolean ok : inside) {
            violated += ok ? 0 : 1;
        }
        List<EvalReport.LayerError> layerErrors = new ArrayList<>();
        for (int l = 0; l < layersCount; l++) {
            double mx = layerMax[l];
            double num = layerNum[l];
            double den = layerDen[l];
            int ll = l;
            double b = IntStream.range(0, size).mapToDouble(i -> perImage[i][ll]).max().orElse(0);
            layerErrors.add(
                    new EvalReport.LayerError(
                            l, mx, Math.sqrt(num / Math.max(den, Double.MIN_NORMAL)), b));
        }
        double lo = 0;
        double hi = 0;
        for (float v : px) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double boxLow = domain.nonNegative() ? Math.max(0, lo) : lo;
        double boxHigh = Math.max(hi, 1.0);
        double boxBound = bound.overBox(boxLow, boxHigh).logitBound();
        double boundSeconds = (System.nanoTime() - boundStart) / 1e9;
        EvalReport.LayerError lastLayer = layerErrors.get(layersCount - 1);
        return new EvalReport(
                data.name(),
                size,
                (double) tCorrect / size,
                (double) pCorrect / size,
                (double) agree / size,
                maxErr,
                sumErr / tl.length,
                lastLayer.relativeL2(),
                layerErrors,
                lastLayer.bound(),
                boxBound,
                boxLow,
                boxHigh,
                size,
                violated,
                bound.arithmetic().id(),
                effectiveVsDense,
                compactVsDense,
                checked,
                boundSeconds,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Evaluates a trained ticket (an edge-popup ticket: a network on its own, with no construction
     * behind it and so no guaranteed bound) on data, against a target where one is given: both
     * networks' logits in float32 on this evaluator's device, in batches; accuracies, agreement and
     * logit errors. The report has no per-layer errors and no bound: its bound fields are NaN, its
     * arithmetic {@value #NO_BOUND} and no image is checked.
     *
     * @param target the target, or null (then the target's accuracy, the agreement and the logit
     *     errors are NaN)
     * @param ticket the ticket as a network, zeros where pruned
     * @param data the images
     * @return the report
     * @throws InputException if the images do not fit the ticket
     */
    public EvalReport evaluateTrained(TargetNetwork target, TargetNetwork ticket, ImageSet data) {
        long start = System.nanoTime();
        if (data.features() != ticket.inputSize()) {
            throw new InputException(
                    data.name()
                            + ": images have "
                            + data.features()
                            + " pixels, the ticket expects "
                            + ticket.inputSize()
                            + " inputs; use --data matching the run");
        }
        int size = data.size();
        int classes = ticket.outputSize();
        float[] pl = new float[size * classes];
        float[] tl = target != null ? new float[size * classes] : null;
        Engines.engine();
        try (NDManager m = NDManager.newBaseManager(device, "PyTorch")) {
            for (int from = 0; from < size; from += BATCH) {
                int to = Math.min(size, from + BATCH);
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = data.subset(from, to).flatImages(sub);
                    float[] pa = ticket.forward(x).toFloatArray();
                    System.arraycopy(pa, 0, pl, from * classes, (to - from) * classes);
                    if (tl != null) {
                        float[] ta = target.forward(x).toFloatArray();
                        System.arraycopy(ta, 0, tl, from * classes, (to - from) * classes);
                    }
                }
            }
        }
        int[] labels = data.labels();
        int tCorrect = 0;
        int pCorrect = 0;
        int agree = 0;
        for (int i = 0; i < size; i++) {
            int pa = argmax(pl, i * classes, classes);
            pCorrect += pa == labels[i] ? 1 : 0;
            if (tl != null) {
                int ta = argmax(tl, i * classes, classes);
                tCorrect += ta == labels[i] ? 1 : 0;
                agree += ta == pa ? 1 : 0;
            }
        }
        double maxErr = Double.NaN;
        double meanErr = Double.NaN;
        double rel = Double.NaN;
        if (tl != null) {
            double mx = 0;
            double sum = 0;
            double num = 0;
            double den = 0;
            for (int q = 0; q < tl.length; q++) {
                double e = (double) pl[q] - tl[q];
                mx = Math.max(mx, Math.abs(e));
                sum += Math.abs(e);
                num += e * e;
                den += (double) tl[q] * tl[q];
            }
            maxErr = mx;
            meanErr = sum / tl.length;
            rel = Math.sqrt(num / Math.max(den, Double.MIN_NORMAL));
        }
        double nan = Double.NaN;
        return new EvalReport(
                data.name(),
                size,
                tl != null ? (double) tCorrect / size : nan,
                (double) pCorrect / size,
                tl != null ? (double) agree / size : nan,
                maxErr,
                meanErr,
                rel,
                List.of(),
                nan,
                nan,
                nan,
                nan,
                0,
                0,
                NO_BOUND,
                nan,
                nan,
                0,
                0,
                (System.nanoTime() - start) / 1e9);
    }

    private static int argmax(float[] v, int off, int len) {
        int best = 0;
        for (int c = 1; c < len; c++) {
            if (v[off + c] > v[off + best]) {
                best = c;
            }
        }
        return best;
    }
}
