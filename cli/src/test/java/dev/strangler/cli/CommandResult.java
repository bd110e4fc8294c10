package dev.strangler.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What a user sees of one in-process {@code strangler ...} invocation. */
record CommandResult(int exitCode, String out, String err) {
    static CommandResult run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // The same way in as `strangler`: the quick path for plain admin commands, else picocli.
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CommandResult(code, out.toString(), err.toString());
    }
}
