package org.sltk.rfss;

/**
 * The immutable result of solving an {@link RfssBatch}: per instance, the k chosen indices (sorted
 * ascending), their sum and the error to the target.
 *
 * <p>Sums and errors are always recomputed here from the indices in one canonical way, so every
 * solver reports identical numbers for identical subsets: the chosen candidates (doubles) are added
 * in ascending index order starting from {@code 0.0}, and the error is {@code Math.abs(sum -
 * target)}, all in float64. This canonical error is the one the rule of {@link RfssSolver} is
 * stated in.
 */
public final class RfssSolution {

    private final int k;
    private final int[] indices;
    private final double[] sums;
    private final double[] errors;

    private RfssSolution(int k, int[] indices, double[] sums, double[] errors) {
        this.k = k;
        this.indices = indices;
        this.sums = sums;
        this.errors = errors;
    }

    /**
     * Builds a solution from chosen indices, checking them and computing sums and errors.
     *
     * @param batch the solved batch
     * @param indices the chosen indices, row-major {@code [size * k]}, each row sorted ascending,
     *     distinct and in {@code [0, n)}; the array is copied
     * @return the solution
     * @throws IllegalArgumentException if a row is not a valid k-subset
     */
    public static RfssSolution of(RfssBatch batch, int[] indices) {
        int k = batch.k();
        int n = batch.n();
        int size = batch.size();
        if (indices.length != (long) size * k) {
            throw new IllegalArgumentException(
                    "indices.length must be size * k = "
                            + ((long) size * k)
                            + ", found "
                            + indices.length);
        }
        int[] idx = indices.clone();
        double[] sums = new double[size];
        double[] errors = new double[size];
        double[] z = batch.candidatesView();
        double[] w = batch.targetsView();
        for (int i = 0; i < size; i++) {
            int prev = -1;
            for (int r = 0; r < k; r++) {
                int j = idx[i * k + r];
                if (j <= prev || j >= n) {
                    throw new IllegalArgumentException(
                            "instance "
                                    + i
                                    + ": indices must be ascending, distinct and in [0, "
                                    + n
                                    + "), found "
                                    + j
                                    + " at position "
                                    + r);
                }
                prev = j;
            }
            double s = canonicalSum(z, i * n, idx, i * k, k);
            sums[i] = s;
            errors[i] = Math.abs(s - w[i]);
        }
        return new RfssSolution(k, idx, sums, errors);
    }

    /** The canonical float64 sum of the chosen candidates: ascending index order from 0.0. */
    static double canonicalSum(double[] z, int zOffset, int[] idx, int idxOffset, int k) {
        double s = 0.0;
        for (int r = 0; r < k; r++) {
            s += z[zOffset + idx[idxOffset + r]];
        }
        return s;
    }

    /** The canonical float64 sum of the candidates whose bits are set in {@code mask}. */
    static double canonicalSum(double[] z, int zOffset, long mask) {
        double s = 0.0;
        for (long m = mask; m != 0; m &= m - 1) {
            s += z[zOffset + Long.numberOfTrailingZeros(m)];
        }
        return s;
    }

    /**
     * Returns the number of instances.
     *
     * @return the number of instances
     */
    public int size() {
        return sums.length;
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
     * Returns the chosen indices of one instance.
     *
     * @param instance the instance
     * @return k indices, sorted ascending, distinct, in [0, n)
     */
    public int[] subset(int instance) {
        int[] s = new int[k];
        System.arraycopy(indices, instance * k, s, 0, k);
        return s;
    }

    /**
     * Returns all chosen indices, row-major.
     *
     * @return a copy of the indices, {@code [size * k]}
     */
    public int[] indices() {
        return indices.clone();
    }

    /**
     * Returns the float64 sum of the chosen candidates of one instance.
     *
     * @param instance the instance
     * @return the canonical sum (ascending index order)
     */
    public double sum(int instance) {
        return sums[instance];
    }

    /**
     * Returns the error of one instance.
     *
     * @param instance the instance
     * @return {@code |sum - target|} in float64
     */
    public double error(int instance) {
        return errors[instance];
    }

    /**
     * Returns all errors.
     *
     * @return a copy of the errors
     */
    public double[] errors() {
        return errors.clone();
    }

    @Override
    public String toString() {
        return "RfssSolution(size=" + size() + ",k=" + k + ")";
    }
}
