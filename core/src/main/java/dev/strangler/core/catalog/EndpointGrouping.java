package dev.strangler.core.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How endpoints are grouped into candidate slices, the way an architect would name them.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>The <b>common prefix</b> of all templates (a context path {@code /shop/api}, {@code /api},
 *       a version every path shares) says nothing about domains, so it does not count toward the
 *       depth. It never swallows a resource: every template keeps at least one literal after it.</li>
 *   <li><b>Version segments</b> ({@code v1}, {@code v2}, {@code v10}) never count and are left out
 *       of the group's name, so {@code /v2/orders/{id}} and {@code /orders} are one group,
 *       {@code /orders}, which spans the concrete path prefixes {@code /v2/orders} and {@code /orders}.</li>
 *   <li>After the common prefix, the group is the first {@code depth} literal segments, up to the
 *       first parameter.</li>
 * </ol>
 * The group's name keeps the common prefix ({@code /shop/api/orders}), so it reads as a path.
 *
 * @param common the common prefix's segments, skipped when counting
 * @param depth  literal segments after the common prefix that make a group (versions not counted)
 */
public record EndpointGrouping(List<String> common, int depth) {
    /** Resource segments after the common prefix, when one exists ({@code /shop/api} + {@code /orders}). */
    public static final int DEFAULT_DEPTH = 1;
    /**
     * When paths share no prefix, the first segment usually names an area ({@code /api}, {@code /admin})
     * rather than a resource, so the default is one deeper.
     */
    public static final int DEFAULT_DEPTH_WITHOUT_COMMON_PREFIX = 2;

    public EndpointGrouping {
        common = List.copyOf(common);
        if (depth < 1) throw new IllegalArgumentException("depth: " + depth + " (expected: >= 1)");
    }

    /** One group: its name and the concrete path prefix of one template in it. */
    public record Group(String name, String pathPrefix) {}

    /** The grouping of these templates at the default depth. */
    public static EndpointGrouping of(Collection<String> templates) {
        List<String> common = commonPrefix(templates);
        return new EndpointGrouping(common, common.isEmpty() ? DEFAULT_DEPTH_WITHOUT_COMMON_PREFIX : DEFAULT_DEPTH);
    }

    /** The grouping of these templates with {@code depth} literals after their common prefix. */
    public static EndpointGrouping of(Collection<String> templates, int depth) {
        return new EndpointGrouping(commonPrefix(templates), depth);
    }

    /** The common prefix as a path, {@code /shop/api}; {@code /} when there is none. */
    public String commonPath() {
        return common.isEmpty() ? "/" : "/" + String.join("/", common);
    }

    /** The group of one template. */
    public Group groupOf(String template) {
        List<String> segments = TemplatePath.segments(template);
        StringBuilder name = new StringBuilder();
        StringBuilder path = new StringBuilder();
        int i = 0;
        boolean skipsCommon = segments.size() >= common.size() && segments.subList(0, common.size()).equals(common);
        if (skipsCommon) {
            for (; i < common.size(); i++) {
                name.append('/').append(segments.get(i));
                path.append('/').append(segments.get(i));
            }
        }
        int counted = 0;
        for (; i < segments.size() && counted < depth; i++) {
            String s = segments.get(i);
            if (SegmentShape.isParam(s)) break;
            path.append('/').append(s);
            if (SegmentShape.isVersion(s)) continue;
            name.append('/').append(s);
            counted++;
        }
        return new Group(name.isEmpty() ? "/" : name.toString(), path.isEmpty() ? "/" : path.toString());
    }

    /**
     * The longest run of leading literal segments all templates share, cut so that each template
     * keeps a literal other than a version after it. Templates without any literal ({@code /},
     * {@code /{id}}) are left out: they belong to no group anyway.
     */
    static List<String> commonPrefix(Collection<String> templates) {
        Objects.requireNonNull(templates, "templates");
        List<String> common = null;
        int cap = Integer.MAX_VALUE;
        for (String t : templates) {
            List<String> literals = leadingLiterals(TemplatePath.segments(t));
            int lastResource = -1;
            for (int i = 0; i < literals.size(); i++) if (!SegmentShape.isVersion(literals.get(i))) lastResource = i;
            if (lastResource < 0) continue;
            cap = Math.min(cap, lastResource);
            if (common == null) {
                common = new ArrayList<>(literals);
            } else {
                int n = 0;
                while (n < common.size() && n < literals.size() && common.get(n).equals(literals.get(n))) n++;
                common.subList(n, common.size()).clear();
            }
        }
        if (common == null) return List.of();
        return List.copyOf(common.subList(0, Math.min(cap, common.size())));
    }

    private static List<String> leadingLiterals(List<String> segments) {
        int n = 0;
        while (n < segments.size() && !SegmentShape.isParam(segments.get(n))) n++;
        return segments.subList(0, n);
    }

    /** Whether the template belongs to the group named {@code name} (its name, versions left out, is under it). */
    public static boolean isInGroup(String template, String name) {
        List<String> t = unversioned(TemplatePath.segments(template));
        List<String> p = unversioned(TemplatePath.segments(name));
        return t.size() >= p.size() && t.subList(0, p.size()).equals(p);
    }

    /**
     * The concrete path prefix under which the template meets the group name: the template's leading
     * segments up to the group's last literal, versions in between kept ({@code /api/v2/orders/{id}}
     * in {@code /api/orders} → {@code /api/v2/orders}).
     */
    static String concretePrefix(String template, String name) {
        List<String> wanted = unversioned(TemplatePath.segments(name));
        StringBuilder b = new StringBuilder();
        int matched = 0;
        for (String s : TemplatePath.segments(template)) {
            if (matched == wanted.size()) break;
            b.append('/').append(s);
            if (!SegmentShape.isVersion(s)) matched++;
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    private static List<String> unversioned(List<String> segments) {
        List<String> out = new ArrayList<>(segments.size());
        for (String s : segments) if (!SegmentShape.isVersion(s)) out.add(s);
        return out;
    }
}
