package dev.strangler.control.controller;

import dev.strangler.control.testing.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The production probe against real sockets on loopback: a closed port and a listening one. */
class VertxConnectProbeTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        Await.result(vertx.close());
    }

    @Test
    void aClosedPortIsRefused() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ConnectProbe.Outcome outcome = new VertxConnectProbe(vertx).connect("127.0.0.1", closed, Duration.ofSeconds(2));

        assertThat(outcome).isEqualTo(ConnectProbe.Outcome.REFUSED);
        assertThat(outcome.unreachable()).isTrue();
        assertThat(new ProbeRule.Probe("127.0.0.1", closed, outcome).line()).isEqualTo("a probe connect to 127.0.0.1:" + closed + " was refused");
    }

    @Test
    void aListeningPortConnects() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConnectProbe.Outcome outcome = new VertxConnectProbe(vertx).connect("127.0.0.1", s.getLocalPort(), Duration.ofSeconds(2));

            assertThat(outcome).isEqualTo(ConnectProbe.Outcome.CONNECTED);
            assertThat(outcome.unreachable()).isFalse();
        }
    }
}
