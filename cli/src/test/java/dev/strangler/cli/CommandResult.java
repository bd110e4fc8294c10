package dev.strangler.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What a user sees of one in-process {@code strangler ...} invocation. */
record CommandResult(int exitCode, String out, String err) {
    static CommandResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CommandResult(code, out.toString(), err.toString());
    }
}
