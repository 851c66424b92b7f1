package org.sltk.cli;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.sltk.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every error as one line {@code sltk: <message>} and maps it to an exit code: 2 for a bad
 * flag or input file, 1 for anything unexpected. The stack trace is printed only with
 * {@code --stacktrace} (or {@code SLTK_STACKTRACE=1}).
 */
final class OneLineErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /** Exit code for bad input: a flag value or a file the user gave. */
    static final int EXIT_INPUT = 2;

    /** Exit code for an unexpected failure. */
    static final int EXIT_SOFTWARE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
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
