package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Scalar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.strangler.core.config.ConfigFields.HOST;
import static dev.strangler.core.config.ConfigFields.lineOf;
import static dev.strangler.core.config.ConfigFields.ordered;

/**
 * The gateway-wide sections: {@code listen}, {@code tls}, {@code admin}, {@code store}, {@code shutdown},
 * {@code client}, {@code controller}, {@code catalog}, {@code access-log} and {@code debug-headers}.
 * Each method reads one section, reports its problems and returns the default when it is absent or wrong.
 */
final class TopLevelSections {
    private final ConfigFields fields;

    TopLevelSections(ConfigFields fields) {
        this.fields = fields;
    }

    Optional<TlsFiles> tls(MapNode top) {
        Optional<MapNode> tls = fields.section(top, "tls", "tls");
        if (tls.isEmpty()) return Optional.empty();
        fields.checkKeys(tls.get(), "tls", ordered("cert", "key"));
        Optional<Path> cert = fields.readableFile(tls.get(), "cert", "tls.cert", true)
                .filter(f -> fields.isPem(f, tls.get(), "cert", "tls.cert", PemFile.CERTIFICATE));
        Optional<Path> key = fields.readableFile(tls.get(), "key", "tls.key", true)
                .filter(f -> fields.isPem(f, tls.get(), "key", "tls.key", PemFile.PRIVATE_KEY));
        if (cert.isEmpty() || key.isEmpty()) return Optional.empty();
        Optional<TlsKeyPair.Problem> problem = TlsKeyPair.check(cert.get(), key.get());
        if (problem.isPresent()) {
            String field = problem.get().field() == TlsKeyPair.Field.CERT ? "cert" : "key";
            fields.error(lineOf(tls.get(), field), "tls." + field, problem.get().message());
            return Optional.empty();
        }
        return Optional.of(new TlsFiles(cert.get(), key.get()));
    }

    AdminSettings admin(MapNode top) {
        Optional<MapNode> admin = fields.section(top, "admin", "admin");
        HostPort defaultListen = HostPort.parse(Defaults.ADMIN_LISTEN).orElseThrow();
        if (admin.isEmpty()) return new AdminSettings(defaultListen, Optional.empty());
        fields.checkKeys(admin.get(), "admin", ordered("listen", "token", "allowed-hosts"));
        HostPort listen = fields.hostPort(admin.get(), "listen", "admin.listen", Defaults.ADMIN_LISTEN);
        Optional<String> token = fields.text(admin.get(), "token", "admin.token").map(String::strip).filter(t -> !t.isEmpty());
        if (token.isPresent() && (WireText.headerValueProblem(token.get()).isPresent() || token.get().contains(" "))) {
            // The problem message would quote the secret: say only what is wrong with it.
            fields.error(lineOf(admin.get(), "token"), "admin.token", "contains a space, a line break or a control character, "
                    + "so no client could send it in an Authorization header; use letters, digits and punctuation");
            token = Optional.empty();
        }
        if (!listen.isLoopback() && token.isEmpty()) {
            fields.error(lineOf(admin.get(), "listen"), "admin.listen", listen + " is not a loopback address and no "
                    + "admin.token is set, so anyone who can reach it could move routes; set admin.token "
                    + "(e.g. token: ${STRANGLER_ADMIN_TOKEN}) or listen on 127.0.0.1");
        }
        List<String> allowedHosts = new ArrayList<>();
        if (admin.get().entries().containsKey("allowed-hosts")) {
            for (Scalar h : fields.scalarList(admin.get(), "allowed-hosts", "admin.allowed-hosts")) {
                String host = h.text().strip();
                if (HOST.matcher(host).matches()) allowedHosts.add(host);
                else fields.error(h.line(), "admin.allowed-hosts", "\"" + host + "\" is not a host name; write it without "
                        + "scheme or port, e.g. allowed-hosts: [strangler-admin.internal]");
            }
        }
        return new AdminSettings(listen, token, allowedHosts);
    }

    String store(MapNode top) {
        Optional<MapNode> store = fields.section(top, "store", "store");
        if (store.isEmpty()) return Defaults.STORE_URL;
        fields.checkKeys(store.get(), "store", ordered("url"));
        Optional<String> url = fields.text(store.get(), "url", "store.url");
        if (url.isEmpty()) return Defaults.STORE_URL;
        if (!url.get().startsWith("jdbc:h2:") && !url.get().startsWith("jdbc:postgresql:")) {
            fields.error(lineOf(store.get(), "url"), "store.url", "\"" + url.get() + "\" is not supported; use "
                    + "jdbc:h2:file:PATH (embedded) or jdbc:postgresql://HOST:PORT/DB (fleets)");
        } else {
            Addresses.postgresPortProblem(url.get()).ifPresent(p -> fields.error(lineOf(store.get(), "url"), "store.url",
                    GatewayConfig.redactUrl(url.get()) + ": " + p));
        }
        return url.get();
    }

    Duration shutdown(MapNode top) {
        Optional<MapNode> shutdown = fields.section(top, "shutdown", "shutdown");
        if (shutdown.isEmpty()) return Defaults.DRAIN_TIMEOUT;
        fields.checkKeys(shutdown.get(), "shutdown", ordered("drain-timeout"));
        return fields.duration(shutdown.get(), "drain-timeout", "shutdown.drain-timeout", Defaults.DRAIN_TIMEOUT,
                Limits.DRAIN_TIMEOUT);
    }

    ClientTimeouts client(MapNode top) {
        Optional<MapNode> client = fields.section(top, "client", "client");
        if (client.isEmpty()) return Defaults.CLIENT;
        fields.checkKeys(client.get(), "client", ordered("header-timeout", "idle-timeout", "body-idle-timeout", "cleartext-http2"));
        boolean h2c = fields.bool(client.get(), "cleartext-http2", "client.cleartext-http2", true);
        return new ClientTimeouts(
                fields.positiveDuration(client.get(), "header-timeout", "client.header-timeout", Defaults.CLIENT_HEADER_TIMEOUT),
                fields.positiveDuration(client.get(), "idle-timeout", "client.idle-timeout", Defaults.CLIENT_IDLE_TIMEOUT),
                fields.positiveDuration(client.get(), "body-idle-timeout", "client.body-idle-timeout", Defaults.CLIENT_BODY_IDLE_TIMEOUT),
                h2c);
    }

    Duration controller(MapNode top) {
        Optional<MapNode> controller = fields.section(top, "controller", "controller");
        if (controller.isEmpty()) return Defaults.CONTROLLER_INTERVAL;
        fields.checkKeys(controller.get(), "controller", ordered("interval"));
        Duration interval = fields.duration(controller.get(), "interval", "controller.interval", Defaults.CONTROLLER_INTERVAL,
                Limits.CONTROLLER_INTERVAL);
        if (interval.compareTo(Limits.MIN_CONTROLLER_INTERVAL) < 0) {
            fields.error(lineOf(controller.get(), "interval"), "controller.interval", "must be at least "
                    + Limits.MIN_CONTROLLER_INTERVAL.toMillis() + "ms (every interval writes to the store), was "
                    + interval.toMillis() + "ms");
            return Defaults.CONTROLLER_INTERVAL;
        }
        return interval;
    }

    CatalogSettings catalog(MapNode top) {
        Optional<MapNode> catalog = fields.section(top, "catalog", "catalog");
        if (catalog.isEmpty()) return Defaults.CATALOG;
        fields.checkKeys(catalog.get(), "catalog", ordered("enabled", "openapi"));
        boolean enabled = fields.bool(catalog.get(), "enabled", "catalog.enabled", Defaults.CATALOG.enabled());
        Optional<Path> openapi = catalog.get().entries().containsKey("openapi")
                ? fields.readableFile(catalog.get(), "openapi", "catalog.openapi", true) : Optional.empty();
        return new CatalogSettings(enabled, openapi);
    }
}
