package dev.strangler.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Talks JSON to a running gateway's admin API (docs/admin-api.md) for the commands that read or
 * change it. Every failure becomes an {@link AdminApiException} whose message says what to do:
 * bad input the user can fix (token, route, a move the route cannot make) exits 2, a gateway that
 * is down or cannot reach its store exits 1. Blocks the calling thread for up to
 * {@link #CONNECT_TIMEOUT} plus {@link #REQUEST_TIMEOUT}.
 *
 * <p>It uses {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: one request per
 * process does not need HTTP/2 or an executor, and the newer client loads several hundred classes
 * (TLS among them, even for http) that a command answering in a fraction of a second cannot afford.
 */
final class AdminClient {
    /** How long to wait for the admin port to accept a connection. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long to wait for the answer once connected (between bytes, as {@link HttpURLConnection} measures it). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Who made a change, as the audit log records it. */
    static final String ACTOR_HEADER = "X-Strangler-Actor";

    private static final String PROBLEM_TYPE_PREFIX = "https://strangler.dev/problems/";

    private final String base;
    private final Optional<String> token;
    private final String actor;

    private AdminClient(String base, Optional<String> token, String actor) {
        this.base = base;
        this.token = token;
        this.actor = actor;
    }

    /**
     * @param admin the admin API's base URL as the user wrote it
     * @param token the admin token, or null or blank for none
     * @throws BadInputException when {@code admin} is not an http(s) URL
     */
    static AdminClient of(String admin, String token) {
        String base = admin.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(base);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new BadInputException("--admin: \"" + admin + "\" is not an http URL (expected: e.g. http://127.0.0.1:9090)");
        }
        return new AdminClient(base, Optional.ofNullable(token).filter(t -> !t.isBlank()), "cli:" + System.getProperty("user.name", "unknown"));
    }

    /** One path segment, escaped: a route name goes into a URL as is otherwise. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonObject getObject(String path) throws InterruptedException {
        return as(JsonObject.class, send("GET", path, null), path);
    }

    JsonArray getArray(String path) throws InterruptedException {
        return as(JsonArray.class, send("GET", path, null), path);
    }

    JsonObject post(String path, JsonObject body) throws InterruptedException {
        return as(JsonObject.class, send("POST", path, body), path);
    }

    /** The answer's status and body; the body is read whatever the status. */
    private record Answer(int status, String body) {}

    private String send(String method, String path, JsonObject body) throws InterruptedException {
        Answer answer;
        try {
            answer = exchange(method, path, body);
        } catch (IOException e) {
            throw new AdminApiException.Unreachable("cannot reach the admin API at " + base + " (" + why(e)
                    + "); is `strangler run` up? set --admin, STRANGLER_ADMIN or admin.listen in --config");
        }
        if (Thread.interrupted()) throw new InterruptedException();
        if (answer.status() / 100 == 2) return answer.body();
        throw failure(method + " " + path, answer.status(), answer.body());
    }

    private Answer exchange(String method, String path, JsonObject body) throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        try {
            http.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            http.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            http.setInstanceFollowRedirects(false);
            http.setRequestMethod(method);
            http.setRequestProperty("Accept", "application/json");
            http.setRequestProperty(ACTOR_HEADER, actor);
            token.ifPresent(t -> http.setRequestProperty("Authorization", "Bearer " + t));
            if (body != null) {
                byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
                http.setRequestProperty("Content-Type", "application/json");
                http.setDoOutput(true);
                http.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = http.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = http.getResponseCode();
            InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (in != null) in.close();
            return new Answer(status, text);
        } finally {
            http.disconnect();
        }
    }

    /** Maps an error answer to what the user sees, per the problem types of docs/admin-api.md. */
    private AdminApiException failure(String request, int status, String body) {
        JsonObject problem = problem(body);
        String detail = AdminJson.text(problem, "detail", body.isBlank() ? "(no detail)" : body.strip());
        return switch (status) {
            case 401 -> new AdminApiException(Main.BAD_INPUT, "the admin API at " + base
                    + (token.isPresent() ? " refused the token" : " wants a token") + ": pass --token or set STRANGLER_ADMIN_TOKEN");
            case 400, 404 -> new AdminApiException(Main.BAD_INPUT, detail);
            // The admin refused the request as one a web page could have made (docs/admin-api.md): wrong
            // address (421: use the admin's own, or list the name in admin.allowed-hosts), Origin or type.
            case 403, 415, 421 -> new AdminApiException(Main.BAD_INPUT, "the admin API at " + base + " refused the request: " + detail);
            case 409 -> new AdminApiException(Main.BAD_INPUT, detail + "\nhint: " + AdminJson.text(problem, "hint",
                    "conflict".equals(type(problem)) ? "someone else changed the route at the same moment; try again" : "see `strangler status`"));
            case 503 -> new AdminApiException(Main.FAILED, "the gateway cannot reach its state store, nothing was changed: " + detail);
            default -> new AdminApiException(Main.FAILED, "the admin API answered " + status + " to " + request + ": " + body.strip());
        };
    }

    private static JsonObject problem(String body) {
        try {
            return JsonText.parse(body) instanceof JsonObject o ? o : new JsonObject();
        } catch (IllegalArgumentException e) {
            return new JsonObject();
        }
    }

    private static String type(JsonObject problem) {
        String type = AdminJson.text(problem, "type", "");
        return type.startsWith(PROBLEM_TYPE_PREFIX) ? type.substring(PROBLEM_TYPE_PREFIX.length()) : type;
    }

    private static String why(IOException e) {
        if (e instanceof SocketTimeoutException && String.valueOf(e.getMessage()).contains("connect")) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof SocketTimeoutException) return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        if (e instanceof ConnectException) return "connection refused";
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private <T> T as(Class<T> type, String body, String path) {
        Object json;
        try {
            json = JsonText.parse(body);
        } catch (IllegalArgumentException e) {
            json = null;
        }
        if (type.isInstance(json)) return type.cast(json);
        throw new AdminApiException(Main.FAILED, "the admin API at " + base + " answered " + path
                + " with something other than a JSON " + (type == JsonArray.class ? "array" : "object")
                + "; is " + base + " a Strangler admin port?");
    }
}
