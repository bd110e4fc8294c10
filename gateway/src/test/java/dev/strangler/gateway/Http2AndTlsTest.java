package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.Stage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire protocols a user or a backend may speak: HTTP/2 in clear text, TLS with ALPN, https backends. */
class Http2AndTlsTest {
    private static final List<Route> POSTS_RETIRED =
            List.of(Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.RETIRED));

    /** Made once: an RSA key pair takes about a second on a small machine. */
    private static TestCertificate certificate;
    private static TestCertificate otherCertificate;

    @BeforeAll
    static void createCertificates() {
        certificate = TestCertificate.create();
        otherCertificate = TestCertificate.create();
    }

    /** A response as a test reads it: the protocol it came over, its status, headers and body. */
    private record Answer(HttpVersion version, int status, String servedBy, String body) {}

    private static Answer viaVertx(GatewayHarness h, HttpClientOptions options, HttpMethod method, String path, String body)
            throws Exception {
        HttpClientAgent client = h.vertx.createHttpClient(options);
        try {
            return client.request(method, h.gateway.port(), "127.0.0.1", path)
                    .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                    .compose((HttpClientResponse r) -> r.body().map(b ->
                            new Answer(r.version(), r.statusCode(), r.getHeader("X-Served-By"), b.toString())))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    private static HttpResponse<String> viaJdk(GatewayHarness h, HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(h.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The posts service over https, trusting {@code trusted} (the JVM's trust store when empty). */
    private static GatewayHarness.ConfigSource httpsPosts(Optional<Path> trusted) {
        return (monolith, service) -> GatewayConfig.of(Backend.of(Backend.MONOLITH, monolith.url()),
                // A first TLS handshake in a cold JVM on a loaded 2-core machine took over the default 2 s (a 502).
                Map.of("posts", new Backend("posts", List.of(service.url()), Duration.ofSeconds(10), Defaults.RESPONSE_TIMEOUT,
                        Defaults.MAX_CONNECTIONS, trusted)),
                POSTS_RETIRED);
    }

    @Test
    void aClientsXStranglerRefusedHeaderOverHttp2IsForwardedAsAnOrdinaryHeaderNotTakenForARefusal() throws Exception {
        try (var h = new GatewayHarness(POSTS_RETIRED)) {
            HttpClientAgent client = h.vertx.createHttpClient(
                    new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            try {
                // The guard's refusals never travel in a header: this one is just a header.
                int status = client.request(HttpMethod.GET, h.gateway.port(), "127.0.0.1", "/api/users/1")
                        .compose(req -> req.putHeader("x-strangler-refused", "503 bad-chunk").send())
                        .compose(r -> r.body().map(b -> r.statusCode()))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(status).isEqualTo(200);
            } finally {
                client.close();
            }
            assertThat(h.monolith.next().headers()).containsEntry("X-Strangler-Refused", "503 bad-chunk");
            assertThat(h.nextOutcome().status()).isEqualTo(200);
        }
    }

    @Test
    void http2WithPriorKnowledgeReachesBothBackendsAndCarriesBodiesBothWays() throws Exception {
        try (var h = new GatewayHarness(POSTS_RETIRED)) {
            var h2c = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);

            Answer get = viaVertx(h, h2c, HttpMethod.GET, "/api/posts/1?x=1", null);
            assertThat(get.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.servedBy()).isEqualTo("posts");
            assertThat(h.nextOutcome().status()).isEqualTo(200);
            assertThat(new JsonObject(get.body()).getString("uri")).isEqualTo("/api/posts/1?x=1");

            Answer post = viaVertx(h, h2c, HttpMethod.POST, "/api/users", "hello");
            assertThat(post.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(post.servedBy()).isEqualTo("monolith");
            assertThat(new JsonObject(post.body()).getLong("bodyBytes")).isEqualTo(5);
            var received = h.monolith.next();
            assertThat(received.headers()).containsEntry("X-Forwarded-Proto", "http");
            assertThat(received.headers().containsKey("Content-Length") && received.headers().containsKey("Transfer-Encoding"))
                    .as("an HTTP/1.1 request must not carry both Content-Length and Transfer-Encoding: %s", received.headers())
                    .isFalse();
        }
    }

    @Test
    void anHttp11ClientMayUpgradeToHttp2InClearText() throws Exception {
        try (var h = new GatewayHarness(POSTS_RETIRED);
             var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            viaJdk(h, client, "/api/posts/1"); // the JDK upgrades the connection with its first request
            HttpResponse<String> r = viaJdk(h, client, "/api/posts/2");
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"backend\":\"posts\"", "\"uri\":\"/api/posts/2\"");
            // The upgraded request and the next one are recorded as what the client got, not as "client gone".
            for (int i = 0; i < 2; i++) {
                var outcome = h.nextOutcome();
                assertThat(outcome.status()).as("outcome %s", outcome).isEqualTo(200);
                assertThat(outcome.error()).as("outcome %s", outcome).isEmpty();
            }
        }
    }

    @Test
    void aTlsListenerServesHttp11AndHttp2ChosenByAlpn() throws Exception {
        try (var h = new GatewayHarness(POSTS_RETIRED, c -> c.withTls(Optional.of(certificate.tlsFiles())))) {
            for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
                try (var client = HttpClient.newBuilder().version(version).sslContext(certificate.trustingContext()).build()) {
                    HttpResponse<String> r = viaJdk(h, client, "/api/posts/1");
                    assertThat(r.uri().getScheme()).isEqualTo("https");
                    assertThat(r.version()).isEqualTo(version);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).contains("\"backend\":\"posts\"");
                    assertThat(h.service.next().headers()).as(version.name()).containsEntry("X-Forwarded-Proto", "https");
                }
            }
        }
    }

    @Test
    void anHttpsServiceIsReachedWhenItsCertificateIsTrusted() throws Exception {
        try (var h = GatewayHarness.withHttpsService(certificate, httpsPosts(Optional.of(certificate.certificate())))) {
            assertThat(h.service.url().getScheme()).isEqualTo("https");
            HttpResponse<String> r = h.get("/api/posts/7");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).hasValue("posts");
            assertThat(h.service.next().uri()).isEqualTo("/api/posts/7");
        }
    }

    @Test
    void anHttpsServiceWithAnUntrustedCertificateAnswers502WithAProblemBodyRatherThanHanging() throws Exception {
        for (Optional<Path> trusted : List.of(Optional.of(otherCertificate.certificate()), Optional.<Path>empty())) {
            try (var h = GatewayHarness.withHttpsService(certificate, httpsPosts(trusted))) {
                // Far below the backend's 30 s response timeout: a gateway stuck on the handshake fails this.
                HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(h.uri("/api/posts/7")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String when = trusted.isPresent() ? "trusting another certificate" : "trusting the JVM's store";
                assertThat(r.statusCode()).as(when).isEqualTo(502);
                assertThat(r.headers().firstValue("Content-Type")).as(when).hasValue("application/problem+json");
                assertThat(r.body()).as(when).contains("\"status\":502", "\"route\":\"posts\"", "\"backend\":\"posts\"",
                        "backend-unreachable");
                assertThat(h.nextOutcome().error()).as(when).isEqualTo("connect-failed");
                assertThat(h.service.received).as(when).isEmpty();
            }
        }
    }
}
