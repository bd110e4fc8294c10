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
 * The demo's extracted posts service: the monolith's posts resource, moved out with its own
 * URL layout (no {@code /api} prefix), so a route to it needs a {@code rewrite}.
 *
 * <pre>
 * GET  /posts                 every post, oldest first
 * POST /posts                 {"authorId", "title", "body", "tags"?} → 201 with the post
 * GET  /posts/{id}            one post
 * GET  /posts/{id}/comments   its comments
 * GET  /health                {"status": "UP"}
 * </pre>
 *
 * The bodies are those of {@link DemoMonolith} for the same {@link BlogData}; only
 * {@code X-Served-By: posts-service}, the {@code Location} of a created post and the health
 * body differ. Authors are checked against the same users, which the service reads but does
 * not serve.
 */
public final class DemoPostsService {
    /** Value of {@link DemoMonolith#SERVED_BY_HEADER} on every answer of this app. */
    public static final String SERVED_BY = "posts-service";

    private final HttpServer server;
    private final BlogData data;
    private final AtomicLong requests = new AtomicLong();

    private DemoPostsService(HttpServer server, BlogData data) {
        this.server = server;
        this.data = data;
    }

    /** Starts the service on {@code host:port} ({@code port} 0 picks a free one) with a fresh {@link BlogData#sample()}. */
    public static Future<DemoPostsService> start(Vertx vertx, String host, int port) {
        return start(vertx, host, port, BlogData.sample());
    }

    /**
     * Starts the service on {@code host:port} ({@code port} 0 picks a free one) serving
     * {@code data}; pass the monolith's instance to make writes on either side visible on both.
     */
    public static Future<DemoPostsService> start(Vertx vertx, String host, int port, BlogData data) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(data, "data");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        DemoPostsService app = new DemoPostsService(server, data);
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
        request.response()
                .putHeader(DemoMonolith.SERVED_BY_HEADER, SERVED_BY)
                .putHeader("Content-Type", "application/json");
        List<String> path = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
        if (path.equals(List.of("health"))) {
            if (allows(request, HttpMethod.GET)) {
                reply(request, 200, BlogData.toJson(new Health("UP", SERVED_BY)));
            }
        } else if (!path.isEmpty() && path.get(0).equals("posts")) {
            posts(request, path.subList(1, path.size()));
        } else {
            notFound(request);
        }
    }

    // Kept in step with DemoMonolith#posts: the same resource, mounted at /posts.
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
                request.response().putHeader("Location", "/posts/" + post.id());
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

    private record Health(String status, String service) {}
}
