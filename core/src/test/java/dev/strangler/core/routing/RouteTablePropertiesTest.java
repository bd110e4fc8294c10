package dev.strangler.core.routing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trie in {@link RouteTable} against a brute-force oracle: scan every route, keep those that
 * match, pick the most specific by the documented order (segment by segment from the left, a
 * literal beats a parameter, which beats the end of the path, which beats {@code **}; then a
 * method list beats all methods). Every request over a small alphabet is checked, so prefixes,
 * dead ends and backtracking all occur.
 */
class RouteTablePropertiesTest {
    private static final List<String> PATH_ALPHABET = List.of("a", "b", "c", "d");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT");

    /** A generated route: its pattern as tokens ({@code a}, {@code {}} or a trailing {@code **}) and an optional method. */
    record Spec(List<String> tokens, Optional<String> method) {
        String patternText() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                b.append('/').append(t.equals("{}") ? "{p" + i + "}" : t);
            }
            return b.isEmpty() ? "/" : b.toString();
        }

        Route toRoute(int index) {
            RouteMatch match = RouteMatch.path(patternText());
            if (method.isPresent()) match = match.withMethods(method.get());
            return Route.of("r" + index + " " + patternText() + " " + method.orElse("*"), match, "svc");
        }

        boolean matches(List<String> path, String requestMethod) {
            if (method.isPresent() && !method.get().equals(requestMethod)) return false;
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (t.equals("**")) return true;
                if (i >= path.size()) return false;
                if (!t.equals("{}") && !t.equals(path.get(i))) return false;
            }
            return tokens.size() == path.size();
        }

        /** Rank of the token at i among patterns that match the same path: literal 3, param 2, end of pattern 1, {@code **} 0. */
        int kindAt(int i) {
            if (i >= tokens.size()) return 1;
            String t = tokens.get(i);
            return t.equals("**") ? 0 : t.equals("{}") ? 2 : 3;
        }
    }

    private static final Comparator<Spec> MORE_SPECIFIC_FIRST = (x, y) -> {
        int n = Math.max(x.tokens().size(), y.tokens().size());
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(y.kindAt(i), x.kindAt(i));
            if (c != 0) return c;
        }
        return Boolean.compare(y.method().isPresent(), x.method().isPresent());
    };

    @Property(tries = 300)
    void literalRoutesMatchLikeALinearScanForTheMostSpecific(@ForAll("literalRouteSets") List<Spec> specs) {
        checkAgainstOracle(specs);
    }

    @Property(tries = 300)
    void mixedRoutesMatchLikeALinearScanForTheMostSpecific(@ForAll("mixedRouteSets") List<Spec> specs) {
        checkAgainstOracle(specs);
    }

    private static void checkAgainstOracle(List<Spec> specs) {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) routes.add(specs.get(i).toRoute(i));
        // The generator keeps one route per (shape, method), so no pair is a tie and no conflict exists.
        assertThat(RouteTable.conflicts(routes)).isEmpty();
        RouteTable table = RouteTable.of(routes);

        for (List<String> path : allPaths(4)) {
            String pathText = "/" + String.join("/", path);
            for (String method : METHODS) assertMatchesOracle(specs, routes, table, pathText, path, method);
        }
    }

    /**
     * Raw request paths, with runs of {@code /}, a trailing {@code /}, segments that are prefixes of
     * one another and {@code Aa}/{@code BB} (equal {@link String#hashCode()}), match as the list of
     * their segments does: the table reads segments as index ranges of the path, while the oracle
     * is given {@link RequestPath#segments} of it, the split the table used before.
     */
    @Property(tries = 300)
    void rawPathsMatchAsTheirSplitSegmentsDo(@ForAll("collidingRouteSets") List<Spec> specs, @ForAll("rawPaths") List<String> paths) {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) routes.add(specs.get(i).toRoute(i));
        RouteTable table = RouteTable.of(routes);
        for (String pathText : paths)
            for (String method : METHODS) assertMatchesOracle(specs, routes, table, pathText, RequestPath.segments(pathText), method);
    }

    private static void assertMatchesOracle(List<Spec> specs, List<Route> routes, RouteTable table, String pathText,
                                            List<String> path, String method) {
        Optional<Route> expected = Optional.empty();
        Spec best = null;
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            if (s.matches(path, method) && (best == null || MORE_SPECIFIC_FIRST.compare(s, best) < 0)) {
                best = s;
                expected = Optional.of(routes.get(i));
            }
        }
        assertThat(table.match(RequestFacts.Of.get(pathText).withMethod(method)).map(Route::name))
                .as("%s %s", method, pathText)
                .isEqualTo(expected.map(Route::name));
    }

    private static List<List<String>> allPaths(int maxDepth) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        for (int start = 0, depth = 1; depth <= maxDepth; depth++) {
            int end = out.size();
            for (int i = start; i < end; i++) {
                for (String s : PATH_ALPHABET) {
                    List<String> longer = new ArrayList<>(out.get(i));
                    longer.add(s);
                    out.add(longer);
                }
            }
            start = end;
        }
        return out;
    }

    @Provide
    Arbitrary<List<Spec>> literalRouteSets() {
        return routeSets(Arbitraries.of("a", "b", "c"));
    }

    @Provide
    Arbitrary<List<Spec>> mixedRouteSets() {
        return routeSets(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of("a", "b", "c")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("{}"))));
    }

    @Provide
    Arbitrary<List<Spec>> collidingRouteSets() {
        return routeSets(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of("a", "A", "Aa", "BB", "aA")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("{}"))));
    }

    @Provide
    Arbitrary<List<String>> rawPaths() {
        return Arbitraries.strings().withChars('/', '/', 'a', 'A', 'B').ofMaxLength(10).map(p -> "/" + p).list().ofSize(40);
    }

    private static Arbitrary<List<Spec>> routeSets(Arbitrary<String> segment) {
        Arbitrary<List<String>> tokens = Combinators.combine(segment.list().ofMaxSize(3), Arbitraries.of(false, true))
                .as((segments, catchAll) -> {
                    List<String> t = new ArrayList<>(segments);
                    if (catchAll) t.add("**");
                    return t;
                });
        Arbitrary<Optional<String>> method = Arbitraries.of("GET", "POST").optional(0.6);
        Arbitrary<Spec> spec = Combinators.combine(tokens, method).as(Spec::new);
        return spec.list().ofMinSize(1).ofMaxSize(25).map(RouteTablePropertiesTest::onePerShapeAndMethod);
    }

    private static List<Spec> onePerShapeAndMethod(List<Spec> specs) {
        Set<Spec> seen = new HashSet<>();
        List<Spec> out = new ArrayList<>();
        for (Spec s : specs) if (seen.add(s)) out.add(s);
        return out;
    }
}
