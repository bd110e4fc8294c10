package dev.strangler.gateway.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * An error answered by Strangler itself, as an RFC 9457 problem body. It names the route, the
 * backend and the request id so a user's report can be traced to one access-log line.
 */
record Problem(int status, String title, String type, String detail, String route, String backend, String requestId) {
    static final String CONTENT_TYPE = "application/problem+json";

    static Problem unreachable(String route, String backend, String requestId, String why) {
        return new Problem(502, "Bad Gateway", "https://strangler.dev/problems/backend-unreachable",
                "could not connect to " + backend + ": " + why, route, backend, requestId);
    }

    static Problem timeout(String route, String backend, String requestId, String why) {
        return new Problem(504, "Gateway Timeout", "https://strangler.dev/problems/backend-timeout",
                backend + " did not answer in time: " + why, route, backend, requestId);
    }

    static Problem failed(String route, String backend, String requestId, String why) {
        return new Problem(502, "Bad Gateway", "https://strangler.dev/problems/backend-failed",
                backend + " failed before answering: " + why, route, backend, requestId);
    }

    static Problem badRequest(String requestId, String detail) {
        return new Problem(400, "Bad Request", "https://strangler.dev/problems/bad-request", detail, "", "", requestId);
    }

    Buffer toJson() {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "type", type).append(',');
        field(b, "title", title).append(',');
        b.append("\"status\":").append(status).append(',');
        field(b, "detail", detail);
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
