package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.Callable;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Show the audit log of route changes, newest first.",
                "Every change of a route's stage, percent or automation: who made it and why, with the evidence",
                "the controller weighed."})
final class HistoryCommand implements Callable<Integer> {
    /** The admin API's own bounds for {@code limit}. */
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    @Mixin
    AdminOptions admin;

    @Parameters(paramLabel = "ROUTE", arity = "0..1", description = "Only this route's changes.")
    String route;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
            description = "At most this many entries, 1 to " + MAX_LIMIT + " (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws InterruptedException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadInputException("--limit: " + limit + " (expected: 1 to " + MAX_LIMIT + ")");
        }
        String query = "?limit=" + limit + (route == null ? "" : "&route=" + URLEncoder.encode(route, StandardCharsets.UTF_8));
        return admin.print(admin.client().getArray("/api/audit" + query), entries -> HistoryReport.render(entries, ZoneId.systemDefault()));
    }
}
