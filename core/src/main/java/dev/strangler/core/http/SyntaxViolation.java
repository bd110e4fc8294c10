package dev.strangler.core.http;

import java.util.Objects;

/**
 * A line of an HTTP/1.1 message broke the grammar ({@link Http1Syntax}); carries the
 * {@link Rejection} to answer. Thrown on the request path, so it records no stack trace.
 */
public final class SyntaxViolation extends Exception {
    private final Rejection rejection;

    public SyntaxViolation(Rejection rejection) {
        super(Objects.requireNonNull(rejection, "rejection").detail(), null, false, false);
        this.rejection = rejection;
    }

    /** A 400 for {@code code}, said in {@code detail}. */
    public static SyntaxViolation of(Rejection.Code code, String detail) {
        return new SyntaxViolation(Rejection.badRequest(code, detail));
    }

    public Rejection rejection() {
        return rejection;
    }
}
