package org.sltk.nn;

/**
 * The im2col view of a conv (or dense) layer on flat float64 arrays laid out (c, h, w): every
 * (output position, patch entry) pair, patch entry {@code j = i * r * r + dy * r + dx} for input
 * channel i and kernel offset (dy, dx), the layout of a weight (out, in, r, r) row. Taps that fall
 * on the zero padding are skipped.
 */
public final class Patches {

    private Patches() {}

    /** Receives one tap. */
    @FunctionalInterface
    public interface Tap {
        /**
         * One input value feeding one output position through patch entry j.
         *
         * @param outPos the output position y * wo + x (add o * ho * wo for channel o)
         * @param inIndex the flat input index (i, y', x')
         * @param j the patch entry
         */
        void accept(int outPos, int inIndex, int j);
    }

    /**
     * Calls {@code tap} for every non-padding tap of a layer.
     *
     * @param l the conv or dense layer
     * @param in the input shape (c, h, w)
     * @param out the output shape
     * @param tap the receiver
     */
    public static void forEach(Layer.Parametric l, int[] in, int[] out, Tap tap) {
        int r = l.kernel();
        int h = in[1];
        int w = in[2];
        int ho = out[1];
        int wo = out[2];
        for (int y = 0; y < ho; y++) {
            for (int x = 0; x < wo; x++) {
                int pos = y * wo + x;
                for (int i = 0; i < l.in(); i++) {
                    for (int dy = 0; dy < r; dy++) {
                        int yy = y * l.stride() - l.padding() + dy * l.dilation();
                        if (yy < 0 || yy >= h) {
                            continue;
                        }
                        for (int dx = 0; dx < r; dx++) {
                            int xx = x * l.stride() - l.padding() + dx * l.dilation();
                            if (xx < 0 || xx >= w) {
                                continue;
                            }
                            tap.accept(pos, (i * h + yy) * w + xx, (i * r + dy) * r + dx);
                        }
                    }
                }
            }
        }
    }

    /**
     * Pools a flat (c, h, w) array over non-overlapping size x size windows.
     *
     * @param v the values
     * @param in the input shape
     * @param size the window side
     * @param max max (true) or average (false)
     * @return the pooled values, (c, h / size, w / size)
     */
    public static double[] pool(double[] v, int[] in, int size, boolean max) {
        int ho = in[1] / size;
        int wo = in[2] / size;
        double[] o = new double[in[0] * ho * wo];
        for (int c = 0; c < in[0]; c++) {
            for (int y = 0; y < ho; y++) {
                for (int x = 0; x < wo; x++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int dy = 0; dy < size; dy++) {
                        for (int dx = 0; dx < size; dx++) {
                            double e = v[(c * in[1] + y * size + dy) * in[2] + x * size + dx];
                            acc = max ? Math.max(acc, e) : acc + e;
                        }
                    }
                    o[(c * ho + y) * wo + x] = max ? acc : acc / (size * size);
                }
            }
        }
        return o;
    }
}
