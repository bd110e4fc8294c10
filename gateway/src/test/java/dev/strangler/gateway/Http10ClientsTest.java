package dev.strangler.gateway;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.0 clients have no chunked coding (RFC 9112 §6.1 forbids sending it to them), so a response
 * whose length the backend did not give can only be delimited by closing the connection (RFC 9112
 * §6.3, rule 8) — even when the client asked to keep it alive.
 */
class Http10ClientsTest {

    /** A backend that answers with a body delimited by its own close, in two writes. */
    private static ScriptedBackend closeDelimited() throws Exception {
        return ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nfirst part, ");
            Thread.sleep(50);
            c.write("second part");
            c.close();
        });
    }

    @Test
    void aKeepAliveHttp10ClientGetsABodyOfUnknownLengthEndedByTheGatewayClosingTheConnection() throws Exception {
        try (var backend = closeDelimited();
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.0\r\nHost: shop\r\nConnection: keep-alive\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.0 200").endsWith("\r\n\r\nfirst part, second part");
            String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
            assertThat(head).doesNotContain("transfer-encoding").doesNotContain("keep-alive").contains("connection: close");
        }
    }

    @Test
    void aKeepAliveHttp10ClientGetsAChunkedBackendBodyDecodedAndEndedByTheClose() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 while (true) {
                     c.readHead();
                     c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
                 }
             });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.0\r\nHost: shop\r\nConnection: keep-alive\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.0 200").endsWith("\r\n\r\nhello world");
            assertThat(response.toLowerCase()).doesNotContain("transfer-encoding").contains("connection: close");
        }
    }

    @Test
    void withDebugHeadersTheClosedResponseStillNamesItsRouteAndStage() throws Exception {
        Route report = Route.of("report", RouteMatch.path("/report"), "posts");
        try (var backend = closeDelimited();
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(report), c -> c.withDebugHeaders(true));
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.0\r\nHost: shop\r\nConnection: keep-alive\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).endsWith("\r\n\r\nfirst part, second part");
            assertThat(response.toLowerCase()).contains("connection: close", "x-strangler-route: report", "x-strangler-stage: monolith")
                    .doesNotContain("keep-alive");
        }
    }

    @Test
    void anHttp10ClientWithoutKeepAliveGetsTheWholeBodyAndTheClose() throws Exception {
        try (var backend = closeDelimited();
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.0\r\nHost: shop\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.0 200").endsWith("\r\n\r\nfirst part, second part");
            assertThat(response.toLowerCase()).doesNotContain("transfer-encoding");
        }
    }

    @Test
    void aKeepAliveHttp10ClientKeepsItsConnectionWhenTheBackendGaveALength() throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            for (int i = 0; i < 2; i++) {
                write(client, "GET /a HTTP/1.0\r\nHost: shop\r\nConnection: keep-alive\r\n\r\n");
                String head = GatewayInFront.readHead(client);
                assertThat(head).startsWith("HTTP/1.0 200").containsIgnoringCase("content-length: 2");
                assertThat(GatewayInFront.readBytes(client, 2)).isEqualTo("ok");
            }
        }
    }
}
