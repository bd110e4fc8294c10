package dev.strangler.core.stage;

/** Which backend answers the user. */
public enum Target {
    MONOLITH,
    SERVICE
}
