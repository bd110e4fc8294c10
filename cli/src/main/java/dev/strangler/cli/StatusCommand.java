package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show every route's stage, automation and live numbers.",
                "Whether the controller moves it, since when, the service and the monolith side by side (requests,",
                "error rate, median latency), the shadow match rate, the next step and the controller's last decision.",
                "Talks to a running gateway's admin API."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Override
    public Integer call() throws InterruptedException {
        return admin.print(admin.client().getArray("/api/routes"), routes -> StatusTable.render(routes, Instant.now()));
    }
}
