package dev.strangler.control.view;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Who may move a route on its own now: the controller ({@code auto}), or only people. */
public enum Automation {
    /** The controller judges and moves the route. */
    AUTO,
    /** The route's plan says the controller never moves it. */
    MANUAL,
    /** A person paused automation. */
    PAUSED,
    /** The controller rolled the route back and will not promote it before the hold ends. */
    HELD;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
