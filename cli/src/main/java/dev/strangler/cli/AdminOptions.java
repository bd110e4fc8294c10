package dev.strangler.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Function;

/**
 * {@code --admin}, {@code --token} and {@code --json}: what every command that talks to a running
 * gateway takes (a picocli mixin), and how such a command prints what it got.
 */
final class AdminOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "${env:STRANGLER_ADMIN:-http://127.0.0.1:9090}",
            description = "Admin API base URL (env STRANGLER_ADMIN; default ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:STRANGLER_ADMIN_TOKEN}",
            description = "Admin token (env STRANGLER_ADMIN_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the API's JSON instead of the report.")
    boolean json;

    AdminClient client() {
        return AdminClient.of(admin, token);
    }

    /** Prints the API's answer: pretty JSON with {@code --json}, else the report made from it. */
    int print(JsonObject answer, Function<JsonObject, String> report) {
        return print(json ? answer.encodePrettily() : report.apply(answer));
    }

    int print(JsonArray answer, Function<JsonArray, String> report) {
        return print(json ? answer.encodePrettily() : report.apply(answer));
    }

    private int print(String text) {
        PrintWriter out = command.commandLine().getOut();
        out.println(text);
        out.flush();
        return Main.OK;
    }

    /**
     * POSTs one change of a route ({@code promote}, {@code rollback}, {@code pause}, {@code resume})
     * and prints its one-line summary.
     */
    int change(String route, String action, JsonObject body) throws InterruptedException {
        JsonObject change = client().post("/api/routes/" + AdminClient.segment(route) + "/" + action, body);
        return print(change, ChangeLine::render);
    }
}
