package dev.strangler.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
        description = "Move a monolith to microservices one route at a time.")
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    /**
     * Every command, by name, in the order {@code --help} lists them. Class literals load a class
     * without linking it; the holder keeps even that (and picocli's big {@code CommandLine} class,
     * which its help command drags in) off {@link QuickStart}'s path.
     */
    private static final class Registry {
        static final Map<String, Class<?>> COMMANDS = commands();
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> c = new LinkedHashMap<>();
        c.put("validate", ValidateCommand.class);
        c.put("run", RunCommand.class);
        c.put("demo", DemoCommand.class);
        c.put("init", InitCommand.class);
        c.put("diff", DiffCommand.class);
        c.put("analyze", AnalyzeCommand.class);
        c.put("status", StatusCommand.class);
        c.put("promote", PromoteCommand.class);
        c.put("rollback", RollbackCommand.class);
        c.put("percent", PercentCommand.class);
        c.put("pause", AutomationCommand.Pause.class);
        c.put("resume", AutomationCommand.Resume.class);
        c.put("history", HistoryCommand.class);
        c.put("export", ExportCommand.class);
        c.put("completion", CompletionCommand.class);
        c.put("help", CommandLine.HelpCommand.class);
        return c;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(args, out, err));
    }

    /**
     * Runs one {@code strangler ...}: the commands that talk to a gateway through {@link QuickStart}
     * when their arguments are plain, everything else through picocli. Tests run it in-process.
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Optional<Integer> quick = QuickStart.run(args, out, err);
        if (quick.isPresent()) return quick.get();
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command line with every command, Strangler's exit codes and error output; tests run it in-process. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments. When the first one names a command, only that command
     * is built: picocli reads every registered command's annotations up front, and a command that
     * answers in a fraction of a second should not pay for fourteen others (nor load what {@code run}
     * or {@code analyze} link against). Anything else ({@code --help}, {@code help}, a typo that
     * deserves a suggestion, no command) gets them all.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        Class<?> only = args.length > 0 && !args[0].equals("help") ? Registry.COMMANDS.get(args[0]) : null;
        if (only != null) cl.addSubcommand(args[0], only);
        else Registry.COMMANDS.forEach(cl::addSubcommand);
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
        return exitCodeOf(e, cl.getErr());
    }

    /** Prints what went wrong in a command and gives its exit code; {@code STRANGLER_DEBUG} adds the stack trace. */
    static int exitCodeOf(Exception e, PrintWriter err) {
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
