package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import io.vertx.core.Vertx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A monolith, a service called {@code posts} and the gateway in front, all real servers on loopback. */
final class GatewayHarness implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final EchoBackend monolith;
    final EchoBackend service;
    final Gateway gateway;
    final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    GatewayHarness(List<Route> routes) throws Exception {
        this(routes, c -> c);
    }

    GatewayHarness(List<Route> routes, UnaryOperator<GatewayConfig> adjust) throws Exception {
        monolith = EchoBackend.start(vertx, "monolith");
        service = EchoBackend.start(vertx, "posts");
        GatewayConfig config = adjust.apply(GatewayConfig.of(
                Backend.of(Backend.MONOLITH, monolith.url()),
                Map.of("posts", Backend.of("posts", service.url())),
                routes));
        ExchangeObserver record = outcomes::add;
        gateway = Gateway.start(vertx, config, new Decider(new Random(42)), record, 2)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Gives every service a short response timeout. */
    static UnaryOperator<GatewayConfig> serviceTimeout(Duration timeout) {
        return c -> {
            Map<String, Backend> services = new java.util.HashMap<>();
            c.services().forEach((name, b) -> services.put(name, b.withResponseTimeout(timeout)));
            return new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith(), services,
                    c.routes(), c.accessLog(), c.drainTimeout());
        };
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    Outcome nextOutcome() throws InterruptedException {
        Outcome o = outcomes.poll(10, TimeUnit.SECONDS);
        if (o == null) throw new AssertionError("no request outcome was reported within 10 s");
        return o;
    }

    @Override
    public void close() throws Exception {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
