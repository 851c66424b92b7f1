package org.sltk.data;

import org.sltk.util.InputException;

/** Fuzz helper: an input error must be one non-empty line, as the CLI prints it. */
public final class OneLine {

    private OneLine() {}

    /**
     * Checks the message of an input error.
     *
     * @param e the error
     */
    public static void check(InputException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
            throw new AssertionError("an InputException must carry one line, found: " + m, e);
        }
    }
}
