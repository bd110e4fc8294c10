package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Makes one catalog of endpoint summaries that came from different places (declared by an OpenAPI
 * document, learned at different times, summed over a fleet) name each endpoint once. Pure: the
 * input is not changed; run wherever a catalog is read ({@link Catalog#snapshot()}, {@code analyze},
 * the OpenAPI export).
 *
 * <ol>
 *   <li><b>Declared names win.</b> A learned template that has the shape of a declared one (the same
 *       literals, whatever their case, and parameters at the same positions, whatever their names;
 *       or a literal where the declared template has a parameter) is merged into the declared
 *       endpoint: {@code /orderlines/{orderlineId}} into {@code /orderLines/{orderLineId}}.</li>
 *   <li><b>One name per shape.</b> Learned templates of one shape ({@code /a/{id}} and
 *       {@code /a/{aId}}) are merged under the name of the busiest; a declared name wins over them
 *       (the first by name, should a spec declare two). OpenAPI forbids two such paths.</li>
 *   <li><b>Positions that only answer 4xx are parameters.</b> A learned endpoint whose every answer
 *       said "no such thing" (see {@link EndpointSummary#onlyNotFoundLike()}) is a literal value that
 *       names nothing: at its last literal position (not the first segment) where either an endpoint
 *       of the same method with a parameter there exists, or at least {@value #JUNK_SIBLINGS} such
 *       endpoints differ only there, the literal becomes that parameter ({@code /items/abc} →
 *       {@code /items/{itemId}}).</li>
 * </ol>
 * Summaries are added with {@link EndpointSummary#plus}; the path parameter kinds follow the move.
 */
public final class EndpointReconciler {
    /** 4xx-only endpoints that must differ at one position for it to become a parameter without a sibling. */
    static final int JUNK_SIBLINGS = 3;

    private EndpointReconciler() {}

    public static List<EndpointSummary> reconcile(List<EndpointSummary> endpoints) {
        Objects.requireNonNull(endpoints, "endpoints");
        Map<EndpointKey, EndpointSummary> byKey = sum(endpoints);
        // A move can make a new 4xx-only endpoint (a 404-only literal joining a parameter endpoint that
        // had no answers of its own), which the rules would move again on the next read. Applying them
        // until nothing moves makes reconciling idempotent. It ends: every pass that changes anything
        // merges two endpoints or turns a literal into a parameter, and neither can be undone.
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            Map<EndpointKey, EndpointSummary> next = notFoundPositions(oneNamePerShape(toDeclared(byKey)));
            if (next.keySet().equals(byKey.keySet())) return List.copyOf(next.values());
            byKey = next;
        }
        return List.copyOf(byKey.values());
    }

    /** A bound the argument above never reaches (at most one pass per endpoint and literal); kept as a guard. */
    private static final int MAX_PASSES = 64;

    /** The shape of a template: its segments with every parameter as {@code {}}. */
    static String shape(String template) {
        StringBuilder b = new StringBuilder();
        for (String s : TemplatePath.segments(template)) b.append('/').append(SegmentShape.isParam(s) ? "{}" : s);
        return b.isEmpty() ? "/" : b.toString();
    }

    private static Map<EndpointKey, EndpointSummary> sum(List<EndpointSummary> endpoints) {
        Map<EndpointKey, EndpointSummary> byKey = new TreeMap<>();
        for (EndpointSummary e : endpoints) byKey.merge(e.key(), e, EndpointSummary::plus);
        return byKey;
    }

    private static Map<EndpointKey, EndpointSummary> moved(Map<EndpointKey, EndpointSummary> byKey, Map<EndpointKey, EndpointKey> moves) {
        if (moves.isEmpty()) return byKey;
        Map<EndpointKey, EndpointSummary> out = new TreeMap<>();
        for (EndpointSummary e : byKey.values()) {
            EndpointKey to = moves.get(e.key());
            EndpointSummary s = to == null ? e : e.movedTo(to);
            out.merge(s.key(), s, EndpointSummary::plus);
        }
        return out;
    }

    private static Map<EndpointKey, EndpointSummary> toDeclared(Map<EndpointKey, EndpointSummary> byKey) {
        DeclaredTemplates declared = new DeclaredTemplates();
        for (EndpointSummary e : byKey.values()) if (e.declared()) declared.add(e.key().template());
        if (declared.isEmpty()) return byKey;
        Map<EndpointKey, EndpointKey> moves = new HashMap<>();
        for (EndpointSummary e : byKey.values()) {
            if (e.declared()) continue;
            String template = declared.matchTemplate(e.key().template());
            if (template != null && !template.equals(e.key().template()))
                moves.put(e.key(), new EndpointKey(e.key().method(), template));
        }
        return moved(byKey, moves);
    }

    private static Map<EndpointKey, EndpointSummary> oneNamePerShape(Map<EndpointKey, EndpointSummary> byKey) {
        // per shape, the template that names it: a declared one, else the busiest (then the first by name)
        Map<String, String> names = new HashMap<>();
        Map<String, Long> weights = new HashMap<>();
        Map<String, Long> requestsByTemplate = new HashMap<>();
        Map<String, Boolean> declaredTemplate = new HashMap<>();
        for (EndpointSummary e : byKey.values()) {
            requestsByTemplate.merge(e.key().template(), e.count(), Long::sum);
            if (e.declared()) declaredTemplate.put(e.key().template(), true);
        }
        List<String> templates = new ArrayList<>(requestsByTemplate.keySet());
        templates.sort(Comparator.naturalOrder());
        for (String t : templates) {
            String shape = shape(t);
            long weight = declaredTemplate.containsKey(t) ? Long.MAX_VALUE : requestsByTemplate.get(t);
            Long best = weights.get(shape);
            if (best == null || weight > best) {
                names.put(shape, t);
                weights.put(shape, weight);
            }
        }
        Map<EndpointKey, EndpointKey> moves = new HashMap<>();
        for (EndpointSummary e : byKey.values()) {
            String name = names.get(shape(e.key().template()));
            if (!name.equals(e.key().template()))
                moves.put(e.key(), new EndpointKey(e.key().method(), name));
        }
        return moved(byKey, moves);
    }

    private static Map<EndpointKey, EndpointSummary> notFoundPositions(Map<EndpointKey, EndpointSummary> byKey) {
        // endpoints by method and shape: the parameters a 4xx-only literal may be taken for
        Map<String, String> templateByMethodShape = new HashMap<>();
        for (EndpointSummary e : byKey.values())
            templateByMethodShape.putIfAbsent(e.key().method() + " " + shape(e.key().template()), e.key().template());
        // candidates: per 4xx-only endpoint, each literal position made a parameter
        Map<String, List<EndpointKey>> siblings = new LinkedHashMap<>();
        Map<EndpointKey, List<Candidate>> candidates = new HashMap<>();
        for (EndpointSummary e : byKey.values()) {
            if (e.isKnownEndpoint()) continue;
            List<String> segments = TemplatePath.segments(e.key().template());
            List<Candidate> mine = new ArrayList<>();
            for (int p = segments.size() - 1; p >= 1; p--) {
                if (SegmentShape.isParam(segments.get(p))) continue;
                String candidate = e.key().method() + " " + shapeWithParamAt(segments, p);
                mine.add(new Candidate(candidate, p));
                siblings.computeIfAbsent(candidate, k -> new ArrayList<>()).add(e.key());
            }
            candidates.put(e.key(), mine);
        }
        Map<EndpointKey, EndpointKey> moves = new HashMap<>();
        for (Map.Entry<EndpointKey, List<Candidate>> c : candidates.entrySet()) {
            for (Candidate candidate : c.getValue()) {
                String existing = templateByMethodShape.get(candidate.methodAndShape());
                List<EndpointKey> sameShape = siblings.get(candidate.methodAndShape());
                if (existing == null && sameShape.size() < JUNK_SIBLINGS) continue;
                String template = existing != null ? existing
                        : templateWithParamAt(TemplatePath.segments(sameShape.getFirst().template()), candidate.position());
                moves.put(c.getKey(), new EndpointKey(c.getKey().method(), template));
                break;
            }
        }
        return moved(byKey, moves);
    }

    private static String shapeWithParamAt(List<String> segments, int p) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < segments.size(); i++)
            b.append('/').append(i == p || SegmentShape.isParam(segments.get(i)) ? "{}" : segments.get(i));
        return b.toString();
    }

    /** A 4xx-only endpoint's literal at {@code position} taken as a parameter: "METHOD /shape". */
    private record Candidate(String methodAndShape, int position) {}

    private static String templateWithParamAt(List<String> segments, int p) {
        TemplatePath.Builder b = new TemplatePath.Builder();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (i == p || SegmentShape.isParam(s)) b.param(s.equals("{date}"));
            else b.literal(s);
        }
        return b.build();
    }
}
