package dev.strangler.control.controller;

import dev.strangler.control.testing.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        assertThat(new ProbeRule.Probe(new ConnectProbe.Address("127.0.0.1", closed), outcome).line()).isEqualTo("a probe connect to 127.0.0.1:" + closed + " was refused");
    }

    @Test
    void aListeningPortConnects() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ConnectProbe.Outcome outcome = new VertxConnectProbe(vertx).connect("127.0.0.1", s.getLocalPort(), Duration.ofSeconds(2));

            assertThat(outcome).isEqualTo(ConnectProbe.Outcome.CONNECTED);
            assertThat(outcome.unreachable()).isFalse();
        }
    }

    @Test
    void theAddressesOfAServiceAreProbedAtOnceSoBlackHolesCostOneTimeoutNotOneEach() throws IOException {
        // A listener whose accept queue is full drops further SYNs: a connect to it hangs, as to a
        // black-holed address. Three of them with a 1 s timeout: one after another that is >= 3 s.
        List<ServerSocket> listeners = new ArrayList<>();
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<ConnectProbe.Address> addresses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                listeners.add(full);
                fillQueue(full, fillers);
                addresses.add(new ConnectProbe.Address("127.0.0.1", full.getLocalPort()));
            }
            addresses.add(new ConnectProbe.Address("127.0.0.1", open.getLocalPort()));

            long start = System.nanoTime();
            List<ConnectProbe.Outcome> outcomes = new VertxConnectProbe(vertx).connectAll(addresses, Duration.ofSeconds(1));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(outcomes).containsExactly(ConnectProbe.Outcome.TIMED_OUT, ConnectProbe.Outcome.TIMED_OUT,
                    ConnectProbe.Outcome.TIMED_OUT, ConnectProbe.Outcome.CONNECTED);
            assertThat(took).isLessThan(Duration.ofMillis(2_900));
        } finally {
            for (Socket s : fillers) s.close();
            for (ServerSocket s : listeners) s.close();
        }
    }

    /** Connects to {@code listener} (which never accepts) until a connect no longer completes. */
    private static void fillQueue(ServerSocket listener, List<Socket> fillers) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 200);
                fillers.add(s);
            } catch (IOException full) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("the accept queue of port " + listener.getLocalPort() + " never filled");
    }
}
