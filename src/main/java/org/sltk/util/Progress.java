package org.sltk.util;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar on standard error for long steps. On a terminal it redraws one line; in a
 * log (no console) it prints only the final line, so CI logs stay short. Silent when the system
 * property {@code sltk.quiet} is {@code true}.
 */
public final class Progress {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final PrintStream err = System.err;
    private final boolean live;
    private final boolean quiet;
    private long done;
    private int lastPercent = -1;

    private Progress(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
        this.quiet = Boolean.getBoolean("sltk.quiet");
        this.live = interactive() && !quiet;
    }

    /**
     * Returns whether progress is drawn live: the system property {@code sltk.console} when set
     * (the command line sets it), else whether the JVM has a console.
     *
     * @return true on a terminal
     */
    public static boolean interactive() {
        String p = System.getProperty("sltk.console");
        return p != null ? Boolean.parseBoolean(p) : System.console() != null;
    }

    /**
     * Starts a bar.
     *
     * @param label what is being done
     * @param total the number of steps
     * @return the bar
     */
    public static Progress start(String label, long total) {
        return new Progress(label, total);
    }

    /**
     * Advances the bar.
     *
     * @param steps steps done since the last call
     */
    public synchronized void step(long steps) {
        done += steps;
        int percent = (int) (100 * Math.min(done, total) / total);
        if (live && percent != lastPercent) {
            lastPercent = percent;
            err.print("\r" + line(percent));
            err.flush();
        }
    }

    /** Finishes the bar with its elapsed time. */
    public synchronized void done() {
        if (quiet) {
            return;
        }
        err.print((live ? "\r" : "") + line(100) + String.format(Locale.ROOT, " %.2fs%n", seconds()));
        err.flush();
    }

    /** {@return the seconds since the bar started} */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private String line(int percent) {
        int filled = percent * WIDTH / 100;
        return String.format(Locale.ROOT, "%-44s [%s%s] %3d%%", label, "#".repeat(filled), " ".repeat(WIDTH - filled), percent);
    }
}
