package org.sltk.prune;

import ai.djl.Device;
import java.util.Map;

/**
 * The floating-point arithmetic that {@link ErrorBound} assumes for the float32 forward passes of
 * the target and the ticket: plain float32 everywhere, or TF32 in the products of convolutions and
 * matrix products (cuDNN uses TF32 for float32 convolutions by default on Ampere and later GPUs;
 * inputs are rounded to a 10-bit mantissa, products summed in float32).
 *
 * <pre>{@code
 * Arithmetic.of(Device.cpu(), System.getenv());   // FLOAT32
 * Arithmetic.of(Device.gpu(), Map.of());          // TF32: nothing turned it off
 * Arithmetic.of(Device.gpu(), Map.of("NVIDIA_TF32_OVERRIDE", "0"));   // FLOAT32
 * }</pre>
 */
public enum Arithmetic {

    /** IEEE float32 in every operation: unit roundoff 2^-24. */
    FLOAT32("float32", 0.0, 0x1.0p-24),

    /**
     * TF32 operands in conv and matmul products (unit roundoff 2^-11), float32 everything else; the
     * sums of products taken as 2^-23 per step, since tensor cores may truncate rather than round
     * their accumulations.
     */
    TF32("tf32", 0x1.0p-11, 0x1.0p-23);

    /**
     * The environment variable that turns TF32 off in cuBLAS and cuDNN for the whole process when
     * "0".
     */
    public static final String TF32_OVERRIDE = "NVIDIA_TF32_OVERRIDE";

    /** The unit roundoff of float32. */
    static final double U32 = 0x1.0p-24;

    /**
     * The largest absolute error of one float32 operation whose result underflows, even where
     * subnormals are flushed to zero: the smallest normal float32, 2^-126. The relative model
     * gamma(m) holds only without underflow; the bound adds this per operation.
     */
    static final double UNDERFLOW = 0x1.0p-126;

    private final String id;
    private final double operandRoundoff;
    private final double sumRoundoff;

    Arithmetic(String id, double operandRoundoff, double sumRoundoff) {
        this.id = id;
        this.operandRoundoff = operandRoundoff;
        this.sumRoundoff = sumRoundoff;
    }

    /**
     * Returns the arithmetic of passes on a device: TF32 on a GPU unless {@value #TF32_OVERRIDE} is
     * "0" in the environment (then cuBLAS and cuDNN compute in float32), float32 on a CPU.
     *
     * @param device where the passes run
     * @param env the process environment, e.g. {@code System.getenv()}
     * @return the arithmetic to assume
     */
    public static Arithmetic of(Device device, Map<String, String> env) {
        if (device == null || !device.isGpu()) {
            return FLOAT32;
        }
        String v = env.get(TF32_OVERRIDE);
        return v != null && v.trim().equals("0") ? FLOAT32 : TF32;
    }

    /** {@return the name written into reports: float32 or tf32} */
    public String id() {
        return id;
    }

    /**
     * Returns the relative error bound of a float32 dot product of m non-zero products in any order
     * (plus up to two more roundings: the ticket's first-layer product and the bias): gamma(m + 2)
     * with u = 2^-24 in float32; under {@link #TF32}, with both operands of every product rounded
     * to TF32 first and sums at 2^-23, (1 + gamma_{2^-23}(m + 2)) (1 + gamma_{2^-11}(2)) - 1.
     *
     * @param m the non-zero products of the sum
     * @return the bound on |computed - exact| / sum |products|
     */
    public double dot(int m) {
        double g = gamma(m + 2, sumRoundoff);
        return operandRoundoff == 0 ? g : (1 + g) * (1 + gamma(2, operandRoundoff)) - 1;
    }

    /**
     * Returns gamma(m) = m u / (1 - m u), which bounds |prod (1 + d_i) - 1| for m factors with
     * |d_i| &lt;= u.
     *
     * @param m the factors
     * @param u the unit roundoff
     * @return gamma
     */
    static double gamma(int m, double u) {
        double mu = m * u;
        if (mu >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        return mu / (1 - mu);
    }
}
