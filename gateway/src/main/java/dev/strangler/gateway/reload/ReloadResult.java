package dev.strangler.gateway.reload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the last reload of the config file did, for the admin {@code /health} and the CLI.
 *
 * @param at       when the attempt finished
 * @param file     the config file that was read
 * @param applied  whether the file's config now serves; when false it was refused and the previous one still serves
 * @param messages for an applied reload, one line per change (empty when the file's edit changed nothing that
 *                 matters); for a refused one, every error as {@code file:line: field: message}
 * @param warnings what an applied config risks but does not forbid (e.g. reads that can be answered
 *                 stale by the monolith), judged on the stages being served after the reload; empty
 *                 for a refused one
 */
public record ReloadResult(Instant at, Path file, boolean applied, List<String> messages, List<String> warnings) {
    public ReloadResult {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(file, "file");
        messages = List.copyOf(messages);
        warnings = List.copyOf(warnings);
    }

    /** Without warnings. */
    public ReloadResult(Instant at, Path file, boolean applied, List<String> messages) {
        this(at, file, applied, messages, List.of());
    }
}
