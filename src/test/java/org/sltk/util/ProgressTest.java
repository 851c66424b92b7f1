package org.sltk.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one progress bar: live redraws, the final line in a log, erasing, and quiet. */
class ProgressTest {

    private final String console = System.getProperty("sltk.console");
    private final String quiet = System.getProperty("sltk.quiet");

    @AfterEach
    void restore() {
        set("sltk.console", console);
        set("sltk.quiet", quiet);
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    private static String line(String label, int percent) {
        int f = percent * 30 / 100;
        return String.format(
                java.util.Locale.ROOT,
                "%-44s [%s%s] %3d%%",
                label,
                "#".repeat(f),
                " ".repeat(30 - f),
                percent);
    }

    @Test
    void liveBarRedrawsOncePerPercentAndClears() {
        System.setProperty("sltk.console", "true");
        System.clearProperty("sltk.quiet");
        StringWriter s = new StringWriter();
        Progress p = Progress.on(new PrintWriter(s), "epoch 1/2", 4);
        p.step(1);
        p.step(1);
        p.step(2);
        p.clear();
        assertEquals(
                "\r"
                        + line("epoch 1/2", 0)
                        + "\r"
                        + line("epoch 1/2", 25)
                        + "\r"
                        + line("epoch 1/2", 50)
                        + "\r"
                        + line("epoch 1/2", 100)
                        + "\r"
                        + " ".repeat(line("x", 100).length())
                        + "\r",
                s.toString());
    }

    @Test
    void inALogOnlyTheFinalLineAndClearPrintsNothing() {
        System.setProperty("sltk.console", "false");
        System.clearProperty("sltk.quiet");
        StringWriter s = new StringWriter();
        Progress p = Progress.on(new PrintWriter(s), "layer 1", 1000);
        for (int i = 0; i < 1000; i++) {
            p.step(1);
        }
        p.clear();
        assertEquals("", s.toString());
        p.done();
        assertTrue(
                s.toString().matches("\\Q" + line("layer 1", 100) + "\\E \\d+\\.\\d\\ds\\R"),
                s.toString());
    }

    @Test
    void quietDrawsNothing() {
        System.setProperty("sltk.console", "true");
        System.setProperty("sltk.quiet", "true");
        StringWriter s = new StringWriter();
        Progress p = Progress.on(new PrintWriter(s), "x", 3);
        p.step(3);
        p.done();
        p.clear();
        assertEquals("", s.toString());
        Progress.on(null, "no stream", 3).done();
    }
}
