package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the requests of one endpoint carried besides the template: the names of their query
 * parameters (how many requests had each; values are never kept), and for each path parameter of
 * the template, in order, the kinds of value seen there (a bit set of {@link #INTEGER}, {@link #UUID},
 * {@link #DATE}, {@link #DATE_TIME}, {@link #TEXT}), from which the OpenAPI export infers a type.
 *
 * <p>Bounded: at most {@value #MAX_QUERY_NAMES} query names per endpoint, each at most
 * {@value #MAX_NAME_LENGTH} characters; names beyond are counted in {@code otherQueryNames}.
 *
 * @param queryNames      requests by query parameter name
 * @param otherQueryNames requests' query names not kept (beyond the bound)
 * @param pathKinds       per path parameter of the template, in order, the kinds of value seen
 */
public record ObservedParameters(Map<String, Long> queryNames, long otherQueryNames, List<Integer> pathKinds) {
    public static final int INTEGER = 1;
    public static final int UUID = 2;
    public static final int DATE = 4;
    public static final int DATE_TIME = 8;
    public static final int TEXT = 16;
    public static final int MAX_QUERY_NAMES = 32;
    public static final int MAX_NAME_LENGTH = 64;

    public static final ObservedParameters NONE = new ObservedParameters(Map.of(), 0, List.of());

    public ObservedParameters {
        queryNames = Map.copyOf(queryNames);
        pathKinds = List.copyOf(pathKinds);
        if (otherQueryNames < 0) throw new IllegalArgumentException("otherQueryNames: " + otherQueryNames + " (expected: >= 0)");
    }

    /** The kind of one path segment's value; also for a segment read in place, which it does not keep. */
    public static int kindOf(CharSequence segment) {
        if (SegmentShape.isSignedInteger(segment)) return INTEGER;
        if (SegmentShape.isUuid(segment)) return UUID;
        if (SegmentShape.of(segment) == SegmentShape.DATE) return SegmentShape.isIsoDate(segment) ? DATE : DATE_TIME;
        return TEXT;
    }

    /** The OpenAPI type and format of a kind set: {@code integer}, {@code string/uuid}, {@code string/date}, … or plain {@code string}. */
    public static String[] openApiType(int kinds) {
        return switch (kinds) {
            case INTEGER -> new String[] {"integer", "int64"};
            case UUID -> new String[] {"string", "uuid"};
            case DATE -> new String[] {"string", "date"};
            case DATE_TIME -> new String[] {"string", "date-time"};
            default -> new String[] {"string", null};
        };
    }

    /** Both as one: query counts added (within the bound), kinds joined position by position. */
    public ObservedParameters plus(ObservedParameters other) {
        Map<String, Long> names = new TreeMap<>(queryNames);
        long others = otherQueryNames + other.otherQueryNames;
        for (Map.Entry<String, Long> e : other.queryNames.entrySet()) {
            if (names.containsKey(e.getKey()) || names.size() < MAX_QUERY_NAMES) names.merge(e.getKey(), e.getValue(), Long::sum);
            else others += e.getValue();
        }
        List<Integer> kinds = new ArrayList<>();
        for (int i = 0; i < Math.max(pathKinds.size(), other.pathKinds.size()); i++)
            kinds.add((i < pathKinds.size() ? pathKinds.get(i) : 0) | (i < other.pathKinds.size() ? other.pathKinds.get(i) : 0));
        return new ObservedParameters(names, others, kinds);
    }

    /**
     * These parameters as recorded under {@code from}, moved to the template {@code to} of the same
     * shape or with more parameters: a path parameter of {@code to} that was a literal of {@code from}
     * gets that literal's kind.
     */
    ObservedParameters movedTo(String from, String to) {
        List<String> source = TemplatePath.segments(from);
        List<String> target = TemplatePath.segments(to);
        if (source.size() != target.size()) return new ObservedParameters(queryNames, otherQueryNames, List.of());
        List<Integer> kinds = new ArrayList<>();
        int sourceParam = 0;
        for (int i = 0; i < target.size(); i++) {
            boolean wasParam = SegmentShape.isParam(source.get(i));
            int kind = wasParam ? (sourceParam < pathKinds.size() ? pathKinds.get(sourceParam) : 0) : kindOf(source.get(i));
            if (wasParam) sourceParam++;
            if (SegmentShape.isParam(target.get(i))) kinds.add(kind);
        }
        return new ObservedParameters(queryNames, otherQueryNames, kinds);
    }

    /** {@code a:3,b:1;~:2;p:1,16}: a compact text form for a store column, read back by {@link #parse}. */
    public String encode() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(queryNames).forEach((name, n) -> b.append(b.isEmpty() ? "" : ",").append(escape(name)).append(':').append(n));
        b.append(";~:").append(otherQueryNames).append(";p:");
        for (int i = 0; i < pathKinds.size(); i++) b.append(i == 0 ? "" : ",").append(pathKinds.get(i));
        return b.toString();
    }

    /** Reads {@link #encode}'s form; {@link #NONE} for null or blank (rows written before it existed). */
    public static ObservedParameters parse(String text) {
        if (text == null || text.isBlank()) return NONE;
        String[] parts = text.split(";", -1);
        if (parts.length != 3 || !parts[1].startsWith("~:") || !parts[2].startsWith("p:"))
            throw new IllegalArgumentException("observed parameters: '" + text + "' (expected: names;~:n;p:kinds)");
        Map<String, Long> names = new TreeMap<>();
        if (!parts[0].isEmpty()) {
            for (String pair : parts[0].split(",")) {
                int colon = pair.lastIndexOf(':');
                names.put(unescape(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
            }
        }
        List<Integer> kinds = new ArrayList<>();
        String k = parts[2].substring(2);
        if (!k.isEmpty()) for (String v : k.split(",")) kinds.add(Integer.parseInt(v));
        return new ObservedParameters(names, Long.parseLong(parts[1].substring(2)), kinds);
    }

    private static String escape(String name) {
        return name.replace("%", "%25").replace(",", "%2C").replace(";", "%3B").replace(":", "%3A");
    }

    private static String unescape(String name) {
        return name.replace("%3A", ":").replace("%3B", ";").replace("%2C", ",").replace("%25", "%");
    }

    @Override
    public String toString() {
        return "ObservedParameters" + queryNames.keySet() + pathKinds.stream().map(k -> Integer.toString(k, 2))
                .toList().toString().toLowerCase(Locale.ROOT);
    }
}
