package org.sltk.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code sltk} command: finds sparse strong lottery tickets in random networks. */
@Command(
        name = "sltk",
        mixinStandardHelpOptions = true,
        versionProvider = SltkVersion.class,
        description =
                "Strong Lottery Ticket toolkit: prune random networks into fixed-density tickets.",
        subcommands = {
            TrainCommand.class,
            PruneCommand.class,
            EvalCommand.class,
            SweepCommand.class,
            PopupCommand.class,
            CompareCommand.class,
            ExportCommand.class,
            RfssCommand.class,
            RfssSpeedCommand.class,
            SumboundCommand.class,
            OverparamCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Sltk implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /**
     * Builds the configured command line used by {@link #main} and by the tests.
     *
     * @param out where normal output goes
     * @param err where errors go
     * @return the command line
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new Sltk());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(new OneLineErrorHandler());
        cmd.setParameterExceptionHandler(new OneLineErrorHandler());
        return cmd;
    }

    /**
     * Runs sltk.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        if (System.getProperty("sltk.console") == null) {
            System.setProperty("sltk.console", String.valueOf(System.console() != null));
        }
        int code;
        try {
            code =
                    commandLine(
                                    new PrintWriter(System.out, true),
                                    new PrintWriter(System.err, true))
                            .execute(args);
        } catch (UnsatisfiedLinkError e) {
            // a native the loaded JNI lacks (e.g. one sltk's own bridge does not implement yet)
            System.err.println("sltk: " + org.sltk.util.Engines.linkErrorLine(e));
            if ("1".equals(System.getenv("SLTK_STACKTRACE"))) {
                e.printStackTrace();
            }
            code = OneLineErrorHandler.EXIT_SOFTWARE;
        }
        System.exit(code);
    }
}
