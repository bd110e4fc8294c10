package dev.strangler.core.gates;

/** What a statistical gate concludes about a canary from one window of observations. */
public enum Verdict {
    /** No significant degradation beyond the allowed margin: the canary may be promoted. */
    PASS,
    /** The service is significantly worse than the monolith plus the allowed margin: roll back. */
    FAIL,
    /** Too few observations for the test to be valid: keep collecting, decide nothing. */
    NOT_ENOUGH_DATA
}
