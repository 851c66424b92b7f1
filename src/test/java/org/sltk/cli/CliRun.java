package org.sltk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The sltk command line run in-process, its exit code and both streams captured: for the CLI tests.
 */
record CliRun(int code, String out, String err) {

    /**
     * Runs {@code sltk args...} in this JVM.
     *
     * @param args the arguments, verb first
     * @return the exit code, standard output and standard error
     */
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Sltk.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
