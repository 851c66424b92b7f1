package org.sltk.util;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The CPU kernel pins of sltk's processes and what a process actually ran with: which
 * instruction-set variables were set, the CPU model and whether it has AVX2 and AVX-512.
 *
 * <p>libtorch chooses its CPU kernels by the machine's instruction set: oneDNN's convolutions
 * ({@code DNNL_MAX_CPU_ISA}), ATen's vectorised kernels ({@code ATEN_CPU_CAPABILITY}) and MKL's
 * GEMM ({@code MKL_ENABLE_INSTRUCTIONS}). Kernels for AVX-512 round differently from those for
 * AVX2, so training is bit-identical across machines only with the same kernels. Every process sltk
 * starts sets {@link #PINS} (from {@code scripts/cpu-kernels.sh}, which holds the same list) unless
 * the user set them; the variables are read by the native libraries when they start, so a JVM
 * cannot set them for itself. {@link #warnIfUnpinned} tells a library user whose JVM lacks them on
 * an AVX-512 CPU.
 */
public final class CpuKernels {

    /** The pins, variable to value, in the order of {@code scripts/cpu-kernels.sh}. */
    public static final Map<String, String> PINS = pins();

    private static volatile boolean warned;

    private CpuKernels() {}

    private static Map<String, String> pins() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("DNNL_MAX_CPU_ISA", "AVX2");
        m.put("ATEN_CPU_CAPABILITY", "avx2");
        m.put("MKL_ENABLE_INSTRUCTIONS", "AVX2");
        return Collections.unmodifiableMap(m);
    }

    /**
     * What a process runs with: the CPU and the kernel variables in its environment.
     *
     * @param model the CPU model from {@code /proc/cpuinfo}, or null where unknown
     * @param avx2 whether the CPU has AVX2
     * @param avx512f whether the CPU has AVX-512 (foundation)
     * @param env each variable of {@link #PINS} and its value in this process (null: not set)
     */
    public record Info(String model, boolean avx2, boolean avx512f, Map<String, String> env) {

        /**
         * Creates the record, copying the map (null values kept).
         *
         * @param model the CPU model
         * @param avx2 AVX2 present
         * @param avx512f AVX-512 present
         * @param env the variables
         */
        public Info {
            env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }

        /**
         * Whether every pin is set in this process (to any value: a user's own choice counts).
         *
         * @return true if all of {@link #PINS} are set
         */
        public boolean pinned() {
            return PINS.keySet().stream().allMatch(k -> env.get(k) != null);
        }

        /**
         * One short description, e.g. {@code AMD EPYC (AVX2, no AVX-512), DNNL_MAX_CPU_ISA=AVX2,
         * ...}.
         *
         * @return the description
         */
        public String describe() {
            String isa = avx512f ? "AVX-512" : avx2 ? "AVX2, no AVX-512" : "no AVX2";
            String vars =
                    env.entrySet().stream()
                            .map(
                                    e ->
                                            e.getKey()
                                                    + (e.getValue() == null
                                                            ? " unset"
                                                            : "=" + e.getValue()))
                            .collect(Collectors.joining(", "));
            return (model == null ? "unknown CPU" : model) + " (" + isa + "), " + vars;
        }
    }

    /**
     * Returns what this process runs with, from {@code /proc/cpuinfo} and the environment.
     *
     * @return the CPU and the kernel variables
     */
    public static Info current() {
        return parse(cpuinfo(), System.getenv());
    }

    /**
     * Builds the record from the text of {@code /proc/cpuinfo} and an environment.
     *
     * @param cpuinfo the text (empty where unknown)
     * @param env the environment
     * @return the record
     */
    public static Info parse(String cpuinfo, Map<String, String> env) {
        String model = null;
        List<String> flags = List.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model == null && key.equals("model name")) {
                model = value;
            } else if (flags.isEmpty() && key.equals("flags")) {
                flags = Arrays.asList(value.split("\\s+"));
            }
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String k : PINS.keySet()) {
            vars.put(k, env.get(k));
        }
        return new Info(model, flags.contains("avx2"), flags.contains("avx512f"), vars);
    }

    /**
     * The warning line for a process on an AVX-512 CPU without every pin, else null.
     *
     * @param info what the process runs with
     * @return the line, or null when there is nothing to warn about
     */
    public static String warning(Info info) {
        if (!info.avx512f() || info.pinned()) {
            return null;
        }
        String missing =
                PINS.keySet().stream()
                        .filter(k -> info.env().get(k) == null)
                        .collect(Collectors.joining(", "));
        String set =
                PINS.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" "));
        return "sltk: warning: this CPU has AVX-512 and "
                + missing
                + " not set, so libtorch runs AVX-512 kernels: "
                + "training is not bit-identical with AVX2 machines (and a CNN training test gave NaN on an AVX-512 "
                + "CPU without them, issue 15); start the JVM with "
                + set
                + " (./sltk does)";
    }

    /**
     * Prints {@link #warning} for this process once per JVM, if there is one.
     *
     * @param out where to print, usually {@code System.err}
     * @return true if it printed now
     */
    public static boolean warnIfUnpinned(PrintStream out) {
        Objects.requireNonNull(out, "out");
        if (warned) {
            return false;
        }
        String line = warning(current());
        warned = true;
        if (line == null) {
            return false;
        }
        out.println(line);
        out.flush();
        return true;
    }

    private static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
