package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {"Move a route one step forward in its plan, or to --to.",
                "The plan: monolith → shadow → canary steps → live → retired. Prints the move and its audit entry's number."})
final class PromoteCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Option(names = "--to", paramLabel = "STAGE[:PERCENT]", converter = StagePercent.Converter.class,
            description = "Where to move it instead of the next step: monolith, shadow, canary:PERCENT (e.g. canary:25), live or retired.")
    StagePercent to;

    @Option(names = "--force", description = "Make a move the plan or the gates would not allow (e.g. skip steps).")
    boolean force;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log.")
    String reason;

    @Override
    public Integer call() throws InterruptedException {
        JsonObject body = new JsonObject().put("force", force);
        if (to != null) body.put("to", to.toJson());
        if (reason != null) body.put("reason", reason);
        return admin.change(route, "promote", body);
    }
}
