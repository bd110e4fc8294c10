package dev.strangler.control.controller;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ConnectProbe} with a Vert.x {@link NetClient}: the connects are non-blocking on an event
 * loop, all of a service's addresses at once; the controller's thread waits for their outcomes (at
 * most the timeout and a second in all). Nothing is written on a connection: it is closed as soon
 * as it is open.
 */
public final class VertxConnectProbe implements ConnectProbe {
    private final Vertx vertx;

    public VertxConnectProbe(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    @Override
    public Outcome connect(String host, int port, Duration timeout) {
        return connectAll(List.of(new Address(host, port)), timeout).getFirst();
    }

    @Override
    public List<Outcome> connectAll(List<Address> addresses, Duration timeout) {
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) Math.max(1, timeout.toMillis())));
        try {
            List<CompletableFuture<NetSocket>> attempts = addresses.stream()
                    .map(a -> client.connect(a.port(), a.host()).toCompletionStage().toCompletableFuture()).toList();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout.toMillis() + 1000);
            List<Outcome> outcomes = new ArrayList<>(attempts.size());
            for (CompletableFuture<NetSocket> attempt : attempts) outcomes.add(awaitOutcome(attempt, deadline));
            return outcomes;
        } finally {
            client.close();
        }
    }

    private static Outcome awaitOutcome(CompletableFuture<NetSocket> attempt, long deadlineNanos) {
        try {
            attempt.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS).close();
            return Outcome.CONNECTED;
        } catch (ExecutionException e) {
            return outcome(e.getCause());
        } catch (TimeoutException e) {
            return Outcome.TIMED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        }
    }

    private static Outcome outcome(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException) return Outcome.TIMED_OUT;
            if (t instanceof ConnectException) return Outcome.REFUSED;
        }
        return Outcome.FAILED;
    }
}
