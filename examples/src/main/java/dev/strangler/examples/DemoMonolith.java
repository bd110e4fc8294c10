package dev.strangler.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's legacy "blog" monolith: users and posts under {@code /api}, on plain Vert.x core.
 *
 * <pre>
 * GET  /api/users                 every user
 * GET  /api/users/me              the user named by the X-User-Id header (401 without it)
 * GET  /api/users/{id}            one user
 * GET  /api/posts                 every post, oldest first
 * POST /api/posts                 {"authorId", "title", "body", "tags"?} → 201 with the post
 * GET  /api/posts/{id}            one post
 * GET  /api/posts/{id}/comments   its comments
 * GET  /health                    {"status": "UP"}
 * </pre>
 *
 * Every answer is JSON and carries {@code X-Served-By: monolith}, so a test or a demo user can
 * see which side of the gateway answered. Unknown paths answer 404, known paths with another
 * method 405, both with a JSON error body.
 */
public final class DemoMonolith {
    /** Header naming the app that answered. */
    public static final String SERVED_BY_HEADER = "X-Served-By";
    /** Value of {@link #SERVED_BY_HEADER} on every answer of this app. */
    public static final String SERVED_BY = "monolith";
    /** Header that {@code GET /api/users/me} reads the caller's user id from. */
    public static final String USER_ID_HEADER = "X-User-Id";

    private final HttpServer server;
    private final BlogData data;
    private final AtomicLong requests = new AtomicLong();

    private DemoMonolith(HttpServer server, BlogData data) {
        this.server = server;
        this.data = data;
    }

    /** Starts the monolith on {@code host:port} ({@code port} 0 picks a free one) with a fresh {@link BlogData#sample()}. */
    public static Future<DemoMonolith> start(Vertx vertx, String host, int port) {
        return start(vertx, host, port, BlogData.sample());
    }

    /** Starts the monolith on {@code host:port} ({@code port} 0 picks a free one) serving {@code data}. */
    public static Future<DemoMonolith> start(Vertx vertx, String host, int port, BlogData data) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(data, "data");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        DemoMonolith app = new DemoMonolith(server, data);
        server.requestHandler(app::handle);
        return server.listen().map(app);
    }

    /** The port the server is bound to. */
    public int port() {
        return server.actualPort();
    }

    /** The data this app serves. */
    public BlogData data() {
        return data;
    }

    /** How many requests reached this app since it started (to assert what a backend received). */
    public long requestCount() {
        return requests.get();
    }

    /** Stops listening and closes open connections. */
    public Future<Void> stop() {
        return server.close();
    }

    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        request.response().putHeader(SERVED_BY_HEADER, SERVED_BY).putHeader("Content-Type", "application/json");
        List<String> path = segments(request.path());
        if (path.equals(List.of("health"))) {
            if (allows(request, HttpMethod.GET)) {
                reply(request, 200, BlogData.toJson(new Health("UP", SERVED_BY)));
            }
        } else if (path.size() >= 2 && path.get(0).equals("api") && path.get(1).equals("users")) {
            users(request, path.subList(2, path.size()));
        } else if (path.size() >= 2 && path.get(0).equals("api") && path.get(1).equals("posts")) {
            posts(request, path.subList(2, path.size()));
        } else {
            notFound(request);
        }
    }

    private void users(HttpServerRequest request, List<String> rest) {
        if (rest.isEmpty()) {
            if (allows(request, HttpMethod.GET)) {
                reply(request, 200, BlogData.toJson(data.users()));
            }
        } else if (rest.equals(List.of("me"))) {
            if (allows(request, HttpMethod.GET)) {
                me(request);
            }
        } else if (rest.size() == 1) {
            if (allows(request, HttpMethod.GET)) {
                BlogData.parseId(rest.get(0)).flatMap(data::user)
                        .ifPresentOrElse(u -> reply(request, 200, BlogData.toJson(u)), () -> notFound(request));
            }
        } else {
            notFound(request);
        }
    }

    private void me(HttpServerRequest request) {
        String header = request.getHeader(USER_ID_HEADER);
        if (header == null || header.isBlank()) {
            reply(request, 401, BlogData.errorJson("unauthorized", USER_ID_HEADER + " header is required"));
            return;
        }
        BlogData.parseId(header.strip()).flatMap(data::user).ifPresentOrElse(
                u -> reply(request, 200, BlogData.toJson(u)),
                () -> reply(request, 401, BlogData.errorJson("unauthorized",
                        USER_ID_HEADER + ": no user with id '" + header + "'")));
    }

    // The extracted service has the same resource under /posts; see DemoPostsService#posts.
    private void posts(HttpServerRequest request, List<String> rest) {
        if (rest.isEmpty()) {
            if (request.method() == HttpMethod.POST) {
                create(request);
            } else if (allows(request, HttpMethod.GET, HttpMethod.POST)) {
                reply(request, 200, BlogData.toJson(data.posts()));
            }
            return;
        }
        Optional<BlogData.Post> post = BlogData.parseId(rest.get(0)).flatMap(data::post);
        if (post.isEmpty() || rest.size() > 2 || (rest.size() == 2 && !rest.get(1).equals("comments"))) {
            notFound(request);
        } else if (allows(request, HttpMethod.GET)) {
            reply(request, 200, BlogData.toJson(rest.size() == 1 ? post.get() : data.comments(post.get().id())));
        }
    }

    private void create(HttpServerRequest request) {
        request.body().onComplete(body -> {
            if (body.failed()) {
                reply(request, 400, BlogData.errorJson("bad_request", "body: could not be read"));
                return;
            }
            try {
                BlogData.Post post = data.create(BlogData.parseDraft(body.result()));
                request.response().putHeader("Location", "/api/posts/" + post.id());
                reply(request, 201, BlogData.toJson(post));
            } catch (IllegalArgumentException e) {
                reply(request, 400, BlogData.errorJson("bad_request", e.getMessage()));
            }
        });
    }

    private static boolean allows(HttpServerRequest request, HttpMethod... methods) {
        if (Arrays.asList(methods).contains(request.method())) {
            return true;
        }
        String allowed = String.join(", ", Arrays.stream(methods).map(HttpMethod::name).toList());
        request.response().putHeader("Allow", allowed);
        reply(request, 405, BlogData.errorJson("method_not_allowed",
                request.method().name() + " " + request.path() + " (allowed: " + allowed + ")"));
        return false;
    }

    private static void notFound(HttpServerRequest request) {
        reply(request, 404, BlogData.errorJson("not_found", "no resource at " + request.method().name() + " " + request.path()));
    }

    private static void reply(HttpServerRequest request, int status, Buffer json) {
        request.response().setStatusCode(status).end(json);
    }

    /** The non-empty segments of a path: {@code /api/posts/3} → [api, posts, 3]. */
    private static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private record Health(String status, String service) {}
}
