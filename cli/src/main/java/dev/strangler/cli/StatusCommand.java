package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = {"-w", "--wide"}, description = "Print the controller's last decision whole (it is cut at "
            + StatusTable.DECISION_WIDTH + " characters otherwise).")
    boolean wide;

    @Override
    public Integer call() throws InterruptedException {
        return admin.print(admin.client().getArray("/api/routes"), routes -> StatusTable.render(routes, Instant.now(), wide));
    }
}
