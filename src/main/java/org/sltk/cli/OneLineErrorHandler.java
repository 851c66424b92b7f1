package org.sltk.cli;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import org.sltk.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every error as one line {@code sltk: <message>} and maps it to an exit code: 2 for a bad
 * flag or input file, 1 for anything unexpected. The stack trace is printed only with {@code
 * --stacktrace} (or {@code SLTK_STACKTRACE=1}).
 */
final class OneLineErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Exit code for bad input: a flag value or a file the user gave. */
    static final int EXIT_INPUT = 2;

    /** Exit code for an unexpected failure. */
    static final int EXIT_SOFTWARE = 1;

    /** The flag that sets each library setting an {@link InputException#field()} names. */
    private static final Map<String, String> FLAGS =
            Map.ofEntries(
                    Map.entry("density", "--density"),
                    Map.entry("eps", "--eps"),
                    Map.entry("n", "--n"),
                    Map.entry("pool", "--pool"),
                    Map.entry("seed", "--seed"),
                    Map.entry("distribution", "--dist"),
                    Map.entry("solver", "--solver"),
                    Map.entry("threads", "--threads"),
                    Map.entry("device", "--device"),
                    Map.entry("data", "--data"),
                    Map.entry("inputDomain", "--input-domain"));

    /**
     * Returns the flag of a verb that sets a library setting: {@code sweep} takes its densities as
     * {@code --densities}; every other verb uses {@link #FLAGS}.
     *
     * @param field the setting's name
     * @param verb the verb's name
     * @return the flag, or the field itself when no flag sets it
     */
    static String flagFor(String field, String verb) {
        if ("sweep".equals(verb) && "density".equals(field)) {
            return "--densities";
        }
        return FLAGS.getOrDefault(field, field);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        if (ex instanceof InputException && ((InputException) ex).field().isPresent()) {
            InputException ie = (InputException) ex;
            ex = ie.named(f -> flagFor(f, cmd.getCommandName()));
        }
        boolean input = ex instanceof InputException || ex instanceof ParameterException;
        Throwable cause = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        if (cause instanceof NoSuchFileException) {
            input = true;
        }
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause instanceof NoSuchFileException) {
            msg = "file not found: " + msg;
        } else if (!input) {
            msg = cause.getClass().getSimpleName() + ": " + msg;
        }
        cmd.getErr().println("sltk: " + firstLine(msg));
        if (stackTraceWanted(parseResult)) {
            ex.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return input ? EXIT_INPUT : EXIT_SOFTWARE;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println("sltk: " + firstLine(ex.getMessage()));
        cmd.getErr().println("Try 'sltk " + commandPath(cmd) + "--help' for the flags.");
        cmd.getErr().flush();
        return EXIT_INPUT;
    }

    private static String commandPath(CommandLine cmd) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cmd; c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }

    private static boolean stackTraceWanted(ParseResult parseResult) {
        if ("1".equals(System.getenv("SLTK_STACKTRACE"))) {
            return true;
        }
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.originalArgs().contains("--stacktrace")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
