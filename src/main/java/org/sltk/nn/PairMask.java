package org.sltk.nn;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.sltk.util.Hashing;

/**
 * The pruning mask of one pair of the random network, in compact form: for every output of the
 * pair's second layer, the sorted hidden units whose weight to it is kept. Every output keeps the
 * same number of units (blocks per output times k), which is what makes the density exact.
 *
 * <p>The first layer's mask follows from it: a hidden unit is kept when some output keeps it, and
 * then keeps exactly one weight, the one from the input of its pool (or only its bias, for the
 * constant-input pool); every other first-layer weight and bias is pruned.
 */
public final class PairMask {

    private final int outputs;
    private final int perOutput;
    private final int[] kept;

    /**
     * Creates a mask.
     *
     * @param outputs the outputs of the pair
     * @param perOutput kept hidden units per output
     * @param kept row-major (outputs, perOutput) unit indices, each row sorted and distinct
     */
    public PairMask(int outputs, int perOutput, int[] kept) {
        if ((long) outputs * perOutput != kept.length) {
            throw new IllegalArgumentException(
                    kept.length + " kept units for " + outputs + " x " + perOutput);
        }
        for (int i = 0; i < outputs; i++) {
            for (int t = 1; t < perOutput; t++) {
                if (kept[i * perOutput + t] <= kept[i * perOutput + t - 1]) {
                    throw new IllegalArgumentException(
                            "row " + i + " of the mask is not sorted and distinct");
                }
            }
        }
        this.outputs = outputs;
        this.perOutput = perOutput;
        this.kept = kept;
    }

    /** {@return the number of outputs} */
    public int outputs() {
        return outputs;
    }

    /** {@return the kept units per output, the row length} */
    public int perOutput() {
        return perOutput;
    }

    /**
     * Returns the kept units of all outputs, row-major (shared, do not modify).
     *
     * @return the unit indices
     */
    public int[] kept() {
        return kept;
    }

    /**
     * Returns the kept units of one output.
     *
     * @param i the output
     * @return a copy of its sorted unit indices
     */
    public int[] keptUnits(int i) {
        return Arrays.copyOfRange(kept, i * perOutput, (i + 1) * perOutput);
    }

    /**
     * Returns the hidden units kept by at least one output, ascending.
     *
     * @param units the number of hidden units of the pair
     * @return the used units
     */
    public int[] usedUnits(int units) {
        boolean[] used = new boolean[units];
        for (int u : kept) {
            used[u] = true;
        }
        int count = 0;
        for (boolean b : used) {
            count += b ? 1 : 0;
        }
        int[] out = new int[count];
        for (int u = 0, t = 0; u < units; u++) {
            if (used[u]) {
                out[t++] = u;
            }
        }
        return out;
    }

    /**
     * Returns the SHA-256 of a list of masks in a canonical form (mask by mask: outputs, kept per
     * output, the kept indices, all as big-endian 32-bit integers): the same masks give the same
     * digest on every machine.
     *
     * @param masks the masks, in order
     * @return the hex digest
     */
    public static String digest(List<PairMask> masks) {
        MessageDigest md = Hashing.sha256();
        for (PairMask m : masks) {
            ByteBuffer buf = ByteBuffer.allocate(8 + 4 * m.kept().length);
            buf.putInt(m.outputs()).putInt(m.perOutput());
            for (int u : m.kept()) {
                buf.putInt(u);
            }
            md.update(buf.array());
        }
        return Hashing.hex(md);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairMask
                && ((PairMask) o).outputs == outputs
                && ((PairMask) o).perOutput == perOutput
                && Arrays.equals(((PairMask) o).kept, kept);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outputs, perOutput, Arrays.hashCode(kept));
    }
}
