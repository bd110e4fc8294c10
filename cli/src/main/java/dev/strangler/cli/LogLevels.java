package dev.strangler.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code --log-level} for the commands that start a gateway ({@code run}, {@code demo}); a picocli
 * mixin. {@code LEVEL} sets Strangler's own loggers ({@code dev.strangler}, INFO by default);
 * {@code LOGGER=LEVEL} pairs after it set any other, e.g. {@code debug,org.flywaydb=info}.
 * Libraries stay at WARN otherwise (logback.xml). The access log ({@code strangler.access}) is not
 * touched: it has its own switch, {@code access-log} in the config file.
 */
final class LogLevels {
    /** Strangler's own loggers. */
    static final String OWN = "dev.strangler";

    @Option(names = "--log-level", paramLabel = "LEVEL[,LOGGER=LEVEL...]", defaultValue = "${env:STRANGLER_LOG_LEVEL}",
            description = "Strangler's log level: error, warn, info (default), debug or trace; LOGGER=LEVEL pairs after it set "
                    + "others, e.g. debug,org.flywaydb=info. Libraries log at warn otherwise (env STRANGLER_LOG_LEVEL).")
    String spec;

    /**
     * Sets the levels; call before anything logs.
     *
     * @throws BadInputException naming the part that is not a level
     */
    void apply() {
        if (spec == null || spec.isBlank()) return;
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            String logger = eq < 0 ? OWN : p.substring(0, eq).strip();
            String level = eq < 0 ? p : p.substring(eq + 1).strip();
            ((Logger) LoggerFactory.getLogger(logger)).setLevel(parse(level));
        }
    }

    private static Level parse(String level) {
        String l = level.toUpperCase(Locale.ROOT);
        return switch (l) {
            case "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF" -> Level.toLevel(l);
            default -> throw new BadInputException("--log-level: \"" + level
                    + "\" is not a level (expected: error, warn, info, debug, trace or off, optionally LOGGER=LEVEL)");
        };
    }
}
