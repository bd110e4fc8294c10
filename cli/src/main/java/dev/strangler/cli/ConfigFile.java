package dev.strangler.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which config file a command reads, found the same way by every command, first found wins:
 * {@code --config FILE}, else {@code STRANGLER_CONFIG}, else {@code ./strangler.yaml} when it
 * exists. A named file must exist; the local one is only a default. Flags and environment
 * variables for single settings ({@code --admin}, {@code STRANGLER_ADMIN}, ...) still win over
 * what the file says: that is each command's business.
 */
final class ConfigFile {
    static final String DEFAULT = "strangler.yaml";
    static final String ENV = "STRANGLER_CONFIG";

    private ConfigFile() {}

    /**
     * @param flag {@code --config}, or null
     * @param env  the environment
     * @param cwd  where {@code ./strangler.yaml} is looked for
     * @throws BadInputException when the file named by the flag or the variable does not exist
     */
    static Optional<Path> find(Path flag, Map<String, String> env, Path cwd) {
        if (flag != null) return Optional.of(mustExist(flag, "--config"));
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) return Optional.of(mustExist(Path.of(named), ENV));
        Path local = cwd.resolve(DEFAULT);
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    /** As {@link #find}, for a command that cannot work without the file. */
    static Path require(Path flag, Map<String, String> env, Path cwd, String command) {
        return find(flag, env, cwd).orElseThrow(() -> new BadInputException("--config: no config file (pass --config FILE, set "
                + ENV + ", or run where " + DEFAULT + " is; see strangler " + command + " --help)"));
    }

    /** The process's own: its environment and working directory. */
    static Path require(Path flag, String command) {
        return require(flag, System.getenv(), Path.of(""), command);
    }

    static Optional<Path> find(Path flag) {
        return find(flag, System.getenv(), Path.of(""));
    }

    private static Path mustExist(Path file, String from) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(from + ": " + file + " does not exist (expected: the gateway's config file)");
        }
        return file;
    }
}
