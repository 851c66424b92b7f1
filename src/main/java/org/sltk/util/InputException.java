package org.sltk.util;

/**
 * Thrown to indicate that a file or flag given by the user is invalid.
 *
 * <p>The message is one line that names the file or flag, what was found and how to fix it; the
 * command line prints it as is and exits with code 2.
 */
public class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an input error with a one-line message.
     *
     * @param message the line shown to the user: file or flag, what is wrong, the fix
     */
    public InputException(String message) {
        super(message);
    }

    /**
     * Creates an input error with a one-line message and its cause.
     *
     * @param message the line shown to the user
     * @param cause the underlying error
     */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
