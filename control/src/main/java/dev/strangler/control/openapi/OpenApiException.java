package dev.strangler.control.openapi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** An OpenAPI document that could not be read: the file, and every problem found in it. */
public final class OpenApiException extends RuntimeException {
    private final transient Path file;
    private final List<String> problems;

    OpenApiException(Path file, String summary, List<String> problems, Throwable cause) {
        super(message(file, summary, problems), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.problems = List.copyOf(problems);
    }

    public Path file() {
        return file;
    }

    /** What the parser (or the file system) reported, one line each; empty when the summary says it all. */
    public List<String> problems() {
        return problems;
    }

    private static String message(Path file, String summary, List<String> problems) {
        StringBuilder text = new StringBuilder(file.toString()).append(": ").append(summary);
        for (String problem : problems) text.append(System.lineSeparator()).append("  - ").append(problem);
        return text.toString();
    }
}
