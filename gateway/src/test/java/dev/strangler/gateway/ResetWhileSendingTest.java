package dev.strangler.gateway;

import dev.strangler.gateway.observe.Failure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend that dies while the request's body is being sent (a service killed mid-request): the
 * failed end of the upload is the backend's failure, not the client's, so the user is answered at once.
 * Before, the request hung until the client gave up: the upload's failure hid the response's.
 */
class ResetWhileSendingTest {
    @Test
    void aWriteToABackendThatResetsTheConnectionIsAnswered502AtOnce() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!backend.isClosed()) {
                    try (Socket s = backend.accept()) {
                        InputStream in = s.getInputStream();
                        in.read(new byte[8192]);
                        s.setSoLinger(true, 0); // RST on close
                    } catch (IOException e) {
                        // closed by the test
                    }
                }
            });
            try (var g = GatewayInFront.of("http://127.0.0.1:" + backend.getLocalPort(), List.of());
                 Socket client = g.connect()) {
                client.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
                long start = System.nanoTime();
                write(client, "POST /orders HTTP/1.1\r\nHost: shop\r\ncontent-length: 7\r\n\r\n{\"n\":1}");

                assertThat(readHead(client)).startsWith("HTTP/1.1 502");
                assertThat((System.nanoTime() - start) / 1_000_000).as("at once, not after a timeout").isLessThan(3_000);
                assertThat(g.nextOutcome().failure()).contains(Failure.RESET_BY_BACKEND);
            }
        }
    }
}
