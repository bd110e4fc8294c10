package dev.strangler.gateway.proxy;

import dev.strangler.core.config.Backend;
import dev.strangler.core.http.Authority;
import dev.strangler.core.http.RequestCheck;
import dev.strangler.core.rewrite.HeaderRules;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Decision;
import dev.strangler.core.stage.Target;
import dev.strangler.gateway.observe.RequestDetails;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;

/**
 * The request as a backend gets it: path rewritten for the service, hop-by-hop headers (the upgrade
 * pair kept for a tunnel) and a client's {@link ShadowCopy#HEADER} dropped, forwarding headers and
 * the request id added, the framing header that matches how the body will be sent.
 * Both backend clients take their headers from here ({@link #headers} for Vert.x's, the
 * {@link ProxyHeaders.Sink} of {@link #writeHeaders} for the lean one), so a rule written here holds on every leg.
 */
final class OutboundRequest {
    private OutboundRequest() {}

    /** Where and with which headers a request for {@code backend} goes: path rewrite, forwarding headers, request id. */
    static RequestOptions options(HttpServerRequest request, RequestCheck.Accepted accepted, Decision decision, Target target,
                                  Backend backend, BackendClients.Endpoint endpoint, String requestId) {
        return new RequestOptions()
                .setMethod(request.method())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(uri(request, accepted, decision, target, endpoint))
                .setHeaders(headers(request, accepted, decision, target, endpoint, requestId))
                .setConnectTimeout(backend.connectTimeout().toMillis());
    }

    /** The request target at the backend: the endpoint's base path, the (rewritten) path, the query. */
    static String uri(HttpServerRequest request, RequestCheck.Accepted accepted, Decision decision, Target target,
                      BackendClients.Endpoint endpoint) {
        Route route = decision.route().orElse(null);
        return uri(endpoint.basePath(), targetPath(target == Target.SERVICE, route, accepted.target().path()), request.query());
    }

    /**
     * {@code basePath + path + "?" + query}, the query part only when there is one. Most backends have
     * no base path and most requests no query: then the path itself, not a copy of it.
     */
    static String uri(String basePath, String path, String query) {
        if (basePath.isEmpty() && query == null) return path;
        return basePath + path + (query == null ? "" : "?" + query);
    }

    /** The headers the backend gets: end-to-end ones, forwarding headers, the request id, the route's edits, Host. */
    static MultiMap headers(HttpServerRequest request, RequestCheck.Accepted accepted, Decision decision, Target target,
                            BackendClients.Endpoint endpoint, String requestId) {
        MultiMap headers = HttpHeaders.headers();
        writeHeaders(request, accepted, decision, target, endpoint, requestId, headers::add);
        return headers;
    }

    /**
     * The header lines of {@link #headers}, in the same order, handed to {@code sink} without a map
     * in between (the lean client writes them straight into the request's bytes).
     */
    static void writeHeaders(HttpServerRequest request, RequestCheck.Accepted accepted, Decision decision, Target target,
                             BackendClients.Endpoint endpoint, String requestId, ProxyHeaders.Sink sink) {
        boolean toService = target == Target.SERVICE;
        Route route = decision.route().orElse(null);
        String clientHost = request.version() == HttpVersion.HTTP_2 ? rendered(request.authority()) : clientHost(accepted.authority());
        String clientAddress = RequestDetails.addressOf(request.remoteAddress());
        Upload.Framing framing = Upload.Framing.of(request);
        boolean chunked = framing == Upload.Framing.CHUNKED;
        boolean ignoresContinue = Upload.ignoresContinue(request, framing);
        HostHeader hostHeader = toService ? route.hostHeader() : HostHeader.KEEP;
        HeaderRules rules = toService ? route.requestHeaders() : HeaderRules.NONE;
        writeHeaders(new Inbound(request.headers(), accepted.connectionLines(), decision.tunnel(), chunked, ignoresContinue, clientHost,
                        clientAddress, request.scheme()),
                requestId, rules, hostHeader == HostHeader.SERVICE || clientHost == null ? endpoint.authority() : clientHost, sink);
    }

    /**
     * The authority an HTTP/1.x client asked for, as Vert.x's {@code request.authority()} renders it
     * (the host, then {@code :port} when the port is above 0), or null without one.
     * {@code checkedAuthority} is what Vert.x would parse: the {@code Host} header, or the
     * absolute-form target's authority, which replaced it; empty for HTTP/1.0 without either. The
     * check judged it already, so it is used as it is unless Vert.x would render it otherwise (a port
     * with leading zeros, port 0, an IPv6 literal, a character the check refuses anyway): only then
     * is it parsed again.
     */
    static String clientHost(String checkedAuthority) {
        if (checkedAuthority.isEmpty()) return null;
        if (isRenderedAsItIs(checkedAuthority)) return checkedAuthority;
        return rendered(HostAndPort.parseAuthority(checkedAuthority, -1));
    }

    /** {@code host[:port]} with the host's {@link Authority#isHostNameChar characters}, and a port of 1 to 65535 without leading zeros. */
    private static boolean isRenderedAsItIs(String authority) {
        int colon = authority.indexOf(':');
        int hostEnd = colon < 0 ? authority.length() : colon;
        if (hostEnd == 0) return false;
        for (int i = 0; i < hostEnd; i++) {
            if (!Authority.isHostNameChar(authority.charAt(i))) return false;
        }
        if (colon < 0) return true;
        int digits = authority.length() - colon - 1;
        if (digits < 1 || digits > 5 || authority.charAt(colon + 1) == '0') return false;
        int port = 0;
        for (int i = colon + 1; i < authority.length(); i++) {
            char c = authority.charAt(i);
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    /** How the gateway has always written a parsed authority: the host, then {@code :port} when the port is above 0. */
    private static String rendered(HostAndPort authority) {
        if (authority == null) return null;
        return authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
    }

    /**
     * What of the client's request decides the backend's headers.
     *
     * @param connectionLines how many {@code Connection} lines {@code headers} has (the request's check counted them)
     * @param chunked        the body is chunked: its length is not a header's
     * @param ignoresContinue an expectation of {@code 100-continue} is ignored, so not passed on ({@link Upload#ignoresContinue}:
     *                        HTTP/1.0, or no content)
     */
    record Inbound(MultiMap headers, int connectionLines, boolean tunnel, boolean chunked, boolean ignoresContinue, String clientHost,
                   String clientAddress, String scheme) {}

    /**
     * The backend's headers from {@code in}: the client's end-to-end headers, in their order, except
     * those {@link #isNeverForwarded never forwarded}, those the gateway sets (a set replaces every
     * earlier line of that name, any case) or the route removes; then the ones the gateway sets, in
     * the order it sets them: the upgrade pair of a tunnel, {@code X-Forwarded-For}, {@code -Proto}
     * and {@code -Host}, the request id, the route's edits (removals first), and {@code Host}. So a
     * route's {@code set} of a name the client may not send still reaches the service: the client's
     * line is dropped first, the route's edit comes after.
     */
    static void writeHeaders(Inbound in, String requestId, HeaderRules rules, String host, ProxyHeaders.Sink sink) {
        if (!in.tunnel() && rules.isEmpty()) {
            writeWithoutEdits(in, requestId, host, sink);
            return;
        }
        SetHeaders set = new SetHeaders();
        if (in.tunnel()) ProxyHeaders.keepUpgrade(in.headers(), set::set);
        set.set(FORWARDED_FOR, forwardedFor(in));
        set.set(FORWARDED_PROTO, in.scheme());
        if (in.clientHost() != null && !in.clientHost().isEmpty()) set.set(FORWARDED_HOST, in.clientHost());
        set.set(ProxyHeaders.REQUEST_ID, requestId);
        for (String name : rules.remove()) set.remove(name);
        rules.set().forEach(set::set);
        set.set(HOST, host);
        ProxyHeaders.copyEndToEnd(in.headers(), in.connectionLines(), (name, value) -> {
            if (isNeverForwarded(name, value, in) || set.contains(name) || isRemoved(name, rules)) return;
            sink.add(name, value);
        }, true);
        set.writeTo(sink);
    }

    /**
     * {@link #writeHeaders} for a request that is no tunnel, on a route without header edits (nearly
     * every request): the gateway sets its own four or five distinct names, so nothing it sets is
     * removed again, and the lines go straight to {@code sink} without a {@link SetHeaders} list.
     */
    private static void writeWithoutEdits(Inbound in, String requestId, String host, ProxyHeaders.Sink sink) {
        String forwardedFor = forwardedFor(in);
        boolean forwardsHost = in.clientHost() != null && !in.clientHost().isEmpty();
        ProxyHeaders.copyEndToEnd(in.headers(), in.connectionLines(), (name, value) -> {
            if (isNeverForwarded(name, value, in) || isSetWithoutEdits(name, forwardsHost)) return;
            sink.add(name, value);
        }, true);
        sink.add(FORWARDED_FOR, forwardedFor);
        sink.add(FORWARDED_PROTO, in.scheme());
        if (forwardsHost) sink.add(FORWARDED_HOST, in.clientHost());
        sink.add(ProxyHeaders.REQUEST_ID, requestId);
        sink.add(HOST, host);
    }

    /**
     * Whether a client's header line named {@code name} never reaches a backend, whatever the route:
     * {@link ShadowCopy#HEADER}, the mark of Strangler's own copies, which a service may read as "skip
     * the side effects" (a client sending it could have its real request taken for a copy); and
     * {@code Content-Length} on a chunked upload, whose length the backend's framing gives instead;
     * {@code Expect: 100-continue} on a request whose expectation the gateway ignores: without
     * content (RFC 9110 §10.1.1: a client, here the gateway, must not send it: there is nothing to
     * wait for), or from an HTTP/1.0 client (a server must ignore it; passed on in HTTP/1.1, it would
     * make the backend wait for a go-ahead the client never asked for).
     * Runs for every header of every request: one length check for most names.
     */
    private static boolean isNeverForwarded(CharSequence name, CharSequence value, Inbound in) {
        return AsciiString.contentEqualsIgnoreCase(name, ShadowCopy.HEADER)
                || (in.chunked() && AsciiString.contentEqualsIgnoreCase(name, "content-length"))
                || (in.ignoresContinue() && AsciiString.contentEqualsIgnoreCase(name, "expect") && Upload.isContinue(value));
    }

    /** Whether {@link #writeWithoutEdits} sets {@code name} itself (Host is dropped by the copy already). */
    private static boolean isSetWithoutEdits(CharSequence name, boolean forwardsHost) {
        return AsciiString.contentEqualsIgnoreCase(name, FORWARDED_FOR) || AsciiString.contentEqualsIgnoreCase(name, FORWARDED_PROTO)
                || (forwardsHost && AsciiString.contentEqualsIgnoreCase(name, FORWARDED_HOST))
                || AsciiString.contentEqualsIgnoreCase(name, ProxyHeaders.REQUEST_ID);
    }

    /** The client appended to the {@code X-Forwarded-For} it sent, unless its {@code Connection} header named that one. */
    private static String forwardedFor(Inbound in) {
        // The Connection list is read here only when there is an X-Forwarded-For it could name (rarely), not on every request.
        String prior = in.headers().get(FORWARDED_FOR);
        if (prior != null && ProxyHeaders.isNamedByConnection(in.headers(), in.connectionLines(), FORWARDED_FOR)) prior = null;
        return ProxyHeaders.forwardedFor(prior, in.clientAddress());
    }

    private static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String FORWARDED_HOST = "X-Forwarded-Host";
    private static final String HOST = HttpHeaders.HOST.toString();

    private static boolean isRemoved(CharSequence name, HeaderRules rules) {
        if (rules.remove().isEmpty()) return false;
        for (String removed : rules.remove()) if (AsciiString.contentEqualsIgnoreCase(name, removed)) return true;
        return false;
    }

    /**
     * The headers the gateway sets, in the order set; setting or removing a name drops every earlier
     * line of it, whatever its case (as {@code MultiMap.set} and {@code remove} do). A handful per
     * request, so a list searched from the start.
     */
    private static final class SetHeaders {
        private final ArrayList<String> namesAndValues = new ArrayList<>(16);

        void set(String name, String value) {
            remove(name);
            namesAndValues.add(name);
            namesAndValues.add(value);
        }

        void remove(String name) {
            for (int i = namesAndValues.size() - 2; i >= 0; i -= 2) {
                if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                    namesAndValues.remove(i + 1);
                    namesAndValues.remove(i);
                }
            }
        }

        boolean contains(CharSequence name) {
            for (int i = 0; i < namesAndValues.size(); i += 2) {
                if (AsciiString.contentEqualsIgnoreCase(name, namesAndValues.get(i))) return true;
            }
            return false;
        }

        void writeTo(ProxyHeaders.Sink sink) {
            for (int i = 0; i < namesAndValues.size(); i += 2) sink.add(namesAndValues.get(i), namesAndValues.get(i + 1));
        }
    }

    private static String targetPath(boolean toService, Route route, String path) {
        if (!toService || route.rewrite().isEmpty()) return path;
        return route.rewrite().get().apply(route.match().path(), path);
    }
}
