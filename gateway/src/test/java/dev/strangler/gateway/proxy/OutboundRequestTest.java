package dev.strangler.gateway.proxy;

import dev.strangler.core.rewrite.HeaderRules;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundRequestTest {
    @Test
    void theClientsHeadersComeFirstInTheirOrderThenTheOnesTheGatewaySets() {
        MultiMap client = HttpHeaders.headers().add("Host", "shop.example:8080").add("Accept", "*/*")
                .add("X-Forwarded-For", "10.0.0.1").add("X-Request-Id", "from-client").add("Connection", "keep-alive").add("X-Trace", "t");

        List<String> lines = lines(new OutboundRequest.Inbound(client, client.getAll("Connection").size(), false, false, false, "shop.example:8080", "127.0.0.1", "http"),
                "id-1", HeaderRules.NONE, "shop.example:8080");

        assertThat(lines).containsExactly("Accept: */*", "X-Trace: t", "X-Forwarded-For: 10.0.0.1, 127.0.0.1", "X-Forwarded-Proto: http",
                "X-Forwarded-Host: shop.example:8080", "X-Request-Id: id-1", "host: shop.example:8080");
    }

    /**
     * The checked authority stands in for Vert.x's parse of it: what the backend is told the client
     * asked for (X-Forwarded-Host, Host) must be what rendering Vert.x's parse gave, whatever the form.
     */
    @Property(tries = 2000)
    void theClientHostIsWhatVertxsParseOfTheAuthorityRendered(@ForAll("authorities") String authority) {
        HostAndPort parsed;
        try {
            parsed = authority.isEmpty() ? null : HostAndPort.parseAuthority(authority, -1);
        } catch (RuntimeException vertxFails) { // e.g. on "a%41", which the check refuses before: the same failure, then
            assertThatThrownBy(() -> OutboundRequest.clientHost(authority)).isInstanceOf(vertxFails.getClass());
            return;
        }
        String rendered = parsed == null ? null : parsed.port() > 0 ? parsed.host() + ":" + parsed.port() : parsed.host();

        assertThat(OutboundRequest.clientHost(authority)).isEqualTo(rendered);
    }

    /** Plain names and addresses with ports of every shape (leading zeros, 0, too large, empty), IPv6 literals, and stray characters. */
    @Provide
    Arbitrary<String> authorities() {
        Arbitrary<String> hosts = Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09-._~").ofMinLength(0).ofMaxLength(8),
                Arbitraries.of("example.com", "Shop.Example", "127.0.0.1", "[::1]", "[::FFFF:1.2.3.4]", "[]", "[v1.x]", "a b", "a%41", "a!b", "é"));
        Arbitrary<String> ports = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(7).map(p -> ":" + p),
                Arbitraries.integers().between(0, 70_000).map(p -> ":" + p),
                Arbitraries.of(":1:2", ":x", "::"));
        return Combinators.combine(hosts, ports).as((host, port) -> host + port);
    }

    @Property(tries = 200)
    void theTargetIsTheBasePathThenThePathThenTheQuery(@ForAll("basePaths") String basePath, @ForAll("paths") String path,
                                                       @ForAll("queries") String query) {
        assertThat(OutboundRequest.uri(basePath, path, query)).isEqualTo(basePath + path + (query == null ? "" : "?" + query));
    }

    @Provide
    Arbitrary<String> basePaths() {
        return Arbitraries.of("", "/base", "/a/b");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("", "/", "/api/items/42", "/%C3%A9");
    }

    @Provide
    Arbitrary<String> queries() {
        return Arbitraries.of("", "page=2", "a=1&b=").injectNull(0.4);
    }

    @Test
    void withoutRouteEditsTheClientsCopiesOfTheGatewaysHeadersAreDroppedInAnyCase() {
        MultiMap client = HttpHeaders.headers().add("x-forwarded-proto", "ftp").add("X-FORWARDED-HOST", "evil").add("x-request-id", "c")
                .add("Content-Length", "0").add("Accept", "*/*");

        List<String> withHost = lines(new OutboundRequest.Inbound(client, client.getAll("Connection").size(), false, true, false, "shop.example", "127.0.0.1", "http"),
                "id-1", HeaderRules.NONE, "shop.example");
        List<String> withoutHost = lines(new OutboundRequest.Inbound(client, client.getAll("Connection").size(), false, false, false, "", "127.0.0.1", "http"),
                "id-1", HeaderRules.NONE, "service:9000");

        assertThat(withHost).containsExactly("Accept: */*", "X-Forwarded-For: 127.0.0.1", "X-Forwarded-Proto: http",
                "X-Forwarded-Host: shop.example", "X-Request-Id: id-1", "host: shop.example");
        // No X-Forwarded-Host of the gateway's own: the client's passes through, as setting on a map left it.
        assertThat(withoutHost).containsExactly("X-FORWARDED-HOST: evil", "Content-Length: 0", "Accept: */*", "X-Forwarded-For: 127.0.0.1",
                "X-Forwarded-Proto: http", "X-Request-Id: id-1", "host: service:9000");
    }

    @Test
    void aClientsShadowMarkIsNeverForwardedButARoutesOwnSetOfItIs() {
        MultiMap client = HttpHeaders.headers().add("X-Strangler-Shadow", "true").add("Accept", "*/*").add("x-strangler-shadow", "1")
                .add("X-STRANGLER-SHADOW", "yes");
        OutboundRequest.Inbound in = new OutboundRequest.Inbound(client, client.getAll("Connection").size(), false, false, false, "shop.example", "127.0.0.1", "http");

        List<String> withoutEdits = lines(in, "id-1", HeaderRules.NONE, "shop.example");
        List<String> withOtherEdits = lines(in, "id-1", new HeaderRules(Map.of("X-From", "strangler"), Set.of("cookie")), "shop.example");
        List<String> setByTheRoute = lines(in, "id-1", new HeaderRules(Map.of("X-Strangler-Shadow", "operator"), Set.of()), "shop.example");

        assertThat(withoutEdits).containsExactly("Accept: */*", "X-Forwarded-For: 127.0.0.1", "X-Forwarded-Proto: http",
                "X-Forwarded-Host: shop.example", "X-Request-Id: id-1", "host: shop.example");
        assertThat(withOtherEdits).noneMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("x-strangler-shadow:"))
                .contains("X-From: strangler");
        assertThat(setByTheRoute).filteredOn(line -> line.toLowerCase(Locale.ROOT).startsWith("x-strangler-shadow:"))
                .containsExactly("X-Strangler-Shadow: operator");
    }

    /**
     * The lines are written without building a header map; they must be exactly what building one
     * gave (copy the end-to-end headers, then set and remove on the map), in the same order.
     */
    @Property(tries = 1000)
    void theHeaderLinesAreWhatSettingThemOnAMapGave(@ForAll("clientHeaders") List<Tuple.Tuple2<String, String>> fields,
                                                   @ForAll boolean tunnel, @ForAll boolean chunked,
                                                   @ForAll("clientHosts") String clientHost, @ForAll("rules") HeaderRules rules) {
        MultiMap client = HttpHeaders.headers();
        for (Tuple.Tuple2<String, String> field : fields) client.add(field.get1(), field.get2());
        String host = clientHost == null ? "service:9000" : clientHost;
        OutboundRequest.Inbound in = new OutboundRequest.Inbound(client, client.getAll("Connection").size(), tunnel, chunked, false, clientHost, "192.0.2.7", "https");

        assertThat(lines(in, "rid", rules, host)).containsExactlyElementsOf(onAMap(in, "rid", rules, host));
    }

    private static List<String> lines(OutboundRequest.Inbound in, String requestId, HeaderRules rules, String host) {
        List<String> lines = new ArrayList<>();
        OutboundRequest.writeHeaders(in, requestId, rules, host, (name, value) -> lines.add(name + ": " + value));
        return lines;
    }

    /** How the headers were made before: a map, edited in place. */
    private static List<String> onAMap(OutboundRequest.Inbound in, String requestId, HeaderRules rules, String host) {
        MultiMap headers = ProxyHeaders.endToEnd(in.headers(), true);
        headers.remove(ShadowCopy.HEADER); // the client's mark, never forwarded
        if (in.tunnel() && in.headers().get("Upgrade") != null) {
            headers.set(HttpHeaders.UPGRADE, in.headers().get("Upgrade"));
            headers.set(HttpHeaders.CONNECTION, "Upgrade");
        }
        if (in.chunked()) headers.remove(HttpHeaders.CONTENT_LENGTH);
        String prior = headers.get("X-Forwarded-For");
        headers.set("X-Forwarded-For", prior == null || prior.isBlank() ? in.clientAddress() : prior + ", " + in.clientAddress());
        headers.set("X-Forwarded-Proto", in.scheme());
        if (in.clientHost() != null && !in.clientHost().isEmpty()) headers.set("X-Forwarded-Host", in.clientHost());
        headers.set("X-Request-Id", requestId);
        for (String name : rules.remove()) headers.remove(name);
        rules.set().forEach(headers::set);
        headers.set(HttpHeaders.HOST, host);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) lines.add(h.getKey() + ": " + h.getValue());
        return lines;
    }

    /** Requests that carry what the gateway sets (in any case), what it drops (the shadow mark too), what a Connection header names, and repeats. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<String, String>>> clientHeaders() {
        Arbitrary<String> names = Arbitraries.of("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-Id", "Host",
                        "Content-Length", "Connection", "Upgrade", "Keep-Alive", "X-A", "Accept", "Cookie", "X-Strangler-Shadow")
                .flatMap(name -> Arbitraries.integers().between(0, 2)
                        .map(c -> c == 0 ? name : c == 1 ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT)));
        Arbitrary<String> values = Arbitraries.of("1", "", "  ", "10.0.0.1", "websocket", "keep-alive", "x-forwarded-for", "x-a, Upgrade", "true");
        return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(14);
    }

    @Provide
    Arbitrary<String> clientHosts() {
        return Arbitraries.of("shop.example", "shop.example:8080", "").injectNull(0.2);
    }

    @Provide
    Arbitrary<HeaderRules> rules() {
        Arbitrary<Set<String>> removed = Arbitraries.of("x-a", "X-Forwarded-For", "x-request-id", "accept", "host", "cookie", "x-strangler-shadow").set().ofMaxSize(3);
        Arbitrary<Map<String, String>> set = Arbitraries.of("X-A", "X-Forwarded-Proto", "Host", "x-request-id", "Accept", "X-New", "X-Strangler-Shadow")
                .map(name -> Map.entry(name, "set-" + name)).set().ofMaxSize(3)
                .map(entries -> Map.ofEntries(entries.toArray(Map.Entry[]::new)));
        // A route without edits takes a path of its own (no list of set headers): a third of the tries.
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(HeaderRules.NONE)),
                Tuple.of(2, Combinators.combine(set, removed).as(HeaderRules::new)));
    }
}
