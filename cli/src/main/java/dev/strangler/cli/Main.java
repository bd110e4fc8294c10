package dev.strangler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code strangler <command>}: the entry point of the runnable jar and of {@code ./strangler}.
 *
 * <p>Exit codes: {@value #OK} done, {@value #BAD_INPUT} bad input (unknown command or option, an
 * invalid config file), {@value #FAILED} anything else (a port in use, a failed demo check).
 * Errors go to stderr. {@code run} keeps stdout for the access log's JSON lines.
 */
@Command(name = "strangler",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Move a monolith to microservices one route at a time.",
        subcommands = {ValidateCommand.class, RunCommand.class, DemoCommand.class, DiffCommand.class, AnalyzeCommand.class,
                StatusCommand.class, PromoteCommand.class, RollbackCommand.class, PercentCommand.class, AutomationCommand.Pause.class,
                AutomationCommand.Resume.class, HistoryCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Strangler's exit codes and error output; tests run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::badInput);
        cl.setExecutionExceptionHandler(Main::failed);
        return cl;
    }

    /** No command given: say which exist. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    private static int badInput(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        if (e instanceof CommandLine.MissingParameterException) { // show what is required
            CommandLine.Help help = cl.getHelp();
            err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeading().length()));
        }
        err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return BAD_INPUT;
    }

    private static int failed(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof BadInputException bad) {
            err.println(bad.getMessage());
            err.flush();
            return BAD_INPUT;
        }
        if (e instanceof AdminApiException admin) {
            err.println("error: " + admin.getMessage());
            err.flush();
            return admin.exitCode();
        }
        err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        if (System.getenv("STRANGLER_DEBUG") != null) e.printStackTrace(err);
        else err.println("(set STRANGLER_DEBUG=1 for the stack trace)");
        err.flush();
        return FAILED;
    }

    /** The jar's Implementation-Version, or {@code dev} when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"strangler " + (v != null ? v : "dev")};
        }
    }
}
