package dev.strangler.cli;

import dev.strangler.control.openapi.OpenApiException;
import dev.strangler.control.openapi.OpenApiImport;
import dev.strangler.core.catalog.EndpointSummary;
import dev.strangler.core.catalog.PilotRanking;
import dev.strangler.core.coupling.Affinity;
import dev.strangler.core.config.ConfigException;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Write a starter strangler.yaml from the monolith's OpenAPI document or access log.",
                "The monolith, one route per endpoint group (best first candidates for extraction first, as `analyze` ranks them),",
                "each at stage monolith so nothing changes for users yet, and a comment on every key. It validates as written.",
                "Refuses to overwrite an existing file unless --force."})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Where the endpoints come from: exactly one of the two. */
    static final class Source {
        @Option(names = "--openapi", paramLabel = "FILE", required = true, description = "The monolith's OpenAPI 3 document (YAML or JSON).")
        Path openapi;

        @Option(names = "--access-log", paramLabel = "FILE", required = true,
                description = "An access log of the monolith in the common or combined format (NGINX's and Apache's default).")
        Path accessLog;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--monolith", paramLabel = "URL", required = true, description = "The monolith's base URL, e.g. http://127.0.0.1:8081.")
    String monolith;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = ConfigFile.DEFAULT,
            description = "Where to write it (default ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--force", description = "Overwrite the file when it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI monolithUrl = monolithUrl();
        if (Files.exists(output) && !force) {
            throw new BadInputException("init: " + output + " exists; pass --force to overwrite it, or --output FILE to write elsewhere");
        }
        List<EndpointSummary> endpoints;
        long requests;
        String from;
        if (source.openapi != null) {
            try {
                endpoints = OpenApiImport.read(source.openapi).stream().map(EndpointSummary::declaredOnly).toList();
            } catch (OpenApiException e) {
                throw new BadInputException("--openapi: " + e.getMessage());
            }
            requests = 0;
            from = "the OpenAPI document " + source.openapi.getFileName();
        } else {
            AccessLogCatalog log = AccessLogCatalog.read(source.accessLog, "init", err);
            endpoints = log.endpoints();
            requests = log.requests();
            from = "the access log " + source.accessLog.getFileName() + " (" + requests + " requests)";
        }
        if (endpoints.isEmpty()) throw new BadInputException("init: " + from + " names no endpoint; nothing to route");
        List<PilotRanking.Candidate> groups = PilotRanking.rank(endpoints, requests, PilotRanking.grouping(endpoints, null), Affinity.NONE);
        StarterConfig starter = StarterConfig.of(monolithUrl, from, groups);
        String yaml = starter.yaml();
        GatewayConfig check;
        try {
            check = ConfigLoader.parse(yaml, output, Map.of("STRANGLER_ADMIN_TOKEN", ""));
        } catch (ConfigException e) { // a bug here, not the user's: say so rather than write a file that does not load
            err.println("init: the file written would not validate, so it was not written:\n" + e.getMessage());
            return Main.FAILED;
        }
        if (output.toAbsolutePath().getParent() != null) Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, yaml, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        out.printf("wrote %s: the monolith and %d route%s (at stage monolith) for %d endpoints of %s%n", output,
                check.routes().size(), check.routes().size() == 1 ? "" : "s", endpoints.size(), from);
        out.printf("next: point each service's url at the new service, then `strangler validate --config %s` and "
                + "`strangler run --config %s`%n", output, output);
        out.flush();
        return Main.OK;
    }

    private URI monolithUrl() {
        URI uri;
        try {
            uri = URI.create(monolith.strip());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new BadInputException("--monolith: \"" + monolith + "\" is not an http(s) URL (expected: e.g. http://127.0.0.1:8081)");
        }
        return uri;
    }
}
