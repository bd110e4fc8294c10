package dev.strangler.core.rewrite;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Request headers changed on the way to a route's service: {@code set} replaces or adds a header,
 * {@code remove} drops one. Removal happens first, so a header may be both removed and set.
 */
public record HeaderRules(Map<String, String> set, Set<String> remove) {
    public static final HeaderRules NONE = new HeaderRules(Map.of(), Set.of());

    public HeaderRules {
        set = Map.copyOf(new TreeMap<>(set));
        TreeSet<String> lower = new TreeSet<>();
        remove.forEach(r -> lower.add(r.toLowerCase(Locale.ROOT)));
        remove = Set.copyOf(lower);
    }

    public boolean isEmpty() {
        return set.isEmpty() && remove.isEmpty();
    }
}
