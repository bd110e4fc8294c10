package dev.strangler.bench.openloop;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Keep-alive client connections that each send one GET, read its answer and then stay open doing
 * nothing: what many browsers and pooled clients leave behind on a gateway. Opened a bounded
 * number at a time so the target's accept queue never overflows.
 */
final class IdleConnections {
    private static final int OPENING_AT_ONCE = 200;

    private final NetClient client;
    private final Settings settings;
    private final Buffer request;
    private final Promise<Integer> allOpen = Promise.promise();
    private final List<String> failures = new ArrayList<>();
    private int started;
    private int answered;
    private int settled;
    private int open;

    IdleConnections(NetClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
        this.request = Buffer.buffer("GET " + settings.pathAndQuery() + " HTTP/1.1\r\nHost: "
                + settings.url().getHost() + ":" + settings.url().getPort() + "\r\n\r\n");
    }

    /** Completes with the number opened once each has its answer; fails if any could not connect. */
    Future<Integer> open() {
        if (settings.idle() == 0) return Future.succeededFuture(0);
        for (int i = 0; i < Math.min(OPENING_AT_ONCE, settings.idle()); i++) openNext();
        return allOpen.future();
    }

    /** Idle connections still open now (the target may close idle ones after its idle timeout). */
    int stillOpen() {
        return open;
    }

    private void openNext() {
        if (started >= settings.idle()) return;
        started++;
        client.connect(settings.url().getPort(), settings.url().getHost()).onComplete(connected -> {
            if (connected.failed()) {
                failures.add(connected.cause().toString());
                settle();
                return;
            }
            var socket = connected.result();
            open++;
            boolean[] first = {true};
            socket.closeHandler(v -> open--);
            socket.handler(bytes -> {
                if (first[0]) {
                    first[0] = false;
                    answered++;
                    settle();
                }
            });
            socket.write(request);
        });
    }

    private void settle() {
        settled++;
        if (settled < settings.idle()) {
            openNext();
        } else if (failures.isEmpty()) {
            allOpen.complete(answered);
        } else {
            allOpen.fail(failures.size() + " of " + settings.idle() + " idle connections failed, first: " + failures.get(0));
        }
    }
}
