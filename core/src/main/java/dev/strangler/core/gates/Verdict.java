package dev.strangler.core.gates;

/** What a sequential gate concludes about the service at one look. */
public enum Verdict {
    /** Confidently not worse than the monolith plus the allowance: the step may be promoted. */
    PASS,
    /** Confidently worse than the monolith plus the allowance: roll back. */
    FAIL,
    /** Not confident either way yet: keep collecting (the test stays valid however long it runs). */
    NOT_ENOUGH_DATA
}
