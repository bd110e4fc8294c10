package dev.strangler.cli;

import dev.strangler.control.openapi.OpenApiException;
import dev.strangler.control.openapi.OpenApiImport;
import dev.strangler.core.config.ConfigException;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.stage.StaleReadRisk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a config file and report every problem with its file, line and field.",
                "Prints OK and exits 0, or prints the problems to stderr and exits 2.",
                "Warnings (stderr) do not fail it: e.g. reads that can be answered stale by the monolith once",
                "a route's writes are live, judged on the stages written in the file."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The config file (YAML; env " + ConfigFile.ENV + "; default ./" + ConfigFile.DEFAULT + " when present).")
    Path config;

    @Override
    public Integer call() {
        Path config = ConfigFile.require(this.config, "validate");
        GatewayConfig c = load(config);
        if (c.catalog().enabled() && c.catalog().openapi().isPresent()) {
            // run reads it at start and refuses a bad document: validate must not pass what run refuses.
            try {
                OpenApiImport.read(c.catalog().openapi().get());
            } catch (OpenApiException e) {
                throw new BadInputException(config + ": catalog.openapi: " + e.getMessage());
            }
        }
        // Warnings judge the file's stages: a running gateway may have moved routes since (reload judges those).
        var err = spec.commandLine().getErr();
        for (StaleReadRisk risk : StaleReadRisk.find(c.routes())) err.println(config + ": warning: " + risk.message());
        err.flush();
        spec.commandLine().getOut().printf("OK: %s (%s, %s)%n", config,
                count(c.routes().size(), "route"), count(c.services().size(), "service"));
        return Main.OK;
    }

    /**
     * Loads and validates a config file; {@code run} loads through here too, so a file that
     * {@code validate} accepts also starts.
     *
     * @throws BadInputException listing every problem, one {@code file:line: field: message} a line
     */
    static GatewayConfig load(Path file) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
