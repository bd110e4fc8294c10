package dev.strangler.control.migration;

import dev.strangler.core.plan.Refusal;

/**
 * A change that was not made, and why. The subclasses map onto the admin API's problem types, so
 * the API, the CLI and the controller report refusals the same way.
 */
public abstract sealed class MigrationException extends RuntimeException {
    MigrationException(String message) {
        super(message);
    }

    /** No route of that name in the config. */
    public static final class UnknownRoute extends MigrationException {
        public UnknownRoute(String route, java.util.Collection<String> known) {
            super("no route named " + route + " in the config (routes: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
    }

    /** The move is not allowed from where the route is. */
    public static final class Refused extends MigrationException {
        private final Refusal refusal;

        public Refused(String route, Refusal refusal) {
            super(route + ": " + refusal.reason());
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** The request itself makes no sense (a percent outside 0..100, a rollback without a reason). */
    public static final class BadRequest extends MigrationException {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** Someone else changed the route at the same moment, every time we tried. */
    public static final class Conflict extends MigrationException {
        public Conflict(String route) {
            super(route + " was changed by someone else at the same moment; look at its state and retry");
        }
    }
}
