package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.gateway.observe.Failure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend's {@code response-timeout} is also the longest pause inside its response body (README,
 * the backend's keys), on both backend clients: a body that stalls past it reaches the client broken
 * off — never ended as if it were whole — and is logged as a response timeout; a body that keeps
 * coming, however slowly, or that waits for a slow client, is never cut off. Each case runs over the
 * lean client ({@code lean = true}) and over Vert.x's ({@code -Dstrangler.lean-backend=false},
 * read when a gateway starts).
 */
class StalledBodyTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private static GatewayInFront gateway(ScriptedBackend backend, boolean lean) throws Exception {
        return BackendClient.of(lean).start(() -> GatewayInFront.of(backend.url(), backend.url(), List.of(),
                c -> new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith().withResponseTimeout(TIMEOUT),
                        Map.<String, Backend>of(), c.routes(), c.accessLog(), c.drainTimeout(), c.controllerInterval(), c.catalog(),
                        c.client(), c.debugHeaders())));
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aBodyEndedByTheBackendsCloseThatStallsPastTheResponseTimeoutReachesTheClientBrokenOffNotEnded(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\npartial");
                 c.awaitPeerClosed(Duration.ofSeconds(10)); // then nothing more, and no close of its own
             });
             var g = gateway(backend, lean);
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.1\r\nHost: shop\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked").contains("partial");
            assertThat(response).as("no last chunk: the client must not take the stalled body for a whole one").doesNotEndWith("0\r\n\r\n");
            assertThat(g.nextOutcome().failure()).contains(Failure.RESPONSE_TIMEOUT);
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aChunkedBodyThatStallsPastTheResponseTimeoutReachesTheClientBrokenOffNotEnded(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n");
                 c.awaitPeerClosed(Duration.ofSeconds(10));
             });
             var g = gateway(backend, lean);
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.1\r\nHost: shop\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 200").contains("partial").doesNotEndWith("0\r\n\r\n");
            assertThat(g.nextOutcome().failure()).contains(Failure.RESPONSE_TIMEOUT);
            assertThat(backend.conversation(0).awaitPeerClosed(Duration.ofSeconds(5))).as("the stalled connection is closed").isTrue();
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aBodyEndedByTheBackendsCloseThatIsResetMidwayReachesTheClientBrokenOffAsTruncated(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial");
                 Thread.sleep(100);
                 c.reset();
             });
             var g = gateway(backend, lean);
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.1\r\nHost: shop\r\n\r\n");
            String response = readToClose(client, Duration.ofSeconds(5));
            assertThat(response).startsWith("HTTP/1.1 200").contains("partial").doesNotEndWith("0\r\n\r\n");
            assertThat(g.nextOutcome().failure()).contains(Failure.TRUNCATED_RESPONSE);
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aHeadThatStallsHalfwayPastTheResponseTimeoutIsAResponseTimeout(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 200 OK\r\nContent-Ty");
                 c.awaitPeerClosed(Duration.ofSeconds(10));
             });
             var g = gateway(backend, lean);
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 504");
            assertThat(g.nextOutcome().failure()).contains(Failure.RESPONSE_TIMEOUT);
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aBodyWhosePartsComeSlowerThanTheTimeoutInAllButEachWithinItIsRelayedWhole(boolean lean) throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n");
                 for (int i = 0; i < 6; i++) { // 6 × 150 ms: three times the timeout in all
                     Thread.sleep(150);
                     c.write(String.valueOf(i));
                 }
             });
             var g = gateway(backend, lean);
             Socket client = g.connect()) {
            write(client, "GET /slow HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 6)).isEqualTo("012345");
            assertThat(g.nextOutcome().failure()).isEmpty();
        }
    }

    @ParameterizedTest(name = "lean client: {0}")
    @ValueSource(booleans = {true, false})
    void aClientThatReadsSlowerThanTheTimeoutGetsTheWholeBody(boolean lean) throws Exception {
        int size = 16 * 1024 * 1024; // far beyond the socket buffers: the backend must wait for the client
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try (var backend = ScriptedBackend.start(c -> {
                 c.readHead();
                 c.write("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n");
                 c.writeRepeated(chunk, size, new java.util.concurrent.atomic.AtomicLong());
             });
             var g = gateway(backend, lean);
             Socket client = g.connect()) {
            write(client, "GET /big HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            Thread.sleep(3 * TIMEOUT.toMillis()); // the client reads nothing for three timeouts
            long read = 0;
            byte[] buf = new byte[256 * 1024];
            while (read < size) {
                int n = client.getInputStream().read(buf);
                assertThat(n).as("the body broke off after " + read + " of " + size + " bytes").isPositive();
                read += n;
                if (read < size / 2) Thread.sleep(1); // and then reads slowly for a while
            }
            assertThat(read).isEqualTo(size);
            assertThat(g.nextOutcome().failure()).isEmpty();
        }
    }
}
