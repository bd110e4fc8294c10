package dev.strangler.control.view;

/** What a move answers: the route as it is now, and the audit entry the move wrote. */
public record ChangeView(RouteView route, AuditView audit) {}
