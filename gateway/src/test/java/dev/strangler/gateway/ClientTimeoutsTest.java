package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.ClientTimeouts;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.gateway.observe.Failure;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 items 7 and 8: slow or idle clients cannot hold connections for ever, and the backend's
 * response timeout starts only once the whole request has been sent.
 */
class ClientTimeoutsTest {
    private static UnaryOperator<GatewayConfig> timeouts(Duration header, Duration idle, Duration bodyIdle) {
        return c -> c.withClientTimeouts(new ClientTimeouts(header, idle, bodyIdle));
    }

    /** Reads one request with its Content-Length body and answers 200 with the number of body bytes. */
    private static final ScriptedBackend.Script COUNT_BODY = c -> {
        while (true) {
            String head = c.readHead();
            int length = 0;
            for (String line : head.split("\r\n"))
                if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            String body = c.readBytes(length);
            String answer = String.valueOf(body.length());
            c.write("HTTP/1.1 200 OK\r\ncontent-length: " + answer.length() + "\r\n\r\n" + answer);
        }
    };

    @Test
    void aClientTricklingItsFirstHeadIsClosedAfterTheHeaderTimeout() throws Exception {
        try (var backend = ScriptedBackend.start(COUNT_BODY);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(), c -> c.withClientTimeouts(
                     new ClientTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30), Duration.ofSeconds(30), false)));
             Socket slowloris = g.connect()) {
            assertSlowlorisIsClosed(slowloris);
            assertThat(backend.conversations()).as("nothing reached the backend").isEmpty();
        }
    }

    @Test
    void aClientTricklingItsFirstHeadIsClosedAfterTheHeaderTimeoutAlsoWhereTheListenerSpeaksH2c() throws Exception {
        // With cleartext HTTP/2 on (the default), Vert.x takes a connection over only once its first
        // head is whole: the deadline from accept (GuardedListener.FirstHeadDeadline) covers that head.
        try (var backend = ScriptedBackend.start(COUNT_BODY);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(), c -> c.withClientTimeouts(
                     new ClientTimeouts(Duration.ofMillis(300), Duration.ofSeconds(30), Duration.ofSeconds(30), true)));
             Socket slowloris = g.connect()) {
            assertSlowlorisIsClosed(slowloris);
            assertThat(backend.conversations()).as("nothing reached the backend").isEmpty();
        }
    }

    @Test
    void aClientTricklingItsNextHeadOnAKeptAliveConnectionIsClosedAfterIdlePlusHeaderTimeout() throws Exception {
        try (var backend = ScriptedBackend.start(COUNT_BODY);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(),
                     timeouts(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(30)));
             Socket slowloris = g.connect()) {
            write(slowloris, "GET /first HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(slowloris)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(slowloris, 1)).isEqualTo("0");
            assertSlowlorisIsClosed(slowloris);
            assertThat(backend.conversation(0).received()).doesNotContain("X-Slow");
        }
    }

    /** Trickles a head, a header line every 50 ms, and expects the gateway to close the connection within 5 s. */
    private static void assertSlowlorisIsClosed(Socket slowloris) throws Exception {
        long start = System.nanoTime();
        write(slowloris, "GET / HTTP/1.1\r\nHost: shop\r\n");
        boolean closed = false;
        // A header line every 50 ms keeps the connection busy, so only a head deadline can end it.
        for (int i = 0; i < 200 && !closed; i++) {
            try {
                write(slowloris, "X-Slow-" + i + ": a\r\n");
                Thread.sleep(50);
            } catch (java.io.IOException e) {
                closed = true;
            }
        }
        if (!closed) readToClose(slowloris, Duration.ofSeconds(1));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMillis).as("closed soon after the header timeout").isLessThan(5_000);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (var backend = ScriptedBackend.start(COUNT_BODY);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(),
                     timeouts(Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofSeconds(30)));
             Socket client = g.connect()) {
            write(client, "GET / HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 1)).isEqualTo("0");
            long start = System.nanoTime();
            assertThat(readToClose(client, Duration.ofSeconds(5))).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void aSlowUploadThatKeepsProgressingOutlivesTheBackendsResponseTimeout() throws Exception {
        // The monolith's response timeout is 300 ms; the upload takes about 1 s in ten parts.
        try (var backend = ScriptedBackend.start(COUNT_BODY);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(), c -> new GatewayConfig(c.source(), c.listen(),
                     c.tls(), c.admin(), c.storeUrl(), c.monolith().withResponseTimeout(Duration.ofMillis(300)), c.services(),
                     c.routes(), c.accessLog(), c.drainTimeout(), c.controllerInterval(), c.catalog(),
                     new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2))));
             Socket client = g.connect()) {
            write(client, "POST /upload HTTP/1.1\r\nHost: shop\r\nContent-Length: 1000\r\n\r\n");
            for (int i = 0; i < 10; i++) {
                write(client, "x".repeat(100));
                Thread.sleep(100); // the client's pace: what is under test
            }
            assertThat(readHead(client)).startsWith("HTTP/1.1 200");
            assertThat(readBytes(client, 4)).isEqualTo("1000");
            String received = backend.conversation(0).received();
            assertThat(received).endsWith("\r\n\r\n" + "x".repeat(1000));
        }
    }

    @Test
    void anUploadThatStallsIsAnswered408AndTheBackendRequestIsReset() throws Exception {
        try (var backend = ScriptedBackend.start(COUNT_BODY);
             var g = GatewayInFront.of(backend.url(), backend.url(), List.of(),
                     timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(300)));
             Socket client = g.connect()) {
            write(client, "POST /upload HTTP/1.1\r\nHost: shop\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100));
            String answer = readToClose(client, Duration.ofSeconds(5));

            assertThat(answer).startsWith("HTTP/1.1 408").contains("request-body-timeout");
            ScriptedBackend.Conversation c = backend.conversation(0);
            assertThat(c.awaitPeerClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(c.received()).endsWith("\r\n\r\n" + "x".repeat(100));
            assertThat(g.nextOutcome().failure()).contains(Failure.CLIENT_BODY_TIMEOUT);
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ClientTimeouts d = GatewayConfig.of(Backend.of("monolith", java.net.URI.create("http://127.0.0.1:1")), java.util.Map.of(),
                List.of()).client();
        assertThat(d).isEqualTo(new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30)));
    }
}
