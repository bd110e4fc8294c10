package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what the shadow stage found for a route.",
                "How often the service's answers matched the monolith's, which JSON paths differ (with examples and",
                "whether they look like noise) and samples, against the route's current service, summed over every",
                "gateway that shares the state store (kept across restarts). Results against a service the route had",
                "before are listed apart until they age out (7 days). Talks to a running gateway's admin API."})
final class DiffCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Override
    public Integer call() throws InterruptedException {
        return admin.print(admin.client().getObject("/api/shadow/" + AdminClient.segment(route)), DiffCommand::report);
    }

    static String report(JsonObject d) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.printf("route %s: %d compared, %d matched, %d differed (match rate %.1f %%)%n", d.getString("route"),
                d.getLong("comparisons"), d.getLong("matches"), d.getLong("mismatches"), 100 * d.getDouble("matchRate"));
        if (d.containsKey("service")) out.println(about(d));
        JsonArray older = d.getJsonArray("older", new JsonArray());
        for (int i = 0; i < older.size(); i++) {
            JsonObject o = older.getJsonObject(i);
            Number rate = o.getNumber("matchRate");
            out.printf("older results kept for service %s (%s): %d compared, match rate %s, last %s%n", o.getString("service"),
                    shortDigest(o.getString("serviceDigest")), o.getLong("comparisons"),
                    rate == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * rate.doubleValue()), o.getString("lastUpdated"));
        }
        StringBuilder dropped = new StringBuilder();
        d.getJsonObject("dropped").forEach(e -> {
            if (((Number) e.getValue()).longValue() > 0) dropped.append(dropped.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        });
        out.println("not compared: " + (dropped.isEmpty() ? "none" : dropped));
        JsonArray paths = d.getJsonArray("paths");
        if (!paths.isEmpty()) {
            out.println();
            out.printf("%-40s %8s  %-15s %-26s %s%n", "differing path", "times", "judged", "monolith pairs",
                    "example (monolith -> service)");
            for (int i = 0; i < paths.size(); i++) {
                JsonObject p = paths.getJsonObject(i);
                out.printf("%-40s %8d  %-15s %-26s %s -> %s%n", p.getString("path"), p.getLong("mismatches"),
                        p.getString("noise").toLowerCase(Locale.ROOT).replace('_', ' '), evidence(p.getJsonObject("noiseEvidence")),
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
        out.flush();
        return text.toString().stripTrailing();
    }

    /** "against service posts (3f2a9c1e), since ..., summed over 2 gateways": what the numbers are about. */
    private static String about(JsonObject d) {
        StringBuilder line = new StringBuilder("against service ").append(d.getString("service"))
                .append(" (").append(shortDigest(d.getString("serviceDigest"))).append(")");
        if (d.getString("since") != null) line.append(", since ").append(d.getString("since"));
        if (!d.getBoolean("fleet", true)) line.append("; this gateway only: the state store is unreachable");
        else {
            int gateways = d.getInteger("gateways", 0);
            line.append(", summed over ").append(gateways).append(gateways == 1 ? " gateway" : " gateways");
        }
        return line.toString();
    }

    private static String shortDigest(String digest) {
        return digest == null || digest.isEmpty() ? "definition unknown" : digest.substring(0, Math.min(8, digest.length()));
    }

    /** "differed in 40 of 40 (100%)": the noise judgement's evidence, or "-" when no monolith pair had the path. */
    private static String evidence(JsonObject e) {
        if (e == null || e.getLong("pairs", 0L) == 0)
            return "-";
        return String.format(Locale.ROOT, "differed %d of %d (%.0f%%)", e.getLong("differed"), e.getLong("pairs"),
                100 * e.getDouble("share"));
    }
}
