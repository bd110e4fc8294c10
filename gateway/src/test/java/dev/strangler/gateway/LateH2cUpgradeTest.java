package dev.strangler.gateway;

import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@code Upgrade: h2c} offer on a request that is not the first of a keep-alive HTTP/1.1 connection
 * (Java's HttpClient sends one when it reuses such a connection for a request of its default HTTP/2
 * version). Vert.x's server takes h2c only on a connection's first request, so this one is answered in
 * HTTP/1.1; the offer is hop by hop and must never reach a backend as an upgrade (a tunnel): the backend
 * that received it, answering a plain 200, left the route's later requests hanging (504).
 */
class LateH2cUpgradeTest {
    @Test
    void anH2cOfferOnALaterRequestReachesTheBackendAsAPlainRequestAndTheConnectionStaysUsable() throws Exception {
        try (var backend = ByteLoggingBackend.start();
             var g = GatewayInFront.of(backend.url().toString(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");

            write(client, "GET /second HTTP/1.1\r\nHost: shop\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");

            write(client, "GET /third HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 2)).isEqualTo("ok");

            backend.awaitAnswered(3, Duration.ofSeconds(5));
            String received = backend.allReceived();
            String second = received.substring(received.indexOf("GET /second"), received.indexOf("GET /third"));
            assertThat(second.toLowerCase()).as("the offer is hop by hop")
                    .doesNotContain("upgrade").doesNotContain("http2-settings").doesNotContain("\r\nconnection:");
            assertThat(second).endsWith("\r\n\r\n");
        }
    }
}
