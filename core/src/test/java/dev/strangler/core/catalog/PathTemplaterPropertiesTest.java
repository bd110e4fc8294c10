package dev.strangler.core.catalog;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Templating by offsets ({@link PathSegments}, {@link LiteralChildren}, {@link SegmentShape} over a
 * {@link CharSequence}) answers exactly as the string-per-segment code it replaced, kept as
 * {@link ReferencePathTemplater}: the same templates request by request, the same learning (nodes,
 * overflow, generalizations), the same re-templating, declared matches and parameter kinds. Paths
 * come from a messy alphabet (ids, signs, UUIDs, dates, percent-encoding, dot segments, braces,
 * non-ASCII, empty segments, trailing slashes, context prefixes), with small caps so that positions
 * generalize and the trie fills.
 */
class PathTemplaterPropertiesTest {

    @Provide
    Arbitrary<String> segments() {
        Arbitrary<String> fixed = Arbitraries.of("42", "-1", "+7", "0", "007", "-", "+", "12345678901234567890", "abc",
                "users", "Users", "orders", "ORDERS", "items", "line-items", "categories", "me", "export", "v2", "V1.2",
                "api", "app", "2024-01-31", "20240131", "2024-01", "2024-13", "2024-01-31T12:34:56Z", "1999-12-31 23:59",
                "%2e", "%2E%2e", "..%2f", "caf%C3%A9", "café", "ÉTÉ", "ſ", ".", "..", "{id}", "{date}", "{", "*",
                "a@b.co", "jane.doe@example.com", "dQw4w9WgXcQ", "k3j4h5g6f7d8", "a1b2c3d4", "deadbeefdeadbeef",
                "ORD-2024-00042", "x;jsessionid=1", "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "3FA85F64-5717-4562-B3FC-2C963F66AFA6", "3fa85f64-5717-4562-b3fc-2c963f66afaz", "3fa85f64_5717-4562-b3fc-2c963f66afa6");
        Arbitrary<String> uuid = Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(32)
                .map(h -> h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20));
        // One character off a UUID (a letter past f, a dash moved, a non-ASCII digit): never a UUID.
        Arbitrary<String> nearUuid = Combinators.combine(uuid, Arbitraries.integers().between(0, 35), Arbitraries.of('g', 'G', '-', '_', '0', 'é', '٣'))
                .as((u, at, c) -> u.substring(0, at) + c + u.substring(at + 1));
        Arbitrary<String> slug = Arbitraries.strings().withChars("abcxyz-").ofMinLength(1).ofMaxLength(5);
        Arbitrary<String> number = Arbitraries.longs().between(-5, 3_000_000).map(String::valueOf);
        Arbitrary<String> noise = Arbitraries.strings().withChars("aZ09-_.~%@;=:{}*+éſİ").ofMinLength(1).ofMaxLength(40);
        return Arbitraries.frequencyOf(
                Tuple.of(6, fixed), Tuple.of(1, uuid), Tuple.of(1, nearUuid), Tuple.of(3, slug),
                Tuple.of(2, number), Tuple.of(1, noise));
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> context = Arbitraries.of("", "", "/app", "/api", "/app/api", "/v2", "/api/v2");
        Arbitrary<String> separator = Arbitraries.of("/", "/", "/", "//");
        Arbitrary<String> body = Combinators.combine(segments(), separator).as((s, sep) -> sep + s).list().ofMaxSize(6)
                .map(parts -> String.join("", parts));
        Arbitrary<String> tail = Arbitraries.of("", "", "", "/", "?x=1&y", "/?q", "#top", "?a=b#c", "/#");
        Arbitrary<Boolean> relative = Arbitraries.of(false, false, false, false, true);
        return Combinators.combine(context, body, tail, relative).as((c, b, t, r) -> {
            String path = c + b + t;
            return r && path.startsWith("/") ? path.substring(1) : path;
        });
    }

    /** Paths around {@link PathTemplater#MAX_DEPTH} segments deep, past which nothing is learnt. */
    @Provide
    Arbitrary<String> deepPaths() {
        return Combinators.combine(Arbitraries.of("users", "42", "v2", "2024-01-31", "{date}", "me"), Arbitraries.integers().between(28, 36),
                Arbitraries.of("", "/x", "/{date}", "/2024-01-31", "/7")).as((s, n, tail) -> ("/" + s).repeat(n) + tail);
    }

    @Provide
    Arbitrary<List<String>> traffic() {
        return Arbitraries.frequencyOf(Tuple.of(20, paths()), Tuple.of(1, deepPaths())).list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 1000)
    void splitsAPathAsTheStringSplitDoes(@ForAll("paths") String path) {
        PathSegments segments = new PathSegments().split(path);
        List<String> expected = TemplatePath.segments(path);
        assertThat(segments.texts()).isEqualTo(expected);
        for (int i = 0; i < segments.count(); i++) {
            assertThat(segments.hash(i)).isEqualTo(expected.get(i).hashCode());
            assertThat(segments.is(i, expected.get(i))).isTrue();
            assertThat(segments.is(i, expected.get(i) + "x")).isFalse();
            assertThat(segments.view(i).toString()).isEqualTo(expected.get(i));
        }
    }

    @Property(tries = 2000)
    void judgesASegmentAsTheOldRulesDid(@ForAll("segments") String segment, @ForAll("paths") String around) {
        // The segment read in place, inside a longer path, must be judged as the string alone.
        PathSegments inPlace = new PathSegments().split(around.replaceAll("[?#].*", "") + "/" + segment + "/tail?q");
        int at = inPlace.count() - 2;
        assertThat(inPlace.text(at)).isEqualTo(segment);

        assertThat(SegmentShape.of(segment)).isEqualTo(ReferencePathTemplater.shapeRule(segment));
        assertThat(SegmentShape.of(inPlace.view(at))).isEqualTo(ReferencePathTemplater.shapeRule(segment));
        assertThat(SegmentShape.isUuid(inPlace.view(at))).isEqualTo(ReferencePathTemplater.isUuidRule(segment));
        assertThat(SegmentShape.isSignedInteger(inPlace.view(at))).isEqualTo(ReferencePathTemplater.isSignedInteger(segment));
        assertThat(SegmentShape.isParam(inPlace.view(at))).isEqualTo(ReferencePathTemplater.isParamRule(segment));
        assertThat(SegmentShape.isUnfitForLiteral(inPlace.view(at))).isEqualTo(ReferencePathTemplater.isUnfitRule(segment));
        assertThat(ObservedParameters.kindOf(inPlace.view(at))).isEqualTo(ReferencePathTemplater.kindRule(segment));
    }

    @Property(tries = 300)
    void templatesTrafficAsTheOldTemplaterDid(@ForAll("traffic") List<String> paths,
                                              @ForAll @IntRange(min = 1, max = 80) int maxNodes,
                                              @ForAll @IntRange(min = 1, max = 4) int maxLiterals) {
        assertSameAsBefore(paths, new PathTemplater(maxNodes, maxLiterals), new ReferencePathTemplater(maxNodes, maxLiterals));
    }

    @Property(tries = 200)
    void templatesTrafficAsTheOldTemplaterDidWithTheDefaultCaps(@ForAll("traffic") List<String> paths) {
        assertSameAsBefore(paths, new PathTemplater(), new ReferencePathTemplater());
    }

    /** A position of many distinct slugs generalizes, some values survive by their share, the rest are dropped. */
    @Property(tries = 200)
    void generalizesAsTheOldTemplaterDid(@ForAll("slugTraffic") List<String> paths,
                                        @ForAll @IntRange(min = 1, max = 6) int maxLiterals) {
        assertSameAsBefore(paths, new PathTemplater(10_000, maxLiterals), new ReferencePathTemplater(10_000, maxLiterals));
    }

    /**
     * Bursts of one path repeated 1 to 12 times, so that at the moment a position generalizes some of
     * its values sit right at the share that keeps them (10 requests while the node saw at most 100).
     */
    @Provide
    Arbitrary<List<String>> slugTraffic() {
        Arbitrary<String> popular = Arbitraries.of("/posts/hot", "/posts/hot/comments", "/posts/me", "/posts/new/42");
        Arbitrary<String> rare = Arbitraries.strings().withChars("abcdefgh").ofMinLength(1).ofMaxLength(3)
                .map(s -> "/posts/" + s + (s.length() == 2 ? "/comments/7" : ""));
        Arbitrary<List<String>> burst = Combinators.combine(Arbitraries.frequencyOf(Tuple.of(1, popular), Tuple.of(2, rare)),
                Arbitraries.integers().between(1, 12)).as((path, times) -> java.util.Collections.nCopies(times, path));
        return burst.list().ofMinSize(1).ofMaxSize(40).map(bursts -> bursts.stream().flatMap(List::stream).toList());
    }

    @Property(tries = 500)
    void matchesDeclaredTemplatesAsBefore(@ForAll("declarations") List<String> declared, @ForAll("traffic") List<String> paths) {
        DeclaredTemplates now = new DeclaredTemplates();
        ReferencePathTemplater.Declared before = new ReferencePathTemplater.Declared();
        for (String template : declared) {
            now.add(template);
            before.add(template);
        }
        assertThat(now.isEmpty()).isEqualTo(before.isEmpty());
        for (String path : paths) {
            assertThat(now.match(new PathSegments().split(path))).as(path).isEqualTo(before.match(TemplatePath.segments(path)));
            assertThat(now.matchTemplate(path)).as(path).isEqualTo(before.matchTemplate(path));
        }
        for (String template : declared) assertThat(now.matchTemplate(template)).isEqualTo(before.matchTemplate(template));
    }

    @Provide
    Arbitrary<List<String>> declarations() {
        Arbitrary<String> segment = Arbitraries.of("users", "Users", "orders", "orderLines", "items", "me", "v2", "api", "app",
                "café", "ÉTÉ", "{id}", "{userId}", "{date}", "42");
        return segment.list().ofMaxSize(4).map(s -> "/" + String.join("/", s)).list().ofMaxSize(8);
    }

    private static void assertSameAsBefore(List<String> paths, PathTemplater now, ReferencePathTemplater before) {
        List<String> templates = new ArrayList<>();
        for (String path : paths) {
            String expected = before.template(TemplatePath.segments(path));
            assertThat(now.template(path)).as("template of %s", path).isEqualTo(expected);
            templates.add(expected);
            assertThat(now.nodeCount()).as("nodes after %s", path).isEqualTo(before.nodeCount());
        }
        assertThat(now.overflow()).isEqualTo(before.overflow());
        assertThat(now.generalizations()).isEqualTo(before.generalizations());
        for (String template : templates) assertThat(now.resolve(template)).as("resolving %s", template).isEqualTo(before.resolve(template));
        for (String path : paths) assertThat(now.resolve(path)).as("resolving %s", path).isEqualTo(before.resolve(path));
    }

    @Property(tries = 300)
    void findsChildrenByStringOrInPlaceAlike(@ForAll("traffic") List<String> paths) {
        LiteralChildren<String> children = new LiteralChildren<>();
        java.util.Map<String, String> expected = new java.util.HashMap<>();
        for (String path : paths) {
            PathSegments segments = new PathSegments().split(path);
            for (int i = 0; i < segments.count(); i++) {
                String text = segments.text(i);
                assertThat(children.get(segments, i)).isEqualTo(expected.get(text));
                if (text.length() % 3 == 0) { // some removed, most added: both paths of the table
                    assertThat(children.remove(text)).isEqualTo(expected.remove(text));
                } else {
                    children.put(text, path);
                    expected.put(text, path);
                }
                assertThat(children.get(text)).isEqualTo(expected.get(text));
            }
        }
        assertThat(children.size()).isEqualTo(expected.size());
        assertThat(children.keys()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }
}
