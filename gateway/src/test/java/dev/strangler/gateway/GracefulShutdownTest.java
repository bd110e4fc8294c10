package dev.strangler.gateway;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GracefulShutdownTest {
    @Test
    void shutdownStopsAcceptingButLetsTheInFlightRequestFinish() throws Exception {
        try (var h = new GatewayHarness(List.of())) {
            var inFlight = h.http.sendAsync(HttpRequest.newBuilder(h.uri("/hold/slow")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h.monolith.awaitHeld("slow")).isTrue();
            assertThat(h.gateway.inFlight()).isEqualTo(1);

            var drained = h.gateway.shutdown().toCompletionStage().toCompletableFuture();
            var fresh = java.net.http.HttpClient.newHttpClient();
            awaitRefused(fresh, h);
            assertThat(drained).isNotDone();

            h.monolith.release("slow");
            HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            drained.get(10, TimeUnit.SECONDS);
            assertThat(h.gateway.inFlight()).isZero();
        }
    }

    @Test
    void theDrainTimeoutEndsARequestThatOutlivesIt() throws Exception {
        try (var h = new GatewayHarness(List.of(), c -> c.withDrainTimeout(Duration.ofMillis(500)))) {
            var inFlight = h.http.sendAsync(HttpRequest.newBuilder(h.uri("/hold/stuck")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h.monolith.awaitHeld("stuck")).isTrue();

            long started = System.nanoTime();
            h.gateway.shutdown().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("drained within the timeout, not at the request's end")
                    .isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).as("the connection was closed at the timeout")
                    .hasCauseInstanceOf(java.io.IOException.class);
            h.monolith.release("stuck");
        }
    }

    private static void awaitRefused(java.net.http.HttpClient client, GatewayHarness h) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                client.send(HttpRequest.newBuilder(h.uri("/x")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (ConnectException refused) {
                return;
            } catch (java.io.IOException other) {
                // the listener may still be closing: try again until the deadline
            }
            if (System.nanoTime() > deadline) throw new AssertionError("the gateway still accepts connections after shutdown began");
            Thread.onSpinWait();
        }
    }
}
