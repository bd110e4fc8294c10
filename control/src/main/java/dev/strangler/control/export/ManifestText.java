package dev.strangler.control.export;

import dev.strangler.core.routing.PathPattern;

import java.net.URI;
import java.util.Locale;

/**
 * Text the exports derive from a route or backend alike: DNS-safe object names, the literal prefix
 * and anchored regex of a path pattern (Gateway API and Istio) and a backend URL's port (NGINX too).
 * Each export keeps only what is its own.
 */
public final class ManifestText {
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

    /** The URL's port, or the scheme's default ({@code 443} for https, {@code 80} otherwise) when it names none. */
    public static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }
}
