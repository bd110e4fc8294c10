package dev.strangler.control.admin;

import dev.strangler.control.catalog.CatalogJson;
import dev.strangler.control.catalog.CatalogRecorder;
import dev.strangler.control.controller.Controller;
import dev.strangler.control.migration.Change;
import dev.strangler.control.migration.Migration;
import dev.strangler.control.migration.MigrationException;
import dev.strangler.control.sync.StateSync;
import dev.strangler.control.view.AuditView;
import dev.strangler.control.view.ChangeView;
import dev.strangler.control.view.ReadModel;
import dev.strangler.control.view.ViewJson;
import dev.strangler.core.plan.Position;
import dev.strangler.core.stage.Stage;
import dev.strangler.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The control plane's part of the admin API (see docs/admin-api.md): routes with their runtime
 * state and live numbers, the moves, the audit log, and the dashboard's views. Every answer is a
 * view of the {@link ReadModel}, written by {@link ViewJson}. Everything that reads or writes the
 * store runs on a worker thread; a move the store cannot take answers 503 and changes nothing.
 */
public final class MigrationApi {
    /** Bodies are a few fields; anything larger is a mistake or an attack. */
    private static final long MAX_BODY_BYTES = 16 * 1024;
    private static final String ACTOR_HEADER = "X-Strangler-Actor";

    /** The charts of a route page cover this much time unless {@code ?since=} says otherwise. */
    static final Duration SERIES_DEFAULT = Duration.ofHours(6);

    private final Vertx vertx;
    private final Migration migration;
    private final ReadModel model;
    private final StateSync sync;
    private final Controller controller;
    private final Optional<CatalogRecorder> catalog;
    private final Clock clock;

    public MigrationApi(Vertx vertx, Migration migration, ReadModel model, StateSync sync, Controller controller,
                        Optional<CatalogRecorder> catalog, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.migration = Objects.requireNonNull(migration, "migration");
        this.model = Objects.requireNonNull(model, "model");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes; the caller has already put the token check in front of {@code /api/*}. */
    void install(Router router) {
        router.route("/api/routes/:route/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.get("/api/routes").handler(ctx -> blocking(ctx, model::routes));
        // The fleet's shadow results, from the store (AdminServer serves this gateway's own without one).
        router.get("/api/shadow").handler(ctx -> blocking(ctx, () -> new JsonArray(model.shadow().stream()
                .map(ShadowJson::overview).toList())));
        router.get("/api/shadow/:route").handler(ctx -> blocking(ctx, () -> {
            String route = ctx.pathParam("route");
            return ShadowJson.detail(model.shadow(route).orElseThrow(() -> new NoShadowResults(route)));
        }));
        router.get("/api/routes/:route").handler(ctx -> blocking(ctx, () -> model.route(ctx.pathParam("route"))));
        router.get("/api/routes/:route/series").handler(ctx -> blocking(ctx, () -> model.series(ctx.pathParam("route"),
                instantParam(ctx, "since", clock.instant().minus(SERIES_DEFAULT)))));
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
                    .put("learning", catalog.isPresent())
                    .put("coupling", CatalogJson.coupling(migration.store().coupling())); // strangler analyze --coupling
        }));
        router.get("/api/audit").handler(ctx -> blocking(ctx, () -> {
            Optional<String> route = Optional.ofNullable(ctx.queryParams().get("route")).filter(s -> !s.isBlank());
            int limit = intParam(ctx, "limit", 100);
            return model.audit(route, limit);
        }));
        router.get("/api/overview").handler(ctx -> blocking(ctx, model::overview));
        router.get("/api/catalog/view").handler(ctx -> blocking(ctx, model::catalog));
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
            return new ChangeView(model.route(c.state()), AuditView.of(c.audit()), c.warnings());
        });
    }

    private void blocking(RoutingContext ctx, Callable<Object> work) {
        Future<Object> done = vertx.executeBlocking(work, false);
        done.onComplete(ar -> {
            if (ar.succeeded()) {
                Object r = ar.result();
                ctx.response().putHeader("Content-Type", "application/json").end(switch (r) {
                    case JsonArray a -> a.toBuffer();
                    case JsonObject o -> o.toBuffer();
                    default -> Buffer.buffer(ViewJson.write(r));
                });
                return;
            }
            Throwable e = ar.cause();
            switch (e) {
                case NoShadowResults n -> AdminServer.problem(ctx, 404, "Not Found", "no-shadow-results", n.getMessage());
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

    /** No gateway of the fleet compared anything for the route yet. */
    private static final class NoShadowResults extends RuntimeException {
        NoShadowResults(String route) {
            super("no shadow results for route " + route + " (is it in the shadow stage, and has it had traffic?)", null, false, false);
        }
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

    private static Instant instantParam(RoutingContext ctx, String name, Instant fallback) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Instant.parse(v.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new MigrationException.BadRequest(name + "=" + v + " is not an instant (expected: e.g. 2026-11-30T12:00:00Z)");
        }
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
