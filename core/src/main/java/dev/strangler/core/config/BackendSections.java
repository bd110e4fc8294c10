package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.Entry;
import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Scalar;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.strangler.core.config.ConfigFields.NAME;
import static dev.strangler.core.config.ConfigFields.entry;
import static dev.strangler.core.config.ConfigFields.lineOf;
import static dev.strangler.core.config.ConfigFields.ordered;

/**
 * The backends: {@code monolith}, {@code services}, each one's URL(s), timeouts, trusted certificate and
 * {@code outlier} ejection. A backend URL that is Strangler's own address is refused: every request would loop.
 */
final class BackendSections {
    private static final Set<String> BACKEND_KEYS = ordered("url", "urls", "connect-timeout", "response-timeout",
            "max-connections", "trusted-certificate", "outlier");
    private static final Set<String> OUTLIER_KEYS = ordered("consecutive-failures", "ejection-time", "max-ejection-time");

    private final ConfigFields fields;
    /** Where Strangler itself listens (user traffic, admin): a backend there would loop. */
    private final List<HostPort> ownAddresses;

    BackendSections(ConfigFields fields, List<HostPort> ownAddresses) {
        this.fields = fields;
        this.ownAddresses = List.copyOf(ownAddresses);
    }

    Map<String, Backend> services(MapNode top) {
        Map<String, Backend> services = new LinkedHashMap<>();
        Optional<MapNode> section = fields.section(top, "services", "services");
        if (section.isEmpty()) return services;
        for (Entry e : section.get().entries().values()) {
            String field = "services." + e.key();
            if (!NAME.matcher(e.key()).matches()) {
                fields.error(e.line(), field, "a service name is letters, digits, '.', '_' or '-', starting with a letter or digit");
                continue;
            }
            if (e.key().equals(Backend.MONOLITH)) {
                fields.error(e.line(), field, "\"monolith\" names the monolith itself; give the service another name");
                continue;
            }
            Backend b = backend(e.key(), e, field);
            if (b != null) services.put(e.key(), b);
        }
        return services;
    }

    /** A backend is a mapping, or just its URL as a string ({@code posts: http://127.0.0.1:8082}). */
    Backend backend(String name, Entry entry, String field) {
        if (entry.value() instanceof Scalar s && s.text() != null) {
            Optional<URI> url = backendUrl(s.text(), s.line(), field);
            return url.map(u -> Backend.of(name, u)).orElse(null);
        }
        if (!(entry.value() instanceof MapNode m)) {
            fields.error(entry.line(), field, "expected a mapping such as { url: http://127.0.0.1:8081 }, found "
                    + entry.value().kind());
            return null;
        }
        fields.checkKeys(m, field, BACKEND_KEYS);
        List<URI> urls = new ArrayList<>();
        boolean hasUrl = m.entries().containsKey("url");
        boolean hasUrls = m.entries().containsKey("urls");
        if (hasUrl && hasUrls) {
            fields.error(lineOf(m, "urls"), field + ".urls", "give either url or urls, not both");
        } else if (hasUrl) {
            fields.text(m, "url", field + ".url").flatMap(u -> backendUrl(u, lineOf(m, "url"), field + ".url")).ifPresent(urls::add);
        } else if (hasUrls) {
            List<Scalar> items = fields.scalarList(m, "urls", field + ".urls");
            for (int i = 0; i < items.size(); i++) {
                backendUrl(items.get(i).text(), items.get(i).line(), field + ".urls[" + i + "]").ifPresent(urls::add);
            }
            if (items.isEmpty()) fields.error(lineOf(m, "urls"), field + ".urls", "is empty; list at least one URL");
        } else {
            fields.error(m.line(), field + ".url", "missing; give the base URL, e.g. url: http://127.0.0.1:8081");
        }
        Duration connect = fields.duration(m, "connect-timeout", field + ".connect-timeout", Defaults.CONNECT_TIMEOUT,
                Limits.CONNECT_TIMEOUT);
        Duration response = fields.duration(m, "response-timeout", field + ".response-timeout", Defaults.RESPONSE_TIMEOUT,
                Limits.RESPONSE_TIMEOUT);
        int maxConnections = fields.positiveInt(m, "max-connections", field + ".max-connections", Defaults.MAX_CONNECTIONS);
        Optional<Path> trusted = fields.readableFile(m, "trusted-certificate", field + ".trusted-certificate", false)
                .filter(f -> fields.isPem(f, m, "trusted-certificate", field + ".trusted-certificate", PemFile.CERTIFICATE));
        Outlier outlier = outlier(m, name, field);
        if (urls.isEmpty()) return null;
        return new Backend(name, urls, connect, response, maxConnections, trusted, outlier);
    }

    /** {@code outlier: { consecutive-failures: 5, ejection-time: 10s, max-ejection-time: 5m }}; the monolith's is off. */
    private Outlier outlier(MapNode m, String name, String field) {
        Outlier d = Backend.MONOLITH.equals(name) ? Outlier.OFF : Outlier.DEFAULT;
        Optional<MapNode> section = fields.section(m, "outlier", field + ".outlier");
        if (section.isEmpty()) return d;
        MapNode o = section.get();
        String f = field + ".outlier";
        if (Backend.MONOLITH.equals(name)) {
            fields.error(o.line(), f, "the monolith's endpoints are never ejected (there is nothing to send its requests to instead); remove it");
            return d;
        }
        fields.checkKeys(o, f, OUTLIER_KEYS);
        int consecutive = fields.nonNegativeInt(o, "consecutive-failures", f + ".consecutive-failures", d.consecutiveFailures());
        Duration base = fields.duration(o, "ejection-time", f + ".ejection-time", d.ejectionTime(), Limits.OUTLIER_EJECTION_TIME);
        Duration max = fields.duration(o, "max-ejection-time", f + ".max-ejection-time",
                base.compareTo(d.maxEjectionTime()) > 0 ? base : d.maxEjectionTime(), Limits.OUTLIER_EJECTION_TIME);
        if (base.isZero() || base.isNegative()) {
            fields.error(lineOf(o, "ejection-time"), f + ".ejection-time", "must be more than 0, was " + base);
            return d;
        }
        if (max.compareTo(base) < 0) {
            fields.error(lineOf(o, "max-ejection-time"), f + ".max-ejection-time",
                    "must be at least ejection-time (" + base + "), was " + max);
            return d;
        }
        return new Outlier(consecutive, base, max);
    }

    private Optional<URI> backendUrl(String text, int line, String field) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            fields.error(line, field, "\"" + text + "\" is not a URL (" + e.getReason() + "); write e.g. http://127.0.0.1:8081");
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            fields.error(line, field, "\"" + text + "\" must start with http:// or https://");
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            fields.error(line, field, "\"" + text + "\" has no host; write e.g. " + scheme + "://127.0.0.1:8081");
            return Optional.empty();
        }
        if (uri.getRawUserInfo() != null) {
            fields.error(line, field, "\"" + text + "\" carries credentials; remove them from the URL and send them "
                    + "with request-headers on the route instead");
            return Optional.empty();
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            fields.error(line, field, "\"" + text + "\" has port " + uri.getPort() + " (expected: 1..65535)");
            return Optional.empty();
        }
        int port = Backend.port(uri);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        for (HostPort own : ownAddresses) {
            if (Addresses.isOwnAddress(own, new HostPort(host, port))) {
                fields.error(line, field, "\"" + text + "\" is Strangler's own address (" + own + "): every request would be "
                        + "sent back to Strangler, again and again; give the backend's own address");
                return Optional.empty();
            }
        }
        Optional<String> pathProblem = WireText.pathProblem(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (pathProblem.isPresent()) {
            fields.error(line, field, "\"" + text + "\": its path " + pathProblem.get());
            return Optional.empty();
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            fields.error(line, field, "\"" + text + "\" has a query or fragment; a backend URL is scheme, host, port and an optional path prefix");
            return Optional.empty();
        }
        return Optional.of(uri);
    }
}
