package dev.strangler.cli;

import dev.strangler.core.catalog.AccessLogLine;
import dev.strangler.core.catalog.Catalog;
import dev.strangler.core.catalog.EndpointSummary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The endpoint catalog learned from a monolith's existing access log (common or combined format),
 * for {@code analyze --access-log} and {@code init --access-log}. Lines in another format are
 * counted and the first one shown, not fatal; a file with no readable line is bad input.
 *
 * @param catalog  the catalog the lines were recorded in (its templater resolves paths, e.g. for coupling)
 * @param requests the lines that were read as requests
 */
record AccessLogCatalog(Catalog catalog, List<EndpointSummary> endpoints, long requests) {
    /**
     * @param command the command reading it, for the messages ({@code analyze}, {@code init})
     * @throws BadInputException when the file is missing or has no line in a known format
     */
    static AccessLogCatalog read(Path accessLog, String command, PrintWriter err) throws IOException {
        if (!Files.isReadable(accessLog))
            throw new BadInputException("--access-log: " + accessLog + " does not exist or is not readable");
        Catalog catalog = new Catalog();
        long lines = 0;
        long malformed = 0;
        String firstMalformed = null;
        try (BufferedReader reader = Files.newBufferedReader(accessLog, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) continue;
                lines++;
                Optional<AccessLogLine> parsed = AccessLogLine.parse(line);
                if (parsed.isEmpty()) {
                    if (firstMalformed == null) firstMalformed = lines + ": " + abbreviate(line);
                    malformed++;
                    continue;
                }
                AccessLogLine l = parsed.get();
                catalog.record(l.method(), l.path(), l.status(), l.duration().map(d -> d.toNanos()).orElse(-1L), 0, l.bytes(),
                        Optional.empty(), Optional.empty(), l.time());
            }
        }
        if (lines > 0 && malformed == lines)
            throw new BadInputException("--access-log: no line of " + accessLog + " is in the common or combined log format "
                    + "(first: line " + firstMalformed + ")");
        if (malformed > 0)
            err.printf("%s: skipped %d of %d lines not in the common/combined log format (first: line %s)%n",
                    command, malformed, lines, firstMalformed);
        return new AccessLogCatalog(catalog, catalog.snapshot(), lines - malformed);
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
