package dev.strangler.control.view;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a route view has (or lacks) its window of numbers: said explicitly, never as a bare null. */
public enum Numbers {
    /** The window holds the route's numbers since it entered its current step. */
    MEASURED("measured"),
    /** The store has no state for the route yet (a reload in flight): nothing to count from. */
    NOT_STARTED("not-started"),
    /** The store could not be read: stage and percent are the last known ones, the numbers are unknown. */
    STORE_UNREACHABLE("store-unreachable");

    private final String label;

    Numbers(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
