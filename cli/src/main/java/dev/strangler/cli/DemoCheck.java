package dev.strangler.cli;

import dev.strangler.examples.DemoMonolith;
import dev.strangler.examples.DemoPostsService;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code demo --exit-after-check}: sends what the guide suggests through the real gateway and
 * checks what a user would see. Blocking, on the command's thread.
 */
final class DemoCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final DemoGuide guide;
    private final PrintWriter out;
    private final PrintWriter err;
    // HTTP/1.1 like curl's default for http:// URLs, so the check sees what the guide's commands see.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    private final List<String> failures = new ArrayList<>();

    DemoCheck(DemoGuide guide, PrintWriter out, PrintWriter err) {
        this.guide = guide;
        this.out = out;
        this.err = err;
    }

    /** Runs every check, prints each result; true when all passed. */
    boolean run() throws InterruptedException {
        Map<String, String> sides = new LinkedHashMap<>();
        for (int round = 1; round <= 2; round++) {
            for (String user : DemoGuide.USERS) {
                String side = servedBy(guide.gateway() + "/api/posts/1", user);
                String first = sides.putIfAbsent(user, side);
                if (first != null && !first.equals(side))
                    failures.add(user + " was served by " + first + ", then by " + side + " (expected: sticky)");
            }
        }
        long toService = sides.values().stream().filter(DemoPostsService.SERVED_BY::equals).count();
        long toMonolith = sides.values().stream().filter(DemoMonolith.SERVED_BY::equals).count();
        if (toService == 0 || toMonolith == 0)
            failures.add("the 50% canary sent all " + sides.size() + " users to one side: " + sides);

        String users = servedBy(guide.gateway() + "/api/users/1", null);
        if (!DemoMonolith.SERVED_BY.equals(users))
            failures.add("/api/users/1 was served by " + users + " (expected: " + DemoMonolith.SERVED_BY + ")");

        HttpResponse<String> health = get(guide.admin() + "/health", null);
        print("GET " + guide.admin() + "/health", health == null ? "no answer" : health.statusCode() + " " + health.body());
        if (health == null || health.statusCode() != 200 || !health.body().contains("\"status\":\"up\""))
            failures.add("admin /health did not answer 200 with status up");

        HttpResponse<String> metrics = get(guide.admin() + "/metrics", null);
        boolean hasProxyMetrics = metrics != null && metrics.body().contains("strangler_proxy_requests_total{backend=\"posts\"");
        boolean hasJvmMetrics = metrics != null && metrics.body().contains("\njvm_memory_used_bytes");
        print("GET " + guide.admin() + "/metrics", metrics == null ? "no answer" : metrics.statusCode()
                + (hasProxyMetrics ? ", strangler_proxy_requests_total" : ", no strangler_proxy_requests_total")
                + (hasJvmMetrics ? ", jvm_*" : ", no jvm_*"));
        if (!hasProxyMetrics || !hasJvmMetrics)
            failures.add("admin /metrics lacks the proxy's or the JVM's meters");

        // The dashboard the guide's first line points at: its page, and the demo's route in its overview.
        HttpResponse<String> page = get(guide.admin() + "/", null);
        HttpResponse<String> overview = get(guide.admin() + "/api/overview", null);
        boolean hasPage = page != null && page.statusCode() == 200 && page.body().contains("<title>Strangler dashboard</title>");
        boolean showsRoute = overview != null && overview.statusCode() == 200
                && overview.body().contains("\"name\":\"" + DemoCommand.ROUTE + "\"");
        print("GET " + guide.admin() + "/ and /api/overview", (hasPage ? "dashboard page" : "no dashboard page")
                + (showsRoute ? ", route " + DemoCommand.ROUTE : ", no route " + DemoCommand.ROUTE));
        if (!hasPage || !showsRoute)
            failures.add("the dashboard does not show route " + DemoCommand.ROUTE + " (GET / and /api/overview on the admin port)");

        out.println();
        if (failures.isEmpty()) {
            out.printf("check passed: the canary split %d users %d to %s and %d to %s, each user stayed on one side, "
                    + "/api/users/1 stayed on the %s, and the admin port answers with the dashboard showing the route.%n",
                    sides.size(), toMonolith, DemoMonolith.SERVED_BY, toService, DemoPostsService.SERVED_BY, DemoMonolith.SERVED_BY);
            out.flush();
            return true;
        }
        out.flush();
        failures.forEach(f -> err.println("check failed: " + f));
        err.flush();
        return false;
    }

    /** The X-Served-By of a GET, or a description of what went wrong instead. */
    private String servedBy(String url, String user) throws InterruptedException {
        HttpResponse<String> r = get(url, user);
        String what = "GET " + url.substring(guide.gateway().length()) + (user == null ? "" : " as " + user);
        if (r == null) {
            print(what, "no answer");
            return "nobody";
        }
        String servedBy = r.headers().firstValue(DemoMonolith.SERVED_BY_HEADER).orElse("nobody");
        print(what, r.statusCode() + " " + DemoMonolith.SERVED_BY_HEADER + ": " + servedBy);
        if (r.statusCode() != 200) failures.add(what + " answered " + r.statusCode() + " (expected: 200)");
        return servedBy;
    }

    private HttpResponse<String> get(String url, String user) throws InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        if (user != null) b.header(DemoCommand.STICKY_HEADER, user);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failures.add("GET " + url + ": " + Objects.requireNonNullElse(e.getMessage(), e.toString()));
            return null;
        }
    }

    private void print(String what, String result) {
        out.printf("check: %-40s -> %s%n", what, result);
    }
}
