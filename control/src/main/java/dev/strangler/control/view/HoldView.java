package dev.strangler.control.view;

import java.time.Instant;

/** The controller's hold on promoting a route after an automatic rollback, while it lasts. */
public record HoldView(Instant until, String summary) {}
