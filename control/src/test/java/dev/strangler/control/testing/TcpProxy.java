package dev.strangler.control.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder a test can cut and restore: how the outage tests take the database away from a
 * gateway without touching the database itself.
 */
public final class TcpProxy implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final String targetHost;
    private final int targetPort;
    private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private final NetServer server;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = Await.result(vertx.createNetServer().connectHandler(this::accept).listen(0, "127.0.0.1"));
    }

    public int port() {
        return server.actualPort();
    }

    /** Closes every connection and refuses new ones (they are accepted and closed at once). */
    public void cut() {
        cut = true;
        for (NetSocket s : open) s.close();
    }

    public void restore() {
        cut = false;
    }

    private void accept(NetSocket client) {
        if (cut) {
            client.close();
            return;
        }
        client.pause();
        vertx.createNetClient().connect(targetPort, targetHost).onComplete(ar -> {
            if (ar.failed()) {
                client.close();
                return;
            }
            NetSocket upstream = ar.result();
            open.add(client);
            open.add(upstream);
            client.handler(b -> {
                if (!cut) upstream.write(b);
            });
            upstream.handler(b -> {
                if (!cut) client.write(b);
            });
            client.closeHandler(v -> {
                open.remove(client);
                upstream.close();
            });
            upstream.closeHandler(v -> {
                open.remove(upstream);
                client.close();
            });
            client.resume();
        });
    }

    @Override
    public void close() {
        Await.result(vertx.close());
    }
}
