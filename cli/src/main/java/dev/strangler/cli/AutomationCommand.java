package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code pause} and {@code resume}: the same request to a different endpoint. */
abstract class AutomationCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log.")
    String reason;

    private final String action;

    AutomationCommand(String action) {
        this.action = action;
    }

    @Override
    public Integer call() throws InterruptedException {
        JsonObject body = new JsonObject();
        if (reason != null) body.put("reason", reason);
        return admin.change(route, action, body);
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stop the controller from moving a route (it stays where it is; people can still move it).")
    static final class Pause extends AutomationCommand {
        Pause() {
            super("pause");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Let the controller move a paused route again.")
    static final class Resume extends AutomationCommand {
        Resume() {
            super("resume");
        }
    }
}
