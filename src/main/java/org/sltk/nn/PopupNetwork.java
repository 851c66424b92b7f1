package org.sltk.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.sltk.util.CounterRandom;
import org.sltk.util.InputException;

/**
 * The random network that edge-popup (Ramanujan et al., CVPR 2020) searches: a bias-free network of
 * a chosen {@link Architecture} whose weights are drawn once by sltk's counter-based generator and
 * never trained, with one score per weight, and a density d: in every conv or dense layer p exactly
 * {@link #kept(int)} = round(d * size(p)) weights are kept, those of highest score (or, with {@code
 * perUnit}, round(d * fanIn(p)) in every output unit's row).
 *
 * <p>Weight j (row-major (out, c_in, r, r), as {@link TargetNetwork} stores it) of layer p is value
 * j of stream 2p; its initial score value j of stream 2p+1, uniform on [-1/sqrt(fanIn),
 * 1/sqrt(fanIn)) as the paper's {@code kaiming_uniform_(scores, a=sqrt(5))}. A weight is {@link
 * Init#SIGNED_CONSTANT} (the paper's best) +-std, or Kaiming normal/uniform with std, where std =
 * sqrt(2 / fan) and fan = fanIn * d when the fan is scaled (the paper's "scaled" init, so the kept
 * weights keep the variance of a dense layer), else fanIn.
 *
 * <p>{@link #onPairs} makes the other setting: the very 2L pair network {@link RandomNetwork} of
 * {@code sltk prune} (its weights and first-layer biases, drawn from the prune seed), as a plain
 * sequential network: per pair a dense layer in -> units with biases, ReLU, a dense layer units ->
 * out without biases, and ReLU between pairs. Its scores come from this network's seed.
 *
 * <p>The parameters of a layer with biases are scored with them: a layer's parameters are a matrix
 * (out, {@link #rowLength}) whose last column, where the layer has biases, holds them, so the
 * density and the per-unit count cover weights and biases alike (as {@code sltk prune} counts its
 * parameters).
 *
 * <p>A ticket is a list of {@link PairMask}s used as plain containers: per layer, rows of kept
 * parameter indices, sorted; (1, kept) indices into the flat (out, rowLength) layer without {@code
 * perUnit}, (out, kept per row) indices into each row with it. {@link #ticket} turns it into a
 * {@link TargetNetwork} whose unkept parameters are zero, which is what evaluation and export use.
 */
public final class PopupNetwork {

    /** How the fixed random weights are drawn. */
    public enum Init {
        /** +-std with a random sign: the paper's "signed Kaiming constant". */
        SIGNED_CONSTANT("signed-constant"),
        /** Normal(0, std^2). */
        KAIMING_NORMAL("kaiming-normal"),
        /** Uniform[-sqrt(3) std, sqrt(3) std). */
        KAIMING_UNIFORM("kaiming-uniform");

        private final String id;

        Init(String id) {
            this.id = id;
        }

        /** {@return the name used on the command line and in run files} */
        public String id() {
            return id;
        }

        /**
         * Parses a name.
         *
         * @param name e.g. {@code signed-constant}
         * @return the init
         * @throws InputException for an unknown name
         */
        public static Init parse(String name) {
            String v = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Init i : values()) {
                if (i.id.equals(v)) {
                    return i;
                }
            }
            throw new InputException(
                    "--init: unknown init '"
                            + name
                            + "'; use signed-constant, kaiming-normal or kaiming-uniform");
        }
    }

    private final Architecture architecture;
    private final List<Layer.Parametric> layers;
    private final double density;
    private final boolean perUnit;
    private final Init init;
    private final boolean scaleFan;
    private final CounterRandom rng;
    private final RandomNetwork pairs;

    /**
     * Creates the network.
     *
     * @param architecture a bias-free architecture
     * @param density the kept fraction of every layer, in (0, 1]
     * @param perUnit whether every output unit keeps the same count
     * @param init how the weights are drawn
     * @param scaleFan whether the weights' std uses the kept fan-in fanIn * d
     * @param seed the generator's seed
     * @throws InputException if a layer has biases, the density is out of range or a layer would
     *     keep no weight
     */
    public PopupNetwork(
            Architecture architecture,
            double density,
            boolean perUnit,
            Init init,
            boolean scaleFan,
            long seed) {
        if (!(density > 0 && density <= 1)) {
            throw new InputException("--density: must be in (0, 1], found " + density);
        }
        this.architecture = architecture;
        this.layers = List.copyOf(architecture.parametric());
        for (Layer.Parametric l : layers) {
            if (l.bias()) {
                throw new IllegalArgumentException("edge-popup networks are bias-free: " + l);
            }
        }
        this.density = density;
        this.perUnit = perUnit;
        this.init = init;
        this.scaleFan = scaleFan;
        this.rng = new CounterRandom(seed);
        this.pairs = null;
        checkKept();
    }

    private PopupNetwork(RandomNetwork pairs, double density, boolean perUnit, long seed) {
        if (!(density > 0 && density <= 1)) {
            throw new InputException("--density: must be in (0, 1], found " + density);
        }
        this.architecture = pairArchitecture(pairs);
        this.layers = List.copyOf(architecture.parametric());
        this.density = density;
        this.perUnit = perUnit;
        this.init = null;
        this.scaleFan = false;
        this.rng = new CounterRandom(seed);
        this.pairs = pairs;
        checkKept();
    }

    /**
     * The edge-popup network on the pair network of {@code sltk prune}: its weights are {@code
     * random}'s (dense targets only), its scores drawn with {@code seed}.
     *
     * @param random the pair network, as {@code sltk prune} builds it for a dense target
     * @param density the kept fraction of every layer (of the 2L), in (0, 1]
     * @param perUnit whether every output unit keeps the same count
     * @param seed the seed of the scores
     * @return the network
     * @throws InputException if the target is not a dense ReLU network or the density is out of
     *     range
     */
    public static PopupNetwork onPairs(
            RandomNetwork random, double density, boolean perUnit, long seed) {
        return new PopupNetwork(random, density, perUnit, seed);
    }

    /** The pair network as a sequential architecture: in -> units (bias), ReLU, units -> out. */
    private static Architecture pairArchitecture(RandomNetwork r) {
        List<Layer> out = new ArrayList<>();
        int p = 0;
        for (Layer l : r.architecture().layers()) {
            if (l instanceof Layer.Linear lin) {
                out.add(new Layer.Linear(lin.in(), r.units(p), r.hasBias(p)));
                out.add(new Layer.ReLU());
                out.add(new Layer.Linear(r.units(p), lin.out(), false));
                p++;
            } else if (l.kind() == Layer.Kind.RELU) {
                out.add(l);
            } else {
                throw new InputException(
                        "--model: edge-popup on the pair network takes dense ReLU targets (an MLP);"
                                + " this one has a "
                                + l.kind().name().toLowerCase(Locale.ROOT)
                                + " layer; use --arch for a plain random network");
            }
        }
        return new Architecture(r.architecture().inputShape(), out);
    }

    private void checkKept() {
        for (int p = 0; p < layers.size(); p++) {
            if (kept(p) < 1) {
                throw new InputException(
                        "--density "
                                + density
                                + ": layer "
                                + (p + 1)
                                + " would keep no weight"
                                + (perUnit ? " per unit (fan-in " + fanIn(p) + ")" : "")
                                + "; raise --density");
            }
        }
    }

    /**
     * Returns the pair network whose weights this network uses, if it is one.
     *
     * @return the pair network, or empty for a plain random network
     */
    public java.util.Optional<RandomNetwork> pairNetwork() {
        return java.util.Optional.ofNullable(pairs);
    }

    /** {@return the architecture} */
    public Architecture architecture() {
        return architecture;
    }

    /** {@return the number of conv and dense layers} */
    public int layerCount() {
        return layers.size();
    }

    /** {@return the density} */
    public double density() {
        return density;
    }

    /** {@return whether every output unit keeps the same count} */
    public boolean perUnit() {
        return perUnit;
    }

    /** {@return the weight init; null on a pair network, whose weights are its own} */
    public Init init() {
        return init;
    }

    /** {@return whether the fan is scaled by the density} */
    public boolean scaleFan() {
        return scaleFan;
    }

    /** {@return the seed} */
    public long seed() {
        return rng.seed();
    }

    /**
     * Returns layer p.
     *
     * @param p the layer
     * @return the conv or dense layer
     */
    public Layer.Parametric layer(int p) {
        return layers.get(p);
    }

    /**
     * Returns the fan-in of layer p.
     *
     * @param p the layer
     * @return c_in * r * r
     */
    public int fanIn(int p) {
        return layers.get(p).fanIn();
    }

    /**
     * Returns the parameters per output unit of layer p: its fan-in, plus one for its bias.
     *
     * @param p the layer
     * @return fanIn, or fanIn + 1 with biases
     */
    public int rowLength(int p) {
        return fanIn(p) + (layers.get(p).bias() ? 1 : 0);
    }

    /**
     * Returns the parameters (weights and biases) of layer p.
     *
     * @param p the layer
     * @return out * rowLength
     */
    public int size(int p) {
        long s = (long) layers.get(p).out() * rowLength(p);
        if (s > Integer.MAX_VALUE - 8) {
            throw new InputException(
                    "layer " + (p + 1) + " has " + s + " parameters, more than fit in one tensor");
        }
        return (int) s;
    }

    /**
     * Returns the parameters layer p keeps: round(d * size), or out * round(d * rowLength) per
     * unit.
     *
     * @param p the layer
     * @return the count
     */
    public int kept(int p) {
        return perUnit
                ? layers.get(p).out() * (int) Math.round(density * rowLength(p))
                : (int) Math.round(density * size(p));
    }

    /** {@return the weights of the whole network} */
    public long parameterCount() {
        long t = 0;
        for (int p = 0; p < layers.size(); p++) {
            t += size(p);
        }
        return t;
    }

    /** {@return the weights every ticket of this network keeps} */
    public long keptCount() {
        long t = 0;
        for (int p = 0; p < layers.size(); p++) {
            t += kept(p);
        }
        return t;
    }

    /**
     * Returns the std of layer p's weights: sqrt(2 / fan) (a plain network's; NaN on a pair
     * network).
     *
     * @param p the layer
     * @return the std
     */
    public double std(int p) {
        if (pairs != null) {
            return Double.NaN;
        }
        double fan = scaleFan ? fanIn(p) * density : fanIn(p);
        return StrictMath.sqrt(2.0 / fan);
    }

    /**
     * Returns the fixed random parameters of layer p, row-major (out, rowLength): per row the
     * weights, then the bias where the layer has biases.
     *
     * @param p the layer
     * @return a new array
     */
    public float[] parameters(int p) {
        float[] w = new float[size(p)];
        if (pairs != null) {
            int pair = p / 2;
            int len = rowLength(p);
            int in = fanIn(p);
            boolean first = p % 2 == 0;
            boolean bias = layers.get(p).bias();
            IntStream.range(0, layers.get(p).out())
                    .parallel()
                    .forEach(
                            o -> {
                                for (int j = 0; j < in; j++) {
                                    w[o * len + j] =
                                            first
                                                    ? pairs.firstWeight(pair, o, j)
                                                    : pairs.secondWeight(pair, o, j);
                                }
                                if (bias) {
                                    w[o * len + in] = pairs.firstBias(pair, o);
                                }
                            });
            return w;
        }
        double std = std(p);
        for (int j = 0; j < w.length; j++) {
            w[j] =
                    switch (init) {
                        case SIGNED_CONSTANT -> (float) (rng.bits(2L * p, j) < 0 ? -std : std);
                        case KAIMING_NORMAL -> (float) (std * rng.normal(2L * p, j));
                        case KAIMING_UNIFORM ->
                                (float)
                                        (std
                                                * StrictMath.sqrt(3.0)
                                                * rng.symmetricFloat(2L * p, j));
                    };
        }
        return w;
    }

    /**
     * Returns the factor layer p's weights are multiplied by in training: 1 on a plain network; on
     * a pair network, c_p = sqrt(2 / (fanIn * d)) / sd, where sd is the standard deviation of the
     * pair network's weight distribution, so that the kept weights have the scaled Kaiming std of
     * edge-popup's best init (the pair network's own weights, U[-1, 1] by default, give logits of
     * order 10^6 at these widths and densities, and the search diverges on them).
     *
     * <p>The biases of layer p are multiplied by c_0 * ... * c_p. A ReLU network so rescaled
     * computes (c_0 * ... * c_{L-1}) times the original's output for every input and every mask
     * (every pre-activation of layer p is c_0 * ... * c_p times the original's), so it predicts the
     * same classes: the scaling is a reparametrisation of the search, and the ticket is a
     * subnetwork of the very pair network, evaluated and exported with its own weights.
     *
     * @param p the layer
     * @return the factor
     */
    public double trainingScale(int p) {
        if (pairs == null) {
            return 1;
        }
        double sd = pairs.distribution().std(fanIn(p));
        return StrictMath.sqrt(2.0 / (fanIn(p) * density)) / sd;
    }

    /**
     * Returns the parameters of layer p as the search trains on them: {@link #parameters} with the
     * weights times {@link #trainingScale}(p) and the biases times the product of the scales of
     * layers 0..p.
     *
     * @param p the layer
     * @return a new array, row-major (out, rowLength)
     */
    public float[] trainingParameters(int p) {
        float[] v = parameters(p);
        if (pairs == null) {
            return v;
        }
        double c = trainingScale(p);
        double cb = 1;
        for (int q = 0; q <= p; q++) {
            cb *= trainingScale(q);
        }
        int len = rowLength(p);
        int in = fanIn(p);
        for (int j = 0; j < v.length; j++) {
            v[j] = (float) (v[j] * (j % len == in ? cb : c));
        }
        return v;
    }

    /**
     * Returns the initial scores of layer p: uniform on [-1/sqrt(fanIn), 1/sqrt(fanIn)).
     *
     * @param p the layer
     * @return a new array, row-major (out, rowLength)
     */
    public float[] initialScores(int p) {
        float[] s = new float[size(p)];
        float bound = (float) (1.0 / StrictMath.sqrt(fanIn(p)));
        for (int j = 0; j < s.length; j++) {
            s[j] = bound * rng.symmetricFloat(2L * p + 1, j);
        }
        return s;
    }

    /**
     * Chooses the weights of layer p to keep for its scores: the kept count of highest score, of
     * the whole layer or of every row.
     *
     * @param p the layer
     * @param scores the layer's scores, row-major (out, rowLength)
     * @return the mask: (1, kept) flat indices, or (out, kept per row) indices within each row
     */
    public PairMask mask(int p, float[] scores) {
        if (scores.length != size(p)) {
            throw new IllegalArgumentException(scores.length + " scores for " + size(p));
        }
        if (!perUnit) {
            return new PairMask(1, kept(p), topK(scores, 0, scores.length, kept(p)));
        }
        int out = layers.get(p).out();
        int f = rowLength(p);
        int k = kept(p) / out;
        int[] all = new int[out * k];
        IntStream.range(0, out)
                .parallel()
                .forEach(o -> System.arraycopy(topK(scores, o * f, f, k), 0, all, o * k, k));
        return new PairMask(out, k, all);
    }

    /**
     * Returns the 0/1 mask of layer p as floats, row-major (out, rowLength).
     *
     * @param p the layer
     * @param mask its mask, from {@link #mask}
     * @return the dense mask
     */
    public float[] denseMask(int p, PairMask mask) {
        float[] m = new float[size(p)];
        int f = rowLength(p);
        for (int r = 0; r < mask.outputs(); r++) {
            for (int t = 0; t < mask.perOutput(); t++) {
                int j = mask.kept()[r * mask.perOutput() + t];
                m[perUnit ? r * f + j : j] = 1f;
            }
        }
        return m;
    }

    /**
     * Checks that masks are a ticket of this network: one per layer, of the right shape, in range.
     *
     * @param masks the masks
     * @param source how a refusal names them
     * @throws InputException if they are not
     */
    public void checkMasks(List<PairMask> masks, String source) {
        if (masks.size() != layers.size()) {
            throw new InputException(
                    source + ": " + masks.size() + " masks for " + layers.size() + " layers");
        }
        for (int p = 0; p < masks.size(); p++) {
            PairMask m = masks.get(p);
            int rows = perUnit ? layers.get(p).out() : 1;
            int bound = perUnit ? rowLength(p) : size(p);
            if (m.outputs() != rows || (long) m.outputs() * m.perOutput() != kept(p)) {
                throw new InputException(
                        source
                                + ": layer "
                                + (p + 1)
                                + " mask is "
                                + m.outputs()
                                + "x"
                                + m.perOutput()
                                + ", expected "
                                + rows
                                + "x"
                                + kept(p) / rows);
            }
            for (int u : m.kept()) {
                if (u < 0 || u >= bound) {
                    throw new InputException(
                            source + ": layer " + (p + 1) + " keeps index " + u + " of " + bound);
                }
            }
        }
    }

    /**
     * Returns the ticket as a network: the random parameters where kept, zero elsewhere.
     *
     * @param masks one mask per layer
     * @return the network
     */
    public TargetNetwork ticket(List<PairMask> masks) {
        checkMasks(masks, "masks");
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        boolean anyBias = false;
        for (int p = 0; p < layers.size(); p++) {
            float[] v = parameters(p);
            float[] m = denseMask(p, masks.get(p));
            int out = layers.get(p).out();
            int in = fanIn(p);
            int len = rowLength(p);
            float[] wp = new float[out * in];
            float[] bp = layers.get(p).bias() ? new float[out] : null;
            for (int o = 0; o < out; o++) {
                for (int j = 0; j < in; j++) {
                    wp[o * in + j] = v[o * len + j] * m[o * len + j];
                }
                if (bp != null) {
                    bp[o] = v[o * len + in] * m[o * len + in];
                }
            }
            anyBias |= bp != null;
            w.add(wp);
            b.add(bp);
        }
        return TargetNetwork.of(architecture, w, anyBias ? b : null, "edge-popup ticket");
    }

    /**
     * Returns the SHA-256 of a ticket's masks ({@link PairMask#digest}).
     *
     * @param masks one mask per layer
     * @return 64 hex digits
     */
    public static String digest(List<PairMask> masks) {
        return PairMask.digest(masks);
    }

    /**
     * The k highest of {@code scores[from, from + n)}, as indices relative to {@code from},
     * ascending. Exactly k: among equal scores at the threshold the lower index wins, so the choice
     * is a pure function of the scores.
     *
     * @param scores the scores (no NaN)
     * @param from the first index
     * @param n how many
     * @param k how many to keep, 0..n
     * @return the kept indices, sorted
     */
    public static int[] topK(float[] scores, int from, int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k " + k + " of " + n);
        }
        if (k == 0) {
            return new int[0];
        }
        float[] a = Arrays.copyOfRange(scores, from, from + n);
        for (float v : a) {
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("NaN score");
            }
        }
        float t = select(a, n - k); // the k-th largest: index n-k in ascending order
        int greater = 0;
        for (int j = 0; j < n; j++) {
            if (scores[from + j] > t) {
                greater++;
            }
        }
        int ties = k - greater;
        int[] out = new int[k];
        int c = 0;
        for (int j = 0; j < n; j++) {
            float v = scores[from + j];
            if (v > t || (v == t && ties-- > 0)) {
                out[c++] = j;
            }
        }
        return out;
    }

    /** The value of rank r (0-based, ascending) of a, reordering a (Hoare quickselect). */
    private static float select(float[] a, int r) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float x = a[i];
                    a[i] = a[j];
                    a[j] = x;
                    i++;
                    j--;
                }
            }
            if (r <= j) {
                hi = j;
            } else if (r >= i) {
                lo = i;
            } else {
                return a[r];
            }
        }
        return a[r];
    }

    @Override
    public String toString() {
        return "PopupNetwork("
                + architecture.describe()
                + ", density="
                + density
                + (perUnit ? " per unit" : "")
                + (pairs != null ? ", on " + pairs : ", init=" + init.id())
                + (scaleFan ? " scaled" : "")
                + ", seed="
                + seed()
                + ")";
    }
}
