package dev.strangler.control.admin;

import dev.strangler.control.catalog.CatalogJson;
import dev.strangler.control.catalog.CatalogRecorder;
import dev.strangler.control.controller.Controller;
import dev.strangler.control.controller.Evidence;
import dev.strangler.control.migration.Change;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.migration.MigrationException;
import dev.strangler.control.sync.StateSync;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.SideSample;
import dev.strangler.core.plan.StepEvidence;
import dev.strangler.core.plan.Transitions;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Stage;
import dev.strangler.gateway.Gateway;
import dev.strangler.control.window.WindowRecorder;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.MetricWindow;
import dev.strangler.store.RouteDecision;
import dev.strangler.store.RouteState;
import dev.strangler.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The control plane's part of the admin API (see docs/admin-api.md): routes with their runtime
 * state and live numbers, the moves, and the audit log. Everything that reads or writes the store
 * runs on a worker thread; a store that cannot be reached answers 503 and changes nothing.
 */
public final class MigrationApi {
    /** Bodies are a few fields; anything larger is a mistake or an attack. */
    private static final long MAX_BODY_BYTES = 16 * 1024;
    private static final String ACTOR_HEADER = "X-Strangler-Actor";

    private final Vertx vertx;
    private final Gateway gateway;
    private final Migration migration;
    private final StateSync sync;
    private final Controller controller;
    private final WindowRecorder windows;
    private final Optional<CatalogRecorder> catalog;
    private final Clock clock;

    public MigrationApi(Vertx vertx, Gateway gateway, Migration migration, StateSync sync, Controller controller,
                        WindowRecorder windows, Optional<CatalogRecorder> catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.migration = Objects.requireNonNull(migration, "migration");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes; the caller has already put the token check in front of {@code /api/*}. */
    void install(Router router) {
        router.route("/api/routes/:route/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/api/routes").handler(ctx -> blocking(ctx, () -> {
            Map<String, RouteState> states = states();
            Map<String, List<MetricWindow>> byRoute = windowsByRoute(states.values());
            Map<String, RouteDecision> decisions = decisions();
            JsonArray list = new JsonArray();
            for (Route r : gateway.config().routes()) {
                list.add(view(r, states.get(r.name()), byRoute == null ? null : byRoute.getOrDefault(r.name(), List.of()),
                        decisions));
            }
            return list;
        }));
        router.get("/api/routes/:route").handler(ctx -> blocking(ctx, () -> {
            Route r = route(ctx.pathParam("route"));
            return view(r, states().get(r.name()));
        }));
        router.post("/api/routes/:route/promote").handler(ctx -> change(ctx, body -> migration.promote(ctx.pathParam("route"),
                optionalPosition(body, "to"), force(body), actor(ctx), reason(body))));
        router.post("/api/routes/:route/rollback").handler(ctx -> change(ctx, body -> migration.rollback(ctx.pathParam("route"),
                optionalStage(body, "to"), force(body), actor(ctx), reason(body))));
        router.post("/api/routes/:route/percent").handler(ctx -> change(ctx, body -> {
            Object p = body.getValue("percent");
            if (!(p instanceof Number n)) throw new MigrationException.BadRequest("body needs \"percent\": a number 0..100");
            return migration.setPercent(ctx.pathParam("route"), n.doubleValue(), force(body), actor(ctx),
                    reason(body));
        }));
        router.post("/api/routes/:route/pause").handler(ctx -> change(ctx, body ->
                migration.pause(ctx.pathParam("route"), actor(ctx), reason(body))));
        router.post("/api/routes/:route/resume").handler(ctx -> change(ctx, body ->
                migration.resume(ctx.pathParam("route"), actor(ctx), reason(body))));
        router.get("/api/catalog").handler(ctx -> blocking(ctx, () -> {
            // This gateway's latest requests first, then the fleet's sum (and the declared endpoints) from the store.
            catalog.ifPresent(CatalogRecorder::flush);
            return CatalogJson.of(migration.store().catalog(), catalog.map(CatalogRecorder::overflow).orElse(0L),
                    catalog.map(CatalogRecorder::dropped).orElse(0L))
                    .put("learning", catalog.isPresent());
        }));
        router.get("/api/audit").handler(ctx -> blocking(ctx, () -> {
            Optional<String> route = Optional.ofNullable(ctx.queryParams().get("route")).filter(s -> !s.isBlank());
            int limit = intParam(ctx, "limit", 100);
            return new JsonArray(migration.audit(route, limit).stream().map(MigrationApi::audit).toList());
        }));
    }

    /** For /health: what this gateway knows about the store and the controller. */
    JsonObject health() {
        StateSync.Status s = sync.status();
        return new JsonObject()
                .put("url", migration.store().url())
                .put("shared", migration.store().shared())
                .put("status", s.reachable() ? "reachable" : "unreachable")
                .put("unreachableSince", s.unreachableSince().map(Object::toString).orElse(null))
                .put("lastError", s.lastError().orElse(null))
                .put("serving", s.reachable() ? "current state" : "last known state")
                .put("windowsDropped", s.windowsDropped())
                .put("controller", controller.leading() ? "leading" : "standby");
    }

    // ---- views -----------------------------------------------------------------------------

    private Route route(String name) {
        GatewayConfig config = gateway.config();
        return config.routes().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new MigrationException.UnknownRoute(name, config.routes().stream().map(Route::name).toList()));
    }

    /** The store's states, or what this gateway last knew when the store cannot be reached. Blocking. */
    private Map<String, RouteState> states() {
        try {
            return migration.states();
        } catch (StoreException unreachable) {
            return sync.known();
        }
    }

    /**
     * Every route's windows since the earliest step start, in one query (a plan of 1,000 routes is
     * one round trip, not 1,000); empty when the store cannot be reached.
     */
    private Map<String, List<MetricWindow>> windowsByRoute(java.util.Collection<RouteState> states) {
        Optional<java.time.Instant> earliest = states.stream().map(RouteState::enteredAt).min(java.util.Comparator.naturalOrder());
        if (earliest.isEmpty()) return Map.of();
        try {
            Map<String, List<MetricWindow>> byRoute = new java.util.HashMap<>();
            for (MetricWindow w : migration.store().windows(earliest.get())) {
                byRoute.computeIfAbsent(w.route(), k -> new ArrayList<>()).add(w);
            }
            return byRoute;
        } catch (StoreException unreachable) {
            return null;
        }
    }

    /** Blocking: reads the route's windows. */
    private JsonObject view(Route r, RouteState state) {
        List<MetricWindow> stored;
        try {
            stored = state == null ? List.of() : migration.store().windows(r.name(), state.enteredAt());
        } catch (StoreException unreachable) {
            stored = null;
        }
        return view(r, state, stored, decisions());
    }

    /**
     * The controller's latest judgement of every route, from the store (the leader may be another
     * gateway); this process's own when the store cannot be read.
     */
    private Map<String, RouteDecision> decisions() {
        Map<String, RouteDecision> byRoute = new java.util.HashMap<>();
        try {
            for (RouteDecision d : migration.store().decisions()) byRoute.put(d.route(), d);
        } catch (StoreException unreachable) {
            for (Route r : gateway.config().routes()) {
                controller.lastDecision(r.name()).ifPresent(d -> byRoute.put(r.name(), new RouteDecision(r.name(), d.at(),
                        d.judgement().action().name().toLowerCase(java.util.Locale.ROOT), d.judgement().summary(),
                        d.judgement().evidence())));
            }
        }
        return byRoute;
    }

    /**
     * The position is the stored one (what a change just made says), which this gateway serves a
     * moment later. {@code stored} is null when the store could not be read: no window then.
     */
    private JsonObject view(Route r, RouteState state, List<MetricWindow> stored, Map<String, RouteDecision> decisions) {
        Position at = state == null ? r.position() : Migration.position(state);
        JsonObject v = new JsonObject()
                .put("name", r.name())
                .put("service", r.service())
                .put("stage", at.stage().configName())
                .put("percent", percent(at.stage(), at.percent()))
                .put("paused", state != null && state.paused())
                .put("automated", r.plan().automate())
                .put("path", r.match().path().toString())
                .put("methods", new JsonArray(r.match().methods().stream().sorted().toList()))
                .put("since", state == null ? null : state.enteredAt().toString())
                .put("hold", state == null ? null : hold(r, state))
                .put("automaticRollbacks", state == null ? 0 : state.automaticRollbacks())
                .put("next", Transitions.next(at, r.plan()).map(MigrationApi::position).orElse(null))
                .put("steps", new JsonArray(r.plan().steps()));
        JsonObject window = null;
        if (state != null && stored != null) { // without the store, the rest of the view is still worth showing
            List<MetricWindow> seen = new ArrayList<>();
            for (MetricWindow w : stored) if (!w.start().isBefore(state.enteredAt())) seen.add(w);
            for (MetricWindow w : windows.peek()) { // this gateway's requests not yet written
                if (w.route().equals(r.name()) && !w.start().isBefore(state.enteredAt())) seen.add(w);
            }
            StepEvidence e = Evidence.of(seen, Duration.between(state.enteredAt(), clock.instant()));
            window = new JsonObject()
                    .put("monolith", side(e.monolith()))
                    .put("service", side(e.service()))
                    .put("shadow", new JsonObject().put("compared", e.shadowCompared()).put("matched", e.shadowMatched())
                            .put("matchRate", e.shadowCompared() == 0 ? null : e.matchRate()));
        }
        v.put("window", window);
        RouteDecision d = decisions.get(r.name());
        v.put("lastDecision", d == null ? null : new JsonObject()
                .put("at", d.at().toString())
                .put("action", d.action())
                .put("summary", d.summary())
                .put("evidence", new JsonArray(d.evidence())));
        return v;
    }

    /**
     * The controller's hold after an automatic rollback while it lasts: it does not promote the route
     * on its own before {@code until}; null when there is none (or it has ended).
     */
    private JsonObject hold(Route r, RouteState state) {
        if (!state.heldAt(clock.instant())) return null;
        String until = state.hold().orElseThrow().until().toString();
        return new JsonObject()
                .put("until", until)
                .put("summary", "held after rollback until " + until + " (`strangler resume " + r.name() + "` lifts it)");
    }

    /**
     * One side's numbers. For the service they count every failure, also those the monolith's
     * fallback hid from users; counts the windows add later (fallbacks, hard failures) go here.
     */
    private static JsonObject side(SideSample s) {
        double[] sample = s.latenciesMillis();
        return new JsonObject()
                .put("requests", s.requests())
                .put("errors", s.errors())
                .put("errorRate", s.requests() == 0 ? null : s.errorRate())
                .put("p50Ms", sample.length == 0 ? null : round(Evidence.quantile(sample, 0.50)))
                .put("p99Ms", sample.length == 0 ? null : round(Evidence.quantile(sample, 0.99)));
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }

    static JsonObject position(Position p) {
        return new JsonObject().put("stage", p.stage().configName()).put("percent", percent(p.stage(), p.percent()));
    }

    /**
     * A share only where the stage has one (canary); {@code null} elsewhere, so that {@code live}
     * never reads as "0 % to the service" (docs/admin-api.md).
     */
    static Double percent(Stage stage, double percent) {
        return stage == Stage.CANARY ? percent : null;
    }

    static JsonObject audit(AuditEntry e) {
        return new JsonObject()
                .put("id", e.id())
                .put("at", e.at().toString())
                .put("route", e.route())
                .put("actor", e.actor())
                .put("action", e.action())
                .put("from", e.fromStage() == null ? null : new JsonObject().put("stage", e.fromStage().configName())
                        .put("percent", percent(e.fromStage(), e.fromPercent())))
                .put("to", new JsonObject().put("stage", e.toStage().configName()).put("percent", percent(e.toStage(), e.toPercent())))
                .put("reason", e.reason())
                .put("evidence", new JsonArray(e.evidence()));
    }

    // ---- plumbing --------------------------------------------------------------------------

    @FunctionalInterface
    private interface ChangeRequest {
        Change apply(JsonObject body);
    }

    private void change(RoutingContext ctx, ChangeRequest request) {
        JsonObject body;
        try {
            String text = ctx.body() == null ? null : ctx.body().asString();
            body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            AdminServer.problem(ctx, 400, "Bad Request", "bad-request", "the body is not a JSON object: " + e.getMessage());
            return;
        }
        blocking(ctx, () -> {
            Change c = request.apply(body);
            return new JsonObject().put("route", view(route(c.state().route()), c.state())).put("audit", audit(c.audit()));
        });
    }

    private void blocking(RoutingContext ctx, Callable<Object> work) {
        Future<Object> done = vertx.executeBlocking(work, false);
        done.onComplete(ar -> {
            if (ar.succeeded()) {
                Object r = ar.result();
                ctx.response().putHeader("Content-Type", "application/json")
                        .end(r instanceof JsonArray a ? a.toBuffer() : ((JsonObject) r).toBuffer());
                return;
            }
            Throwable e = ar.cause();
            switch (e) {
                case MigrationException.UnknownRoute u -> AdminServer.problem(ctx, 404, "Not Found", "unknown-route", u.getMessage());
                case MigrationException.BadRequest b -> AdminServer.problem(ctx, 400, "Bad Request", "bad-request", b.getMessage());
                case MigrationException.Conflict c -> AdminServer.problem(ctx, 409, "Conflict", "conflict", c.getMessage());
                case MigrationException.Refused r -> AdminServer.problem(ctx, 409, "Conflict",
                        r.refusal().gate().isPresent() ? "gate-failed" : "invalid-transition", r.getMessage(),
                        new JsonObject().put("from", position(r.refusal().from())).put("to", position(r.refusal().to()))
                                .put("hint", r.refusal().hint())
                                .mergeIn(r.refusal().gate().map(g -> new JsonObject().put("gate", g)).orElseGet(JsonObject::new)));
                case StoreException s -> AdminServer.problem(ctx, 503, "Service Unavailable", "store-unavailable",
                        "the state store cannot be reached, nothing was changed: " + s.getMessage());
                default -> ctx.fail(e);
            }
        });
    }

    private static String reason(JsonObject body) {
        Object r = body.getValue("reason");
        if (r == null || r instanceof String) return (String) r;
        throw new MigrationException.BadRequest("\"reason\" must be a string, not " + r);
    }

    /** {@code force} is a JSON boolean or absent; anything else is a mistake to report, not a 500. */
    private static boolean force(JsonObject body) {
        Object f = body.getValue("force");
        if (f == null) return false;
        if (f instanceof Boolean b) return b;
        throw new MigrationException.BadRequest("\"force\" must be true or false, not " + body.encode());
    }

    private static String actor(RoutingContext ctx) {
        String a = ctx.request().getHeader(ACTOR_HEADER);
        if (a == null || a.isBlank()) return "api";
        String clean = a.strip().replaceAll("[^\\p{Alnum}._@:/ -]", "_");
        return clean.length() > 100 ? clean.substring(0, 100) : clean;
    }

    private static Optional<Position> optionalPosition(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) return Optional.empty();
        if (v instanceof String s) return Optional.of(parsed(s, key));
        if (v instanceof JsonObject o && o.getValue("stage") instanceof String stage) {
            Object p = o.getValue("percent");
            return Optional.of(parsed(p instanceof Number n ? stage + ":" + n : stage, key));
        }
        throw new MigrationException.BadRequest("\"" + key + "\" must be {\"stage\": \"canary\", \"percent\": 25} or \"canary:25\"");
    }

    private static Optional<Position> optionalStage(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v == null) return Optional.empty();
        if (v instanceof String s) return Optional.of(parsed(s, key));
        return optionalPosition(body, key);
    }

    private static Position parsed(String text, String key) {
        return Position.parse(text).orElseThrow(() -> new MigrationException.BadRequest("\"" + key + "\": \"" + text
                + "\" is not a position; use monolith, shadow, canary:PERCENT, live or retired"));
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new MigrationException.BadRequest(name + "=" + v + " is not a whole number");
        }
    }
}
