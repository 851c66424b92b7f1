package org.sltk.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.sltk.util.InputException;

/**
 * The box [lo, hi] every input of a network is assumed to lie in; a ticket is pruned for one.
 *
 * <p>Only the sign matters to the pruning: where {@link #nonNegative()} holds, the first pair's
 * blocks for negative inputs are never active and are pruned away whole, so the ticket computes its
 * target only for inputs {@code >= 0}. The upper end records the data the run was made for (sltk's
 * IDX data sets are bytes / 255, pixels in [0, 1]) and is where the run's error bound over the
 * whole box holds. An unbounded end is infinite.
 *
 * <pre>
 * jshell&gt; InputDomain.PIXELS.describe()
 * "non-negative [0, 1]"
 * jshell&gt; InputDomain.SIGNED.contains(-3f)
 * true
 * </pre>
 *
 * @param lo the smallest input, or negative infinity
 * @param hi the largest input, or positive infinity
 */
public record InputDomain(double lo, double hi) {

    /** Pixels as sltk loads every data set: IDX bytes divided by 255. */
    public static final InputDomain PIXELS = new InputDomain(0, 1);

    /** Any non-negative input, [0, inf). */
    public static final InputDomain NON_NEGATIVE = new InputDomain(0, Double.POSITIVE_INFINITY);

    /** Inputs of either sign, (-inf, inf): no assumption. */
    public static final InputDomain SIGNED =
            new InputDomain(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    /** The one-word id of a non-negative domain. */
    public static final String NON_NEGATIVE_ID = "non-negative";

    /** The one-word id of a domain that admits negative inputs. */
    public static final String SIGNED_ID = "signed";

    /**
     * Checks the box: no NaN, lo &lt;= hi, lo below +inf and hi above -inf.
     *
     * @param lo the smallest input, or negative infinity
     * @param hi the largest input, or positive infinity
     */
    public InputDomain {
        if (Double.isNaN(lo)
                || Double.isNaN(hi)
                || lo > hi
                || lo == Double.POSITIVE_INFINITY
                || hi == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("not an input domain: [" + lo + ", " + hi + "]");
        }
    }

    /**
     * A domain with the reason it was chosen, as runs record it.
     *
     * @param domain the domain
     * @param reason why, one line (e.g. {@code from the model's dataset mnist})
     */
    public record Choice(InputDomain domain, String reason) {

        /**
         * Chooses the domain when nothing asks for one: pixels in [0, 1] for a target that records
         * the sltk dataset it was trained on, or for an imported one given data (sltk loads pixels
         * in [0, 1]); signed for an imported target given none. A dataset that asks for
         * normalisation ({@link Datasets#normalization}) gives the image of [0, 1] under it.
         *
         * @param modelDataset the dataset the model records, or null (an import)
         * @param data the data the ticket is for when the model records none, or null
         * @param names how the reason names the settings {@code data} and {@code inputDomain} (the
         *     command line shows its flags)
         * @return the domain and why
         */
        public static Choice auto(
                String modelDataset, String data, Function<String, String> names) {
            String spec = modelDataset != null ? modelDataset : data;
            Optional<Normalization> n =
                    spec == null ? Optional.empty() : Datasets.normalization(spec);
            if (n.isPresent()) {
                InputDomain d = n.orElseThrow().domainOf(PIXELS);
                return new Choice(
                        d,
                        "auto: "
                                + (modelDataset != null
                                        ? "from the model's dataset " + modelDataset
                                        : "an imported target run on "
                                                + names.apply("data")
                                                + " "
                                                + data)
                                + ", pixels in [0, 1] normalised per channel to "
                                + d.box());
            }
            if (modelDataset != null) {
                return new Choice(
                        PIXELS,
                        "auto: from the model's dataset "
                                + modelDataset
                                + ", whose pixels sltk loads in [0, 1]");
            }
            if (data != null) {
                return new Choice(
                        PIXELS,
                        "auto: an imported target run on "
                                + names.apply("data")
                                + " "
                                + data
                                + ", whose pixels sltk loads in [0, 1]; give "
                                + names.apply("inputDomain")
                                + " signed if it takes other inputs");
            }
            return new Choice(
                    SIGNED,
                    "auto: an imported target with no "
                            + names.apply("data")
                            + ", so nothing says its inputs are non-negative");
        }

        /**
         * Returns the line runs print: {@code input domain: [0, 1] (auto: from ...)}.
         *
         * @return the line, without a line break
         */
        public String summary() {
            return "input domain: " + domain.describe() + " (" + reason + ")";
        }
    }

    /**
     * Returns whether every input is non-negative, lo &gt;= 0: what the pruner needs to know.
     *
     * @return whether lo &gt;= 0
     */
    public boolean nonNegative() {
        return lo >= 0;
    }

    /**
     * Returns the one-word id, {@value #NON_NEGATIVE_ID} or {@value #SIGNED_ID}.
     *
     * @return the id
     */
    public String id() {
        return nonNegative() ? NON_NEGATIVE_ID : SIGNED_ID;
    }

    /**
     * Returns whether a value lies in the box (float32 values are compared as float32, as libtorch
     * compares them).
     *
     * @param v the value
     * @return whether lo &lt;= v &lt;= hi (never for NaN)
     */
    public boolean contains(float v) {
        return v >= (float) lo && v <= (float) hi;
    }

    /**
     * Checks that every pixel of a set lies in the domain.
     *
     * @param data the images
     * @throws InputException naming the set, the value found, the domain and the flag to change (or
     *     a NaN pixel)
     */
    public void check(ImageSet data) {
        if (data.size() == 0) {
            return;
        }
        if (Float.isNaN(data.minPixel()) || Float.isNaN(data.maxPixel())) {
            throw new InputException(data.name() + ": a pixel is NaN; give data without NaN");
        }
        float bad = !contains(data.minPixel()) ? data.minPixel() : data.maxPixel();
        if (!contains(data.minPixel()) || !contains(data.maxPixel())) {
            throw new InputException(
                    data.name()
                            + ": input "
                            + bad
                            + " is outside the input domain "
                            + describe()
                            + " the ticket was pruned for; evaluate on data inside it, or prune again with --input-domain signed");
        }
    }

    /**
     * Returns the box in interval notation, e.g. {@code [0, 1]}, {@code [0, inf)}, {@code (-inf,
     * inf)}.
     *
     * @return the box
     */
    public String box() {
        return (Double.isInfinite(lo) ? "(-inf" : "[" + number(lo))
                + ", "
                + (Double.isInfinite(hi) ? "inf)" : number(hi) + "]");
    }

    /**
     * Returns the id and the box, e.g. {@code non-negative [0, 1]}.
     *
     * @return the description
     */
    public String describe() {
        return id() + " " + box();
    }

    /**
     * Returns the domain as JSON-ready values: {@code id}, {@code lo}, {@code hi} (an unbounded end
     * as an infinity, which sltk's JSON writes as {@code -Infinity} / {@code Infinity}).
     *
     * @return the map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id());
        m.put("lo", lo);
        m.put("hi", hi);
        return m;
    }

    /**
     * Formats a bound as {@link #box()} shows it, as short as it reads: {@code 0}, {@code 1},
     * {@code 0.5}, {@code 1.0e-6}.
     *
     * @param v a finite bound
     * @return the text
     */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }
}
