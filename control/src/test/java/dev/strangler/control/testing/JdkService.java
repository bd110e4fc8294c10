package dev.strangler.control.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service that is not Vert.x: the JDK's own HTTP server on a loopback port 0, answering the same
 * {@code {"ok":true}} as {@link Backends} (so shadow copies match), with a chosen share of 500s. Killing
 * it closes its socket and every open connection, as a crashed process would: new connections are
 * refused.
 */
public final class JdkService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean stopped;

    /**
     * {@code failingTenths} of every ten requests get a 500 (3 = 30 %), spread out (the 4th, 7th and
     * 10th of each ten for 3) rather than in a burst, so a test sees a steady rate, not a dead service.
     */
    public JdkService(int failingTenths) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        server.createContext("/", exchange -> {
            long n = requests.getAndIncrement();
            exchange.getRequestBody().readAllBytes();
            boolean fail = failingTenths > 0 && (n * failingTenths) % 10 >= 10 - failingTenths;
            byte[] body = (fail ? "{\"error\":\"boom\"}" : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Requests the service has received so far. */
    public long requests() {
        return requests.get();
    }

    /** Stops at once: the listening socket and open connections are closed, new connections refused. */
    public void kill() {
        if (stopped) return;
        stopped = true;
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        kill();
    }
}
