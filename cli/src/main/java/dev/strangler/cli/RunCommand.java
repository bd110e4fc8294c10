package dev.strangler.cli;

import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.gateway.reload.Sighup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the gateway and the admin API from a config file.",
                "SIGTERM or Ctrl-C stops accepting, drains in-flight requests (up to shutdown.drain-timeout) and exits 0.",
                "stdout carries only the access log (JSON lines); everything else goes to stderr."})
final class RunCommand implements Callable<Integer> {
    /** Binding two listeners takes milliseconds; this only stops a wedged start from hanging forever. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The config file (YAML; env " + ConfigFile.ENV + "; default ./" + ConfigFile.DEFAULT + " when present).")
    Path config;

    @Mixin
    LogLevels logLevels;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        logLevels.apply();
        Path config = ConfigFile.require(this.config, "run");
        GatewayConfig c = ValidateCommand.load(config);
        StranglerProcess process;
        try {
            process = Blocking.await(StranglerProcess.start(c, Runtime.getRuntime().availableProcessors()), START_TIMEOUT, "start");
        } catch (StranglerProcess.ListenFailure e) {
            err.println("error: " + e.getMessage());
            return Main.FAILED;
        } catch (dev.strangler.store.StoreException e) {
            // Without its store a gateway cannot know where the routes are: it does not start.
            err.println("error: " + e.getMessage());
            return Main.FAILED;
        } catch (dev.strangler.control.openapi.OpenApiException e) {
            throw new BadInputException(config + ": catalog.openapi: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // Settings the loader let through but the process refuses (unsafe admin exposure).
            throw new BadInputException(config + ": " + e.getMessage());
        }
        String scheme = c.tls().isPresent() ? "https" : "http";
        // The one line that says where everything is; the components' own lines come before it.
        err.printf("strangler: gateway on %s://%s:%d (%d route%s), admin on http://%s:%d (/health, /metrics, /api), store %s%n",
                scheme, c.listen().host(), process.port(), c.routes().size(), c.routes().size() == 1 ? "" : "s", c.admin().listen().host(),
                process.adminPort(), c.storeUrlRedacted());
        err.flush();
        // The process follows the file (see StranglerProcess.watcher); SIGHUP asks it to reload now.
        Optional<Sighup> hangup = process.watcher().flatMap(Sighup::reloads);
        Shutdown.runUntilSignal(() -> {
            hangup.ifPresent(Sighup::close);
            return process.stop();
        }, c.drainTimeout(), err);
        return Main.OK; // not reached: the shutdown hook ends the JVM
    }
}
