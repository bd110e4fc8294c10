package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.Entry;
import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Node;
import dev.strangler.core.config.YamlTree.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads only the {@code admin:} section of a config file: what a CLI command needs to find the
 * running gateway it talks to ({@code admin.listen} and {@code admin.token}).
 *
 * <p>{@link ConfigLoader} validates the whole file, builds the route table and the plan; a command
 * such as {@code strangler status} that answers in a fraction of a second should neither pay for
 * that nor fail because a route elsewhere in the file is being edited. This reader shares the
 * loader's {@code ${VAR}} substitution and YAML tree, and reports problems of the admin section
 * alone, in the loader's {@code file:line: field: message} form. A placeholder whose variable is
 * not set leaves its field absent rather than failing: the token may come from a flag instead.
 */
public final class AdminSection {
    private AdminSection() {}

    /**
     * Reads {@code file}'s admin section with {@code ${VAR}} from {@code env}; a file without one
     * gives the defaults ({@link Defaults#ADMIN_LISTEN}, no token).
     *
     * @throws ConfigException when the file cannot be read, is not YAML, or its admin section is malformed
     */
    public static AdminSettings read(Path file, Map<String, String> env) throws ConfigException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw fail(file, 0, "", "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); check the path and its permissions");
        }
        EnvSubstitution.Result substituted = EnvSubstitution.apply(text, env);
        Node root;
        try {
            root = YamlTree.parse(substituted.text(), new ArrayList<>());
        } catch (YamlTree.SyntaxError e) {
            throw fail(file, e.line, "", e.getMessage());
        } catch (RuntimeException e) {
            throw fail(file, 0, "", "could not be read as YAML: " + e.getMessage());
        }
        HostPort defaultListen = HostPort.parse(Defaults.ADMIN_LISTEN).orElseThrow();
        if (!(root instanceof MapNode top) || !top.entries().containsKey("admin")) {
            return new AdminSettings(defaultListen, Optional.empty());
        }
        Entry admin = top.entries().get("admin");
        if (!(admin.value() instanceof MapNode section)) {
            if (admin.value() instanceof Scalar s && s.text() == null) return new AdminSettings(defaultListen, Optional.empty());
            throw fail(file, admin.line(), "admin", "expected a mapping (listen:, token:), found " + admin.value().kind());
        }
        List<Integer> unsetLines = substituted.problems().stream().map(EnvSubstitution.Problem::line).toList();
        HostPort listen = defaultListen;
        Optional<String> listenText = scalar(file, section, "listen", unsetLines);
        if (listenText.isPresent()) {
            listen = HostPort.parse(listenText.get()).orElseThrow(() -> fail(file, section.entries().get("listen").line(),
                    "admin.listen", "\"" + listenText.get() + "\" is not host:port, e.g. 127.0.0.1:9090"));
        }
        Optional<String> token = scalar(file, section, "token", unsetLines).map(String::strip).filter(t -> !t.isEmpty());
        return new AdminSettings(listen, token);
    }

    private static Optional<String> scalar(Path file, MapNode section, String key, List<Integer> unsetLines) throws ConfigException {
        Entry entry = section.entries().get(key);
        if (entry == null) return Optional.empty();
        if (!(entry.value() instanceof Scalar s)) {
            throw fail(file, entry.line(), "admin." + key, "expected a value, found " + entry.value().kind());
        }
        // A placeholder for an unset variable was replaced by nothing: treat the field as not given.
        if (unsetLines.contains(entry.value().line()) && (s.text() == null || s.text().isBlank())) return Optional.empty();
        return Optional.ofNullable(s.text());
    }

    private static ConfigException fail(Path file, int line, String field, String message) {
        return new ConfigException(List.of(new ConfigError(file, line, field, message)));
    }
}
