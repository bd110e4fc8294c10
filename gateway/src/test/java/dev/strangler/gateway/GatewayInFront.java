package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.observe.ShadowComparison;
import io.vertx.core.Vertx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The gateway on loopback in front of backends given by URL (a {@link ScriptedBackend}, a Python
 * server, a dead port), with raw-socket helpers for tests that speak HTTP byte by byte.
 */
final class GatewayInFront implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final Gateway gateway;
    final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    /** What each shadow copy ended in: a {@link ShadowComparison}, or the {@link DropReason} it was dropped for. */
    final BlockingQueue<Object> shadowResults = new LinkedBlockingQueue<>();

    private GatewayInFront(GatewayConfig config) throws Exception {
        ExchangeObserver record = new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
                outcomes.add(outcome);
            }

            @Override
            public void onShadowCompared(ShadowComparison comparison) {
                shadowResults.add(comparison);
            }

            @Override
            public void onShadowDropped(String route, DropReason reason) {
                shadowResults.add(reason);
            }
        };
        gateway = Gateway.start(vertx, config, new Decider(new Random(42)), record, 1)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A monolith and a service called {@code posts} at the given URLs. */
    static GatewayInFront of(String monolithUrl, String serviceUrl, List<Route> routes, UnaryOperator<GatewayConfig> adjust)
            throws Exception {
        GatewayConfig config = GatewayConfig.of(Backend.of(Backend.MONOLITH, java.net.URI.create(monolithUrl)),
                Map.of("posts", Backend.of("posts", java.net.URI.create(serviceUrl))), routes);
        return new GatewayInFront(adjust.apply(config.withDrainTimeout(Duration.ofSeconds(1))));
    }

    /** A gateway with this config, except for the same short drain timeout as the others. */
    static GatewayInFront of(GatewayConfig config) throws Exception {
        return new GatewayInFront(config.withDrainTimeout(Duration.ofSeconds(1)));
    }

    static GatewayInFront of(String monolithUrl, List<Route> routes) throws Exception {
        return of(monolithUrl, monolithUrl, routes, c -> c);
    }

    /** A raw connection to the gateway whose reads give up after 10 s. */
    Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", gateway.port());
        s.setSoTimeout(10_000);
        return s;
    }

    Outcome nextOutcome() throws InterruptedException {
        Outcome o = outcomes.poll(10, TimeUnit.SECONDS);
        if (o == null) throw new AssertionError("no request outcome was reported within 10 s");
        return o;
    }

    /** The next shadow result: a {@link ShadowComparison} or a {@link DropReason}. */
    Object nextShadowResult() throws InterruptedException {
        Object r = shadowResults.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no shadow result was reported within 10 s");
        return r;
    }

    static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads one response head (through the blank line). */
    static String readHead(Socket s) throws IOException {
        return readUntil(s, t -> t.endsWith("\r\n\r\n"));
    }

    /** Reads byte by byte until what was read is {@code done}; fails if the connection closes first. */
    static String readUntil(Socket s, java.util.function.Predicate<String> done) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("closed after " + b.toString(StandardCharsets.ISO_8859_1));
            b.write(c);
            String t = b.toString(StandardCharsets.ISO_8859_1);
            if (done.test(t)) return t;
        }
    }

    /** Reads exactly {@code n} bytes. */
    static String readBytes(Socket s, int n) throws IOException {
        byte[] bytes = s.getInputStream().readNBytes(n);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Reads until the gateway closes the connection; fails if it does not within {@code timeout}. */
    static String readToClose(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = s.getInputStream().read(buf)) >= 0) b.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway kept the connection open for " + timeout + " after sending: "
                    + b.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
