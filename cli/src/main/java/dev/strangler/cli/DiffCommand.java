package dev.strangler.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what the shadow stage found for a route: how often the service's answers matched the",
                "monolith's, which JSON paths differ (with examples and whether they look like noise) and samples.",
                "Talks to a running gateway's admin API."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "${env:STRANGLER_ADMIN:-http://127.0.0.1:9090}",
            description = "Admin API base URL (env STRANGLER_ADMIN; default ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:STRANGLER_ADMIN_TOKEN}",
            description = "Admin token (env STRANGLER_ADMIN_TOKEN).")
    String token;

    @Option(names = "--json", description = "Print the API's JSON instead of the report.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        URI uri;
        try {
            uri = URI.create(admin.replaceAll("/+$", "") + "/api/shadow/" + URLEncoder.encode(route, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--admin: \"" + admin + "\" is not a URL; write e.g. http://127.0.0.1:9090");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null && !token.isBlank()) request.header("Authorization", "Bearer " + token);
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach the admin API at " + admin + " (" + e.getMessage()
                    + "); is `strangler run` up? Set --admin or STRANGLER_ADMIN", e);
        }
        if (response.statusCode() == 401) throw new BadInputException("the admin API wants a token: pass --token or set STRANGLER_ADMIN_TOKEN");
        if (response.statusCode() == 404) throw new BadInputException("no shadow results for route " + route
                + ": is it in the shadow stage, and has it had traffic? (`curl " + admin + "/api/routes`)");
        if (response.statusCode() != 200) throw new IOException("admin API answered " + response.statusCode() + ": " + response.body());
        if (json) {
            out.println(new JsonObject(response.body()).encodePrettily());
        } else {
            print(new JsonObject(response.body()), out);
        }
        out.flush();
        return Main.OK;
    }

    static void print(JsonObject d, PrintWriter out) {
        out.printf("route %s: %d compared, %d matched, %d differed (match rate %.1f %%)%n", d.getString("route"),
                d.getLong("comparisons"), d.getLong("matches"), d.getLong("mismatches"), 100 * d.getDouble("matchRate"));
        StringBuilder dropped = new StringBuilder();
        d.getJsonObject("dropped").forEach(e -> {
            if (((Number) e.getValue()).longValue() > 0) dropped.append(dropped.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        });
        out.println("not compared: " + (dropped.isEmpty() ? "none" : dropped));
        JsonArray paths = d.getJsonArray("paths");
        if (!paths.isEmpty()) {
            out.println();
            out.printf("%-40s %8s  %-15s %s%n", "differing path", "times", "judged", "example (monolith -> service)");
            for (int i = 0; i < paths.size(); i++) {
                JsonObject p = paths.getJsonObject(i);
                out.printf("%-40s %8d  %-15s %s -> %s%n", p.getString("path"), p.getLong("mismatches"),
                        p.getString("noise").toLowerCase(Locale.ROOT).replace('_', ' '),
                        p.getString("monolith", "(absent)"), p.getString("service", "(absent)"));
            }
        }
        JsonArray samples = d.getJsonArray("samples");
        if (!samples.isEmpty()) {
            out.println();
            out.println("samples (newest differing first; secrets redacted):");
            for (int i = 0; i < samples.size(); i++) {
                JsonObject s = samples.getJsonObject(i);
                out.printf("  %s  %s (monolith %d, service %d)%n", s.getString("request"), s.getBoolean("matched") ? "matched" : "differed",
                        s.getJsonObject("monolith").getInteger("status"), s.getJsonObject("service").getInteger("status"));
                JsonArray diffs = s.getJsonArray("differences");
                for (int j = 0; j < diffs.size(); j++) {
                    JsonObject x = diffs.getJsonObject(j);
                    out.printf("      %-10s %s: %s -> %s%n", x.getString("kind"), x.getString("path"),
                            x.getString("monolith", "(absent)"), x.getString("service", "(absent)"));
                }
            }
        }
    }
}
