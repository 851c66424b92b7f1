package org.sltk.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Function;
import org.sltk.util.CpuKernels;
import org.sltk.util.Engines;

/**
 * What a training ran with, beyond its configuration: the libtorch intra-op thread count in effect,
 * the engine and its version, and the CPU with the kernel variables of the process ({@link
 * CpuKernels}). Bit-identical training needs all of them equal.
 *
 * @param threads the libtorch intra-op thread count during training
 * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1}
 * @param cpu the CPU and the kernel variables
 */
public record TrainingMachine(int threads, String engine, CpuKernels.Info cpu) {

    /**
     * One short description for messages, e.g. {@code PyTorch 2.7.1, 1 thread(s), AMD EPYC (AVX2,
     * ...), ...}.
     *
     * @return the description
     */
    public String describe() {
        return engine + ", " + threads + " thread(s), " + cpu.describe();
    }

    /**
     * Runs a training with the given libtorch intra-op thread count and restores the previous count
     * afterwards, also when the training fails. Prints {@link CpuKernels#warnIfUnpinned}'s line
     * (once per JVM) first.
     *
     * <p>The count is process-wide (libtorch's {@code at::set_num_threads}): two trainings running
     * at the same time in one JVM with different counts would disturb each other.
     *
     * @param threads the thread count, positive
     * @param body the training, given what it runs with
     * @param <T> the result type
     * @return the training's result
     */
    static <T> T withThreads(int threads, Function<TrainingMachine, T> body) {
        Engine e = Engines.engine();
        CpuKernels.warnIfUnpinned(System.err);
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(threads);
        try {
            TrainingMachine m =
                    new TrainingMachine(
                            JniUtils.getNumThreads(),
                            e.getEngineName() + " " + e.getVersion(),
                            CpuKernels.current());
            return body.apply(m);
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
