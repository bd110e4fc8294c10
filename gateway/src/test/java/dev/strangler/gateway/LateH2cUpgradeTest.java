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
            served(client, "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n");

            served(client, "GET /second HTTP/1.1\r\nHost: shop\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");

            served(client, "GET /third HTTP/1.1\r\nHost: shop\r\n\r\n");

            backend.awaitAnswered(3, Duration.ofSeconds(5));
            String received = backend.allReceived();
            String second = received.substring(received.indexOf("GET /second"), received.indexOf("GET /third"));
            assertThat(second.toLowerCase()).as("the offer is hop by hop")
                    .doesNotContain("upgrade").doesNotContain("http2-settings").doesNotContain("\r\nconnection:");
            assertThat(second).endsWith("\r\n\r\n");
        }
    }

    /**
     * The HTTP/2 preface opens a connection or not at all (RFC 9113 §3.3): sent after a served HTTP/1.1
     * request it is no switch to HTTP/2, on either server path, and nothing of it reaches the backend.
     */
    @Test
    void aPrefaceAfterAServedRequestIsNoSwitchToHttp2() throws Exception {
        try (var backend = ByteLoggingBackend.start();
             var g = GatewayInFront.of(backend.url().toString(), List.of());
             Socket client = g.connect()) {
            served(client, "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n");

            write(client, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
            assertThat(readHead(client)).as("an HTTP/1.1 refusal of the version, not HTTP/2 frames").startsWith("HTTP/1.1 505");

            backend.awaitAnswered(1, Duration.ofSeconds(5));
            assertThat(backend.allReceived()).contains("GET /first").doesNotContain("PRI");
        }
    }

    /** Sends {@code head} and reads the backend's answer to it in HTTP/1.1: a 200 with its body "ok". */
    private static void served(Socket client, String head) throws java.io.IOException {
        write(client, head);
        assertThat(readHead(client)).startsWith("HTTP/1.1 200");
        assertThat(readBytes(client, 2)).isEqualTo("ok");
    }
}
