package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.gateway.observe.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
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
 * ({@link #closeUnused()}), otherwise when its last exchange releases it. The lean client's
 * connections ({@link LeanPool}, one pool per endpoint) belong to the client and are retired with it.
 */
final class BackendClients {
    /** One base URL of a backend, resolved once; {@code index} is its place in the backend's list. */
    record Endpoint(int index, String host, int port, boolean ssl, String basePath, String authority) {
        static Endpoint of(int index, URI url) {
            boolean ssl = url.getScheme().equalsIgnoreCase("https");
            int port = Backend.port(url);
            String path = url.getRawPath() == null ? "" : url.getRawPath();
            if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
            String authority = url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
            return new Endpoint(index, url.getHost(), port, ssl, path, authority);
        }
    }

    static final class Client {
        final Backend backend;
        final HttpClient http;
        /** Makes {@link #copyHttp}: a client of the backend's own for shadow copies, on first use. */
        private final Supplier<HttpClient> newCopyClient;
        private HttpClient copyHttp;
        private final Endpoint[] endpoints;
        private final Ejections ejections;
        private int next;
        /** Exchanges using this client; event-loop confined like the rest. */
        private int active;
        /** The config now serving has no such backend: closed once no exchange uses it. */
        private boolean retired;
        /** The lean client's loop, or empty when the switch turns it off. */
        private final Optional<LeanLoop> lean;
        /** The lean client's connections per endpoint for the users' requests, opened on first use. */
        private final LeanPool[] leanPools;
        /**
         * The same for shadow copies: connections of their own, as when copies went over Vert.x's
         * client, so copies held by a slow service never make a user of that backend wait for a connection.
         */
        private final LeanPool[] copyPools;

        private Client(Backend backend, HttpClient http, Supplier<HttpClient> newCopyClient, LongSupplier nanoTime,
                       Optional<LeanLoop> lean) {
            this.backend = backend;
            this.http = http;
            this.newCopyClient = newCopyClient;
            List<URI> urls = backend.urls();
            this.endpoints = new Endpoint[urls.size()];
            for (int i = 0; i < endpoints.length; i++) endpoints[i] = Endpoint.of(i, urls.get(i));
            this.ejections = new Ejections(backend.outlier(), endpoints.length, nanoTime);
            this.lean = lean;
            this.leanPools = new LeanPool[endpoints.length];
            this.copyPools = new LeanPool[endpoints.length];
        }

        /**
         * The lean client's pool for {@code e} (plain http only), or null when the switch is off or
         * the caller is not on the loop the pools belong to (then the Vert.x client carries the request).
         */
        LeanPool leanPool(Endpoint e) {
            return pool(leanPools, e);
        }

        /** The lean client's pool for shadow copies to {@code e}, apart from the users' ({@link #copyPools}); null as for {@link #leanPool}. */
        LeanPool copyPool(Endpoint e) {
            return pool(copyPools, e);
        }

        /**
         * Vert.x's client for the shadow copies it carries (with a body, to an https backend, or all with
         * the lean path off): connections of their own, as {@link #copyPool} for the lean ones, so copies
         * held by a slow service never take the connections its users' requests need. Its pool has no
         * wait queue: a copy finding every connection held fails at once ({@link HttpClientCopy}).
         */
        HttpClient copyHttp() {
            if (copyHttp == null) copyHttp = newCopyClient.get();
            return copyHttp;
        }

        private Future<Void> closeHttp() {
            return copyHttp == null ? http.close() : Future.all(http.close(), copyHttp.close()).mapEmpty();
        }

        private LeanPool pool(LeanPool[] pools, Endpoint e) {
            if (lean.isEmpty() || e.ssl()) return null;
            LeanPool pool = pools[e.index()];
            if (pool == null) {
                pool = new LeanPool(lean.get(), e.host(), e.port(), backend.maxConnections(), backend.connectTimeout().toMillis());
                pools[e.index()] = pool;
            }
            return pool.inEventLoop() ? pool : null;
        }

        private void retireLeanPools() {
            for (LeanPool pool : leanPools) if (pool != null) pool.retire();
            for (LeanPool pool : copyPools) if (pool != null) pool.retire();
        }

        /** Round-robin over the backend's URLs, ejected ones included (shadow copies, the monolith); event-loop confined. */
        Endpoint nextEndpoint() {
            Endpoint e = endpoints[next];
            next = (next + 1) % endpoints.length;
            return e;
        }

        /** Round-robin over the endpoints not ejected ({@link Ejections}); empty when every one is. */
        Optional<Endpoint> nextAvailableEndpoint() {
            for (int tried = 0; tried < endpoints.length; tried++) {
                Endpoint e = nextEndpoint();
                if (ejections.isAvailable(e.index())) return Optional.of(e);
            }
            return Optional.empty();
        }

        /** {@code e} gave a response head: its run of failures ends. */
        void answered(Endpoint e) {
            ejections.answered(e.index());
        }

        /** {@code e} failed; returns whether that ejected it. */
        boolean failed(Endpoint e, Failure failure) {
            return ejections.failed(e.index(), failure);
        }
    }

    private final Vertx vertx;
    private final Supplier<Set<Backend>> current;
    private final LongSupplier nanoTime;
    private final Optional<LeanLoop> lean;
    private final Map<Backend, Client> clients = new HashMap<>();
    /**
     * The same clients by {@link Backend} instance: a config's backends are the same objects for
     * every request made on it, so a request finds its client without hashing the whole record
     * (its URLs, timeouts, outlier settings) and comparing it field by field. Emptied when a
     * config is applied, so it holds no backend of an older config for long.
     */
    private final Map<Backend, Client> byInstance = new IdentityHashMap<>();

    /**
     * @param current  the backends of the config now serving
     * @param nanoTime the clock of outlier ejections ({@link System#nanoTime()} scale)
     * @param lean     the event loop of the lean client for bodiless plain-http requests, or empty to use Vert.x's client for all
     */
    BackendClients(Vertx vertx, Supplier<Set<Backend>> current, LongSupplier nanoTime, Optional<LeanLoop> lean) {
        this.vertx = vertx;
        this.current = current;
        this.nanoTime = nanoTime;
        this.lean = lean;
    }

    /** The Vert.x instance the clients run on: timers of the exchanges. */
    Vertx vertx() {
        return vertx;
    }

    /** The client for {@code backend}, held open until {@link #release(Client)}. */
    Client acquire(Backend backend) {
        Client c = byInstance.get(backend);
        if (c == null) {
            c = clients.get(backend);
            if (c == null) {
                c = new Client(backend, create(backend, new PoolOptions()), () -> create(backend, new PoolOptions().setMaxWaitQueueSize(0)),
                        nanoTime, lean);
                c.retired = !current.get().contains(backend); // a request begun on an older config
                clients.put(backend, c);
            }
            byInstance.put(backend, c);
        }
        c.active++;
        return c;
    }

    /** Ends one use of {@code c}; closes it when it was the last one and a reload dropped its backend. */
    void release(Client c) {
        if (--c.active == 0 && c.retired) close(c);
    }

    private HttpClient create(Backend backend, PoolOptions pool) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setConnectTimeout((int) backend.connectTimeout().toMillis())
                .setVerifyHost(true);
        backend.trustedCertificate().ifPresent(ca ->
                options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        pool.setHttp1MaxSize(backend.maxConnections()).setHttp2MaxSize(backend.maxConnections());
        return vertx.httpClientBuilder().with(options).with(pool)
                .withConnectHandler(ClientPipeline::install)
                .build();
    }

    /** Closes the idle clients of backends the current config no longer has; busy ones close on their last release. */
    void closeUnused() {
        Set<Backend> keep = current.get();
        byInstance.clear();
        for (Client c : List.copyOf(clients.values())) {
            c.retired = !keep.contains(c.backend);
            if (c.active == 0 && c.retired) close(c);
        }
    }

    private void close(Client c) {
        clients.remove(c.backend, c);
        byInstance.values().removeIf(v -> v == c);
        c.retireLeanPools();
        c.closeHttp();
    }

    Future<Void> closeAll() {
        List<Future<Void>> closing = new ArrayList<>();
        clients.values().forEach(c -> {
            c.retireLeanPools();
            closing.add(c.closeHttp());
        });
        clients.clear();
        byInstance.clear();
        return Future.all(closing).mapEmpty();
    }
}
