package dev.strangler.gateway;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import java.net.Socket;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.readToClose;
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

    /**
     * The lines are read where they are used, not joined beforehand: a name on several lines, in
     * other cases, between empty list elements ({@code ,x-a,}), each still names a header to drop.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BackendClient.class)
    void aNameRepeatedAcrossConnectionLinesInAnyCaseAndAmongEmptyElementsNeverReachesTheBackend(BackendClient backendClient)
            throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = backendClient.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "GET /a HTTP/1.1\r\nHost: shop\r\nConnection: ,x-a,\r\nX-A: 1\r\nconnection: X-A, KEEP-ALIVE\r\n"
                    + "x-b: 2\r\nCONNECTION: , X-b ,\r\nX-Kept: k\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            assertThat(backend.conversation(0).received()).startsWith("GET /a HTTP/1.1\r\n").containsIgnoringCase("x-kept: k\r\n")
                    .doesNotContainIgnoringCase("x-a:").doesNotContainIgnoringCase("x-b:").doesNotContainIgnoringCase("connection");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BackendClient.class)
    void aNameRepeatedAcrossConnectionLinesOfAResponseInAnyCaseAndAmongEmptyElementsNeverReachesTheClient(BackendClient backendClient)
            throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answeringAfterTheBody(
                "HTTP/1.1 200 OK\r\nConnection: ,x-a,\r\nX-A: 1\r\nconnection: X-A, KEEP-ALIVE\r\nx-b: 2\r\n"
                        + "CONNECTION: , X-b ,\r\nX-Kept: k\r\nContent-Length: 5\r\n\r\nhello"));
             var g = backendClient.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "GET /a HTTP/1.1\r\nHost: shop\r\n\r\n");
            String head = readHead(client);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("x-kept: k\r\n").containsIgnoringCase("content-length: 5\r\n")
                    .doesNotContainIgnoringCase("x-a:").doesNotContainIgnoringCase("x-b:").doesNotContainIgnoringCase("connection");
            assertThat(readBytes(client, 5)).isEqualTo("hello");
        }
    }

    /** A client's {@code close} on a later line is heard: the answer says so and the connection ends after it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BackendClient.class)
    void aClientsCloseOnALaterConnectionLineClosesItsConnectionAfterTheAnswer(BackendClient backendClient) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = backendClient.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "GET /a HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive\r\nConnection: X-Trace, Close\r\nX-Trace: t\r\n\r\n");
            String answer = readToClose(client, Duration.ofSeconds(10));
            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close\r\n").endsWith("\r\n\r\nok");
            assertThat(backend.conversation(0).received()).doesNotContainIgnoringCase("x-trace");
        }
    }

    /** An {@code X-Forwarded-For} a later line names is the client's hop's alone: the backend gets the gateway's own, not an append to it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(BackendClient.class)
    void anXForwardedForNamedOnALaterConnectionLineIsNotAppendedTo(BackendClient backendClient) throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answering("ok"));
             var g = backendClient.start(() -> GatewayInFront.of(backend.url(), List.of()));
             Socket client = g.connect()) {
            write(client, "GET /a HTTP/1.1\r\nHost: shop\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: keep-alive\r\n"
                    + "Connection: x-forwarded-for\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            assertThat(backend.conversation(0).received()).containsIgnoringCase("x-forwarded-for: 127.0.0.1\r\n")
                    .doesNotContain("203.0.113.9");
        }
    }

    /** An upgrade whose {@code Upgrade} token is on a later line is still an upgrade (RFC 9110 §7.8): tunnelled, the pair put back. */
    @org.junit.jupiter.api.Test
    void anUpgradeNamedOnALaterConnectionLineIsTunnelled() throws Exception {
        try (var monolith = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
                 c.write("pong:" + c.readBytes(4));
             });
             var g = GatewayInFront.of(monolith.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /live HTTP/1.1\r\nHost: shop\r\nUpgrade: websocket\r\nConnection: keep-alive\r\n"
                    + "Connection: X-Trace, upgrade\r\nX-Trace: t\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 101");
            write(client, "ping");
            assertThat(readBytes(client, 9)).isEqualTo("pong:ping");
            assertThat(monolith.conversation(0).received()).startsWith("GET /live HTTP/1.1\r\n")
                    .contains("upgrade: websocket\r\nconnection: Upgrade\r\n").doesNotContainIgnoringCase("x-trace")
                    .endsWith("\r\n\r\nping");
        }
    }
}
