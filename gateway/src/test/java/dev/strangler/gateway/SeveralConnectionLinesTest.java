package dev.strangler.gateway;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several {@code Connection} field lines in one message are one comma-separated list (RFC 9110
 * §5.3, §7.6.1): a header named in any of them is hop-by-hop and stays on its hop, in both
 * directions and over both backend clients (the lean one carries bodiless requests, Vert.x's the
 * rest; {@code lean = false} makes Vert.x's carry all). Reading only the first line let a client's or
 * a backend's connection-only header through to the other side. {@code Content-Length} stays what
 * frames the message, whichever line names it ({@link ConnectionNamedFramingTest}).
 */
class SeveralConnectionLinesTest {

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aHeaderNamedInALaterConnectionLineOfARequestNeverReachesTheBackend(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "GET /a HTTP/1.1\r\nHost: shop\r\nX-Secret: early\r\nConnection: keep-alive\r\n"
                    + "Connection: X-Secret, X-Other\r\nX-Other: late\r\nX-Kept: k\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            assertThat(backend.conversation(0).received()).startsWith("GET /a HTTP/1.1\r\n").containsIgnoringCase("x-kept: k\r\n")
                    .doesNotContainIgnoringCase("x-secret").doesNotContainIgnoringCase("x-other");
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aPostWhoseLaterConnectionLineNamesContentLengthAndAHeaderKeepsItsBodyAndDropsTheHeader(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answeringAfterTheBody("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "POST /orders HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive\r\nConnection: Content-Length, X-Secret\r\n"
                    + "X-Secret: s\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            assertThat(backend.conversation(0).received()).startsWith("POST /orders HTTP/1.1\r\n")
                    .containsIgnoringCase("content-length: 5\r\n").doesNotContainIgnoringCase("x-secret").endsWith("\r\n\r\nhello");
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aHeaderNamedInALaterConnectionLineOfAResponseNeverReachesTheClient(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answeringAfterTheBody(
                "HTTP/1.1 200 OK\r\nX-Backend-Secret: early\r\nConnection: keep-alive\r\nConnection: X-Backend-Secret\r\n"
                        + "Connection: Content-Length, X-Other\r\nX-Other: late\r\nX-Kept: k\r\nContent-Length: 5\r\n\r\nhello"));
             var g = BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            for (String request : List.of("GET /a HTTP/1.1\r\nHost: shop\r\n\r\n", // the lean client when it is on
                    "POST /b HTTP/1.1\r\nHost: shop\r\nContent-Length: 1\r\n\r\nx")) { // Vert.x's client
                write(client, request);
                String head = readHead(client);
                assertThat(head).as(request).startsWith("HTTP/1.1 200").containsIgnoringCase("x-kept: k\r\n")
                        .containsIgnoringCase("content-length: 5\r\n")
                        .doesNotContainIgnoringCase("x-backend-secret").doesNotContainIgnoringCase("x-other");
                assertThat(readBytes(client, 5)).as(request).isEqualTo("hello");
            }
        }
    }
}
