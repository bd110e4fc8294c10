package dev.strangler.gateway;

import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code Connection} header that names a framing field ({@code Content-Length}): each hop frames its
 * message itself, so the field that frames this hop's message is never dropped as if it were a
 * connection option (RFC 9110 §7.6.1 says such an option must not be sent; NGINX ignores the listed
 * names altogether). Dropping it lost the body or sent a bodiless request ahead of the body.
 */
class ConnectionNamedFramingTest {

    @Test
    void aPostWhoseConnectionHeaderNamesContentLengthReachesTheBackendWithItsWholeBody() throws Exception {
        try (var backend = ScriptedBackend.start(ScriptedBackend.answeringAfterTheBody("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "POST /orders HTTP/1.1\r\nHost: shop\r\nConnection: keep-alive, Content-Length\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");
            String received = backend.conversation(0).received();
            assertThat(received).startsWith("POST /orders HTTP/1.1\r\n").containsIgnoringCase("content-length: 5\r\n").endsWith("\r\n\r\nhello");
        }
    }

    @Test
    void aResponseWhoseConnectionHeaderNamesContentLengthReachesTheClientWithItsWholeBody() throws Exception {
        try (var backend = ScriptedBackend.start(
                ScriptedBackend.answeringAfterTheBody("HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\nhello"));
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            for (String request : List.of("GET /a HTTP/1.1\r\nHost: shop\r\n\r\n", // the lean client
                    "POST /b HTTP/1.1\r\nHost: shop\r\nContent-Length: 1\r\n\r\nx")) { // Vert.x's client
                write(client, request);
                String head = readHead(client);
                assertThat(head).as(request).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 5\r\n");
                assertThat(readBytes(client, 5)).as(request).isEqualTo("hello");
            }
        }
    }
}
