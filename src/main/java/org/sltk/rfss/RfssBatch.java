package org.sltk.rfss;

import java.util.Arrays;

/**
 * An immutable batch of RFSS instances of one shape (n candidates, subsets of size k), stored
 * row-major in float64: the candidates of instance {@code i} are {@code candidates[i * n .. i * n +
 * n)}.
 *
 * <p>Candidates and targets are doubles. The pruner's candidates are products a * b of two float32
 * weights computed in double, which is exact (24 + 24 significand bits fit in 53); its targets are
 * float32 weights widened to double. {@link #of(float[], float[], int, int)} widens float data the
 * same way.
 *
 * <p>Candidates are plain numbers to every solver: a "padding" value such as {@code 1e6} marks an
 * unusable candidate and simply never ends up in an optimum when enough real ones exist.
 */
public final class RfssBatch {

    /** The largest block size any solver accepts (subsets are 64-bit masks). */
    public static final int MAX_N = 64;

    private final double[] candidates;
    private final double[] targets;
    private final int n;
    private final int k;

    private RfssBatch(double[] candidates, double[] targets, int n, int k) {
        this.candidates = candidates;
        this.targets = targets;
        this.n = n;
        this.k = k;
    }

    /**
     * Creates a batch from copies of the given arrays.
     *
     * @param candidates the candidates, row-major, {@code targets.length * n} values
     * @param targets one target per instance
     * @param n candidates per instance, 1 to {@value #MAX_N}
     * @param k subset size, 1 to n
     * @return the batch
     * @throws IllegalArgumentException if the sizes do not fit or a value is not finite
     */
    public static RfssBatch of(double[] candidates, double[] targets, int n, int k) {
        if (candidates == null || targets == null) {
            throw new IllegalArgumentException("candidates and targets must not be null");
        }
        return checked(candidates.clone(), targets.clone(), n, k);
    }

    /**
     * Creates a batch from float data, every value widened to double (exactly).
     *
     * @param candidates the candidates, row-major, {@code targets.length * n} values
     * @param targets one target per instance
     * @param n candidates per instance, 1 to {@value #MAX_N}
     * @param k subset size, 1 to n
     * @return the batch
     * @throws IllegalArgumentException if the sizes do not fit or a value is not finite
     */
    public static RfssBatch of(float[] candidates, float[] targets, int n, int k) {
        if (candidates == null || targets == null) {
            throw new IllegalArgumentException("candidates and targets must not be null");
        }
        return checked(widen(candidates), widen(targets), n, k);
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static RfssBatch checked(double[] candidates, double[] targets, int n, int k) {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be in [1, " + MAX_N + "], found " + n);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, n=" + n + "], found " + k);
        }
        if ((long) targets.length * n != candidates.length) {
            throw new IllegalArgumentException(
                    "candidates.length must be targets.length * n = "
                            + ((long) targets.length * n)
                            + ", found "
                            + candidates.length);
        }
        for (int i = 0; i < candidates.length; i++) {
            if (!Double.isFinite(candidates[i])) {
                throw new IllegalArgumentException(
                        "candidate "
                                + (i % n)
                                + " of instance "
                                + (i / n)
                                + " is not finite: "
                                + candidates[i]);
            }
        }
        for (int i = 0; i < targets.length; i++) {
            if (!Double.isFinite(targets[i])) {
                throw new IllegalArgumentException(
                        "target of instance " + i + " is not finite: " + targets[i]);
            }
        }
        return new RfssBatch(candidates, targets, n, k);
    }

    /**
     * Returns the number of instances.
     *
     * @return the number of instances
     */
    public int size() {
        return targets.length;
    }

    /**
     * Returns the number of candidates per instance.
     *
     * @return n
     */
    public int n() {
        return n;
    }

    /**
     * Returns the subset size.
     *
     * @return k
     */
    public int k() {
        return k;
    }

    /**
     * Returns one candidate.
     *
     * @param instance the instance
     * @param j the candidate index in [0, n)
     * @return the candidate value
     */
    public double candidate(int instance, int j) {
        if (j < 0 || j >= n) {
            throw new IndexOutOfBoundsException("candidate index " + j + " out of [0, " + n + ")");
        }
        return candidates[instance * n + j];
    }

    /**
     * Returns the target of one instance.
     *
     * @param instance the instance
     * @return the target
     */
    public double target(int instance) {
        return targets[instance];
    }

    /**
     * Returns a copy of all candidates, row-major.
     *
     * @return the candidates
     */
    public double[] candidates() {
        return candidates.clone();
    }

    /**
     * Returns a copy of all targets.
     *
     * @return the targets
     */
    public double[] targets() {
        return targets.clone();
    }

    /** The candidates without a copy, for solvers in this package; never modified. */
    double[] candidatesView() {
        return candidates;
    }

    /** The targets without a copy, for solvers in this package; never modified. */
    double[] targetsView() {
        return targets;
    }

    /**
     * Returns a batch holding instances {@code [from, to)} of this one.
     *
     * @param from first instance, inclusive
     * @param to last instance, exclusive
     * @return the sub-batch
     */
    public RfssBatch slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + size());
        }
        return new RfssBatch(
                Arrays.copyOfRange(candidates, from * n, to * n),
                Arrays.copyOfRange(targets, from, to),
                n,
                k);
    }

    @Override
    public String toString() {
        return "RfssBatch(size=" + size() + ",n=" + n + ",k=" + k + ")";
    }
}
