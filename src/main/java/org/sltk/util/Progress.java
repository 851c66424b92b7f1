package org.sltk.util;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * sltk's one text progress bar, for pruning, evaluation and training. Live, it redraws one line
 * with carriage returns whenever the percentage changes; {@link #done} ends it with the elapsed
 * time (also printed once in a log, so CI logs stay short), {@link #clear} erases it (for a caller
 * that prints its own summary line, as training does per epoch). Silent when the system property
 * {@code sltk.quiet} is {@code true}.
 */
public final class Progress {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final boolean live;
    private long done;
    private int lastPercent = -1;

    private Progress(PrintWriter out, String label, long total, boolean live) {
        this.out = Boolean.getBoolean("sltk.quiet") ? null : out;
        this.label = label;
        this.total = Math.max(1, total);
        this.live = live && this.out != null;
        step(0);
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
     * Starts a bar on standard error: live on a terminal ({@link #interactive}), else only the
     * final line of {@link #done}.
     *
     * @param label what is being done
     * @param total the number of steps
     * @return the bar
     */
    public static Progress start(String label, long total) {
        PrintWriter err =
                new PrintWriter(
                        new java.io.OutputStreamWriter(System.err, Charset.defaultCharset()), true);
        return new Progress(err, label, total, interactive());
    }

    /**
     * Starts a bar on a stream the caller asked for: live unless the command line runs without a
     * terminal (system property {@code sltk.console} is {@code false}), then nothing is drawn but
     * the final line of {@link #done}.
     *
     * @param out the stream, or null for no bar at all
     * @param label what is being done
     * @param total the number of steps
     * @return the bar
     */
    public static Progress on(PrintWriter out, String label, long total) {
        return new Progress(out, label, total, !"false".equals(System.getProperty("sltk.console")));
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
            out.print("\r" + line(percent));
            out.flush();
        }
    }

    /** Finishes the bar with its elapsed time. */
    public synchronized void done() {
        if (out == null) {
            return;
        }
        out.print(
                (live ? "\r" : "") + line(100) + String.format(Locale.ROOT, " %.2fs%n", seconds()));
        out.flush();
    }

    /**
     * Erases a live bar and leaves the cursor at the start of the line; prints nothing in a log.
     */
    public synchronized void clear() {
        if (live) {
            out.print("\r" + " ".repeat(line(100).length()) + "\r");
            out.flush();
        }
    }

    /** {@return the seconds since the bar started} */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * One drawn line: the label, the bar and the percentage.
     *
     * @param percent 0 to 100
     * @return the line, without carriage return
     */
    String line(int percent) {
        int filled = percent * WIDTH / 100;
        return String.format(
                Locale.ROOT,
                "%-44s [%s%s] %3d%%",
                label,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                percent);
    }
}
