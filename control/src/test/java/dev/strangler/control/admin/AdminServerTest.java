package dev.strangler.control.admin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.config.HostPort;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin port of a real process: a gateway in front of a real backend, scraped over HTTP. */
class AdminServerTest {
    private static final String TOKEN = "s3cret-admin-token-for-tests";

    // HTTP/1.1: the exact transport is not what these tests are about.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx backends;
    private HttpServer backend;
    private StranglerProcess process;

    @BeforeEach
    void startBackend() throws Exception {
        backends = Vertx.vertx();
        backend = await(backends.createHttpServer()
                .requestHandler(req -> req.response().putHeader("X-Served-By", "backend").end("ok"))
                .listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (process != null) await(process.stop());
        await(backends.close());
    }

    @Test
    void healthAnswersUpWithTheRouteCountTheConfigFileAndInFlightWithoutAToken() throws Exception {
        process = start(withSource(config(Optional.of(TOKEN)), Path.of("strangler.yaml")));

        HttpResponse<String> health = admin("/health", Optional.empty());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonObject body = new JsonObject(health.body());
        assertThat(body.getString("status")).isEqualTo("up");
        assertThat(body.getInteger("routes")).isEqualTo(1);
        assertThat(body.getString("config")).isEqualTo("strangler.yaml");
        assertThat(body.getInteger("inFlight")).isZero();
    }

    @Test
    void healthReportsNoConfigFileForAConfigBuiltInCode() throws Exception {
        process = start(config(Optional.empty()));

        JsonObject body = new JsonObject(admin("/health", Optional.empty()).body());

        assertThat(body.containsKey("config")).isTrue();
        assertThat(body.getValue("config")).isNull();
    }

    @Test
    void metricsShowProxiedRequestsAndVertxMetersAsPrometheusTextWithoutAToken() throws Exception {
        process = start(config(Optional.of(TOKEN)));
        HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + process.port() + "/api/posts/1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.statusCode()).isEqualTo(200);

        admin("/metrics", Optional.empty()); // the first scrape is what first uses the worker pool
        HttpResponse<String> metrics = admin("/metrics", Optional.empty());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("strangler_proxy_requests_total{backend=\"posts\",route=\"posts-read\",status=\"2xx\"} 1.0")
                .contains("strangler_proxy_in_flight")
                .containsPattern("(?m)^vertx_pool_")
                .containsPattern("(?m)^jvm_memory_");
    }

    @Test
    void theApiRefusesARequestWithoutTheToken() throws Exception {
        process = start(config(Optional.of(TOKEN)));

        HttpResponse<String> response = admin("/api/routes", Optional.empty());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"strangler\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getInteger("status")).isEqualTo(401);
    }

    @Test
    void theApiRefusesAWrongTokenAndATokenThatIsOnlyAPrefix() throws Exception {
        process = start(config(Optional.of(TOKEN)));

        assertThat(admin("/api/routes", Optional.of("wrong")).statusCode()).isEqualTo(401);
        assertThat(admin("/api/routes", Optional.of(TOKEN.substring(0, 10))).statusCode()).isEqualTo(401);
        assertThat(admin("/api/routes", Optional.of(TOKEN + "x")).statusCode()).isEqualTo(401);
        assertThat(send("/api/routes", "Basic " + TOKEN).statusCode()).isEqualTo(401);
    }

    @Test
    void theApiListsTheRoutesWithTheToken() throws Exception {
        process = start(config(Optional.of(TOKEN)));

        HttpResponse<String> response = admin("/api/routes", Optional.of(TOKEN));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray routes = new JsonArray(response.body());
        assertThat(routes).hasSize(1);
        JsonObject route = routes.getJsonObject(0);
        assertThat(route.getString("name")).isEqualTo("posts-read");
        assertThat(route.getString("service")).isEqualTo("posts");
        assertThat(route.getString("stage")).isEqualTo("live");
        assertThat(route.containsKey("percent")).isTrue();
        assertThat(route.getValue("percent")).as("live has no share: null, not 0").isNull();
        assertThat(route.getString("path")).isEqualTo("/api/posts/**");
        assertThat(route.getJsonArray("methods").getList()).containsExactly("GET", "HEAD");
    }

    @Test
    void theApiIsOpenOnLoopbackWhenNoTokenIsSet() throws Exception {
        process = start(config(Optional.empty()));

        assertThat(admin("/api/routes", Optional.empty()).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownAdminPathAnswersAJsonProblem() throws Exception {
        process = start(config(Optional.empty()));

        HttpResponse<String> response = admin("/nope", Optional.empty());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void refusesToStartOnANonLoopbackAddressWithoutAToken() {
        GatewayConfig exposed = withAdmin(config(Optional.empty()), new AdminSettings(new HostPort("0.0.0.0", 0), Optional.empty()));

        assertThatThrownBy(() -> StranglerProcess.start(exposed, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admin.listen: 0.0.0.0:0 is not a loopback address")
                .hasMessageContaining("admin.token");
    }

    @Test
    void aBlankTokenCountsAsNone() {
        GatewayConfig exposed = withAdmin(config(Optional.empty()), new AdminSettings(new HostPort("0.0.0.0", 0), Optional.of("  ")));

        assertThatThrownBy(() -> AdminServer.requireSafeExposure(exposed.admin())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsOnANonLoopbackAddressWithAToken() throws Exception {
        process = start(withAdmin(config(Optional.of(TOKEN)), new AdminSettings(new HostPort("0.0.0.0", 0), Optional.of(TOKEN))));

        assertThat(admin("/api/routes", Optional.of(TOKEN)).statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenNeverReachesTheLog() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try {
            process = start(config(Optional.of(TOKEN)));
            admin("/api/routes", Optional.of(TOKEN));
            admin("/api/routes", Optional.of("wrong"));
            await(process.stop());
            process = null;
        } finally {
            root.detachAppender(events);
        }

        assertThat(events.list).isNotEmpty();
        assertThat(events.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN));
    }

    private GatewayConfig config(Optional<String> token) {
        URI url = URI.create("http://127.0.0.1:" + backend.actualPort());
        Route route = Route.of("posts-read", RouteMatch.path("/api/posts/**").withMethods("GET"), "posts").withStage(Stage.LIVE);
        GatewayConfig c = GatewayConfig.of(Backend.of(Backend.MONOLITH, url), Map.of("posts", Backend.of("posts", url)), List.of(route));
        return withAdmin(c, new AdminSettings(new HostPort("127.0.0.1", 0), token));
    }

    private static GatewayConfig withAdmin(GatewayConfig c, AdminSettings admin) {
        return new GatewayConfig(c.source(), c.listen(), c.tls(), admin, c.storeUrl(), c.monolith(), c.services(),
                c.routes(), c.accessLog(), c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
    }

    private static GatewayConfig withSource(GatewayConfig c, Path source) {
        return new GatewayConfig(Optional.of(source), c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith(), c.services(),
                c.routes(), c.accessLog(), c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
    }

    private static StranglerProcess start(GatewayConfig config) throws Exception {
        return await(StranglerProcess.start(config, 1));
    }

    private HttpResponse<String> admin(String path, Optional<String> token) throws Exception {
        return send(path, token.map(t -> "Bearer " + t).orElse(null));
    }

    private HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.adminPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        CompletionStage<T> stage = future.toCompletionStage();
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
