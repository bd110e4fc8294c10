package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP clients of one event loop, one per backend, each with its own keep-alive pool.
 *
 * <p>Each proxy verticle owns an instance, so a request is forwarded on a connection bound to the
 * same event loop that accepted it: no thread hops, no locks. Clients are keyed by the backend's
 * whole settings, so a reload that leaves a backend unchanged keeps its warm connections, and a
 * changed one gets a fresh client.
 *
 * <h2>Lifetime across reloads</h2>
 * A request finishes on the config it started with, possibly long after a reload (a held request,
 * a 100 MB stream). So an exchange {@link #acquire acquires} the client it sends on and
 * {@link #release releases} it when done, and a client whose backend the current config no longer
 * has is closed only once no exchange uses it: right away when a reload finds it idle
 * ({@link #closeUnused()}), otherwise when its last exchange releases it.
 */
final class BackendClients {
    /** One base URL of a backend, resolved once. */
    record Endpoint(String host, int port, boolean ssl, String basePath, String authority) {
        static Endpoint of(URI url) {
            boolean ssl = url.getScheme().equalsIgnoreCase("https");
            int port = url.getPort() > 0 ? url.getPort() : (ssl ? 443 : 80);
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            String authority = url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
            return new Endpoint(url.getHost(), port, ssl, path, authority);
        }
    }

    static final class Client {
        final Backend backend;
        final HttpClient http;
        private final Endpoint[] endpoints;
        private int next;
        /** Exchanges using this client; event-loop confined like the rest. */
        private int active;

        private Client(Backend backend, HttpClient http) {
            this.backend = backend;
            this.http = http;
            this.endpoints = backend.urls().stream().map(Endpoint::of).toArray(Endpoint[]::new);
        }

        /** Round-robin over the backend's URLs; event-loop confined, so a plain counter is enough. */
        Endpoint nextEndpoint() {
            Endpoint e = endpoints[next];
            next = (next + 1) % endpoints.length;
            return e;
        }
    }

    private final Vertx vertx;
    private final Supplier<Set<Backend>> current;
    private final Map<Backend, Client> clients = new HashMap<>();

    /** @param current the backends of the config now serving */
    BackendClients(Vertx vertx, Supplier<Set<Backend>> current) {
        this.vertx = vertx;
        this.current = current;
    }

    /** The Vert.x instance the clients run on: timers of the exchanges. */
    Vertx vertx() {
        return vertx;
    }

    /** The client for {@code backend}, held open until {@link #release(Client)}. */
    Client acquire(Backend backend) {
        Client c = clients.get(backend);
        if (c == null) {
            c = new Client(backend, create(backend));
            clients.put(backend, c);
        }
        c.active++;
        return c;
    }

    /** Ends one use of {@code c}; closes it when it was the last one and a reload dropped its backend. */
    void release(Client c) {
        if (--c.active == 0 && !current.get().contains(c.backend)) close(c);
    }

    private HttpClient create(Backend backend) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) backend.connectTimeout().toMillis())
                .setVerifyHost(true);
        backend.trustedCertificate().ifPresent(ca ->
                options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(backend.maxConnections()).setHttp2MaxSize(backend.maxConnections());
        return vertx.httpClientBuilder().with(options).with(pool)
                .withConnectHandler(InterimResponses::install)
                .build();
    }

    /** Closes the idle clients of backends the current config no longer has; busy ones close on their last release. */
    void closeUnused() {
        Set<Backend> keep = current.get();
        for (Client c : List.copyOf(clients.values())) {
            if (c.active == 0 && !keep.contains(c.backend)) close(c);
        }
    }

    private void close(Client c) {
        clients.remove(c.backend, c);
        c.http.close();
    }

    Future<Void> closeAll() {
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.http.close()));
        clients.clear();
        return Future.all(closing).mapEmpty();
    }
}
