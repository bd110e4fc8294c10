package dev.strangler.core.catalog;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalog records requests as the code before templating by offsets did: each request lands on
 * the endpoint (method, template) that the old templater, the old declared-template match and the old
 * method rule give, with the same counts, status codes, query names, path parameter kinds and
 * refusals at the cap. The reference is a plain replay over {@link ReferencePathTemplater} and a map by
 * {@link EndpointKey}; positions never generalize here (fewer distinct words than the templater's
 * threshold), so compaction, which the new code does not touch, has nothing to move.
 */
class CatalogRecordingPropertiesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH");

    record Request(String method, String path, int status) {}

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "GET", "get", "Get", "POST", "delete", "PROPFIND", "BREW", "poſt", "", "OTHER");
        Arbitrary<String> segment = Arbitraries.of("users", "Users", "orders", "orderLines", "me", "export", "v2", "api", "app",
                "42", "-1", "abc", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "2024-01-31", "2024-01-31T12:34:56Z", "%2e", "café",
                "{id}", "..", "dQw4w9WgXcQ", "ORD-2024-00042");
        // Up to 40 names in all, past the bound of 32 kept per endpoint; a name of 64 characters is kept, 65 is not.
        Arbitrary<String> manyNames = Arbitraries.integers().between(0, 39).map(i -> "p" + i + (i % 9 == 0 ? "=" + i : ""))
                .list().ofMinSize(1).ofMaxSize(12).map(names -> "?" + String.join("&", names));
        Arbitrary<String> tail = Arbitraries.oneOf(Arbitraries.of("", "/", "?a=1&b", "?a&a=2#x", "?=1&&b=", "#a?b=1", "?x#y&z",
                "?" + "n".repeat(64) + "=1", "?" + "m".repeat(65), "#frag", "?q" + "&q".repeat(3)), manyNames);
        Arbitrary<String> path = Combinators.combine(segment.list().ofMaxSize(4), tail)
                .as((segments, t) -> "/" + String.join("/", segments) + t);
        return Combinators.combine(method, path, Arbitraries.of(0, 200, 200, 404, 500))
                .as(Request::new).list().ofMaxSize(150);
    }

    @Provide
    Arbitrary<List<String>> declarations() {
        return Arbitraries.of("/users/{id}", "/Users/me", "/orderlines/{orderLineId}", "/api/v2/orders/{orderId}", "/app/{x}/export")
                .list().ofMaxSize(3).uniqueElements();
    }

    @Property(tries = 500)
    void recordsEveryRequestUnderTheEndpointTheOldCodeGave(@ForAll("requests") List<Request> requests,
                                                          @ForAll("declarations") List<String> declared,
                                                          @ForAll @IntRange(min = 1, max = 40) int maxEndpoints) {
        Catalog catalog = new Catalog(new PathTemplater(), maxEndpoints);
        Replay replay = new Replay(maxEndpoints);
        for (String template : declared) {
            catalog.declare(new EndpointKey("GET", template));
            replay.declare(new EndpointKey("GET", template));
        }
        for (Request r : requests) {
            catalog.record(r.method(), r.path(), r.status(), -1, 0, 0, Optional.empty(), Optional.empty(), T0);
            replay.record(r.method(), r.path(), r.status());
        }
        assertThat(replay.templater.generalizations()).isZero();
        assertThat(catalog.overflow()).isEqualTo(replay.overflow);
        assertThat(catalog.size()).isEqualTo(replay.endpoints.size());
        assertThat(comparable(catalog.snapshot())).isEqualTo(comparable(EndpointReconciler.reconcile(replay.summaries())));
    }

    /**
     * With positions that generalize (slugs), compaction moves endpoints to their new templates: every
     * request is still counted once, or as overflow (none lost to an endpoint the lookup still finds
     * after it moved).
     */
    @Property(tries = 300)
    void countsEveryRequestOnceWhileEndpointsMove(@ForAll("slugRequests") List<Request> requests,
                                                  @ForAll @IntRange(min = 1, max = 40) int maxEndpoints,
                                                  @ForAll @IntRange(min = 1, max = 3) int maxLiterals) {
        Catalog catalog = new Catalog(new PathTemplater(10_000, maxLiterals), maxEndpoints);
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            catalog.record(r.method(), r.path(), r.status(), -1, 0, 0, Optional.empty(), Optional.empty(), T0);
            if (i % 7 == 0) catalog.compact();
        }
        long counted = catalog.snapshot().stream().mapToLong(EndpointSummary::count).sum();
        assertThat(counted + catalog.overflow()).isEqualTo(requests.size());
    }

    @Provide
    Arbitrary<List<Request>> slugRequests() {
        Arbitrary<String> path = Combinators.combine(Arbitraries.strings().withChars("abcde").ofMinLength(1).ofMaxLength(2),
                Arbitraries.of("", "/7", "/comments", "/comments/3fa85f64-5717-4562-b3fc-2c963f66afa6", "/me"))
                .as((slug, rest) -> "/posts/" + slug + rest);
        return Combinators.combine(Arbitraries.of("GET", "post"), path, Arbitraries.of(200, 404)).as(Request::new)
                .list().ofMaxSize(120);
    }

    private static List<String> comparable(List<EndpointSummary> summaries) {
        return summaries.stream().map(s -> s.key() + " count=" + s.count() + " codes=" + new java.util.TreeMap<>(s.statusCodes())
                + " declared=" + s.declared() + " " + s.parameters().encode()).sorted().toList();
    }

    /** The old {@code Catalog.record}, reduced to what this test compares. */
    private static final class Replay {
        final ReferencePathTemplater templater = new ReferencePathTemplater();
        final ReferencePathTemplater.Declared declared = new ReferencePathTemplater.Declared();
        final Map<EndpointKey, Endpoint> endpoints = new LinkedHashMap<>();
        final int maxEndpoints;
        long overflow;

        Replay(int maxEndpoints) {
            this.maxEndpoints = maxEndpoints;
        }

        static final class Endpoint {
            long count;
            boolean declared;
            final Map<Integer, Long> codes = new HashMap<>();
            final Map<String, Long> queryNames = new HashMap<>();
            long otherQueryNames;
            int[] kinds;
        }

        void declare(EndpointKey key) {
            declared.add(key.template());
            endpoints.computeIfAbsent(key, k -> new Endpoint()).declared = true;
        }

        void record(String method, String path, int status) {
            List<String> segments = TemplatePath.segments(path);
            String template = declared.isEmpty() ? null : declared.match(segments);
            if (template == null) template = templater.template(segments);
            String upper = method.toUpperCase(Locale.ROOT);
            EndpointKey key = new EndpointKey(METHODS.contains(upper) ? upper : "OTHER", template);
            Endpoint e = endpoints.get(key);
            if (e == null) {
                if (endpoints.size() >= maxEndpoints) {
                    overflow++;
                    return;
                }
                endpoints.put(key, e = new Endpoint());
            }
            e.count++;
            e.codes.merge(status, 1L, Long::sum);
            List<String> parts = TemplatePath.segments(template);
            if (e.kinds == null) e.kinds = new int[(int) parts.stream().filter(ReferencePathTemplater::isParamRule).count()];
            if (parts.size() == segments.size()) {
                int p = 0;
                for (int i = 0; i < parts.size(); i++)
                    if (ReferencePathTemplater.isParamRule(parts.get(i))) e.kinds[p++] |= ReferencePathTemplater.kindRule(segments.get(i));
            }
            int q = path.indexOf('?');
            if (q >= 0) countQuery(e, path, q);
        }

        private static void countQuery(Endpoint e, String path, int q) {
            int end = path.indexOf('#', q);
            if (end < 0) end = path.length();
            for (String pair : path.substring(q + 1, end).split("&", -1)) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (name.isEmpty()) continue;
                boolean kept = name.length() <= ObservedParameters.MAX_NAME_LENGTH
                        && (e.queryNames.containsKey(name) || e.queryNames.size() < ObservedParameters.MAX_QUERY_NAMES);
                if (kept) e.queryNames.merge(name, 1L, Long::sum);
                else e.otherQueryNames++;
            }
        }

        List<EndpointSummary> summaries() {
            List<EndpointSummary> out = new ArrayList<>();
            endpoints.forEach((key, e) -> {
                List<Integer> kinds = new ArrayList<>();
                int last = e.kinds == null ? 0 : e.kinds.length;
                while (last > 0 && e.kinds[last - 1] == 0) last--;
                for (int i = 0; i < last; i++) kinds.add(e.kinds[i]);
                Optional<Instant> seen = e.count > 0 ? Optional.of(T0) : Optional.empty();
                out.add(new EndpointSummary(key, e.count, e.codes, LatencySketch.empty(), 0, 0, seen, seen, Optional.empty(),
                        Optional.empty(), e.declared, new ObservedParameters(e.queryNames, e.otherQueryNames, kinds)));
            });
            return out;
        }
    }
}
