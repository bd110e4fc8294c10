package dev.strangler.gateway;

import dev.strangler.core.config.Backend;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.Defaults;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.core.stage.Decider;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.Outcome;
import dev.strangler.gateway.reload.ConfigWatcher;
import io.vertx.core.Vertx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A monolith, a service called {@code posts} and the gateway in front, all real servers on loopback.
 * The gateway's config is built in code by default, or read from a file as {@code strangler run
 * --config} does ({@link #fromFile}); the service can answer over https ({@link #withHttpsService}).
 */
final class GatewayHarness implements AutoCloseable {
    /** Builds the gateway's config once the backends listen, so it can name their addresses. */
    @FunctionalInterface
    interface ConfigSource {
        GatewayConfig build(EchoBackend monolith, EchoBackend service) throws Exception;
    }

    /** Renders config-file text for the backends' addresses. */
    @FunctionalInterface
    interface ConfigText {
        String render(EchoBackend monolith, EchoBackend service);
    }

    final Vertx vertx = Vertx.vertx();
    final EchoBackend monolith;
    final EchoBackend service;
    final Gateway gateway;
    final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    /** Shadow results as "route: match", "route: mismatch $.path,..." or "route: dropped REASON". */
    final BlockingQueue<String> shadowEvents = new LinkedBlockingQueue<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Optional<Path> configFile;
    private ConfigWatcher watcher;

    GatewayHarness(List<Route> routes) throws Exception {
        this(routes, c -> c);
    }

    GatewayHarness(List<Route> routes, UnaryOperator<GatewayConfig> adjust) throws Exception {
        this(Optional.empty(), Optional.empty(), (m, s) -> adjust.apply(inCode(m, s, routes)));
    }

    private GatewayHarness(Optional<TestCertificate> serviceTls, Optional<Path> configFile, ConfigSource source)
            throws Exception {
        this.configFile = configFile;
        monolith = EchoBackend.start(vertx, "monolith");
        service = serviceTls.isPresent() ? EchoBackend.startHttps(vertx, "posts", serviceTls.get()) : EchoBackend.start(vertx, "posts");
        GatewayConfig config = source.build(monolith, service);
        ExchangeObserver record = new ExchangeObserver() {
            @Override
            public void onComplete(Outcome outcome) {
                outcomes.add(outcome);
            }

            @Override
            public void onShadowCompared(dev.strangler.gateway.observe.ShadowComparison c) {
                var result = c.result();
                shadowEvents.add(c.route() + ": " + (result.matches() ? "match" : "mismatch " + String.join(",",
                        result.differences().stream().map(dev.strangler.core.diff.Difference::path).toList())));
            }

            @Override
            public void onShadowDropped(String route, DropReason reason) {
                shadowEvents.add(route + ": dropped " + reason.label());
            }
        };
        gateway = Gateway.start(vertx, config, new Decider(new Random(42)), record, 2)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Writes {@code text} to {@code file} and starts the gateway from it through {@link ConfigLoader}. */
    static GatewayHarness fromFile(Path file, ConfigText text) throws Exception {
        return new GatewayHarness(Optional.empty(), Optional.of(file), (m, s) -> {
            Files.writeString(file, text.render(m, s));
            return ConfigLoader.load(file);
        });
    }

    /** The {@code posts} service answers over https with {@code certificate}; {@code source} says what the gateway trusts. */
    static GatewayHarness withHttpsService(TestCertificate certificate, ConfigSource source) throws Exception {
        return new GatewayHarness(Optional.of(certificate), Optional.empty(), source);
    }

    /** The default config in code: the monolith, {@code posts}, and the given routes. */
    static GatewayConfig inCode(EchoBackend monolith, EchoBackend service, List<Route> routes) {
        return GatewayConfig.of(Backend.of(Backend.MONOLITH, monolith.url()), Map.of("posts", Backend.of("posts", service.url())),
                routes);
    }

    /** Starts watching the config file the gateway was started from; stopped by {@link #close()}. */
    ConfigWatcher watch(Duration interval) throws Exception {
        if (watcher != null) throw new IllegalStateException("already watching");
        Path file = configFile.orElseThrow(() -> new IllegalStateException("this gateway was not started from a file"));
        watcher = new ConfigWatcher(gateway, file, interval, Clock.systemUTC());
        watcher.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return watcher;
    }

    /** Gives every service a short response timeout. */
    static UnaryOperator<GatewayConfig> serviceTimeout(Duration timeout) {
        return c -> {
            Map<String, Backend> services = new java.util.HashMap<>();
            c.services().forEach((name, b) -> services.put(name, b.withResponseTimeout(timeout)));
            return new GatewayConfig(c.source(), c.listen(), c.tls(), c.admin(), c.storeUrl(), c.monolith(), services,
                    c.routes(), c.accessLog(), c.drainTimeout(), Defaults.CONTROLLER_INTERVAL, Defaults.CATALOG);
        };
    }

    /** Over TLS the host is {@code localhost}, the name the test certificates are made for. */
    URI uri(String pathAndQuery) {
        String origin = gateway.config().tls().isPresent() ? "https://localhost:" : "http://127.0.0.1:";
        return URI.create(origin + gateway.port() + pathAndQuery);
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

    String nextShadowEvent() throws InterruptedException {
        String e = shadowEvents.poll(10, TimeUnit.SECONDS);
        if (e == null) throw new AssertionError("no shadow result within 10 s");
        return e;
    }

    Outcome nextOutcome() throws InterruptedException {
        Outcome o = outcomes.poll(10, TimeUnit.SECONDS);
        if (o == null) throw new AssertionError("no request outcome was reported within 10 s");
        return o;
    }

    @Override
    public void close() throws Exception {
        if (watcher != null) watcher.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        http.shutdownNow();
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
