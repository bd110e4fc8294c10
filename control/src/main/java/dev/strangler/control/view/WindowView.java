package dev.strangler.control.view;

/** Both sides side by side over one span of time, and the shadow's match rate over it. */
public record WindowView(SideView monolith, SideView service, ShadowRate shadow) {}
