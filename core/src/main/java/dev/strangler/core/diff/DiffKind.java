package dev.strangler.core.diff;

/** What kind of disagreement a {@link Difference} reports between the monolith and the service. */
public enum DiffKind {
    /** A JSON member or element the monolith sent and the service did not. */
    MISSING,
    /** A JSON member or element only the service sent. */
    EXTRA,
    /** Both sent a JSON value at the path, of different JSON types (for example string and number). */
    TYPE,
    /** Both sent a JSON value of the same type at the path, with different values. */
    VALUE,
    /** The status codes differ. */
    STATUS,
    /** A compared header differs; the path is {@code header:Name}. */
    HEADER,
    /** Bodies that are not compared as JSON differ; the path is {@code body@offset} of the first difference. */
    BODY
}
