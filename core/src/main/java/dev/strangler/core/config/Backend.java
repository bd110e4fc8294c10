package dev.strangler.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The monolith or a service: one or more base URLs (used round-robin) and how to talk to them.
 *
 * @param name              {@code monolith} or the service's name; used in metrics and problem bodies
 * @param urls              base URLs, {@code http} or {@code https}; a path on the URL prefixes every forwarded path
 * @param connectTimeout    how long to wait for a TCP (and TLS) connection
 * @param responseTimeout   how long to wait for the response head after the request was sent
 * @param maxConnections    pooled keep-alive connections per event loop per URL
 * @param trustedCertificate PEM file of CA certificates for https backends; the JVM's trust store otherwise
 * @param outlier           when an endpoint is ejected after hard failures in a row ({@link Outlier#OFF} for the monolith)
 */
public record Backend(
        String name,
        List<URI> urls,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnections,
        Optional<Path> trustedCertificate,
        Outlier outlier) {

    public static final String MONOLITH = "monolith";

    public Backend {
        Objects.requireNonNull(name, "name");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) throw new IllegalArgumentException("urls: empty (expected: at least one)");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(trustedCertificate, "trustedCertificate");
        Objects.requireNonNull(outlier, "outlier");
        if (maxConnections <= 0) throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
    }

    /** A backend with the default outlier ejection of a service ({@link Outlier#DEFAULT}); the monolith's gets {@link Outlier#OFF} from the config loader. */
    public Backend(String name, List<URI> urls, Duration connectTimeout, Duration responseTimeout, int maxConnections,
                   Optional<Path> trustedCertificate) {
        this(name, urls, connectTimeout, responseTimeout, maxConnections, trustedCertificate,
                MONOLITH.equals(name) ? Outlier.OFF : Outlier.DEFAULT);
    }

    /** A backend with one URL and every default: handy for tests and the demo. */
    public static Backend of(String name, URI url) {
        return new Backend(name, List.of(url), Defaults.CONNECT_TIMEOUT, Defaults.RESPONSE_TIMEOUT,
                Defaults.MAX_CONNECTIONS, Optional.empty());
    }

    public Backend withResponseTimeout(Duration timeout) {
        return new Backend(name, urls, connectTimeout, timeout, maxConnections, trustedCertificate, outlier);
    }

    public Backend withConnectTimeout(Duration timeout) {
        return new Backend(name, urls, timeout, responseTimeout, maxConnections, trustedCertificate, outlier);
    }

    public Backend withOutlier(Outlier o) {
        return new Backend(name, urls, connectTimeout, responseTimeout, maxConnections, trustedCertificate, o);
    }

    /** The URL's port, or its scheme's default ({@code 443} for https, {@code 80} otherwise) when it names none. */
    public static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
