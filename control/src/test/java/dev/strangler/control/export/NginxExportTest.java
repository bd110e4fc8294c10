package dev.strangler.control.export;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyHash;
import dev.strangler.core.stage.StickyKey;
import dev.strangler.gateway.observe.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exported NGINX file, served by a real NGINX on loopback in front of two real backends: what
 * each backend received, and for 10,000 users whether NGINX put them where Strangler would.
 */
class NginxExportTest {
    private static final StickyKey USER = new StickyKey.Header("X-User-Id");
    private static final int USERS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RecordingBackend monolith;
    private RecordingBackend posts;

    @BeforeEach
    void startBackends() throws Exception {
        monolith = new RecordingBackend("monolith");
        posts = new RecordingBackend("posts");
    }

    @AfterEach
    void stopBackends() {
        monolith.close();
        posts.close();
    }

    private GatewayConfig config(int port, Route... routes) {
        return GatewayConfig.of(Backend.of("monolith", monolith.url()), Map.of("posts", Backend.of("posts", posts.url())), List.of(routes))
                .withListen(new HostPort("127.0.0.1", port));
    }

    private HttpResponse<String> send(int port, String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{\"a\":1}"));
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLiveRouteReachesTheServiceAtItsRewrittenPathAndTheRestStaysOnTheMonolith() throws Exception {
        int port = RunningNginx.freePort();
        // Long names: PCRE caps a capture's name at 32 characters, the export must not pass them through.
        Route users = Route.of("users-by-identifier-a-rather-long-route-name", RouteMatch.path("/api/users/{userIdentifierOfSomeLength}")
                .withMethods("GET"), "posts").withStage(Stage.LIVE).withRewrite("/users/{userIdentifierOfSomeLength}");
        Route everything = Route.of("posts-all", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.RETIRED).withRewrite("/posts/**");
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(config(port, users, everything)), port)) {
            HttpResponse<String> answer = send(port, "GET", "/api/users/7?fields=name", Map.of("X-Request-Id", "req-1"));
            assertThat(answer.body()).isEqualTo("posts");
            assertThat(answer.headers().firstValue("X-Request-Id")).contains("req-1");
            RecordingBackend.Received got = posts.received.poll(5, TimeUnit.SECONDS);
            assertThat(got.uri()).isEqualTo("/users/7?fields=name");
            assertThat(got.requestId()).isEqualTo("req-1");

            assertThat(send(port, "GET", "/api/posts/7/comments?page=2", Map.of()).body()).isEqualTo("posts");
            assertThat(posts.received.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/posts/7/comments?page=2");
            assertThat(send(port, "GET", "/api/posts", Map.of()).body()).isEqualTo("posts");
            assertThat(posts.received.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/posts");

            assertThat(send(port, "POST", "/api/users/7", Map.of()).body()).as("a method the route does not claim").isEqualTo("monolith");
            RecordingBackend.Received post = monolith.received.poll(5, TimeUnit.SECONDS);
            assertThat(post.uri()).isEqualTo("/api/users/7");
            assertThat(post.body()).isEqualTo("{\"a\":1}");
            assertThat(post.requestId()).as("a generated request id").isNotBlank();

            assertThat(send(port, "GET", "/elsewhere", Map.of()).body()).isEqualTo("monolith");
            assertThat(monolith.received.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/elsewhere");
            assertThat(posts.received).isEmpty();
        }
    }

    @Test
    void aDotInTheRoutesPathIsMatchedLiterallySoAPathWithAnotherCharacterThereStaysOnTheMonolith() throws Exception {
        int port = RunningNginx.freePort();
        Route orders = Route.of("orders-v1", RouteMatch.path("/api/v1.0/orders/{id}"), "posts").withStage(Stage.RETIRED);
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(config(port, orders)), port)) {
            assertThat(send(port, "GET", "/api/v1.0/orders/7", Map.of()).body()).isEqualTo("posts");
            assertThat(send(port, "GET", "/api/v1x0/orders/7", Map.of()).body()).as("a path that differs where the route has a dot")
                    .isEqualTo("monolith");
            assertThat(monolith.received.poll(5, TimeUnit.SECONDS).uri()).isEqualTo("/api/v1x0/orders/7");
        }
    }

    @Test
    void aShadowRouteIsAnsweredByTheMonolithAndAMarkedCopyReachesTheService() throws Exception {
        int port = RunningNginx.freePort();
        Route users = Route.of("users", RouteMatch.path("/api/users/{id}"), "posts").withStage(Stage.SHADOW).withRewrite("/users/{id}");
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(config(port, users)), port)) {
            HttpResponse<String> answer = send(port, "GET", "/api/users/9?x=1", Map.of("X-Request-Id", "req-9"));

            assertThat(answer.body()).isEqualTo("monolith");
            RecordingBackend.Received original = monolith.received.poll(5, TimeUnit.SECONDS);
            assertThat(original.uri()).isEqualTo("/api/users/9?x=1");
            assertThat(original.shadowMark()).isNull();
            RecordingBackend.Received copy = posts.received.poll(5, TimeUnit.SECONDS);
            assertThat(copy).as("the shadow copy; nginx log: %s", nginx.errorLog()).isNotNull();
            assertThat(copy.uri()).isEqualTo("/users/9?x=1");
            assertThat(copy.shadowMark()).isEqualTo("true");
            assertThat(copy.requestId()).isEqualTo("req-9");
        }
    }

    @Test
    void aClientsShadowMarkReachesNoBackendOnTheUsersLegsAndTheCopyCarriesOnlyNginxsOwn() throws Exception {
        int port = RunningNginx.freePort();
        Route live = Route.of("users", RouteMatch.path("/api/users/{id}"), "posts").withStage(Stage.LIVE);
        Route canary = Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withCanary(100, USER);
        Route orders = Route.of("orders", RouteMatch.path("/api/orders/**"), "posts").withStage(Stage.MONOLITH);
        Route shadow = Route.of("carts", RouteMatch.path("/api/carts/**"), "posts").withStage(Stage.SHADOW);
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(config(port, live, canary, orders, shadow)), port)) {
            for (String path : List.of("/api/users/7", "/api/posts/7", "/api/orders/7", "/api/carts/7")) {
                // Two lines, in another case: whatever form the client's forgery takes.
                HttpRequest forged = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                        .header("X-Strangler-Shadow", "true").header("x-strangler-shadow", "1").header("X-User-Id", "u1").GET().build();
                assertThat(client.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            for (String service : List.of("/api/users/7", "/api/posts/7")) {
                RecordingBackend.Received got = posts.received.poll(5, TimeUnit.SECONDS);
                assertThat(got.uri()).isEqualTo(service);
                assertThat(got.shadowMark()).as("the client's mark on %s", service).isNull();
            }
            for (String kept : List.of("/api/orders/7", "/api/carts/7")) {
                RecordingBackend.Received got = monolith.received.poll(5, TimeUnit.SECONDS);
                assertThat(got.uri()).isEqualTo(kept);
                assertThat(got.shadowMark()).as("the client's mark on %s", kept).isNull();
            }
            RecordingBackend.Received copy = posts.received.poll(5, TimeUnit.SECONDS);
            assertThat(copy).as("the shadow copy; nginx log: %s", nginx.errorLog()).isNotNull();
            assertThat(copy.uri()).isEqualTo("/api/carts/7");
            assertThat(copy.shadowMark()).as("one line, NGINX's own").isEqualTo("true");
        }
    }

    @Test
    void eachRequestIsOneJsonLineWithStranglersFieldNamesTheRouteItsStageAndWhoAnswered() throws Exception {
        int port = RunningNginx.freePort();
        Route users = Route.of("users", RouteMatch.path("/api/users/{id}").withMethods("GET"), "posts").withStage(Stage.LIVE);
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(config(port, users)), port)) {
            assertThat(send(port, "GET", "/api/users/7?token=s3cr3t", Map.of("X-Request-Id", "req-log", "User-Agent", "ua/1")).body())
                    .isEqualTo("posts");
            assertThat(send(port, "POST", "/api/users/7", Map.of()).body()).isEqualTo("monolith");

            List<String> lines = nginx.accessLog(2);
            JsonNode served = JSON.readTree(lines.get(0));
            List<String> fields = new ArrayList<>();
            served.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("time", "request_id", "method", "path", "route",
                    "stage", "backend", "status", "duration_ms", "bytes_in", "bytes_out", "client", "user_agent");
            assertThat(OffsetDateTime.parse(served.get("time").asText())).as("RFC 3339").isNotNull();
            assertThat(served.get("request_id").asText()).isEqualTo("req-log");
            assertThat(served.get("path").asText()).isEqualTo("/api/users/7");
            assertThat(served.get("route").asText()).isEqualTo("users");
            assertThat(served.get("stage").asText()).isEqualTo("live");
            assertThat(served.get("backend").asText()).isEqualTo("posts");
            assertThat(served.get("status").asInt()).isEqualTo(200);
            assertThat(served.get("duration_ms").isNumber()).isTrue();
            assertThat(served.get("user_agent").asText()).isEqualTo("ua/1");
            assertThat(lines.get(0)).as("no query: NGINX cannot redact it").doesNotContain("s3cr3t");

            JsonNode unclaimed = JSON.readTree(lines.get(1));
            assertThat(unclaimed.get("method").asText()).isEqualTo("POST");
            assertThat(unclaimed.get("route").asText()).isEqualTo(Outcome.UNROUTED);
            assertThat(unclaimed.get("stage").asText()).isEqualTo("monolith");
            assertThat(unclaimed.get("backend").asText()).isEqualTo("monolith");
        }
    }

    @Test
    void aLiveRouteFallsBackToTheMonolithForReadsWhenTheServiceIsDown() throws Exception {
        int port = RunningNginx.freePort();
        URI down = URI.create("http://127.0.0.1:" + RunningNginx.freePort());
        Route users = Route.of("users", RouteMatch.path("/api/users/{id}"), "posts").withStage(Stage.LIVE);
        GatewayConfig cfg = GatewayConfig.of(Backend.of("monolith", monolith.url()), Map.of("posts", Backend.of("posts", down)), List.of(users))
                .withListen(new HostPort("127.0.0.1", port));
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(cfg), port)) {
            assertThat(send(port, "GET", "/api/users/1", Map.of()).body()).isEqualTo("monolith");
            assertThat(send(port, "POST", "/api/users/1", Map.of()).statusCode()).as("a write does not fall back").isEqualTo(502);
            assertThat(monolith.received).hasSize(1);
            JsonNode fellBack = JSON.readTree(nginx.accessLog(1).getFirst());
            assertThat(fellBack.get("route").asText()).isEqualTo("users");
            assertThat(fellBack.get("stage").asText()).isEqualTo("live");
            assertThat(fellBack.get("backend").asText()).as("who answered, after the fallback").isEqualTo("monolith");
        }
    }

    @Test
    void aCanaryStillOnTheLegacyStickyHashSaysNginxCannotReproduceItsSplitUntilItLeavesCanary() throws Exception {
        int port = RunningNginx.freePort(); // only rendered, not served
        Route canary = Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withCanary(30, USER);

        String legacy = NginxConfig.render(config(port, canary.withStickyHash(BucketFunction.LEGACY)));
        String nginx = NginxConfig.render(config(port, canary));

        assertThat(legacy).contains("# NOT the same users as Strangler: this canary was running when Strangler moved to NGINX's hash")
                .contains("Until the route leaves\n# canary (live, or rolled back), this split serves the same share but differs user by user.")
                .doesNotContain("the same users as Strangler.")
                .contains("split_clients \"posts:${strangler_key_r0}\"");
        assertThat(nginx).contains("of users by header x-user-id, the same users as Strangler.").doesNotContain("NOT the same users");
    }

    @Test
    void everyUserLandsOnTheSideStranglerChoosesAndRaisingThePercentOnlyMovesUsersToTheService() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < USERS; i++) keys.add("user-" + i);
        boolean[] at30 = sides(keys, 30);
        boolean[] at55 = sides(keys, 55);

        int onServiceAt30 = 0;
        for (int i = 0; i < USERS; i++) {
            if (at30[i]) onServiceAt30++;
            if (at30[i]) assertThat(at55[i]).as("%s left the service when the percent grew", keys.get(i)).isTrue();
        }
        assertThat(onServiceAt30).isBetween(2_800, 3_200);
    }

    /** Sends one request per key through NGINX at a percent; fails on the first key NGINX places differently from Strangler. */
    private boolean[] sides(List<String> keys, double percent) throws Exception {
        int port = RunningNginx.freePort();
        Route canary = Route.of("posts-read", RouteMatch.path("/api/posts/**"), "posts").withCanary(percent, USER);
        int threshold = StickyHash.threshold(percent);
        boolean[] onService = new boolean[keys.size()];
        int disagreements = 0;
        try (RunningNginx nginx = RunningNginx.start(NginxConfig.render(config(port, canary)), port)) {
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                onService[i] = send(port, "GET", "/api/posts/1", Map.of("X-User-Id", key)).body().equals("posts");
                if (onService[i] != (StickyHash.bucket("posts", key) < threshold)) disagreements++;
            }
        }
        monolith.received.clear();
        posts.received.clear();
        assertThat(disagreements).as("keys NGINX placed differently from Strangler at %s%%", percent).isZero();
        return onService;
    }
}
