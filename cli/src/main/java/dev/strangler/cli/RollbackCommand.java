package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Move a route back to shadow (or to monolith), so the monolith answers again, and record why.",
                "Without --to: shadow, or monolith when the route is in shadow. --to canary:N takes a live route back to a canary."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why, for the audit log (required).")
    String reason;

    @Option(names = "--to", paramLabel = "STAGE[:PERCENT]", converter = StagePercent.Converter.class,
            description = "Where to move it back to: shadow, monolith, or canary:PERCENT (from live).")
    StagePercent to;

    @Option(names = "--force", description = "Make a move the admin API would otherwise refuse.")
    boolean force;

    @Override
    public Integer call() throws InterruptedException {
        JsonObject body = new JsonObject().put("reason", reason).put("force", force);
        if (to != null) body.put("to", to.percent().isPresent() ? to.toJson() : to.stage());
        return admin.change(route, "rollback", body);
    }
}
