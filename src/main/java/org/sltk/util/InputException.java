package org.sltk.util;

/**
 * Thrown to indicate that a file or flag given by the user is invalid.
 *
 * <p>The message is one line that names the file or flag, what was found and how to fix it; the
 * command line prints it as is and exits with code 2. Control characters (line breaks included)
 * that a message quotes from a bad file are shown as {@code ?}, so it stays one line.
 */
public class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an input error with a one-line message.
     *
     * @param message the line shown to the user: file or flag, what is wrong, the fix
     */
    public InputException(String message) {
        super(oneLine(message));
    }

    /**
     * Creates an input error with a one-line message and its cause.
     *
     * @param message the line shown to the user
     * @param cause the underlying error
     */
    public InputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\p{Cntrl}", "?");
    }
}
