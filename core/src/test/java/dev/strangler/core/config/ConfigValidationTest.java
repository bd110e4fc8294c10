package dev.strangler.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that used to pass {@code validate} and break at run time (header injection, ports out of
 * range, rewrites that escape their prefix, durations that overflow, files that are not PEM) are
 * refused when the file is read, each with file, line and field.
 */
class ConfigValidationTest {
    private static final Path FILE = Path.of("strangler.yaml");

    private static List<String> errorsOf(String yaml) {
        try {
            ConfigLoader.parse(yaml, FILE, Map.of());
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected the config to be refused:\n" + yaml);
    }

    private static GatewayConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, FILE, Map.of());
    }

    private static String withRoute(String routeLines) {
        return """
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts
                    match: { path: /api/posts/** }
                    service: posts
                """ + routeLines;
    }

    @Test
    void aHeaderValueWithALineBreakOrNulIsRefusedWhereverTheConfigSuppliesOne() {
        List<String> errors = errorsOf("""
                monolith: { url: http://127.0.0.1:8081 }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts
                    match: { path: /api/posts/**, headers: { X-Beta: "1\\r\\nX-Admin: yes" } }
                    service: posts
                    request-headers:
                      set:
                        X-Source: "strangler\\nX-Forwarded-User: admin"
                        X-Nul: "a\\0b"
                        X-Bell: "a\\ab"
                        X-Fine: "tab\\tand spaces are fine"
                """);

        assertThat(errors).containsExactly(
                "strangler.yaml:6: routes[0] (posts).match.headers.X-Beta: contains a line break (CR or LF) at character 2: "
                        + "it would end the header and start another one; write the value on one line",
                "strangler.yaml:10: routes[0] (posts).request-headers.set.X-Source: contains a line break (CR or LF) at "
                        + "character 10: it would end the header and start another one; write the value on one line",
                "strangler.yaml:11: routes[0] (posts).request-headers.set.X-Nul: contains a NUL character at character 2; remove it",
                "strangler.yaml:12: routes[0] (posts).request-headers.set.X-Bell: contains the control character U+0007 at "
                        + "character 2 (a header value is visible characters, spaces and tabs); remove it");
    }

    @Test
    void portsAbove65535OrBelowZeroAreRefusedInEveryListenAndUrl() {
        List<String> errors = errorsOf("""
                listen: 127.0.0.1:70000
                admin: { listen: "127.0.0.1:-1" }
                monolith: { url: "http://127.0.0.1:99999" }
                services:
                  posts: { url: "http://127.0.0.1:0" }
                  users: { urls: ["http://127.0.0.1:8083", "http://127.0.0.1:65536/users"] }
                """);

        assertThat(errors).containsExactly(
                "strangler.yaml:1: listen: \"127.0.0.1:70000\" is not HOST:PORT (port 0..65535); write e.g. 0.0.0.0:8080",
                "strangler.yaml:2: admin.listen: \"127.0.0.1:-1\" is not HOST:PORT (port 0..65535); write e.g. 127.0.0.1:9090",
                "strangler.yaml:3: monolith.url: \"http://127.0.0.1:99999\" has port 99999 (expected: 1..65535)",
                "strangler.yaml:5: services.posts.url: \"http://127.0.0.1:0\" has port 0 (expected: 1..65535)",
                "strangler.yaml:6: services.users.urls[1]: \"http://127.0.0.1:65536/users\" has port 65536 (expected: 1..65535)");
    }

    @Test
    void aListenHostThatIsNeitherANameNorAnAddressIsRefused() {
        assertThat(errorsOf("listen: \"no such host:8080\"\nmonolith: { url: http://127.0.0.1:8081 }\n"))
                .containsExactly("strangler.yaml:1: listen: \"no such host\" is not a host name or IP address; write e.g. 0.0.0.0:8080");
    }

    @Test
    void theLimitPortsAndIpv6AddressesAreAccepted() throws Exception {
        GatewayConfig c = parse("""
                listen: "[::]:65535"
                admin: { listen: "[::1]:0" }
                monolith: { url: "http://[::1]:65534" }
                """);

        assertThat(c.listen()).isEqualTo(new HostPort("::", 65535));
        assertThat(c.admin().listen()).isEqualTo(new HostPort("::1", 0));
    }

    @Test
    void aRewriteWithDotSegmentsOrEncodedDotsAndSlashesIsRefused() {
        for (String rewrite : List.of("/posts/../admin/**", "/posts/%2e%2e/admin/**", "/posts/%2E./**", "/posts%2fadmin/**",
                "/posts/%5Cadmin/**", "/posts/./**", "/posts\\\\admin/**")) {
            assertThat(errorsOf(withRoute("    rewrite: \"" + rewrite + "\"\n")))
                    .as(rewrite).singleElement().asString().startsWith("strangler.yaml:8: routes[0] (posts).rewrite: ");
        }
        assertThat(errorsOf(withRoute("    rewrite: /posts/../admin/**\n"))).containsExactly(
                "strangler.yaml:8: routes[0] (posts).rewrite: \"/posts/../admin/**\" has a \"..\" segment; a backend would "
                        + "resolve it and leave the path the route is meant to reach; write the path without it");
        assertThat(errorsOf(withRoute("    rewrite: /posts%2Fadmin/**\n"))).containsExactly(
                "strangler.yaml:8: routes[0] (posts).rewrite: \"/posts%2Fadmin/**\" contains \"%2F\" (an encoded slash), "
                        + "which a backend that decodes paths turns into another path; write the path decoded");
    }

    @Test
    void aRewriteWithDotsInsideASegmentIsFine() throws Exception {
        GatewayConfig c = parse(withRoute("    rewrite: /v1.2/posts..old/**\n"));

        assertThat(c.routes().getFirst().rewrite()).isPresent();
    }

    @Test
    void aMatchPathOrBackendUrlWithDotSegmentsIsRefused() {
        assertThat(errorsOf("""
                monolith: { url: "http://127.0.0.1:8081/app/../admin" }
                services:
                  posts: { url: "http://127.0.0.1:8082/%2e%2e/" }
                routes:
                  - name: posts
                    match: { path: /api/../posts/** }
                    service: posts
                """)).containsSubsequence(
                "strangler.yaml:1: monolith.url: \"http://127.0.0.1:8081/app/../admin\": its path has a \"..\" segment; a "
                        + "backend would resolve it and leave the path the route is meant to reach; write the path without it",
                "strangler.yaml:3: services.posts.url: \"http://127.0.0.1:8082/%2e%2e/\": its path contains \"%2e\" (an "
                        + "encoded dot), which a backend that decodes paths turns into another path; write the path decoded",
                "strangler.yaml:6: routes[0] (posts).match.path: \"/api/../posts/**\" has a \"..\" segment; a backend would "
                        + "resolve it and leave the path the route is meant to reach; write the path without it (request "
                        + "paths are matched normalised, so it could never match)");
    }

    @Test
    void durationsThatOverflowAreRefusedInsteadOfFailingAtShutdown() {
        assertThat(errorsOf("""
                shutdown: { drain-timeout: 99999999999d }
                controller: { interval: 99999999999999999999h }
                monolith: { url: http://127.0.0.1:8081, connect-timeout: 9999999999999h, response-timeout: PT99999999999999999H }
                """)).containsExactly(
                "strangler.yaml:1: shutdown.drain-timeout: \"99999999999d\" is too long; at most 1d (a larger value is a "
                        + "typo, and would overflow at run time)",
                "strangler.yaml:2: controller.interval: \"99999999999999999999h\" is too long; at most 1h (a larger value "
                        + "is a typo, and would overflow at run time)",
                "strangler.yaml:3: monolith.connect-timeout: \"9999999999999h\" is too long; at most 10m (a larger value "
                        + "is a typo, and would overflow at run time)",
                "strangler.yaml:3: monolith.response-timeout: \"PT99999999999999999H\" is too long; at most 1d (a larger "
                        + "value is a typo, and would overflow at run time)");
    }

    @Test
    void durationsAbsurdForTheirKeyAreRefusedWithTheLimit() {
        assertThat(errorsOf("""
                controller: { interval: 10ms }
                monolith: { url: http://127.0.0.1:8081, connect-timeout: 1h }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts
                    match: { path: /api/posts/** }
                    service: posts
                    gates: { min-time: 365d }
                """)).containsExactly(
                "strangler.yaml:1: controller.interval: must be at least 100ms (every interval writes to the store), was 10ms",
                "strangler.yaml:2: monolith.connect-timeout: \"1h\" is too long; at most 10m (a larger value is a typo, and "
                        + "would overflow at run time)",
                "strangler.yaml:9: routes[0] (posts).gates.min-time: \"365d\" is too long; at most 90d (a larger value is a "
                        + "typo, and would overflow at run time)");
    }

    @Test
    void daysAreADurationUnitAndTheLimitsThemselvesAreAccepted() throws Exception {
        GatewayConfig c = parse("""
                shutdown: { drain-timeout: 1d }
                controller: { interval: 100ms }
                monolith: { url: http://127.0.0.1:8081, connect-timeout: 10m, response-timeout: 24h }
                services:
                  posts: { url: http://127.0.0.1:8082 }
                routes:
                  - name: posts
                    match: { path: /api/posts/** }
                    service: posts
                    gates: { min-time: 2d }
                """);

        assertThat(c.drainTimeout()).isEqualTo(Duration.ofDays(1));
        assertThat(c.controllerInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.monolith().connectTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.monolith().responseTimeout()).isEqualTo(Duration.ofHours(24));
        assertThat(c.routes().getFirst().plan().gates().minTime()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void aShadowBodyLimitAboveWhatMemoryCanHoldIsRefused() {
        assertThat(errorsOf(withRoute("    shadow: { max-body-bytes: 2147483647 }\n"))).singleElement().asString()
                .startsWith("strangler.yaml:8: routes[0] (posts).shadow.max-body-bytes: 2147483647 is more than 67108864 (64 MiB)");
    }

    @Test
    void aTokenNoClientCouldSendIsRefusedWithoutQuotingIt() {
        List<String> errors;
        try {
            ConfigLoader.parse("admin: { token: \"${TOKEN}\" }\nmonolith: { url: http://127.0.0.1:8081 }\n", FILE,
                    Map.of("TOKEN", "s3cret second-word"));
            throw new AssertionError("expected a refusal");
        } catch (ConfigException e) {
            errors = e.errors().stream().map(ConfigError::toString).toList();
        }
        assertThat(errors).singleElement().asString().startsWith("strangler.yaml:1: admin.token: contains a space, a line break")
                .doesNotContain("s3cret");
    }

    @Test
    void tlsAndTrustedCertificateFilesMustHoldTheirPemBlocks(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(dir.resolve("ca.pem"), "{}");
        Path file = dir.resolve("strangler.yaml");
        List<String> errors;
        try {
            ConfigLoader.parse("""
                    tls: { cert: cert.pem, key: key.pem }
                    monolith: { url: "https://127.0.0.1:8081", trusted-certificate: ca.pem }
                    """, file, Map.of());
            throw new AssertionError("expected a refusal");
        } catch (ConfigException e) {
            errors = e.errors().stream().map(ConfigError::toString).toList();
        }

        assertThat(errors).containsExactly(
                file + ":1: tls.cert: " + dir.resolve("cert.pem") + " holds no certificate (expected a PEM file with a "
                        + "\"-----BEGIN CERTIFICATE-----\" line)",
                file + ":1: tls.key: " + dir.resolve("key.pem") + " holds no private key (expected a PEM file with a "
                        + "\"-----BEGIN PRIVATE KEY-----\" line)",
                file + ":2: monolith.trusted-certificate: " + dir.resolve("ca.pem") + " holds no certificate (expected a "
                        + "PEM file with a \"-----BEGIN CERTIFICATE-----\" line)");
    }

    @Test
    void adminAllowedHostsAreReadInLowerCaseAndMustBeHostNames() throws Exception {
        GatewayConfig c = parse("""
                admin: { listen: 127.0.0.1:9090, allowed-hosts: [Admin.Internal, strangler-0.strangler] }
                monolith: { url: http://127.0.0.1:8081 }
                """);
        assertThat(c.admin().allowedHosts()).containsExactly("admin.internal", "strangler-0.strangler");

        assertThat(errorsOf("""
                admin: { allowed-hosts: ["http://admin.internal:9090"] }
                monolith: { url: http://127.0.0.1:8081 }
                """)).containsExactly("strangler.yaml:1: admin.allowed-hosts: \"http://admin.internal:9090\" is not a host "
                + "name; write it without scheme or port, e.g. allowed-hosts: [strangler-admin.internal]");
    }

    @Test
    void fallbackNoneIsReadAndAllowsNoRequestToFallBack() throws Exception {
        GatewayConfig c = parse(withRoute("    stage: live\n    fallback: none\n"));

        assertThat(c.routes().getFirst().fallback()).isEqualTo(dev.strangler.core.stage.FallbackPolicy.NONE);
        assertThat(c.routes().getFirst().fallback().allows("GET")).isFalse();
        assertThat(errorsOf(withRoute("    fallback: never\n"))).singleElement().asString()
                .endsWith("\"never\" is not a fallback policy; use safe (retry GET/HEAD/OPTIONS on the monolith), all, or none "
                        + "(never; reads cannot be answered stale by the monolith)");
    }

    @Test
    void headerRulesMayNotTouchTheHeadersThatFrameTheMessage() {
        assertThat(errorsOf(withRoute("""
                    request-headers:
                      set: { Content-Length: "3", X-Fine: ok }
                      remove: [Transfer-Encoding, Connection, Cookie]
                """))).containsExactly(
                "strangler.yaml:9: routes[0] (posts).request-headers.set.Content-Length: Content-Length frames the message "
                        + "or the connection, and Strangler sets it from what it sends; a rule changing it would let the "
                        + "backend read the body differently from how it was sent; remove the rule",
                "strangler.yaml:10: routes[0] (posts).request-headers.remove: Transfer-Encoding frames the message or the "
                        + "connection, and Strangler sets it from what it sends; a rule changing it would let the backend "
                        + "read the body differently from how it was sent; remove the rule",
                "strangler.yaml:10: routes[0] (posts).request-headers.remove: Connection frames the message or the "
                        + "connection, and Strangler sets it from what it sends; a rule changing it would let the backend "
                        + "read the body differently from how it was sent; remove the rule");
    }

    @Test
    void aBackendAtStranglersOwnAddressIsRefusedBecauseRequestsWouldLoop() {
        assertThat(errorsOf("""
                listen: 0.0.0.0:8080
                admin: { listen: 127.0.0.1:9090 }
                monolith: { url: "http://localhost:8080" }
                services:
                  posts: { url: "http://127.0.0.1:9090/api" }
                  users: { url: "http://10.1.2.3:8080" }
                """)).containsExactly(
                "strangler.yaml:3: monolith.url: \"http://localhost:8080\" is Strangler's own address (0.0.0.0:8080): every "
                        + "request would be sent back to Strangler, again and again; give the backend's own address",
                "strangler.yaml:5: services.posts.url: \"http://127.0.0.1:9090/api\" is Strangler's own address "
                        + "(127.0.0.1:9090): every request would be sent back to Strangler, again and again; give the "
                        + "backend's own address");
    }

    @Test
    void theAdminPortCannotShareTheUserPortUnderAnotherNameForTheSameAddress() {
        assertThat(errorsOf("""
                listen: localhost:8080
                admin: { listen: 127.0.0.1:8080 }
                monolith: { url: http://127.0.0.1:8081 }
                """)).singleElement().asString().startsWith("strangler.yaml:2: admin.listen: 127.0.0.1:8080 is the address "
                + "user traffic listens on (localhost:8080)");
    }

    @Test
    void aPostgresStoreUrlWithAPortOutOfRangeIsRefusedWithThePasswordHidden() {
        assertThat(errorsOf("""
                store: { url: "jdbc:postgresql://db1:5432,db2:99999/strangler?user=s&password=hunter2" }
                monolith: { url: http://127.0.0.1:8081 }
                """)).containsExactly("strangler.yaml:1: store.url: jdbc:postgresql://db1:5432,db2:99999/strangler?user=s"
                + "&password=***: port \"99999\" of db2 is not 1..65535");
    }

    @Test
    void aStickyHeaderOrCookieNameNoClientCouldSendIsRefused() {
        assertThat(errorsOf(withRoute("    sticky: \"cookie:user id\"\n"))).containsExactly(
                "strangler.yaml:8: routes[0] (posts).sticky: \"cookie:user id\" names no header or cookie a client could "
                        + "send (a name is letters, digits and !#$%&'*+.^_`|~-, no spaces)");
    }
}
