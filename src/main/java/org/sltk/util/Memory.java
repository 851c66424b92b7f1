package org.sltk.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the process's memory use, native (libtorch) memory included. */
public final class Memory {

    private Memory() {}

    /**
     * Returns the peak resident set size of this process in MiB (Linux {@code VmHWM}), or the JVM's
     * committed heap where {@code /proc} is not available.
     *
     * @return peak memory in MiB
     */
    public static double peakMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /**
     * Returns the current resident set size of this process in MiB (Linux {@code VmRSS}), or the
     * JVM's committed heap where {@code /proc} is not available.
     *
     * @return resident memory in MiB
     */
    public static double residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /**
     * Resets the peak resident set size to the current one (Linux 4.0+: writes 5 to {@code
     * /proc/self/clear_refs}), so that {@link #peakMiB} then measures the peak of what follows.
     *
     * @return true if the peak was reset, false where the kernel does not allow it
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
