package dev.strangler.core.coupling;

import dev.strangler.core.routing.Route;
import dev.strangler.core.routing.RouteMatch;
import dev.strangler.core.stage.StickyKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClientKeysTest {
    private static final ClientKeys KEYS = ClientKeys.of(List.of(
            Route.of("a", RouteMatch.path("/a/**"), "s").withCanary(5, new StickyKey.Header("X-User-Id")),
            Route.of("b", RouteMatch.path("/b/**"), "s").withCanary(5, new StickyKey.Cookie("uid")),
            Route.of("c", RouteMatch.path("/c/**"), "s").withCanary(5, StickyKey.DEFAULT)));

    private static Optional<String> keyOf(Map<String, String> headers) {
        return KEYS.keyOf(headers::get);
    }

    @Test
    void aRoutesStickyHeaderComesFirstThenItsCookieThenSessionCookiesThenTheTraceId() {
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(keyOf(Map.of("x-user-id", "42", "cookie", "uid=7", "traceparent", trace))).contains("h:42");
        assertThat(keyOf(Map.of("cookie", "JSESSIONID=abc; uid=7", "traceparent", trace))).contains("c:7");
        assertThat(keyOf(Map.of("cookie", "theme=dark; JSESSIONID=abc", "traceparent", trace))).contains("c:abc");
        assertThat(keyOf(Map.of("cookie", "theme=dark", "traceparent", trace))).contains("t:4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void theClientAddressAndMalformedTraceparentsGiveNoKey() {
        assertThat(KEYS.headers()).containsExactly("x-user-id");
        assertThat(keyOf(Map.of())).isEmpty();
        assertThat(keyOf(Map.of("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"))).isEmpty();
        assertThat(keyOf(Map.of("traceparent", "garbage"))).isEmpty();
        assertThat(keyOf(Map.of("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))).isEmpty();
    }
}
