package org.sltk.util;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thrown to indicate that a file or flag given by the user is invalid.
 *
 * <p>The message is one line that names the file or flag, what was found and how to fix it; the
 * command line prints it as is and exits with code 2. Control characters (line breaks included)
 * that a message quotes from a bad file are shown as {@code ?}, so it stays one line.
 *
 * <p>An error about a setting of a library object (a builder's field) names that field first,
 * {@code density: must be in (0, 1], found 1.5}, and carries it in {@link #field()}; the command
 * line shows the flags that set the settings it names in their place ({@code --density: ...}).
 */
public class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The setting the message names first, or null for an error about a file. */
    private final String field;

    /** The message with every setting it names written {@code {name}}, or null. */
    private final String template;

    /**
     * Creates an input error with a one-line message.
     *
     * @param message the line shown to the user: file or flag, what is wrong, the fix
     */
    public InputException(String message) {
        this(message, (Throwable) null);
    }

    /**
     * Creates an input error with a one-line message and its cause.
     *
     * @param message the line shown to the user
     * @param cause the underlying error
     */
    public InputException(String message, Throwable cause) {
        super(oneLine(message), cause);
        this.field = null;
        this.template = null;
    }

    private InputException(
            String field, String template, Function<String, String> names, Throwable cause) {
        super(oneLine(render(template, names)), cause);
        this.field = field;
        this.template = template;
    }

    /**
     * Creates an error about one setting. The message starts with the setting and writes every
     * setting it names in braces, {@code "{n} 40: beyond the solver's reach; give {n} <= 28 or
     * {solver} mitm"}; {@link #getMessage()} shows the plain names ({@code n 40: ...}) and {@link
     * #named} others, such as the flags that set them.
     *
     * @param field the setting's name, as its builder method names it ({@code density}, {@code
     *     eps})
     * @param template the line, starting with {@code {field}}
     * @return the error
     * @throws IllegalArgumentException if the template does not start with the field
     */
    public static InputException forField(String field, String template) {
        if (!template.startsWith("{" + field + "}")) {
            throw new IllegalArgumentException(
                    "message does not start with {" + field + "}: " + template);
        }
        return new InputException(field, template, Function.identity(), null);
    }

    /**
     * Returns the setting this error is about.
     *
     * @return the field the message names first, empty for an error about a file
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /**
     * Returns this error with the settings it names shown under other names, e.g. the flags that
     * set them; an error about a file is returned as is.
     *
     * @param names the name to show for each setting ({@code n} to {@code --n})
     * @return a new error with the same cause and stack trace
     */
    public InputException named(Function<String, String> names) {
        if (template == null) {
            return this;
        }
        InputException e = new InputException(field, template, names, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    private static String render(String template, Function<String, String> names) {
        Matcher m = SETTING.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(names.apply(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static final Pattern SETTING = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\p{Cntrl}", "?");
    }
}
