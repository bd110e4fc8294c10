package dev.strangler.control.admin;

import dev.strangler.core.config.AdminSettings;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Refuses what a web page could make a browser on the operator's machine send to the admin port.
 *
 * <p>The admin API is open without a token on loopback, and the operator's browser is on loopback
 * too. Two attacks reach the admin from any page the operator happens to open:
 * <ul>
 *   <li><b>Cross-site requests.</b> A page may send a "simple" request to any origin (a form, or
 *       {@code fetch} with {@code text/plain}) without a CORS preflight: the browser delivers it and
 *       only hides the answer, which is enough to roll a route back. So a state-changing method
 *       (POST, PUT, PATCH, DELETE) must carry {@code Content-Type: application/json}, which a
 *       browser sends cross-origin only after a preflight that the admin never grants, and when it
 *       carries an {@code Origin}, that origin must be the admin's own (the Host it was sent to).</li>
 *   <li><b>DNS rebinding.</b> The page's own name is re-pointed at 127.0.0.1: the browser then
 *       takes the admin for the page's origin (no CORS at all), but still names the page's host
 *       in {@code Host}. So only Host values the admin knows are answered: its listen address;
 *       {@code localhost}, {@code 127.0.0.1} and {@code [::1]} when it listens on loopback or a
 *       wildcard address; any IP literal when it listens on a wildcard address (an IP literal
 *       cannot be rebound: it is what probes and scrapers send); each with the admin's own port.
 *       Names listed in {@code admin.allowed-hosts} are accepted with any port (a reverse proxy's
 *       name arrives with its port, or none).</li>
 * </ul>
 * Both hold with or without a token: the token stops a page that does not know it, this stops the
 * rest. Tools (the CLI, curl, Prometheus, load balancers) send no {@code Origin} and the Host they
 * were pointed at, and pass.
 */
final class AdminRequestGuard implements Handler<RoutingContext> {
    private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");
    private static final String JSON = "application/json";
    private static final int HTTP_DEFAULT_PORT = 80;

    /** Why a request was refused, as the problem body says it. */
    record Refusal(int status, String title, String type, String detail) {}

    private final AdminSettings settings;
    private final IntSupplier port;

    /**
     * @param port the port the admin actually listens on (known only once it listens, when
     *             {@code admin.listen} asks for port 0)
     */
    AdminRequestGuard(AdminSettings settings, IntSupplier port) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.port = Objects.requireNonNull(port, "port");
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<Refusal> refusal = check(ctx.request());
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        Refusal r = refusal.get();
        // A refused request is not read further: close rather than leave its body on the connection
        // (HTTP/1 only: HTTP/2 forbids the header and resets just the stream).
        if (ctx.request().version() != HttpVersion.HTTP_2) ctx.response().putHeader("Connection", "close");
        AdminServer.problem(ctx, r.status(), r.title(), r.type(), r.detail());
    }

    /** The first rule the request breaks, if any. */
    Optional<Refusal> check(HttpServerRequest request) {
        List<String> hosts = request.headers().getAll("Host");
        if (hosts.size() > 1) {
            return Optional.of(new Refusal(400, "Bad Request", "bad-host", "the request has " + hosts.size()
                    + " Host headers (expected: one)"));
        }
        HostAndPort authority = request.authority();
        if (authority == null || authority.host() == null || authority.host().isEmpty()) {
            return Optional.of(misdirected("the request names no host (no Host header)"));
        }
        String host = unbracketed(authority.host().toLowerCase(Locale.ROOT));
        int requestPort = authority.port() < 0 ? HTTP_DEFAULT_PORT : authority.port();
        if (!isKnownHost(host, requestPort)) {
            return Optional.of(misdirected("Host \"" + shown(authority) + "\" is not this admin server's address"));
        }
        if (!STATE_CHANGING.contains(request.method())) return Optional.empty();
        String origin = request.getHeader("Origin");
        if (origin != null && !isSameOrigin(origin, request)) {
            return Optional.of(new Refusal(403, "Forbidden", "cross-origin", "Origin \"" + origin + "\" is not the admin's "
                    + "own origin: a " + request.method() + " from a web page of another site is refused (send it without "
                    + "an Origin header, as the CLI and curl do, or from the admin's own pages)"));
        }
        if (!isJson(request.getHeader("Content-Type"))) {
            String given = request.getHeader("Content-Type");
            return Optional.of(new Refusal(415, "Unsupported Media Type", "unsupported-media-type", request.method()
                    + " needs Content-Type: application/json" + (given == null ? " (none was sent)" : " (was \"" + given + "\")")
                    + "; a state-changing request of another type could come from a web page"));
        }
        return Optional.empty();
    }

    private boolean isKnownHost(String host, int requestPort) {
        if (settings.allowedHosts().contains(host)) return true;
        if (requestPort != port.getAsInt()) return false;
        String listen = settings.listen().host().toLowerCase(Locale.ROOT);
        if (host.equals(listen)) return true;
        if ((settings.listen().isLoopback() || settings.listen().isWildcard()) && LOOPBACK_NAMES.contains(host)) return true;
        return settings.listen().isWildcard() && isIpLiteral(host);
    }

    private Refusal misdirected(String why) {
        return new Refusal(421, "Misdirected Request", "misdirected-request", why + "; the admin answers only to "
                + describeKnownHosts() + ", so that a web page cannot reach it by DNS rebinding. To reach it under "
                + "another name (e.g. a reverse proxy), list that name in admin.allowed-hosts");
    }

    private String describeKnownHosts() {
        Set<String> known = new LinkedHashSet<>();
        int p = port.getAsInt();
        String listen = settings.listen().host();
        if (!settings.listen().isWildcard()) known.add((listen.contains(":") ? "[" + listen + "]" : listen) + ":" + p);
        if (settings.listen().isLoopback() || settings.listen().isWildcard()) {
            known.addAll(List.of("localhost:" + p, "127.0.0.1:" + p, "[::1]:" + p));
        }
        if (settings.listen().isWildcard()) known.add("any IP address with port " + p);
        known.addAll(settings.allowedHosts());
        return String.join(", ", known);
    }

    /** The Origin must be the admin's own: what the browser sent in Host, with the scheme of a page it served. */
    private static boolean isSameOrigin(String origin, HttpServerRequest request) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        int schemeEnd = o.indexOf("://");
        if (schemeEnd < 0) return false; // "null" (sandboxed pages, file://) and anything else unparseable
        String scheme = o.substring(0, schemeEnd);
        if (!scheme.equals("http") && !scheme.equals("https")) return false;
        String host = request.getHeader("Host");
        if (host == null && request.authority() != null) host = request.authority().toString();
        return host != null && o.substring(schemeEnd + 3).equals(host.strip().toLowerCase(Locale.ROOT));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return mediaType.equalsIgnoreCase(JSON);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** IPv4 dotted quad or IPv6 (unbracketed); no DNS lookup. */
    static boolean isIpLiteral(String host) {
        if (host.contains(":")) return host.matches("[0-9a-f:.]+");
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static String shown(HostAndPort authority) {
        return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
    }
}
