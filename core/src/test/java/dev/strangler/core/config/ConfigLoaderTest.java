package dev.strangler.core.config;

import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.routing.RequestFacts;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteTable;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static final Path FILE = Path.of("strangler.yaml");

    /** The minimal form of DESIGN.md, verbatim, including the flow-style token placeholder. */
    private static final String DESIGN_EXAMPLE = """
            listen: 0.0.0.0:8080          # user traffic
            admin: { listen: 127.0.0.1:9090, token: ${STRANGLER_ADMIN_TOKEN} }
            store: { url: jdbc:h2:file:./strangler-data/state }   # or jdbc:postgresql://...
            monolith: { url: http://127.0.0.1:8081 }
            services:
              posts: { url: http://127.0.0.1:8082 }
            routes:
              - name: posts-read
                match: { methods: [GET], path: /api/posts/** }
                service: posts
                stage: canary
                percent: 10
                sticky: header:X-User-Id    # or cookie:NAME, or client-ip
              - name: users
                match: { path: "/api/users/{id}" }
                service: posts
                stage: live
                rewrite: /users/{id}        # path on the service; a trailing ** carries the rest
            """;

    private static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
        return ConfigLoader.parse(yaml, FILE, env);
    }

    private static List<String> errorsOf(String yaml) {
        return errorsOf(yaml, Map.of());
    }

    private static List<String> errorsOf(String yaml, Map<String, String> env) {
        try {
            ConfigLoader.parse(yaml, FILE, env);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected the config to be refused:\n" + yaml);
    }

    private static String withRoutes(String routes) {
        return """
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                  users: { url: http://127.0.0.1:8083 }
                routes:
                """ + routes;
    }

    @Test
    void theDesignDocumentsExampleLoadsWithTheTokenFromTheEnvironment() throws Exception {
        GatewayConfig config = parse(DESIGN_EXAMPLE, Map.of("STRANGLER_ADMIN_TOKEN", "s3cret"));

        assertThat(config.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        assertThat(config.admin().token()).hasValue("s3cret");
        assertThat(config.admin().toString()).doesNotContain("s3cret");
        assertThat(config.storeUrl()).isEqualTo("jdbc:h2:file:./strangler-data/state");
        assertThat(config.monolith().urls()).containsExactly(URI.create("http://127.0.0.1:8081"));
        assertThat(config.service("posts").urls()).containsExactly(URI.create("http://127.0.0.1:8082"));

        Route postsRead = config.routes().get(0);
        assertThat(postsRead.name()).isEqualTo("posts-read");
        assertThat(postsRead.match().methods()).containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(postsRead.stage()).isEqualTo(Stage.CANARY);
        assertThat(postsRead.percent()).isEqualTo(10.0);
        assertThat(postsRead.sticky()).isEqualTo(new StickyKey.Header("X-User-Id"));

        Route users = config.routes().get(1);
        assertThat(users.stage()).isEqualTo(Stage.LIVE);
        assertThat(users.rewrite().orElseThrow().apply(users.match().path(), "/api/users/42")).isEqualTo("/users/42");
    }

    @Test
    void everyDocumentedKeyIsReadIntoTheRecords(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        PemKeyPair.generate(dir, "server", "RSA"); // server.pem and server-key.pem: tls.key must be tls.cert's key
        String yaml = """
                listen: 127.0.0.1:8443
                tls: { cert: server.pem, key: server-key.pem }
                access-log: false
                shutdown: { drain-timeout: 1500ms }
                monolith:
                  urls: [http://10.0.0.1:8081, http://10.0.0.2:8081]
                  connect-timeout: 1s
                  response-timeout: 2m
                  max-connections: 16
                services:
                  posts:
                    url: https://posts.internal:8443/base
                    trusted-certificate: ca.pem
                  users: http://127.0.0.1:8083
                routes:
                  - name: posts-write
                    match:
                      methods: [post, PUT]
                      path: /api/posts/{id}
                      host: API.example.com
                      headers: { X-Beta: "1" }
                    service: posts
                    stage: retired
                    fallback: all
                    rewrite: /posts/{id}
                    request-headers:
                      set: { X-Source: strangler }
                      remove: [Cookie]
                    host-header: service
                """;
        GatewayConfig config = ConfigLoader.parse(yaml, dir.resolve("strangler.yaml"), Map.of());

        assertThat(config.tls().orElseThrow().certificate()).isEqualTo(dir.resolve("server.pem"));
        assertThat(config.accessLog()).isFalse();
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.monolith().urls()).hasSize(2);
        assertThat(config.monolith().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.monolith().responseTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.monolith().maxConnections()).isEqualTo(16);
        assertThat(config.service("posts").trustedCertificate()).hasValue(dir.resolve("ca.pem"));
        assertThat(config.service("users").urls()).containsExactly(URI.create("http://127.0.0.1:8083"));

        Route r = config.routes().get(0);
        assertThat(r.match().methods()).containsExactlyInAnyOrder("POST", "PUT");
        assertThat(r.match().host()).hasValue("api.example.com");
        assertThat(r.match().headers()).containsEntry("x-beta", "1");
        assertThat(r.stage()).isEqualTo(Stage.RETIRED);
        assertThat(r.fallback()).isEqualTo(FallbackPolicy.ALL);
        assertThat(r.requestHeaders().set()).containsEntry("X-Source", "strangler");
        assertThat(r.requestHeaders().remove()).isNotEmpty();
        assertThat(r.hostHeader()).isEqualTo(HostHeader.SERVICE);
    }

    @Test
    void defaultsApplyWhenOnlyTheMonolithIsGiven() throws Exception {
        GatewayConfig config = parse("monolith: { url: http://127.0.0.1:8081 }\n", Map.of());

        assertThat(config.listen()).hasToString(Defaults.LISTEN);
        assertThat(config.admin().listen()).hasToString(Defaults.ADMIN_LISTEN);
        assertThat(config.admin().token()).isEmpty();
        assertThat(config.routes()).isEmpty();
        assertThat(config.drainTimeout()).isEqualTo(Defaults.DRAIN_TIMEOUT);
        assertThat(config.monolith().responseTimeout()).isEqualTo(Defaults.RESPONSE_TIMEOUT);
    }

    @Test
    void debugHeadersAreOffUnlessTheFileTurnsThemOnAndMustBeABoolean() throws Exception {
        assertThat(parse("monolith: { url: http://127.0.0.1:8081 }\n", Map.of()).debugHeaders()).isFalse();
        assertThat(parse("debug-headers: true\nmonolith: { url: http://127.0.0.1:8081 }\n", Map.of()).debugHeaders()).isTrue();

        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081 }\ndebug-headers: sometimes\n"))
                .singleElement().asString().startsWith("strangler.yaml:2: debug-headers: ");
    }

    @Test
    void anUnknownKeyIsReportedWithItsLineAndTheLikelyIntendedKey() {
        List<String> errors = errorsOf("""
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082, respons-timeout: 2s }
                """);
        assertThat(errors).singleElement().asString()
                .startsWith("strangler.yaml:3: services.posts.respons-timeout: unknown key")
                .contains("did you mean response-timeout?");
    }

    @Test
    void everyProblemInTheFileIsReportedAtOnceInLineOrder() {
        List<String> errors = errorsOf(withRoutes("""
                  - name: a
                    match: { path: /api/a/** }
                    service: comments
                  - name: b
                    match: { path: /api/b }
                    service: posts
                    stage: canary
                    percent: 150
                  - name: c
                    match: { path: api/c }
                    service: posts
                """));
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).startsWith("strangler.yaml:8: routes[0] (a).service: \"comments\" is not declared under services");
        assertThat(errors.get(1)).startsWith("strangler.yaml:13: routes[1] (b).percent: 150 is outside 0..100");
        assertThat(errors.get(2)).startsWith("strangler.yaml:15: routes[2] (c).match.path: must start with '/'");
    }

    @Test
    void routesThatCannotBeToldApartAreRefusedButAMoreSpecificOneIsFine() throws Exception {
        List<String> errors = errorsOf(withRoutes("""
                  - name: first
                    match: { path: "/api/posts/{id}" }
                    service: posts
                  - name: second
                    match: { path: "/api/posts/{postId}" }
                    service: users
                """));
        assertThat(errors).singleElement().asString().startsWith("strangler.yaml:9: routes[1] (second).match:");
        // the fix is given once, not the conflict's hint and then the loader's own again
        assertThat(errors.getFirst().split("or merge them", -1)).hasSize(2);
        assertThat(errors.getFirst()).doesNotContain("make one more specific");

        GatewayConfig ok = parse(withRoutes("""
                  - name: read
                    match: { methods: [GET], path: "/api/posts/{id}" }
                    service: posts
                  - name: all
                    match: { path: "/api/posts/{id}" }
                    service: users
                  - name: me
                    match: { path: /api/posts/me }
                    service: users
                """), Map.of());
        RouteTable table = RouteTable.of(ok.routes());
        assertThat(table.match(new RequestFacts.Of("GET", "/api/posts/7", "", Map.of(), "127.0.0.1")).map(Route::name)).hasValue("read");
        assertThat(table.match(new RequestFacts.Of("DELETE", "/api/posts/7", "", Map.of(), "127.0.0.1")).map(Route::name)).hasValue("all");
        assertThat(table.match(new RequestFacts.Of("GET", "/api/posts/me", "", Map.of(), "127.0.0.1")).map(Route::name)).hasValue("me");
    }

    @Test
    void backendUrlsMustBeHttpWithAHostAndNoCredentials() {
        assertThat(errorsOf("monolith: { url: ftp://x }\n")).singleElement().asString()
                .contains("monolith.url").contains("must start with http:// or https://");
        assertThat(errorsOf("monolith: { url: \"http://\" }\n")).singleElement().asString().contains("monolith.url");
        assertThat(errorsOf("monolith: { url: http://user:pw@host:1 }\n")).singleElement().asString()
                .contains("carries credentials");
        assertThat(errorsOf("services: {}\n")).singleElement().asString().contains("monolith: missing");
    }

    @Test
    void environmentPlaceholdersTakeDefaultsEscapesAndIgnoreComments() throws Exception {
        GatewayConfig config = parse("""
                # ${NOT_SET_ANYWHERE} in a comment is left alone
                listen: ${HOST:-127.0.0.1}:${PORT}
                monolith: { url: "http://${MONO}:8081" }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: r
                    match: { path: /a, headers: { X-Literal: "$${HOME}" } }
                    service: posts
                """, Map.of("PORT", "9999", "MONO", "10.1.2.3"));
        assertThat(config.listen()).isEqualTo(new HostPort("127.0.0.1", 9999));
        assertThat(config.monolith().urls()).containsExactly(URI.create("http://10.1.2.3:8081"));
        assertThat(config.routes().get(0).match().headers()).containsEntry("x-literal", "${HOME}");

        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081 }\nlisten: ${MISSING}\n")).singleElement().asString()
                .isEqualTo("strangler.yaml:2: environment variable MISSING is not set; set it, or give a default with ${MISSING:-value}");
    }

    @Test
    void aShadowRouteReadsHowItCopiesRequests() throws Exception {
        GatewayConfig config = parse(withRoutes("""
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    stage: shadow
                    shadow: { writes: true, max-body-bytes: 1024, max-concurrent: 8, ignore-paths: [$..updatedAt], noise-check: true, in-canary: true, redact: [ssn] }
                  - name: s
                    match: { path: /b/** }
                    service: posts
                    stage: shadow
                """), Map.of());
        assertThat(config.routes().get(0).stage()).isEqualTo(Stage.SHADOW);
        assertThat(config.routes().get(0).shadow())
                .isEqualTo(new dev.strangler.core.stage.ShadowSettings(true, 1024, 8, List.of("$..updatedAt"), true, true, List.of("ssn")));
        assertThat(config.routes().get(1).shadow()).isEqualTo(dev.strangler.core.stage.ShadowSettings.DEFAULT);
        assertThat(errorsOf(withRoutes("""
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    stage: shadow
                    shadow: { ignore-paths: [updatedAt], max-concurent: 3 }
                """))).hasSize(2);
    }

    @Test
    void aCanaryWithoutAPercentAndAnUnknownStickyKeyAreExplained() {
        List<String> errors = errorsOf(withRoutes("""
                  - name: r
                    match: { path: /a }
                    service: posts
                    stage: canari
                  - name: s
                    match: { path: /b }
                    service: posts
                    stage: canary
                    sticky: user
                """));
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0)).contains("\"canari\" is not a stage").contains("did you mean canary?");
        assertThat(errors.get(1)).contains("routes[1] (s).percent: missing");
        assertThat(errors.get(2)).contains("header:NAME, cookie:NAME or client-ip");
    }

    @Test
    void anAdminPortReachableFromOtherHostsNeedsAToken() throws Exception {
        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081 }\nadmin: { listen: 0.0.0.0:9090 }\n"))
                .singleElement().asString().startsWith("strangler.yaml:2: admin.listen: 0.0.0.0:9090 is not a loopback address");
        assertThat(errorsOf("""
                monolith: { url: http://127.0.0.1:8081 }
                admin: { listen: 0.0.0.0:9090, token: "${TOKEN:-}" }
                """)).hasSize(1);
        GatewayConfig ok = parse("monolith: { url: http://127.0.0.1:8081 }\nadmin: { listen: 0.0.0.0:9090, token: t }\n", Map.of());
        assertThat(ok.admin().token()).hasValue("t");
    }

    @Test
    void syntaxErrorsDuplicateKeysAndDuplicateRouteNamesAreLocated() {
        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081\nroutes: [\n")).singleElement().asString()
                .startsWith("strangler.yaml:").contains("not valid YAML");
        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081 }\nlisten: 1.2.3.4:1\nlisten: 1.2.3.4:2\n"))
                .singleElement().asString().isEqualTo("strangler.yaml:3: listen: given twice (first on line 2); keep one");
        assertThat(errorsOf(withRoutes("""
                  - name: r
                    match: { path: /a }
                    service: posts
                  - name: r
                    match: { path: /b }
                    service: posts
                """))).singleElement().asString().contains("route name \"r\" is already used on line 6");
    }

    @Test
    void theClientSectionSetsTheListenersTimeoutsAndDefaultsToTheDocumentedOnes() throws Exception {
        GatewayConfig defaults = parse("monolith: { url: http://127.0.0.1:8081 }\n", Map.of());
        GatewayConfig set = parse("""
                monolith: { url: http://127.0.0.1:8081 }
                client: { header-timeout: 5s, idle-timeout: 2m, body-idle-timeout: 1500ms, cleartext-http2: false }
                """, Map.of());

        assertThat(defaults.client()).isEqualTo(new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(30), true));
        assertThat(set.client()).isEqualTo(new ClientTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(2),
                Duration.ofMillis(1500), false));
        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081 }\nclient: { header-timeout: 0s, body-timeout: 1s }\n"))
                .anySatisfy(e -> assertThat(e).contains("client.header-timeout").contains("greater than zero"))
                .anySatisfy(e -> assertThat(e).contains("body-timeout"));
    }

    @Test
    void durationsNeedAUnitAndMustBePositive() {
        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081, connect-timeout: 5 }\n")).singleElement().asString()
                .contains("monolith.connect-timeout: \"5\" is not a duration; write a number and a unit: 500ms, 2s, 1m, 1h");
        assertThat(errorsOf("monolith: { url: http://127.0.0.1:8081, connect-timeout: 0s }\n")).singleElement().asString()
                .contains("must be greater than zero");
    }

    @Test
    void aRewriteUsingAParameterThePathDoesNotDeclareIsRefused() {
        assertThat(errorsOf(withRoutes("""
                  - name: r
                    match: { path: "/api/users/{id}" }
                    service: users
                    rewrite: /users/{userId}
                """))).singleElement().asString().contains("routes[0] (r).rewrite: uses {userId}");
    }

    @Test
    void aMissingFileIsReportedWithItsPath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("cannot be read");
    }

    @Test
    void aThousandRoutesLoadAndValidate() throws Exception {
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            routes.append("  - name: r").append(i).append("\n    match: { path: \"/api/svc").append(i)
                    .append("/items/{id}\" }\n    service: posts\n    stage: live\n");
        }
        assertThat(parse(withRoutes(routes.toString()), Map.of()).routes()).hasSize(1000);
    }

    @Test
    void aRouteReadsItsStepsGatesAndAutomationAndTheControllerItsInterval() throws Exception {
        GatewayConfig config = parse("""
                controller: { interval: 2s }
                """ + withRoutes("""
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    stage: shadow
                    automate: false
                    steps: [2, 10, 50, 100]
                    gates: { min-requests: 50, min-time: 30s, max-error-increase: 2%, max-latency-increase: 0.5, min-match-rate: 98%, confidence: 0.99 }
                  - name: s
                    match: { path: /b/** }
                    service: posts
                """), Map.of());
        assertThat(config.controllerInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
        var plan = config.routes().get(0).plan();
        assertThat(plan.automate()).isFalse();
        assertThat(plan.steps()).containsExactly(2.0, 10.0, 50.0);
        assertThat(plan.gates()).isEqualTo(new dev.strangler.core.plan.Gates(50, java.time.Duration.ofSeconds(30), 0.02, 0.5, 0.98, 0.99));
        assertThat(config.routes().get(1).plan()).isEqualTo(dev.strangler.core.plan.PromotionPlan.DEFAULT);
    }

    @Test
    void theGatesReadTheWarmUpAndTheLatencyFloorAndAcceptZeroForBoth() throws Exception {
        GatewayConfig config = parse(withRoutes("""
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    gates: { warm-up: 1m, min-latency-increase: 20ms }
                  - name: s
                    match: { path: /b/** }
                    service: posts
                    gates: { warm-up: 0, min-latency-increase: 0 }
                """), Map.of());
        var first = config.routes().get(0).plan().gates();
        assertThat(first.warmUp()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(first.minLatencyIncrease()).isEqualTo(java.time.Duration.ofMillis(20));
        var second = config.routes().get(1).plan().gates();
        assertThat(second.warmUp()).isZero();
        assertThat(second.minLatencyIncrease()).isZero();
        assertThat(errorsOf(withRoutes("""
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    gates: { warm-up: soon }
                """))).containsExactly("strangler.yaml:9: routes[0] (r).gates.warm-up: \"soon\" is not a duration; write a number and a unit: 500ms, 2s, 1m, 1h, 1d");
    }

    @Test
    void badStepsAndGatesAreExplainedWithTheirLines() {
        List<String> errors = errorsOf(withRoutes("""
                  - name: r
                    match: { path: /a/** }
                    service: posts
                    steps: [5, 1]
                    gates: { min-requests: 0, max-error-increase: lots, confidence: 40%, min-tim: 1m }
                """));
        assertThat(errors).containsExactly(
                "strangler.yaml:9: routes[0] (r).steps: [5.0, 1.0] are not canary steps: give increasing percents above 0 and below 100, optionally ending with 100 (= live), e.g. steps: [1, 5, 25, 50, 100]",
                "strangler.yaml:10: routes[0] (r).gates.min-tim: unknown key; did you mean min-time? (allowed here: min-requests, min-time, max-error-increase, max-latency-increase, min-latency-increase, min-match-rate, confidence, warm-up)",
                "strangler.yaml:10: routes[0] (r).gates.min-requests: \"0\" is not a whole number greater than zero",
                "strangler.yaml:10: routes[0] (r).gates.max-error-increase: \"lots\" is not an absolute increase of the error rate, e.g. 1% or 0.01",
                "strangler.yaml:10: routes[0] (r).gates.confidence: \"40%\" is not how sure a test must be, e.g. 95% or 0.95 (above 50%, below 100%)");
    }

    @Test
    void theCatalogSectionTurnsLearningOffAndNamesAnOpenApiSeedNextToTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("monolith.yaml"), "openapi: 3.0.3\n");
        GatewayConfig config = ConfigLoader.parse("catalog: { enabled: false, openapi: monolith.yaml }\n"
                + "monolith: { url: http://127.0.0.1:8081 }\n", dir.resolve("strangler.yaml"), Map.of());
        assertThat(config.catalog().enabled()).isFalse();
        assertThat(config.catalog().openapi()).contains(dir.resolve("monolith.yaml"));
        assertThat(parse("monolith: { url: http://127.0.0.1:8081 }\n", Map.of()).catalog()).isEqualTo(Defaults.CATALOG);
        assertThat(errorsOf("catalog: { openapi: missing.yaml }\nmonolith: { url: http://127.0.0.1:8081 }\n"))
                .singleElement().asString().startsWith("strangler.yaml:1: catalog.openapi: ").contains("does not exist");
    }

    @Test
    void theAdminApiCannotShareThePortOfUserTraffic() {
        assertThat(errorsOf("listen: 0.0.0.0:8080\nadmin: { listen: 127.0.0.1:8080 }\nmonolith: { url: http://127.0.0.1:8081 }\n"))
                .containsExactly("strangler.yaml:2: admin.listen: 127.0.0.1:8080 is the address user traffic listens on "
                        + "(0.0.0.0:8080); give the admin API its own port, e.g. 127.0.0.1:9090");
    }

    @Test
    void storeUrlsAreShownWithoutTheirPasswords() {
        assertThat(GatewayConfig.redactUrl("jdbc:postgresql://db:5432/app?user=gw&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=gw&password=***&ssl=true");
        assertThat(GatewayConfig.redactUrl("jdbc:postgresql://gw:s3cret@db:5432/app")).isEqualTo("jdbc:postgresql://gw:***@db:5432/app");
        assertThat(GatewayConfig.redactUrl("jdbc:h2:file:./strangler-data/state")).isEqualTo("jdbc:h2:file:./strangler-data/state");
    }
}
