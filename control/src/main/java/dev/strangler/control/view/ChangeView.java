package dev.strangler.control.view;

import java.util.List;

/**
 * What a move answers: the route as it is now, the audit entry the move wrote, and the warnings of
 * the move (stale-read pairs it created; empty when none), which the audit entry's evidence repeats.
 */
public record ChangeView(RouteView route, AuditView audit, List<String> warnings) {
    public ChangeView {
        warnings = List.copyOf(warnings);
    }
}
