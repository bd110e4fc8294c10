package dev.strangler.cli;

import dev.strangler.core.config.AdminSection;
import dev.strangler.core.config.AdminSettings;
import dev.strangler.core.config.ConfigException;
import dev.strangler.core.config.HostPort;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which admin API a command talks to, and with which token. Each of the two is decided on its own,
 * first found wins:
 * <ol>
 *   <li>the flag ({@code --admin}, {@code --token});</li>
 *   <li>the environment ({@code STRANGLER_ADMIN}, {@code STRANGLER_ADMIN_TOKEN});</li>
 *   <li>the config file's {@code admin.listen} and {@code admin.token}, the file
 *       found as every command finds it ({@link ConfigFile});</li>
 *   <li>{@link #DEFAULT_ADMIN}, no token.</li>
 * </ol>
 * The file is read only when a flag or variable left something to decide, and only its admin
 * section (see {@link AdminSection}), so a command stays fast and a half-edited route elsewhere in
 * the file does not stop {@code strangler status}.
 */
record AdminTarget(String url, Optional<String> token) {
    static final String DEFAULT_ADMIN = "http://127.0.0.1:9090";

    /**
     * @param admin  {@code --admin}, or null
     * @param token  {@code --token}, or null
     * @param config {@code --config}, or null
     * @param env    the environment
     * @param cwd    where {@code ./strangler.yaml} is looked for
     * @throws BadInputException when a named config file is missing, or its admin section is malformed
     */
    static AdminTarget resolve(String admin, String token, Path config, Map<String, String> env, Path cwd) {
        Optional<String> url = first(admin, env.get("STRANGLER_ADMIN"));
        Optional<String> key = first(token, env.get("STRANGLER_ADMIN_TOKEN"));
        if (url.isEmpty() || key.isEmpty()) {
            Optional<AdminSettings> file = ConfigFile.find(config, env, cwd).map(f -> read(f, env));
            if (url.isEmpty()) url = file.map(s -> "http://" + reachable(s.listen()));
            if (key.isEmpty()) key = file.flatMap(AdminSettings::token);
        }
        return new AdminTarget(url.orElse(DEFAULT_ADMIN), key);
    }

    private static Optional<String> first(String flag, String env) {
        if (flag != null && !flag.isBlank()) return Optional.of(flag);
        return env != null && !env.isBlank() ? Optional.of(env) : Optional.empty();
    }

    private static AdminSettings read(Path file, Map<String, String> env) {
        try {
            return AdminSection.read(file, env);
        } catch (ConfigException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** The admin listener as a client reaches it: a wildcard bind address is reached on loopback. */
    static String reachable(HostPort listen) {
        String host = listen.host();
        if (host.equals("0.0.0.0")) host = "127.0.0.1";
        else if (host.equals("::")) host = "::1";
        return new HostPort(host, listen.port()).toString();
    }
}
