package dev.strangler.control.admin;

import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.routing.Route;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.shadow.ShadowOptions;
import dev.strangler.core.shadow.ShadowResults;
import dev.strangler.gateway.Gateway;
import dev.strangler.gateway.reload.ReloadResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin port.
 *
 * <pre>
 * GET /health       no token   {"status":"up","routes":N,"config":"file"|null,"inFlight":N,"lastReload":{..}|null}
 * GET /metrics      no token   Prometheus text: what Prometheus scrapes
 * GET /api/routes   token      the current routes as JSON
 * GET /             no token   the dashboard's pages (DashboardAssets); their data comes from /api
 * </pre>
 *
 * <p>{@code /health} and {@code /metrics} are open because load balancers and Prometheus call
 * them without credentials and they reveal nothing that changes traffic. Everything under
 * {@code /api} needs {@code Authorization: Bearer <token>} when a token is configured. Without a
 * token the API is open, which is only acceptable on a loopback address: {@link #start} refuses
 * any other address without one.
 *
 * <p>Every request first passes {@link AdminRequestGuard}: a Host that is not the admin's own (DNS
 * rebinding) is refused with 421, and a state-changing request with a foreign {@code Origin} (403) or
 * without {@code Content-Type: application/json} (415), so a web page cannot drive the API through
 * the operator's browser.
 *
 * <p>The listener and token are bound at start; the routes are read from the gateway's current
 * config on every request, so a reload shows at once.
 */
public final class AdminServer {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    /** Prometheus text exposition format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private AdminServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code settings.listen()}.
     *
     * @throws IllegalArgumentException when the address is not loopback and no token is set: an
     *                                  open admin API on a reachable address would let anyone
     *                                  move traffic
     */
    public static Future<AdminServer> start(Vertx vertx, AdminSettings settings, Gateway gateway,
                                            PrometheusMeterRegistry registry) {
        return start(vertx, settings, gateway, registry, Optional::empty,
                new ShadowResults(ShadowOptions.DEFAULTS, Redactor.of()));
    }

    /** As {@link #start(Vertx, AdminSettings, Gateway, PrometheusMeterRegistry)}, with /health reporting the last reload. */
    public static Future<AdminServer> start(Vertx vertx, AdminSettings settings, Gateway gateway,
                                            PrometheusMeterRegistry registry,
                                            Supplier<Optional<ReloadResult>> lastReload,
                                            ShadowResults shadow) {
        return start(vertx, settings, gateway, registry, lastReload, shadow, Optional.empty());
    }

    /** As above, with the control plane's routes (moves, audit log) and its state in /health. */
    public static Future<AdminServer> start(Vertx vertx, AdminSettings settings, Gateway gateway,
                                            PrometheusMeterRegistry registry,
                                            Supplier<Optional<ReloadResult>> lastReload,
                                            ShadowResults shadow, Optional<MigrationApi> migration) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(lastReload, "lastReload");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(registry, "registry");
        requireSafeExposure(settings);
        BearerToken token = BearerToken.of(settings.token());
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(settings.listen().host()).setPort(settings.listen().port()));
        Router router = router(vertx, new AdminRequestGuard(settings, server::actualPort), token, gateway, registry,
                lastReload, shadow, migration);
        return server.requestHandler(router).listen().map(s -> {
            LOG.info("admin listening on {}:{} ({})", settings.listen().host(), s.actualPort(),
                    token.isRequired() ? "/api needs the bearer token" : "/api open: loopback only, no token set");
            return new AdminServer(s);
        });
    }

    /**
     * Fails unless the admin address is loopback or a token is set.
     *
     * @throws IllegalArgumentException naming the address and both ways out
     */
    public static void requireSafeExposure(AdminSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (!settings.listen().isLoopback() && !BearerToken.of(settings.token()).isRequired()) {
            throw new IllegalArgumentException("admin.listen: " + settings.listen()
                    + " is not a loopback address and admin.token is not set (expected: a token, e.g."
                    + " token: ${STRANGLER_ADMIN_TOKEN}, or a loopback address such as 127.0.0.1:9090)");
        }
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> stop() {
        return server.close();
    }

    private static Router router(Vertx vertx, AdminRequestGuard guard, BearerToken token, Gateway gateway,
                                 PrometheusMeterRegistry registry, Supplier<Optional<ReloadResult>> lastReload,
                                 ShadowResults shadow, Optional<MigrationApi> migration) {
        Router router = Router.router(vertx);
        // First, for every path: a request a web page could have made is refused before anything reads it.
        router.route().handler(guard);
        router.get("/health").handler(ctx -> health(ctx, gateway, lastReload.get(), migration));
        router.get("/metrics").handler(ctx -> metrics(ctx, vertx, registry));
        // The dashboard's pages carry no data: the token is asked for by the page and checked by /api.
        DashboardAssets.install(router);
        router.route("/api/*").handler(ctx -> {
            if (token.admits(ctx.request().getHeader("Authorization"))) {
                ctx.next();
            } else {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"strangler\"");
                problem(ctx, 401, "Unauthorized", "unauthorized",
                        "/api needs the admin token: Authorization: Bearer <token>");
            }
        });
        if (migration.isPresent()) migration.get().install(router);
        else router.get("/api/routes").handler(ctx -> json(ctx, routes(gateway.config())));
        router.get("/api/shadow").handler(ctx -> json(ctx, new JsonArray(
                shadow.snapshot().stream().map(ShadowJson::overview).toList())));
        // Without a store: this gateway's own results (with one, MigrationApi serves the fleet's, above).
        router.get("/api/shadow/:route").handler(ctx -> {
            String route = ctx.pathParam("route");
            shadow.snapshot(route).ifPresentOrElse(s -> json(ctx, ShadowJson.detail(s)),
                    () -> problem(ctx, 404, "Not Found", "no-shadow-results",
                            "no shadow results for route " + route + " (is it in the shadow stage, and has it had traffic?)"));
        });
        router.errorHandler(404, ctx -> problem(ctx, 404, "Not Found", "not-found",
                "no admin resource at " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> problem(ctx, 405, "Method Not Allowed", "method-not-allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(500, ctx -> {
            LOG.warn("admin request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            problem(ctx, 500, "Internal Server Error", "internal", "the admin server failed; see its log");
        });
        return router;
    }

    private static void health(RoutingContext ctx, Gateway gateway, Optional<ReloadResult> lastReload,
                               Optional<MigrationApi> migration) {
        GatewayConfig config = gateway.config();
        // A refused edit must be visible where people look: the old config is still serving.
        JsonObject reload = lastReload.map(r -> new JsonObject()
                .put("at", r.at().toString())
                .put("applied", r.applied())
                .put("messages", new JsonArray(r.messages()))
                .put("warnings", new JsonArray(r.warnings()))).orElse(null);
        json(ctx, new JsonObject()
                .put("status", "up")
                .put("routes", config.routes().size())
                .put("config", config.source().map(Object::toString).orElse(null))
                .put("inFlight", gateway.inFlight())
                .put("lastReload", reload)
                // A gateway cut off from the store still serves, on the last state it knew: say so.
                .put("store", migration.map(MigrationApi::health).orElse(null)));
    }

    /** Scraping walks every meter (histograms included): off the event loop, it is not free. */
    private static void metrics(RoutingContext ctx, Vertx vertx, PrometheusMeterRegistry registry) {
        vertx.executeBlocking(registry::scrape, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    /** Methods empty means every method, as in the config file. */
    static JsonArray routes(GatewayConfig config) {
        JsonArray list = new JsonArray();
        for (Route r : config.routes()) {
            list.add(new JsonObject()
                    .put("name", r.name())
                    .put("service", r.service())
                    .put("stage", r.stage().configName())
                    .put("percent", r.percent())
                    .put("path", r.match().path().toString())
                    .put("methods", new JsonArray(r.match().methods().stream().sorted().toList())));
        }
        return list;
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", JSON).end(body.toBuffer());
    }

    private static void json(RoutingContext ctx, JsonArray body) {
        ctx.response().putHeader("Content-Type", JSON).end(body.toBuffer());
    }

    /** An RFC 9457 problem body, like the gateway's own errors. */
    static void problem(RoutingContext ctx, int status, String title, String type, String detail) {
        problem(ctx, status, title, type, detail, new JsonObject());
    }

    /** A problem body with extension members (e.g. {@code from}, {@code to}, {@code hint}). */
    static void problem(RoutingContext ctx, int status, String title, String type, String detail, JsonObject extensions) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", PROBLEM_JSON).end(new JsonObject()
                .put("type", "https://strangler.dev/problems/" + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .mergeIn(extensions)
                .toBuffer());
    }
}
