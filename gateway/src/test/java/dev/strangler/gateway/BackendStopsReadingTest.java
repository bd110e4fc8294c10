package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.observe.Failure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static dev.strangler.gateway.GatewayInFront.readHead;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend that takes a request's head and then none of its body, and never answers. The gateway must
 * not wait for it forever (the body's last bytes never taken, its response timeout never started), nor
 * blame the client, whose body keeps coming until the gateway stops reading it: the backend's
 * {@code response-timeout} bounds its pause in taking the body as it bounds its pause in answering
 * (NGINX: {@code proxy_send_timeout}, 504).
 */
class BackendStopsReadingTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final int BODY_BYTES = 32 * 1024 * 1024; // far beyond the socket buffers on both sides
    /** A body held whole (the tests' heap is small): still beyond the socket buffers between gateway and backend. */
    private static final int KEPT_BODY_BYTES = 12 * 1024 * 1024;

    /**
     * Reads the head of the first connection's request, then nothing more, and says nothing on it; answers
     * {@code 200 ok} on every later connection.
     */
    private static final class NotReadingBackend implements AutoCloseable {
        final ServerSocket server = new ServerSocket();
        final CompletableFuture<String> head;
        private volatile Socket accepted;

        NotReadingBackend() throws IOException {
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            head = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = server.accept();
                    accepted = s;
                    String h = headOf(s.getInputStream());
                    Thread.ofPlatform().daemon().start(this::answerLaterConnections);
                    return h;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
        }

        private void answerLaterConnections() {
            try {
                while (true) {
                    Socket s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s) {
                            if (headOf(s.getInputStream()) == null) return;
                            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        } catch (IOException ignored) {
                            // the gateway went away
                        }
                    });
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        /** A request's head, read byte by byte so nothing after it is taken; null if the connection ends first. */
        private static String headOf(InputStream in) throws IOException {
            StringBuilder h = new StringBuilder();
            while (h.length() < 4 || h.lastIndexOf("\r\n\r\n") != h.length() - 4) {
                int c = in.read();
                if (c < 0) return null;
                h.append((char) c);
            }
            return h.toString();
        }

        /** Whether the gateway closed (or reset) the connection within {@code timeout}: what it sent is read and dropped. */
        boolean closedByTheGateway(Duration timeout) throws IOException {
            Socket s = accepted;
            s.setSoTimeout((int) timeout.toMillis());
            byte[] buf = new byte[256 * 1024];
            try {
                while (s.getInputStream().read(buf) >= 0) {
                    // what the gateway had sent before it gave up
                }
                return true;
            } catch (java.net.SocketTimeoutException stillOpen) {
                return false;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** The monolith with the short response timeout and a pool of one connection, so a connection it never gives back shows. */
    private static UnaryOperator<GatewayConfig> monolithTimeout() {
        return c -> new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), oneConnection(c.monolith().withResponseTimeout(TIMEOUT)),
                c.services(), c.routes(), c.accessLog(), c.drainTimeout(), c.controllerInterval(), c.catalog(),
                c.client(), c.debugHeaders());
    }

    private static Backend oneConnection(Backend b) {
        return new Backend(b.name(), b.urls(), b.connectTimeout(), b.responseTimeout(), 1, b.trustedCertificate(), b.outlier());
    }

    /**
     * Connections to {@code port} the kernel has as established on the connecting side, from
     * {@code /proc/net/tcp*} (Linux): one the gateway closed is in FIN-WAIT while its unsent bytes wait.
     */
    private static long establishedTo(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        long n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            java.nio.file.Path path = java.nio.file.Path.of(table);
            if (!java.nio.file.Files.isReadable(path)) continue;
            for (String line : java.nio.file.Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(hexPort) && f[3].equals("01")) n++;
            }
        }
        return n;
    }

    /** The gateway let go of the stalled connection itself: Vert.x's close waited for writes that never flush. */
    private static void closedWithoutWaitingForTheBackend(int port) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/net/tcp")),
                "needs /proc/net/tcp (Linux) to see the gateway's side of the connection");
        Eventually.eventually(Duration.ofSeconds(5), () -> assertThat(establishedTo(port))
                .as("connections the gateway still holds open to the backend that stopped reading").isZero());
    }

    /** The next request to the same backend gets a connection of its own and its answer: the stalled one was let go of. */
    private static void nextRequestIsServed(GatewayInFront g) throws IOException {
        try (Socket next = g.connect()) {
            next.getOutputStream().write("GET /health HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(answerWithin(next, Duration.ofSeconds(5))).as("the pool's one connection was given back").startsWith("HTTP/1.1 200");
        }
    }

    /** Sends the head and a body of {@code bodyBytes}, the body from a thread of its own until the gateway stops taking it. */
    private static void upload(Socket client, String path, int bodyBytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: " + bodyBytes + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Thread.ofPlatform().daemon().start(() -> {
            byte[] part = new byte[64 * 1024];
            try {
                for (int left = bodyBytes; left > 0; left -= part.length) out.write(part, 0, Math.min(left, part.length));
            } catch (IOException stoppedByTheGateway) {
                // the gateway gave up on the request and closed the connection
            }
        });
    }

    /** The answer's head, read within a bound far below the client's body idle timeout (30 s) that used to end it. */
    private static String answerWithin(Socket client, Duration bound) throws IOException {
        client.setSoTimeout((int) bound.toMillis());
        return readHead(client);
    }

    @Test
    void aStreamedUploadTheBackendStopsTakingIsAnsweredWithItsTimeoutNotTheClients() throws Exception {
        try (var backend = new NotReadingBackend();
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(), monolithTimeout());
             Socket client = g.connect()) {
            upload(client, "/upload", BODY_BYTES);
            long start = System.nanoTime();

            String head = answerWithin(client, Duration.ofSeconds(10));

            assertThat(head).startsWith("HTTP/1.1 504").containsIgnoringCase("connection: close");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(g.nextOutcome().failure()).contains(Failure.RESPONSE_TIMEOUT);
            assertThat(backend.head.get(5, TimeUnit.SECONDS)).startsWith("POST /upload HTTP/1.1");
            closedWithoutWaitingForTheBackend(backend.server.getLocalPort());
            nextRequestIsServed(g);
            assertThat(backend.closedByTheGateway(Duration.ofSeconds(5))).as("the backend's connection is closed, its request reset").isTrue();
        }
    }

    @Test
    void aKeptBodyTheBackendStopsTakingIsAnsweredWithItsTimeout() throws Exception {
        // A shadow route keeps the body to copy it: the monolith then gets it from memory, whole.
        Route shadow = Route.of("orders", RouteMatch.path("/orders/**"), "posts").withStage(Stage.SHADOW)
                .withShadow(new ShadowSettings(true, KEPT_BODY_BYTES, 64, List.of()));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // the service is down: its copy fails, the user's answer is the monolith's
        }
        try (var monolith = new NotReadingBackend();
             var g = GatewayInFront.of(monolith.url(), "http://127.0.0.1:" + closedPort, List.of(shadow), monolithTimeout());
             Socket client = g.connect()) {
            upload(client, "/orders/7", KEPT_BODY_BYTES);

            String head = answerWithin(client, Duration.ofSeconds(10));

            assertThat(head).startsWith("HTTP/1.1 504");
            assertThat(g.nextOutcome().failure()).contains(Failure.RESPONSE_TIMEOUT);
            assertThat(monolith.head.get(5, TimeUnit.SECONDS)).startsWith("POST /orders/7 HTTP/1.1")
                    .containsIgnoringCase("content-length: " + KEPT_BODY_BYTES);
            closedWithoutWaitingForTheBackend(monolith.server.getLocalPort());
            nextRequestIsServed(g);
            assertThat(monolith.closedByTheGateway(Duration.ofSeconds(5))).as("the backend's connection is closed, its request reset").isTrue();
        }
    }
}
