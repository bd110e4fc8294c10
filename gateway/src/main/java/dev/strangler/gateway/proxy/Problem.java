package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestRules;
import io.vertx.core.buffer.Buffer;

/**
 * An error answered by Strangler itself, as an RFC 9457 problem body. It names the route, the
 * backend and the request id so a user's report can be traced to one access-log line.
 *
 * <p>What it says is written for the user of the application: it never carries a backend's
 * address, an exception's text or a backend's bytes. Those go to the operator log under the same
 * request id.
 */
record Problem(int status, String title, String type, String detail, String route, String backend, String requestId) {
    static final String CONTENT_TYPE = "application/problem+json";

    static Problem unreachable(String route, String backend, String requestId) {
        return new Problem(502, "Bad Gateway", "https://strangler.dev/problems/backend-unreachable",
                who(backend) + " could not be reached", route, backend, requestId);
    }

    /** Every endpoint of the service is ejected after failing in a row: answered at once, nothing sent. */
    static Problem ejected(String route, String backend, String requestId) {
        return new Problem(503, "Service Unavailable", "https://strangler.dev/problems/backend-ejected",
                who(backend) + " is failing and was taken out of service for a short while", route, backend, requestId);
    }

    static Problem timeout(String route, String backend, String requestId) {
        return new Problem(504, "Gateway Timeout", "https://strangler.dev/problems/backend-timeout",
                who(backend) + " did not answer in time", route, backend, requestId);
    }

    static Problem failed(String route, String backend, String requestId) {
        return new Problem(502, "Bad Gateway", "https://strangler.dev/problems/backend-failed",
                who(backend) + " failed before answering", route, backend, requestId);
    }

    static Problem bodyTimeout(String route, String requestId) {
        return new Problem(408, "Request Timeout", "https://strangler.dev/problems/request-body-timeout",
                "the request body stopped arriving", route, "", requestId);
    }

    static Problem badRequest(String requestId, String detail) {
        return new Problem(400, "Bad Request", "https://strangler.dev/problems/bad-request", detail, "", "", requestId);
    }

    /** A request refused before anything was forwarded ({@link RequestRules}, {@link FramingGuard}). */
    static Problem refused(Rejection rejection, String requestId) {
        String title = switch (rejection.status()) {
            case 405 -> "Method Not Allowed";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 505 -> "HTTP Version Not Supported";
            default -> "Bad Request";
        };
        return new Problem(rejection.status(), title, "https://strangler.dev/problems/" + rejection.code().label(),
                rejection.detail(), "", "", requestId);
    }

    /** "the monolith" or "the service posts": names only, which the user may see. */
    private static String who(String backend) {
        return Backend.MONOLITH.equals(backend) ? "the monolith" : "the service " + backend;
    }

    Buffer toJson() {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "type", type).append(',');
        field(b, "title", title).append(',');
        b.append("\"status\":").append(status).append(',');
        field(b, "detail", detail + " (request id " + requestId + ")");
        if (!route.isEmpty()) field(b.append(','), "route", route);
        if (!backend.isEmpty()) field(b.append(','), "backend", backend);
        field(b.append(','), "requestId", requestId);
        return Buffer.buffer(b.append('}').toString());
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(' ');
            else b.append(c);
        }
        return b.append('"');
    }
}
