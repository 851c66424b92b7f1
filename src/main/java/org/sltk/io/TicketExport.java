package org.sltk.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sltk.data.InputDomain;
import org.sltk.nn.Architecture;
import org.sltk.nn.Layer;
import org.sltk.nn.MaskedNetwork;
import org.sltk.nn.PairMask;
import org.sltk.nn.PopupNetwork;
import org.sltk.nn.RandomNetwork;
import org.sltk.nn.TargetNetwork;
import org.sltk.util.InputException;
import org.sltk.util.Json;

/**
 * Exports tickets (and plain MLPs) as TorchScript modules that compute the same function as sltk's
 * Java forward passes; input {@code x} of shape (batch, d_0), output (batch, d_L).
 *
 * <p>Attributes of the two ticket layouts, per pair {@code l}:
 *
 * <ul>
 *   <li>{@link Layout#MASKED}: parameters {@code w1_l} (units, in) and {@code w2_l} (out, units),
 *       the dense random weights already multiplied by the masks (zeros where pruned: the random
 *       network itself is not in the file), and {@code b1_l} (units) with biases; bool buffers
 *       {@code mask1_l}, {@code maskb_l}, {@code mask2_l} hold the masks. Forward: {@code
 *       relu(linear(x, w1_l, b1_l))}, {@code linear(h, w2_l)}, ReLU between pairs;
 *   <li>{@link Layout#COMPACT}: only the used hidden units; int64 buffer {@code index_l} (used)
 *       gives the input each unit reads (index d_l is the constant 1 that carries biases),
 *       parameter {@code scale_l} (used) its kept weight and {@code second_l} (used, out) the kept
 *       second-layer weights. Forward: {@code relu(index_select(pad(x, 1), 1, index_l) * scale_l) @
 *       second_l}, ReLU between pairs.
 * </ul>
 *
 * A third layout, {@link Layout#TORCH_PRUNE}, is a {@code torch.save} file of standard modules
 * ({@link #writeTorchPrune}). Both TorchScript layouts carry {@code str} attributes {@code
 * sltk_layout}, {@code sltk_mask_digest} and {@code sltk_input_domain} (the domain the ticket was
 * pruned for, e.g. {@code non-negative [0, 1]}) and an extra file {@code extra/sltk.json} with the
 * settings given by the caller and the domain ({@code inputDomain}: {@code id}, {@code lo}, {@code
 * hi}). {@code forward} first checks the input against each finite end of the domain and raises an
 * exception saying so when an input lies outside it: a ticket pruned for non-negative inputs has no
 * terms for negative ones.
 */
public final class TicketExport {

    /** How the ticket's weights are laid out in the exported module. */
    public enum Layout {
        /**
         * The literal subnetwork: dense weight tensors that hold the random weights already
         * multiplied by the masks (zeros where pruned), and the boolean masks. The pruned random
         * weights are not in the file; the run's seed rebuilds them.
         */
        MASKED,
        /** Dead units removed: per-unit scale and input index, then a small dense matrix. */
        COMPACT,
        /**
         * Not TorchScript: a {@code torch.save} file of an {@code nn.Sequential} of standard {@code
         * nn.Linear}/{@code nn.Conv2d} modules pruned as {@code torch.nn.utils.prune} leaves them:
         * {@code weight_orig} holds the dense random weights, buffer {@code weight_mask} the mask.
         * {@code torch.load(f, weights_only=False)} reads it and {@code prune.remove} turns it into
         * the plain subnetwork.
         */
        TORCH_PRUNE;

        /**
         * Parses a layout name, {@code masked} or {@code compact}.
         *
         * @param name the name, any case
         * @return the layout
         * @throws InputException if the name is neither
         */
        public static Layout parse(String name) {
            for (Layout l : values()) {
                if (l.name().equalsIgnoreCase(name)) {
                    return l;
                }
            }
            for (Layout l : values()) {
                if (l.id().equalsIgnoreCase(name)) {
                    return l;
                }
            }
            throw new InputException(
                    "--layout: unknown layout '" + name + "'; use masked, compact or torch-prune");
        }

        /**
         * Returns the lower-case name used on the command line.
         *
         * @return {@code masked}, {@code compact} or {@code torch-prune}
         */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Extra-file name holding the export's metadata as JSON. */
    public static final String METADATA = "sltk.json";

    private TicketExport() {}

    /**
     * Writes a ticket as a TorchScript module, atomically; input {@code x} of shape (batch, c, h,
     * w) or (batch, c * h * w), output (batch, classes).
     *
     * @param ticket the pruned network
     * @param layout the layout
     * @param domain the input domain the ticket was pruned for (checked by the module)
     * @param file the {@code .pt} file
     * @param metadata settings and provenance for {@code extra/sltk.json} (may be empty)
     */
    public static void write(
            MaskedNetwork ticket,
            Layout layout,
            InputDomain domain,
            Path file,
            Map<String, Object> metadata) {
        if (layout == Layout.TORCH_PRUNE) {
            writeTorchPrune(ticket, domain, file);
            return;
        }
        writer(ticket, layout, domain, metadata).write(file);
    }

    /**
     * Writes a ticket as {@link Layout#TORCH_PRUNE}, atomically: the target's layers in order as
     * standard modules, each conv or dense layer replaced by its pair, a first {@code nn.Linear} or
     * {@code nn.Conv2d} (c_in to units, the target's stride, padding and dilation) with the random
     * weights and biases as {@code weight_orig}/{@code bias_orig} and their masks, {@code nn.ReLU},
     * and a second one (units to out, 1 x 1 for conv, no bias) with {@code weight_orig} and {@code
     * weight_mask}. An MLP's module starts with {@code nn.Flatten}. The {@code nn.Sequential}
     * carries {@code sltk_layout}, {@code sltk_mask_digest} and {@code sltk_input_domain}
     * attributes; it does not check its input's domain (plain modules cannot).
     *
     * @param ticket the pruned network
     * @param domain the input domain the ticket was pruned for (recorded only)
     * @param file the {@code .pt} file
     */
    public static void writeTorchPrune(MaskedNetwork ticket, InputDomain domain, Path file) {
        TorchSaveWriter w = new TorchSaveWriter();
        RandomNetwork net = ticket.random();
        Architecture spec = net.architecture();
        int[] in = spec.inputShape();
        TorchSaveWriter.Module seq =
                new TorchSaveWriter.Module("torch.nn.modules.container", "Sequential");
        int index = 0;
        if (in[1] == 1 && in[2] == 1) {
            seq.children.put(Integer.toString(index++), flatten());
        }
        int p = 0;
        for (Layer layer : spec.layers()) {
            if (layer instanceof Layer.Parametric l) {
                TorchSaveWriter.Module[] pair = prunedPair(w, ticket, p, l);
                seq.children.put(Integer.toString(index++), pair[0]);
                seq.children.put(Integer.toString(index++), relu());
                seq.children.put(Integer.toString(index++), pair[1]);
                p++;
            } else if (layer instanceof Layer.Normalize n) {
                index = normalization(w, seq, index, n, in[1] == 1 && in[2] == 1);
            } else {
                seq.children.put(Integer.toString(index++), fixedModule(layer));
            }
        }
        seq.attribute("sltk_layout", Layout.TORCH_PRUNE.id());
        seq.attribute("sltk_mask_digest", ticket.digest());
        seq.attribute("sltk_input_domain", domain.describe());
        w.write(seq, file);
    }

    /**
     * The input normalisation {@code (x - mean) / std} as a standard, unpruned module: a depthwise
     * 1 x 1 {@code nn.Conv2d} (groups = channels) with weight {@code 1 / std} and bias {@code -mean
     * / std}, both rounded to float32, so the module computes {@code x * (1 / std) + (-mean /
     * std)}, within a few float32 rounding steps of sltk's {@code (x - mean) / std}; the padding of
     * the convolutions after it still pads normalised values with zeros, as in the target. A flat
     * input is first unflattened to (features, 1, 1) and flattened again after. The module carries
     * {@code sltk_role = "input normalisation"}.
     *
     * @return the next child index
     */
    private static int normalization(
            TorchSaveWriter w,
            TorchSaveWriter.Module seq,
            int index,
            Layer.Normalize n,
            boolean flat) {
        int c = n.channels();
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = 1f / n.std()[i];
            shift[i] = (float) (-(double) n.mean()[i] / n.std()[i]);
        }
        if (flat) {
            seq.children.put(
                    Integer.toString(index++),
                    new TorchSaveWriter.Module("torch.nn.modules.flatten", "Unflatten")
                            .attribute("dim", 1)
                            .attribute("unflattened_size", new int[] {c, 1, 1}));
        }
        TorchSaveWriter.Module conv =
                conv2d(c, c, 1, 1, 0, 1)
                        .attribute("groups", c)
                        .attribute("sltk_role", "input normalisation");
        conv.parameters.put("weight", w.tensor(scale, c, 1, 1, 1));
        conv.parameters.put("bias", w.tensor(shift, c));
        seq.children.put(Integer.toString(index++), conv);
        if (flat) {
            seq.children.put(Integer.toString(index++), flatten());
        }
        return index;
    }

    /** Pair p as two pruned standard modules (first, second), from the dense random network. */
    private static TorchSaveWriter.Module[] prunedPair(
            TorchSaveWriter w, MaskedNetwork t, int p, Layer.Parametric l) {
        RandomNetwork net = t.random();
        PairMask m = t.masks().get(p);
        int units = net.units(p);
        int in = net.in(p);
        int out = net.out(p);
        boolean conv = l instanceof Layer.Conv2d;
        float[] w1 = new float[checked((long) units * in, p)];
        float[] mask1 = new float[w1.length];
        boolean bias = net.hasBias(p);
        float[] b1 = bias ? new float[units] : null;
        float[] maskb = bias ? new float[units] : null;
        for (int u = 0; u < units; u++) {
            for (int j = 0; j < in; j++) {
                w1[u * in + j] = net.firstWeight(p, u, j);
            }
            if (bias) {
                b1[u] = net.firstBias(p, u);
            }
        }
        for (int u : m.usedUnits(units)) {
            int j = u / net.pool();
            if (j < in) {
                mask1[u * in + j] = 1f;
            } else {
                maskb[u] = 1f;
            }
        }
        float[] w2 = new float[checked((long) out * units, p)];
        float[] mask2 = new float[w2.length];
        for (int i = 0; i < out; i++) {
            for (int u = 0; u < units; u++) {
                w2[i * units + u] = net.secondWeight(p, i, u);
            }
            for (int q = 0; q < m.perOutput(); q++) {
                mask2[i * units + m.kept()[i * m.perOutput() + q]] = 1f;
            }
        }
        TorchSaveWriter.Module first;
        TorchSaveWriter.Module second;
        long[] firstShape;
        long[] secondShape;
        if (conv) {
            first = conv2d(l.in(), units, l.kernel(), l.stride(), l.padding(), l.dilation());
            second = conv2d(units, out, 1, 1, 0, 1);
            firstShape = new long[] {units, l.in(), l.kernel(), l.kernel()};
            secondShape = new long[] {out, units, 1, 1};
        } else {
            first = linear(in, units);
            second = linear(units, out);
            firstShape = new long[] {units, in};
            secondShape = new long[] {out, units};
        }
        w.pruned(first, "weight", w1, mask1, firstShape);
        if (bias) {
            w.pruned(first, "bias", b1, maskb, units);
        } else {
            first.parameters.put("bias", null);
        }
        w.pruned(second, "weight", w2, mask2, secondShape);
        second.parameters.put("bias", null);
        return new TorchSaveWriter.Module[] {first, second};
    }

    private static TorchSaveWriter.Module linear(int in, int out) {
        return new TorchSaveWriter.Module("torch.nn.modules.linear", "Linear")
                .attribute("in_features", in)
                .attribute("out_features", out);
    }

    private static TorchSaveWriter.Module conv2d(
            int in, int out, int kernel, int stride, int padding, int dilation) {
        return new TorchSaveWriter.Module("torch.nn.modules.conv", "Conv2d")
                .attribute("in_channels", in)
                .attribute("out_channels", out)
                .attribute("kernel_size", new int[] {kernel, kernel})
                .attribute("stride", new int[] {stride, stride})
                .attribute("padding", new int[] {padding, padding})
                .attribute("dilation", new int[] {dilation, dilation})
                .attribute("transposed", false)
                .attribute("output_padding", new int[] {0, 0})
                .attribute("groups", 1)
                .attribute("padding_mode", "zeros")
                .attribute(
                        "_reversed_padding_repeated_twice",
                        new int[] {padding, padding, padding, padding});
    }

    private static TorchSaveWriter.Module relu() {
        return new TorchSaveWriter.Module("torch.nn.modules.activation", "ReLU")
                .attribute("inplace", false);
    }

    private static TorchSaveWriter.Module flatten() {
        return new TorchSaveWriter.Module("torch.nn.modules.flatten", "Flatten")
                .attribute("start_dim", 1)
                .attribute("end_dim", -1);
    }

    /** A fixed layer as the standard module {@link #fixed} mirrors. */
    private static TorchSaveWriter.Module fixedModule(Layer l) {
        switch (l.kind()) {
            case RELU:
                return relu();
            case MAXPOOL:
                return new TorchSaveWriter.Module("torch.nn.modules.pooling", "MaxPool2d")
                        .attribute("kernel_size", Layer.poolSize(l))
                        .attribute("stride", Layer.poolSize(l))
                        .attribute("padding", 0)
                        .attribute("dilation", 1)
                        .attribute("return_indices", false)
                        .attribute("ceil_mode", false);
            case AVGPOOL:
                return new TorchSaveWriter.Module("torch.nn.modules.pooling", "AvgPool2d")
                        .attribute("kernel_size", Layer.poolSize(l))
                        .attribute("stride", Layer.poolSize(l))
                        .attribute("padding", 0)
                        .attribute("ceil_mode", false)
                        .attribute("count_include_pad", true)
                        .attribute("divisor_override", null);
            case FLATTEN:
                return flatten();
            default:
                throw new AssertionError(l.kind());
        }
    }

    /**
     * Builds the writer of a ticket's module, mirroring {@link MaskedNetwork#forwardDense}: the
     * target's layers in order, each conv or dense layer replaced by its pair.
     *
     * <ul>
     *   <li>{@link Layout#MASKED}: per conv pair {@code w1_l} (units, c_in, r, r) and {@code b1_l}
     *       (units), the dense random weights and biases times the masks, and {@code w2_l} (out,
     *       units, 1, 1); forward {@code conv2d(relu(conv2d(h, w1_l, b1_l, stride, padding,
     *       dilation)), w2_l)}; bool buffers {@code mask1_l}, {@code maskb_l}, {@code mask2_l} of
     *       the same shapes. A dense pair has {@code w1_l} (units, in), {@code b1_l}, {@code w2_l}
     *       (out, units) and {@code linear} in place of {@code conv2d};
     *   <li>{@link Layout#COMPACT}: per conv pair only the used hidden channels: {@code c1_l}
     *       (used, c_in, r, r) with the one kept weight of each channel, {@code cb_l} (used) the
     *       kept biases, {@code c2_l} (out, used, 1, 1) the kept 1 x 1 weights. A dense pair has
     *       {@code index_l} (the input of each used unit, {@code in} for the constant input of the
     *       biases), {@code scale_l} (its kept weight) and {@code second_l} (used, out): forward
     *       {@code matmul(relu(index_select(pad(h, 1), 1, index_l) * scale_l), second_l)}.
     * </ul>
     *
     * ReLU, {@code max_pool2d}/{@code avg_pool2d} (kernel = stride, no padding, the average
     * counting padding) and {@code flatten} follow the target.
     *
     * @param ticket the pruned network
     * @param layout the layout
     * @param domain the input domain the ticket was pruned for
     * @param metadata settings for {@code extra/sltk.json}
     * @return the writer
     */
    public static TorchScriptWriter writer(
            MaskedNetwork ticket, Layout layout, InputDomain domain, Map<String, Object> metadata) {
        if (layout == Layout.TORCH_PRUNE) {
            throw new IllegalArgumentException("torch-prune is not TorchScript; use write");
        }
        TorchScriptWriter w =
                TorchScriptWriter.module(
                        layout == Layout.MASKED ? "SltkMaskedTicket" : "SltkCompactTicket");
        guard(w, domain);
        RandomNetwork net = ticket.random();
        Architecture spec = net.architecture();
        int[] in = spec.inputShape();
        boolean flat = in[1] == 1 && in[2] == 1;
        StringBuilder body = new StringBuilder();
        body.append("x0 = torch.reshape(x, [-1, ").append(in[0]);
        if (!flat) {
            body.append(", ").append(in[1]).append(", ").append(in[2]);
        }
        body.append("])\n");
        String cur = "x0";
        int p = 0;
        for (int q = 0; q < spec.layers().size(); q++) {
            Layer layer = spec.layers().get(q);
            String next = "x" + (q + 1);
            if (layer instanceof Layer.Parametric l) {
                body.append("h").append(p).append(" = ").append(cur).append('\n');
                if (l instanceof Layer.Conv2d) {
                    if (layout == Layout.MASKED) {
                        maskedConv(w, ticket, p, l, body);
                    } else {
                        compactConv(w, ticket, p, l, body);
                    }
                } else if (layout == Layout.MASKED) {
                    boolean bias =
                            maskedParameters(
                                    w,
                                    ticket,
                                    p,
                                    new long[] {net.units(p), net.in(p)},
                                    new long[] {net.out(p), net.units(p)});
                    body.append("a")
                            .append(p)
                            .append(" = torch.relu(torch.linear(h")
                            .append(p)
                            .append(", self.w1_")
                            .append(p)
                            .append(bias ? ", self.b1_" + p : ", None")
                            .append("))\n");
                    body.append("z")
                            .append(p)
                            .append(" = torch.linear(a")
                            .append(p)
                            .append(", self.w2_")
                            .append(p)
                            .append(", None)\n");
                } else {
                    compact(w, ticket, p, body);
                }
                body.append(next).append(" = z").append(p).append('\n');
                p++;
            } else if (layer instanceof Layer.Normalize n) {
                // the input normalisation, carried exactly: (x - mean) / std in float32
                long[] shape =
                        flat ? new long[] {1, n.channels()} : new long[] {1, n.channels(), 1, 1};
                w.buffer("norm_mean", n.mean(), shape);
                w.buffer("norm_std", n.std(), shape);
                body.append(next)
                        .append(" = torch.div(torch.sub(")
                        .append(cur)
                        .append(", self.norm_mean), self.norm_std)\n");
            } else {
                body.append(next).append(" = ").append(fixed(layer, cur)).append('\n');
            }
            cur = next;
        }
        body.append("return ").append(cur);
        w.forward(body.toString());
        w.attribute("sltk_layout", layout.id());
        w.attribute("sltk_mask_digest", ticket.digest());
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("format", 1);
        meta.put("layout", layout.id());
        meta.put("architecture", spec.describe());
        meta.put("inputShape", in);
        if (spec.mlpWidths() != null) {
            meta.put("widths", spec.mlpWidths());
        }
        meta.put("bias", spec.allBiased());
        meta.put("pool", net.pool());
        meta.put("seed", net.seed());
        meta.put("distribution", net.distribution().id());
        meta.put("maskDigest", ticket.digest());
        meta.put("inputDomain", domain.toMap());
        meta.putAll(metadata);
        w.extraFile(METADATA, Json.write(meta));
        return w;
    }

    /**
     * Records the input domain as {@code sltk_input_domain} and makes {@code forward} refuse inputs
     * beyond each finite end of it (an unbounded end needs no check).
     */
    private static void guard(TorchScriptWriter w, InputDomain d) {
        w.attribute("sltk_input_domain", d.describe());
        if (!Double.isInfinite(d.lo())) {
            w.raiseIf(
                    "torch.any(torch.lt(x, " + literal(d.lo()) + "))",
                    outside(d, "below " + InputDomain.number(d.lo())));
        }
        if (!Double.isInfinite(d.hi())) {
            w.raiseIf(
                    "torch.any(torch.gt(x, " + literal(d.hi()) + "))",
                    outside(d, "above " + InputDomain.number(d.hi())));
        }
    }

    /** The message of an input outside the domain, naming the end crossed. */
    static String outside(InputDomain d, String where) {
        return "sltk ticket: an input is "
                + where
                + ", outside the input domain "
                + d.describe()
                + " this ticket was pruned for; its output is only valid for inputs in "
                + d.box()
                + " (attribute sltk_input_domain)";
    }

    /** A float literal of TorchScript. */
    private static String literal(double v) {
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    /**
     * The TorchScript expression of a fixed layer applied to {@code h}, as {@code
     * ConvMaskedNetwork.applyFixed}.
     */
    private static String fixed(Layer l, String h) {
        int k =
                l instanceof Layer.MaxPool2d || l instanceof Layer.AvgPool2d
                        ? Layer.poolSize(l)
                        : 0;
        switch (l.kind()) {
            case RELU:
                return "torch.relu(" + h + ")";
            case MAXPOOL:
                return "torch.max_pool2d("
                        + h
                        + ", ["
                        + k
                        + ", "
                        + k
                        + "], ["
                        + k
                        + ", "
                        + k
                        + "], [0, 0], [1, 1], False)";
            case AVGPOOL:
                return "torch.avg_pool2d("
                        + h
                        + ", ["
                        + k
                        + ", "
                        + k
                        + "], ["
                        + k
                        + ", "
                        + k
                        + "], [0, 0], False, True)";
            case FLATTEN:
                return "torch.flatten(" + h + ", 1)";
            default:
                throw new AssertionError(l.kind());
        }
    }

    private static String convArgs(Layer.Parametric l) {
        return "["
                + l.stride()
                + ", "
                + l.stride()
                + "], ["
                + l.padding()
                + ", "
                + l.padding()
                + "], ["
                + l.dilation()
                + ", "
                + l.dilation()
                + "]";
    }

    private static void maskedConv(
            TorchScriptWriter w, MaskedNetwork t, int p, Layer.Parametric l, StringBuilder body) {
        RandomNetwork net = t.random();
        boolean bias =
                maskedParameters(
                        w,
                        t,
                        p,
                        new long[] {net.units(p), l.in(), l.kernel(), l.kernel()},
                        new long[] {net.out(p), net.units(p), 1, 1});
        body.append("a")
                .append(p)
                .append(" = torch.relu(torch.conv2d(h")
                .append(p)
                .append(", self.w1_")
                .append(p)
                .append(bias ? ", self.b1_" + p : ", None")
                .append(", ")
                .append(convArgs(l))
                .append("))\n");
        body.append("z")
                .append(p)
                .append(" = torch.conv2d(a")
                .append(p)
                .append(", self.w2_")
                .append(p)
                .append(")\n");
    }

    private static void compactConv(
            TorchScriptWriter w, MaskedNetwork t, int p, Layer.Parametric l, StringBuilder body) {
        RandomNetwork net = t.random();
        PairMask m = t.masks().get(p);
        int units = net.units(p);
        int in = net.in(p);
        int out = net.out(p);
        int[] used = m.usedUnits(units);
        int[] position = new int[units];
        float[] c1 = new float[checked((long) used.length * in, p)];
        float[] cb = net.hasBias(p) ? new float[used.length] : null;
        for (int q = 0; q < used.length; q++) {
            int u = used[q];
            position[u] = q;
            int j = u / net.pool();
            if (j < in) {
                c1[q * in + j] = net.firstWeight(p, u, j);
            } else {
                cb[q] = net.firstBias(p, u);
            }
        }
        float[] c2 = new float[checked((long) out * used.length, p)];
        for (int i = 0; i < out; i++) {
            for (int k = 0; k < m.perOutput(); k++) {
                int u = m.kept()[i * m.perOutput() + k];
                c2[i * used.length + position[u]] = net.secondWeight(p, i, u);
            }
        }
        w.parameter("c1_" + p, c1, used.length, l.in(), l.kernel(), l.kernel());
        if (cb != null) {
            w.parameter("cb_" + p, cb, used.length);
        }
        w.parameter("c2_" + p, c2, out, used.length, 1, 1);
        body.append("a")
                .append(p)
                .append(" = torch.relu(torch.conv2d(h")
                .append(p)
                .append(", self.c1_")
                .append(p)
                .append(cb != null ? ", self.cb_" + p : ", None")
                .append(", ")
                .append(convArgs(l))
                .append("))\n");
        body.append("z")
                .append(p)
                .append(" = torch.conv2d(a")
                .append(p)
                .append(", self.c2_")
                .append(p)
                .append(")\n");
    }

    /**
     * Adds pair l's masked parameters {@code w1_l}, {@code b1_l} (with biases), {@code w2_l} and
     * bool buffers {@code mask1_l}, {@code maskb_l}, {@code mask2_l}; the first layer's flat order
     * (unit, patch entry) is that of both (units, in) and (units, c_in, r, r).
     *
     * @return whether the pair has biases
     */
    private static boolean maskedParameters(
            TorchScriptWriter w, MaskedNetwork t, int l, long[] firstShape, long[] secondShape) {
        RandomNetwork net = t.random();
        PairMask m = t.masks().get(l);
        int units = net.units(l);
        int in = net.in(l);
        int out = net.out(l);
        int[] used = m.usedUnits(units);
        float[] w1 = new float[checked((long) units * in, l)];
        boolean[] mask1 = new boolean[w1.length];
        float[] b1 = net.hasBias(l) ? new float[units] : null;
        boolean[] maskb = new boolean[units];
        for (int u : used) {
            int j = u / net.pool();
            if (j < in) {
                w1[u * in + j] = net.firstWeight(l, u, j);
                mask1[u * in + j] = true;
            } else {
                b1[u] = net.firstBias(l, u);
                maskb[u] = true;
            }
        }
        float[] w2 = new float[checked((long) out * units, l)];
        boolean[] mask2 = new boolean[w2.length];
        for (int i = 0; i < out; i++) {
            for (int q = 0; q < m.perOutput(); q++) {
                int u = m.kept()[i * m.perOutput() + q];
                w2[i * units + u] = net.secondWeight(l, i, u);
                mask2[i * units + u] = true;
            }
        }
        w.parameter("w1_" + l, w1, firstShape);
        if (b1 != null) {
            w.parameter("b1_" + l, b1, units);
        }
        w.parameter("w2_" + l, w2, secondShape);
        w.buffer("mask1_" + l, mask1, firstShape);
        if (b1 != null) {
            w.buffer("maskb_" + l, maskb, units);
        }
        w.buffer("mask2_" + l, mask2, secondShape);
        return b1 != null;
    }

    private static void compact(TorchScriptWriter w, MaskedNetwork t, int l, StringBuilder body) {
        RandomNetwork net = t.random();
        PairMask m = t.masks().get(l);
        int units = net.units(l);
        int out = net.out(l);
        int[] used = m.usedUnits(units);
        int[] position = new int[units];
        long[] index = new long[used.length];
        float[] scale = new float[used.length];
        for (int q = 0; q < used.length; q++) {
            position[used[q]] = q;
            index[q] = used[q] / net.pool();
            scale[q] = net.poolWeight(l, used[q]);
        }
        float[] second = new float[checked((long) used.length * out, l)];
        for (int i = 0; i < out; i++) {
            for (int q = 0; q < m.perOutput(); q++) {
                int u = m.kept()[i * m.perOutput() + q];
                second[position[u] * out + i] = net.secondWeight(l, i, u);
            }
        }
        w.buffer("index_" + l, index, used.length);
        w.parameter("scale_" + l, scale, used.length);
        w.parameter("second_" + l, second, used.length, out);
        String flat = "torch.flatten(h" + l + ", 1)";
        String src = net.hasBias(l) ? "torch.constant_pad_nd(" + flat + ", [0, 1], 1.)" : flat;
        body.append("g")
                .append(l)
                .append(" = torch.index_select(")
                .append(src)
                .append(", 1, self.index_")
                .append(l)
                .append(")\n");
        body.append("a")
                .append(l)
                .append(" = torch.relu(torch.mul(g")
                .append(l)
                .append(", self.scale_")
                .append(l)
                .append("))\n");
        body.append("z")
                .append(l)
                .append(" = torch.matmul(a")
                .append(l)
                .append(", self.second_")
                .append(l)
                .append(")\n");
    }

    /**
     * Writes an edge-popup ticket ({@link PopupNetwork} and its masks), atomically, in any layout;
     * the network must be an MLP (dense layers with a ReLU between consecutive ones, as both
     * settings of {@code sltk popup} are). Input {@code x} (batch, d_0), output (batch, classes).
     *
     * <ul>
     *   <li>{@link Layout#MASKED}: per layer {@code l} parameters {@code w_l} (out, in) and, with
     *       biases, {@code b_l} (out), the random parameters times the masks (zeros where pruned),
     *       with bool buffers {@code mask_l} and {@code maskb_l}; forward {@code linear}, ReLU
     *       between layers;
     *   <li>{@link Layout#COMPACT}: the same with the dead hidden units removed (those that keep no
     *       incoming weight and no bias, or no outgoing weight, repeatedly): {@code w_l} (alive
     *       out, alive in), {@code b_l};
     *   <li>{@link Layout#TORCH_PRUNE}: a {@code torch.save} {@code nn.Sequential} of {@code
     *       nn.Flatten}, then {@code nn.Linear} modules with {@code weight_orig}/{@code bias_orig}
     *       (the dense random parameters) and {@code weight_mask}/{@code bias_mask}, {@code
     *       nn.ReLU} between them, as {@code torch.nn.utils.prune.custom_from_mask} leaves them.
     * </ul>
     *
     * @param net the random network
     * @param masks one mask per layer ({@link PopupNetwork#checkMasks})
     * @param layout the layout
     * @param domain the input domain recorded (and checked by the TorchScript layouts)
     * @param file the {@code .pt} file
     * @param metadata settings for {@code extra/sltk.json} (may be empty)
     * @throws InputException if the network is not an MLP
     */
    public static void writePopup(
            PopupNetwork net,
            List<PairMask> masks,
            Layout layout,
            InputDomain domain,
            Path file,
            Map<String, Object> metadata) {
        net.checkMasks(masks, "masks");
        Architecture a = net.architecture();
        for (int q = 0; q < a.layers().size(); q++) {
            Layer l = a.layers().get(q);
            boolean ok = q % 2 == 0 ? l instanceof Layer.Linear : l.kind() == Layer.Kind.RELU;
            if (!ok || a.inputShape()[1] != 1 || a.inputShape()[2] != 1) {
                throw new InputException(
                        "--run: only edge-popup tickets of MLPs export; this one is "
                                + a.describe());
            }
        }
        String digest = PairMask.digest(masks);
        int layers = net.layerCount();
        float[][] w = new float[layers][];
        float[][] m = new float[layers][];
        for (int p = 0; p < layers; p++) {
            w[p] = net.parameters(p);
            m[p] = net.denseMask(p, masks.get(p));
        }
        if (layout == Layout.TORCH_PRUNE) {
            TorchSaveWriter tw = new TorchSaveWriter();
            TorchSaveWriter.Module seq =
                    new TorchSaveWriter.Module("torch.nn.modules.container", "Sequential");
            int index = 0;
            seq.children.put(Integer.toString(index++), flatten());
            for (int p = 0; p < layers; p++) {
                Layer.Parametric l = net.layer(p);
                TorchSaveWriter.Module lin = linear(l.fanIn(), l.out());
                float[][] wm = split(net, p, w[p]);
                float[][] mm = split(net, p, m[p]);
                tw.pruned(lin, "weight", wm[0], mm[0], l.out(), l.fanIn());
                if (l.bias()) {
                    tw.pruned(lin, "bias", wm[1], mm[1], l.out());
                } else {
                    lin.parameters.put("bias", null);
                }
                seq.children.put(Integer.toString(index++), lin);
                if (p + 1 < layers) {
                    seq.children.put(Integer.toString(index++), relu());
                }
            }
            seq.attribute("sltk_layout", Layout.TORCH_PRUNE.id());
            seq.attribute("sltk_mask_digest", digest);
            seq.attribute("sltk_input_domain", domain.describe());
            tw.write(seq, file);
            return;
        }
        // alive[p][o]: output o of layer p is kept in the compact layout (all, for masked)
        boolean[][] alive = new boolean[layers][];
        for (int p = 0; p < layers; p++) {
            alive[p] = new boolean[net.layer(p).out()];
            java.util.Arrays.fill(alive[p], true);
        }
        if (layout == Layout.COMPACT) {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int p = 0; p + 1 < layers; p++) {
                    int len = net.rowLength(p);
                    int in = net.fanIn(p);
                    for (int o = 0; o < alive[p].length; o++) {
                        if (!alive[p][o]) {
                            continue;
                        }
                        boolean fed = false;
                        for (int j = 0; j < len && !fed; j++) {
                            fed = m[p][o * len + j] != 0 && (j == in || p == 0 || alive[p - 1][j]);
                        }
                        boolean read = false;
                        int nlen = net.rowLength(p + 1);
                        for (int r = 0; r < alive[p + 1].length && !read; r++) {
                            read = alive[p + 1][r] && m[p + 1][r * nlen + o] != 0;
                        }
                        if (!fed || !read) {
                            alive[p][o] = false;
                            changed = true;
                        }
                    }
                }
            }
        }
        TorchScriptWriter tw =
                TorchScriptWriter.module(
                        layout == Layout.MASKED
                                ? "SltkMaskedPopupTicket"
                                : "SltkCompactPopupTicket");
        guard(tw, domain);
        StringBuilder body =
                new StringBuilder("h = torch.reshape(x, [-1, " + a.inputShape()[0] + "])\n");
        long keptTotal = 0;
        for (int p = 0; p < layers; p++) {
            Layer.Parametric l = net.layer(p);
            int len = net.rowLength(p);
            int in = l.fanIn();
            int[] rows = indices(alive[p]);
            int[] cols = p == 0 ? indices(all(in)) : indices(alive[p - 1]);
            float[] wp = new float[rows.length * cols.length];
            boolean[] mp = new boolean[wp.length];
            float[] bp = l.bias() ? new float[rows.length] : null;
            boolean[] mb = l.bias() ? new boolean[rows.length] : null;
            for (int r = 0; r < rows.length; r++) {
                int o = rows[r];
                for (int c = 0; c < cols.length; c++) {
                    int q = o * len + cols[c];
                    mp[r * cols.length + c] = m[p][q] != 0;
                    wp[r * cols.length + c] = w[p][q] * m[p][q];
                    keptTotal += m[p][q] != 0 ? 1 : 0;
                }
                if (bp != null) {
                    bp[r] = w[p][o * len + in] * m[p][o * len + in];
                    mb[r] = m[p][o * len + in] != 0;
                    keptTotal += mb[r] ? 1 : 0;
                }
            }
            tw.parameter("w_" + p, wp, rows.length, cols.length);
            if (bp != null) {
                tw.parameter("b_" + p, bp, rows.length);
            }
            if (layout == Layout.MASKED) {
                tw.buffer("mask_" + p, mp, rows.length, cols.length);
                if (mb != null) {
                    tw.buffer("maskb_" + p, mb, rows.length);
                }
            }
            body.append("h = torch.linear(h, self.w_")
                    .append(p)
                    .append(bp != null ? ", self.b_" + p : ", None")
                    .append(")\n");
            if (p + 1 < layers) {
                body.append("h = torch.relu(h)\n");
            }
        }
        body.append("return h");
        tw.forward(body.toString());
        tw.attribute("sltk_layout", layout.id());
        tw.attribute("sltk_mask_digest", digest);
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        meta.put("format", 1);
        meta.put("method", "edge-popup");
        meta.put("layout", layout.id());
        meta.put("architecture", a.describe());
        meta.put("maskDigest", digest);
        meta.put("keptParameters", keptTotal);
        meta.put("inputDomain", domain.toMap());
        meta.putAll(metadata);
        tw.extraFile(METADATA, Json.write(meta));
        tw.write(file);
    }

    /** A layer's (out, rowLength) values as weights (out, fanIn) and biases (out) or null. */
    private static float[][] split(PopupNetwork net, int p, float[] v) {
        int out = net.layer(p).out();
        int in = net.fanIn(p);
        int len = net.rowLength(p);
        float[] w = new float[out * in];
        float[] b = len > in ? new float[out] : null;
        for (int o = 0; o < out; o++) {
            System.arraycopy(v, o * len, w, o * in, in);
            if (b != null) {
                b[o] = v[o * len + in];
            }
        }
        return new float[][] {w, b};
    }

    private static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    private static int[] indices(boolean[] keep) {
        int c = 0;
        for (boolean k : keep) {
            c += k ? 1 : 0;
        }
        int[] out = new int[c];
        for (int i = 0, t = 0; i < keep.length; i++) {
            if (keep[i]) {
                out[t++] = i;
            }
        }
        return out;
    }

    /**
     * Writes a plain dense ReLU MLP as a TorchScript module with parameters {@code fc1.weight},
     * {@code fc1.bias}, ... named like PyTorch's, for interchange and tests.
     *
     * @param network the network
     * @param file the {@code .pt} file
     */
    public static void writeMlp(TargetNetwork network, Path file) {
        mlpWriter(network, "relu").write(file);
    }

    /**
     * Builds the writer of a plain MLP with the given hidden activation (a TorchScript function
     * name such as {@code relu} or {@code tanh}); only {@code relu} matches sltk's targets.
     *
     * @param network the layers
     * @param activation the hidden activation
     * @return the writer
     */
    static TorchScriptWriter mlpWriter(TargetNetwork network, String activation) {
        TorchScriptWriter w = TorchScriptWriter.module("SltkMlp");
        StringBuilder body = new StringBuilder("h = x\n");
        int n = network.parametricCount();
        for (int l = 0; l < n; l++) {
            Layer.Parametric d = network.layer(l);
            if (!(d instanceof Layer.Linear)) {
                throw new IllegalArgumentException(network.describe() + " is not an MLP");
            }
            w.parameter("fc" + (l + 1) + "_weight", network.weights(l), d.out(), d.in());
            if (d.bias()) {
                w.parameter("fc" + (l + 1) + "_bias", network.biases(l), d.out());
            }
            body.append("h = torch.linear(h, self.fc")
                    .append(l + 1)
                    .append("_weight, ")
                    .append(d.bias() ? "self.fc" + (l + 1) + "_bias" : "None")
                    .append(")\n");
            if (l + 1 < n) {
                body.append("h = torch.").append(activation).append("(h)\n");
            }
        }
        body.append("return h");
        return w.forward(body.toString());
    }

    private static int checked(long n, int l) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new InputException(
                    "pair "
                            + l
                            + " has "
                            + n
                            + " weights, too many for the masked layout; use --layout compact");
        }
        return (int) n;
    }
}
