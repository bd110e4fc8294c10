package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service receives, byte for byte ({@link ByteLoggingBackend}), for the shadow copy of a
 * request: a request without content goes out without framing headers (RFC 9110 §8.6: a user agent
 * should not send Content-Length in a request without content), one with content keeps its length.
 */
class ShadowCopyFramingTest {
    private static ByteLoggingBackend monolith;
    private static ByteLoggingBackend service;
    private static GatewayInFront gateway;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        monolith = ByteLoggingBackend.start();
        service = ByteLoggingBackend.start();
        Route shadow = Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(true, 64 * 1024, 8, List.of(), true, false));
        gateway = GatewayInFront.of(monolith.url().toString(), service.url().toString(), List.of(shadow), c -> c);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        monolith.close();
        service.close();
    }

    /** Sends {@code request} and returns the bytes the service and the monolith received for it, once both answered. */
    private static Received copiesOf(HttpRequest request) throws Exception {
        // per connection: the user's request and the noise check's copy reach the monolith at once
        Map<ByteLoggingBackend.Connection, Integer> toService = service.mark();
        Map<ByteLoggingBackend.Connection, Integer> toMonolith = monolith.mark();
        int serviceAnswered = service.answered();
        // the user's request and the noise check's second copy
        int monolithAnswered = monolith.answered();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        service.awaitAnswered(serviceAnswered + 1, Duration.ofSeconds(5));
        monolith.awaitAnswered(monolithAnswered + 2, Duration.ofSeconds(5));
        return new Received(service.receivedSince(toService), monolith.receivedSince(toMonolith));
    }

    private record Received(String byService, String byMonolith) {}

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.gateway.port() + path);
    }

    @Test
    void theCopiesOfAGetCarryNeitherContentLengthNorTransferEncoding() throws Exception {
        Received got = copiesOf(HttpRequest.newBuilder(uri("/api/posts/1")).GET().build());

        assertThat(got.byService()).startsWith("GET /api/posts/1 HTTP/1.1\r\n").containsIgnoringCase("\r\nx-strangler-shadow: true\r\n")
                .endsWith("\r\n\r\n");
        assertThat(got.byService().toLowerCase()).doesNotContain("content-length").doesNotContain("transfer-encoding");
        // the user's request and the noise check's copy, both without framing
        assertThat(got.byMonolith().split("GET /api/posts/1 HTTP/1.1\r\n", -1)).hasSize(3);
        assertThat(got.byMonolith().toLowerCase()).doesNotContain("content-length").doesNotContain("transfer-encoding");
        // the noise check's copy is marked as a shadow, the user's request is not
        assertThat(got.byMonolith().split("\r\nX-Strangler-Shadow: true\r\n", -1)).hasSize(2);
    }

    @Test
    void theCopyOfAGetUpgradedToHttp2CarriesNoFramingEither() throws Exception {
        // After an h2c upgrade the request is an HTTP/2 stream whose end is seen after its head.
        try (HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            int serviceAnswered = service.answered();
            int toService = service.allReceived().length();
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(uri("/api/posts/2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            service.awaitAnswered(serviceAnswered + 1, Duration.ofSeconds(5));

            String copy = service.allReceived().substring(toService);
            assertThat(copy).startsWith("GET /api/posts/2 HTTP/1.1\r\n").endsWith("\r\n\r\n");
            assertThat(copy.toLowerCase()).doesNotContain("content-length").doesNotContain("transfer-encoding");
        }
    }

    @Test
    void theCopyOfAPostCarriesItsBodyWithItsLength() throws Exception {
        Received got = copiesOf(HttpRequest.newBuilder(uri("/api/posts"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"x\"}")).build());

        assertThat(got.byService()).startsWith("POST /api/posts HTTP/1.1\r\n").containsIgnoringCase("\r\ncontent-length: 13\r\n")
                .endsWith("\r\n\r\n{\"title\":\"x\"}");
        assertThat(got.byService().toLowerCase()).doesNotContain("transfer-encoding");
        // The kept body is shared by every leg, whichever is sent first: the user's request and the
        // noise check's copy each reach the monolith with all of it.
        assertThat(got.byMonolith().split("\r\n\r\n\\{\"title\":\"x\"}", -1)).as("two whole bodies").hasSize(3);
    }
}
