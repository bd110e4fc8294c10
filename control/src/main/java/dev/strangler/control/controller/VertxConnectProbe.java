package dev.strangler.control.controller;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ConnectProbe} with a Vert.x {@link NetClient}: the connect itself is non-blocking on an
 * event loop; the controller's thread waits for its outcome (at most the timeout and a second).
 * Nothing is written on the connection: it is closed as soon as it is open.
 */
public final class VertxConnectProbe implements ConnectProbe {
    private final Vertx vertx;

    public VertxConnectProbe(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    @Override
    public Outcome connect(String host, int port, Duration timeout) {
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) Math.max(1, timeout.toMillis())));
        try {
            var socket = client.connect(port, host).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            socket.close();
            return Outcome.CONNECTED;
        } catch (ExecutionException e) {
            return outcome(e.getCause());
        } catch (TimeoutException e) {
            return Outcome.TIMED_OUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        } finally {
            client.close();
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
