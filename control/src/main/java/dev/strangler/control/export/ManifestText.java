package dev.strangler.control.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.strangler.core.routing.PathPattern;
import dev.strangler.core.routing.Route;
import dev.strangler.core.stage.StickyKey;

import java.util.Locale;
import java.util.Optional;

/**
 * Text the exports derive from a route or backend alike: DNS-safe object names, the literal prefix
 * and anchored regex of a path pattern, a route's rewrite and sticky key as an engine can read them,
 * and the one YAML mapper the Kubernetes exports write and read with.
 * Each export keeps only what is its own.
 */
public final class ManifestText {
    /**
     * The YAML of every Kubernetes export: no {@code ---} before the first document (the exports write
     * their own, after a comment), quotes only where YAML needs them, empty values left out.
     */
    private static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** The characters {@link #regexLiteral} escapes. */
    static final String REGEX_META = "\\.+*?()[]{}|^$";

    private ManifestText() {}

    /** Kubernetes name of the Service standing for a Strangler service, the same in every export. */
    public static String serviceName(String service) {
        return "strangler-svc-" + dns(service);
    }

    /** {@code name} lower-cased with every character outside {@code [a-z0-9-]} turned into {@code -}. */
    public static String dns(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }

    /** The pattern's literal segments joined ({@code /a/b} for {@code /a/{id}/b/**}); {@code /} when there are none. */
    public static String literalPrefix(PathPattern p) {
        StringBuilder b = new StringBuilder();
        for (PathPattern.Segment s : p.segments())
            if (s instanceof PathPattern.Segment.Literal l) b.append('/').append(l.text());
        return b.isEmpty() ? "/" : b.toString();
    }

    /**
     * An anchored regex for the pattern: each literal segment escaped ({@link #regexLiteral}), a
     * parameter one segment, a trailing catch-all any rest. RE2 (Envoy, Istio) and PCRE read it alike.
     */
    public static String regex(PathPattern p) {
        StringBuilder b = new StringBuilder("^");
        for (PathPattern.Segment s : p.segments()) {
            switch (s) {
                case PathPattern.Segment.Literal l -> b.append('/').append(regexLiteral(l.text()));
                case PathPattern.Segment.Param param -> b.append("/[^/]+");
                case PathPattern.Segment.CatchAll c -> b.append("(/.*)?");
            }
        }
        return b.append('$').toString();
    }

    /**
     * {@code text} as a regex that matches it literally: every metacharacter RE2 and PCRE share
     * ({@value #REGEX_META}) behind a backslash, so the {@code .} of {@code /v1.0} does not match {@code /v1x0}.
     */
    public static String regexLiteral(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (REGEX_META.indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    /** The mapper the Kubernetes exports (Gateway API, Istio, fleet) serialise with, and tools read them back with. */
    public static YAMLMapper yaml() {
        return YAML;
    }

    /** The sticky key as the exports' comments name it: {@code header X-User-Id}, {@code cookie sid}, {@code client address}. */
    public static String stickyText(StickyKey sticky) {
        return switch (sticky) {
            case StickyKey.Header h -> "header " + h.name();
            case StickyKey.Cookie c -> "cookie " + c.name();
            case StickyKey.ClientIp ip -> "client address";
        };
    }

    /**
     * A route's rewrite template read the way the engines need it.
     *
     * @param head        the template before a trailing {@code **} ({@code /posts/} of {@code /posts/**}), else the whole template
     * @param carriesRest whether the template ends with {@code /**}
     * @param usesParams  whether the template uses a path parameter ({@code {id}})
     */
    public record RewriteText(String head, boolean carriesRest, boolean usesParams) {
        /** The route's rewrite, or empty when it has none. */
        public static Optional<RewriteText> of(Route r) {
            return r.rewrite().map(rewrite -> {
                String t = rewrite.toString();
                boolean rest = t.endsWith("/**");
                return new RewriteText(rest ? t.substring(0, t.length() - 2) : t, rest, t.contains("{"));
            });
        }

        /**
         * The replacement for the pattern's literal prefix when both the pattern ({@code /api/posts/**}) and
         * the template ({@code /posts/**}) are a literal prefix and a rest: {@code /posts/}; empty otherwise,
         * as an engine that replaces prefixes cannot express it.
         */
        public static Optional<String> prefixReplacement(Route r) {
            PathPattern p = r.match().path();
            if (!p.endsWithCatchAll() || !p.paramNames().isEmpty()) return Optional.empty();
            return of(r).filter(t -> t.carriesRest() && !t.usesParams()).map(RewriteText::head);
        }
    }
}
