package dev.strangler.store;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A store's JDBC URL, checked and completed: which database kind it names, the options the store
 * needs added when absent, and the form safe to print.
 *
 * @param jdbcUrl  what to connect with (options added)
 * @param redacted the user's URL with any password hidden, for logs and messages
 * @param schema   PostgreSQL's {@code currentSchema}, which Flyway must migrate into (and create)
 */
record StoreUrl(Kind kind, String jdbcUrl, String redacted, Optional<String> schema) {

    enum Kind {
        H2("org.h2.Driver"), POSTGRESQL("org.postgresql.Driver");

        final String driverClass;

        Kind(String driverClass) {
            this.driverClass = driverClass;
        }
    }

    /** How long to wait for a new connection: an outage must fail callers fast, not hang them. */
    static final int CONNECT_TIMEOUT_SECONDS = 2;

    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");

    static StoreUrl parse(String url) {
        Objects.requireNonNull(url, "jdbcUrl");
        String redacted = redact(url.strip());
        String lower = url.strip().toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:mem:")) {
            // The pool closes and reopens connections: without DB_CLOSE_DELAY a mem database vanishes in between.
            return new StoreUrl(Kind.H2, withH2Option(url.strip(), "DB_CLOSE_DELAY", "-1"), redacted, Optional.empty());
        }
        if (lower.startsWith("jdbc:h2:")) {
            // The store closes H2 itself; H2's own shutdown hook would close it under a still-running gateway.
            return new StoreUrl(Kind.H2, withH2Option(url.strip(), "DB_CLOSE_ON_EXIT", "FALSE"), redacted,
                    Optional.empty());
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            Properties parsed = org.postgresql.Driver.parseURL(url.strip(), null);
            if (parsed == null) {
                throw new StoreException("store.url: cannot parse PostgreSQL URL '" + redacted
                        + "' (expected: jdbc:postgresql://HOST:PORT/DATABASE?user=NAME)");
            }
            Optional<String> schema = Optional.ofNullable(parsed.getProperty("currentSchema"))
                    .map(s -> s.split(",")[0].strip()).filter(s -> !s.isEmpty());
            return new StoreUrl(Kind.POSTGRESQL, url.strip(), redacted, schema);
        }
        throw new StoreException("store.url: unsupported JDBC URL '" + redacted + "' (expected: "
                + "jdbc:h2:file:PATH for one gateway, jdbc:h2:mem:NAME for tests, or "
                + "jdbc:postgresql://HOST:PORT/DATABASE?user=NAME for a fleet sharing one state)");
    }

    static String redact(String text) {
        return PASSWORD.matcher(text).replaceAll("$1***");
    }

    boolean shared() {
        return kind == Kind.POSTGRESQL;
    }

    /** Driver properties the URL may override: connect and log in within the timeout. */
    Properties connectDefaults() {
        Properties defaults = new Properties();
        if (kind == Kind.POSTGRESQL) {
            defaults.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            defaults.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            defaults.setProperty("tcpKeepAlive", "true");
            defaults.setProperty("ApplicationName", "strangler");
        }
        return defaults;
    }

    private static String withH2Option(String url, String option, String value) {
        return url.toUpperCase(Locale.ROOT).contains(";" + option + "=") ? url : url + ";" + option + "=" + value;
    }
}
