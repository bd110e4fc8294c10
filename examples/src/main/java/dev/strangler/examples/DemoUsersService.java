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
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo's extracted users service, with the bugs a rushed extraction has: what the shadow
 * stage is there to find before any user sees them.
 *
 * <pre>
 * GET /users/{id}   one user; for an even id the {@code handle} comes back upper-cased (a
 *                   wrong field value), for an id divisible by 3 the answer is a 500
 * GET /health       {"status": "UP"}
 * </pre>
 *
 * Every other user, and every field but {@code handle}, is as the monolith's
 * {@code GET /api/users/{id}} for the same {@link BlogData}.
 */
public final class DemoUsersService {
    /** Value of {@link DemoMonolith#SERVED_BY_HEADER} on every answer of this app. */
    public static final String SERVED_BY = "users-service";

    private final HttpServer server;
    private final BlogData data;

    private DemoUsersService(HttpServer server, BlogData data) {
        this.server = server;
        this.data = data;
    }

    /** Starts the service on {@code host:port} ({@code port} 0 picks a free one) serving {@code data}. */
    public static Future<DemoUsersService> start(Vertx vertx, String host, int port, BlogData data) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(data, "data");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
        DemoUsersService app = new DemoUsersService(server, data);
        server.requestHandler(app::handle);
        return server.listen().map(app);
    }

    /** Whether {@code GET /users/{id}} answers differently from the monolith for this id. */
    public static boolean answersWronglyFor(long id) {
        return id % 2 == 0 || id % 3 == 0;
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> stop() {
        return server.close();
    }

    private void handle(HttpServerRequest request) {
        request.response()
                .putHeader(DemoMonolith.SERVED_BY_HEADER, SERVED_BY)
                .putHeader("Content-Type", "application/json");
        List<String> path = Arrays.stream(request.path().split("/")).filter(s -> !s.isEmpty()).toList();
        if (request.method() != HttpMethod.GET) {
            reply(request, 405, BlogData.errorJson("method_not_allowed", request.method().name() + " " + request.path()));
        } else if (path.equals(List.of("health"))) {
            reply(request, 200, BlogData.toJson(new Health("UP", SERVED_BY)));
        } else if (path.size() == 2 && path.get(0).equals("users")) {
            Optional<BlogData.User> user = BlogData.parseId(path.get(1)).flatMap(data::user);
            if (user.isEmpty()) {
                reply(request, 404, BlogData.errorJson("not_found", "no resource at GET " + request.path()));
            } else if (user.get().id() % 3 == 0) {
                reply(request, 500, BlogData.errorJson("internal", "users: NullPointerException in UserMapper"));
            } else {
                BlogData.User u = user.get();
                reply(request, 200, BlogData.toJson(u.id() % 2 == 0
                        ? new BlogData.User(u.id(), u.name(), u.handle().toUpperCase(Locale.ROOT), u.email()) : u));
            }
        } else {
            reply(request, 404, BlogData.errorJson("not_found", "no resource at " + request.method().name() + " " + request.path()));
        }
    }

    private static void reply(HttpServerRequest request, int status, Buffer json) {
        request.response().setStatusCode(status).end(json);
    }

    private record Health(String status, String service) {}
}
