package dev.strangler.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code --admin}, {@code --token}, {@code --config} and {@code --json}: what every command that
 * talks to a running gateway takes (a picocli mixin), and how such a command prints what it got.
 * Which admin API and token win when several are given: {@link AdminTarget}.
 */
final class AdminOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where reports go when {@link QuickStart} ran the command (no picocli spec then). */
    PrintWriter out;
    /** Where warnings go when {@link QuickStart} ran the command. */
    PrintWriter err;

    @Option(names = "--admin", paramLabel = "URL",
            description = "Admin API base URL (env STRANGLER_ADMIN; else admin.listen in the config file; default "
                    + AdminTarget.DEFAULT_ADMIN + ").")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Admin token (env STRANGLER_ADMIN_TOKEN; else admin.token in the config file).")
    String token;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The gateway's config file, for admin.listen and admin.token (env STRANGLER_CONFIG; default ./"
                    + ConfigFile.DEFAULT + " when present). --admin, --token and their env variables win over it.")
    Path config;

    @Option(names = "--json", description = "Print the API's JSON instead of the report.")
    boolean json;

    AdminClient client() {
        AdminTarget target = AdminTarget.resolve(admin, token, config, System.getenv(), Path.of(""));
        return AdminClient.of(target.url(), target.token().orElse(null));
    }

    /** Prints the API's answer: pretty JSON with {@code --json}, else the report made from it. */
    int print(JsonObject answer, Function<JsonObject, String> report) {
        return print(json ? answer.encodePrettily() : report.apply(answer));
    }

    int print(JsonArray answer, Function<JsonArray, String> report) {
        return print(json ? answer.encodePrettily() : report.apply(answer));
    }

    private int print(String text) {
        PrintWriter out = this.out != null ? this.out : command.commandLine().getOut();
        out.println(text);
        out.flush();
        return Main.OK;
    }

    /**
     * POSTs one change of a route ({@code promote}, {@code rollback}, {@code percent}, {@code pause},
     * {@code resume}) and prints its one-line summary; the move's warnings (a stale-read pair it created)
     * go to stderr as {@code warning: ...}, as {@code validate}'s do: the move was made all the same.
     */
    int change(String route, String action, JsonObject body) throws InterruptedException {
        JsonObject change = client().post("/api/routes/" + AdminClient.segment(route) + "/" + action, body);
        int code = print(change, ChangeLine::render);
        PrintWriter warnings = this.err != null ? this.err : command.commandLine().getErr();
        for (Object warning : change.getJsonArray("warnings", new JsonArray())) warnings.println("warning: " + warning);
        warnings.flush();
        return code;
    }
}
