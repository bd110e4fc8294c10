package dev.strangler.core.coupling;

import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.Cookies;
import dev.strangler.core.stage.StickyKey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What tells one client's requests apart for coupling, read from a request's headers, first found wins:
 * <ol>
 *   <li>a header some route uses as its sticky key ({@code sticky: header:X-User-Id}): the fleet's own
 *       notion of a user;</li>
 *   <li>a cookie some route uses as its sticky key, then the usual session cookies
 *       ({@link #SESSION_COOKIES});</li>
 *   <li>the trace id of a W3C {@code traceparent} header: the requests of one user action.</li>
 * </ol>
 * The client address is never used: behind a NAT or a corporate proxy it joins thousands of users.
 * Built once per config (with the route table), so a request only pays for a few header lookups.
 *
 * @param headers lower-case header names, in order
 * @param cookies cookie names, in order
 */
public record ClientKeys(List<String> headers, List<String> cookies) {
    /** Session cookies of common web stacks (Java servlets, Spring Session, PHP, Express, ASP.NET, Rails, Django). */
    public static final List<String> SESSION_COOKIES = List.of("JSESSIONID", "SESSION", "PHPSESSID", "connect.sid",
            "ASP.NET_SessionId", "_session_id", "sessionid");
    public static final ClientKeys DEFAULT = new ClientKeys(List.of(), SESSION_COOKIES);

    public ClientKeys {
        headers = List.copyOf(headers);
        cookies = List.copyOf(cookies);
    }

    /** The sticky headers and cookies of these routes, then the session cookies. */
    public static ClientKeys of(List<Route> routes) {
        Set<String> headers = new LinkedHashSet<>();
        Set<String> cookies = new LinkedHashSet<>();
        for (Route r : routes) {
            switch (r.sticky()) {
                case StickyKey.Header h -> headers.add(h.name());
                case StickyKey.Cookie c -> cookies.add(c.name());
                case StickyKey.ClientIp ip -> { }
            }
        }
        cookies.addAll(SESSION_COOKIES);
        return new ClientKeys(new ArrayList<>(headers), new ArrayList<>(cookies));
    }

    /**
     * The client key of a request, or empty when it carries none of them.
     *
     * @param header a request header's value by lower-case name, null when absent
     */
    public Optional<String> keyOf(Function<String, String> header) {
        for (int i = 0; i < headers.size(); i++) {
            String v = header.apply(headers.get(i));
            if (v != null && !v.isEmpty()) return Optional.of("h:" + v);
        }
        String cookie = header.apply("cookie");
        if (cookie != null) {
            for (int i = 0; i < cookies.size(); i++) {
                Optional<String> v = Cookies.value(cookie, cookies.get(i));
                if (v.isPresent()) return Optional.of("c:" + v.get());
            }
        }
        return traceId(header.apply("traceparent")).map(t -> "t:" + t);
    }

    /** The trace id of a {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}); empty when malformed or all zeros. */
    static Optional<String> traceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-' || traceparent.charAt(35) != '-')
            return Optional.empty();
        String id = traceparent.substring(3, 35);
        boolean zero = true;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return Optional.empty();
            if (c != '0') zero = false;
        }
        return zero ? Optional.empty() : Optional.of(id);
    }
}
