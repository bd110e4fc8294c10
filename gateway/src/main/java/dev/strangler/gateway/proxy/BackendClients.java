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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP clients of one event loop, one per backend, each with its own keep-alive pool.
 *
 * <p>Each proxy verticle owns an instance, so a request is forwarded on a connection bound to the
 * same event loop that accepted it: no thread hops, no locks. Clients are keyed by the backend's
 * whole settings, so a reload that leaves a backend unchanged keeps its warm connections, and a
 * changed one gets a fresh client while the old one is closed by {@link #retainOnly(Set)}.
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
    private final Map<Backend, Client> clients = new HashMap<>();

    BackendClients(Vertx vertx) {
        this.vertx = vertx;
    }

    Client forBackend(Backend backend) {
        Client c = clients.get(backend);
        if (c == null) {
            c = new Client(backend, create(backend));
            clients.put(backend, c);
        }
        return c;
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
        return vertx.createHttpClient(options, pool);
    }

    /** Closes the clients of backends the current config no longer has. */
    void retainOnly(Set<Backend> current) {
        for (Iterator<Map.Entry<Backend, Client>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Backend, Client> e = it.next();
            if (!current.contains(e.getKey())) {
                e.getValue().http.close();
                it.remove();
            }
        }
    }

    Future<Void> closeAll() {
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> closing.add(c.http.close()));
        clients.clear();
        return Future.all(closing).mapEmpty();
    }
}
