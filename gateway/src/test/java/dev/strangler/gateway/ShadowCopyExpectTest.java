package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service and the monolith receive ({@link ByteLoggingBackend}, byte for byte) for the copies of
 * a shadowed request whose client expected {@code 100-continue}. The gateway reads a shadowed body
 * itself (it answers the client's expectation), so the expectation stops there: the copies go with
 * their body at once and ask no backend for a go-ahead, as the user's own request does not.
 */
class ShadowCopyExpectTest {
    @Test
    void theCopiesOfAPostThatExpectedContinueCarryNoExpectation() throws Exception {
        try (var monolith = ByteLoggingBackend.start();
             var service = ByteLoggingBackend.start();
             var gateway = GatewayInFront.of(monolith.url().toString(), service.url().toString(), List.of(
                     Route.of("posts", RouteMatch.path("/api/posts/**"), "posts").withStage(Stage.SHADOW)
                             .withShadow(new ShadowSettings(true, 64 * 1024, 8, List.of(), true, false))), c -> c);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.gateway.port() + "/api/posts"))
                    .expectContinue(true).POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"x\"}")).build();

            HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            service.awaitAnswered(1, Duration.ofSeconds(5));
            monolith.awaitAnswered(2, Duration.ofSeconds(5)); // the user's request and the noise check's copy
            assertThat(service.allReceived()).startsWith("POST /api/posts HTTP/1.1\r\n").endsWith("\r\n\r\n{\"title\":\"x\"}");
            assertThat(service.allReceived().toLowerCase()).doesNotContain("\r\nexpect:");
            assertThat(monolith.allReceived().toLowerCase()).doesNotContain("\r\nexpect:");
            assertThat(monolith.allReceived().split("\\{\"title\":\"x\"}", -1)).as("both bodies whole").hasSize(3);
        }
    }
}
