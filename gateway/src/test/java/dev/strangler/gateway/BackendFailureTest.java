package dev.strangler.gateway;

import dev.strangler.gateway.observe.Failure;
import dev.strangler.gateway.observe.Outcome;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static dev.strangler.gateway.GatewayInFront.readBytes;
import static dev.strangler.gateway.GatewayInFront.readHead;
import static dev.strangler.gateway.GatewayInFront.readToClose;
import static dev.strangler.gateway.GatewayInFront.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 items 10, 13 (response side) and 14: a backend that breaks off its response, sends
 * interim responses, or cannot be reached. The client never waits for bytes that will not come,
 * never takes an interim response for the final one, and never sees internals.
 */
class BackendFailureTest {

    @Test
    void aResponseShortOfItsContentLengthClosesTheClientConnectionAtOnce() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789");
            c.close();
        });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.1\r\nHost: shop\r\n\r\n");
            long start = System.nanoTime();
            String answer = readToClose(client, Duration.ofSeconds(5));

            assertThat(answer).startsWith("HTTP/1.1 200").contains("content-length: 100").endsWith("\r\n\r\n0123456789");
            assertThat((System.nanoTime() - start) / 1_000_000).as("closed at once, not after a timeout").isLessThan(3_000);
            Outcome outcome = g.nextOutcome();
            assertThat(outcome.failure()).contains(Failure.TRUNCATED_RESPONSE);
        }
    }

    @Test
    void aChunkedResponseWithoutItsLastChunkIsNeverEndedForTheClient() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n");
            c.close();
        });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /report HTTP/1.1\r\nHost: shop\r\n\r\n");
            String answer = readToClose(client, Duration.ofSeconds(5));

            assertThat(answer).startsWith("HTTP/1.1 200").contains("hello").doesNotEndWith("0\r\n\r\n");
            assertThat(g.nextOutcome().failure()).contains(Failure.TRUNCATED_RESPONSE);
        }
    }

    @Test
    void interimResponsesAreNeverTakenForTheFinalOne() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
            while (true) {
                c.readHead();
                c.write("HTTP/1.1 102 Processing\r\n\r\n");
                c.write("HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n");
                c.write("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfinal");
            }
        });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            for (int i = 0; i < 2; i++) {
                write(client, "GET /slow HTTP/1.1\r\nHost: shop\r\n\r\n");
                String head = readHead(client);
                while (head.startsWith("HTTP/1.1 1")) {
                    assertThat(head).doesNotStartWith("HTTP/1.1 102"); // hop-local: says nothing to the client
                    head = readHead(client);
                }
                assertThat(head).startsWith("HTTP/1.1 200");
                assertThat(readBytes(client, 5)).isEqualTo("final");
            }
        }
    }

    @Test
    void anUnreachableBackendIsNamedWithoutItsAddressOrTheErrorText() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        try (var g = GatewayInFront.of("http://127.0.0.1:" + deadPort, List.of());
             Socket client = g.connect()) {
            write(client, "GET /x HTTP/1.1\r\nHost: shop\r\nX-Request-Id: req-7\r\nConnection: close\r\n\r\n");
            String answer = readToClose(client, Duration.ofSeconds(5));

            assertThat(answer).startsWith("HTTP/1.1 502").contains("the monolith could not be reached", "req-7")
                    .doesNotContain("127.0.0.1").doesNotContain(String.valueOf(deadPort)).doesNotContainIgnoringCase("refused");
            assertThat(g.nextOutcome().failure()).contains(Failure.CONNECT_REFUSED);
        }
    }

    @Test
    void aBackendThatAnswersGarbageIsNeverEchoedToTheUser() throws Exception {
        try (var backend = ScriptedBackend.start(c -> {
            c.readHead();
            c.write("SECRET-INTERNAL-BYTES user=alice token=abc\r\n\r\n");
            c.close();
        });
             var g = GatewayInFront.of(backend.url(), List.of());
             Socket client = g.connect()) {
            write(client, "GET /x HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
            String answer = readToClose(client, Duration.ofSeconds(5));

            assertThat(answer).startsWith("HTTP/1.1 502").contains("the monolith failed before answering")
                    .doesNotContain("SECRET").doesNotContain("alice").doesNotContain("127.0.0.1");
            assertThat(g.nextOutcome().failure()).isPresent().get().matches(Failure::isBackendFault);
        }
    }
}
