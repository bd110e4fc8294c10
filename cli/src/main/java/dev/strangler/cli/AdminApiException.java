package dev.strangler.cli;

/**
 * The admin API could not do what a command asked: {@link Main} prints the message (it already
 * says what to do about it) and exits with {@link #exitCode()} — {@link Main#BAD_INPUT} when the
 * user must change the request (token, route name, an invalid move), {@link Main#FAILED} when the
 * gateway or its state store is the problem.
 */
class AdminApiException extends RuntimeException {
    private final int exitCode;

    AdminApiException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** Nothing answered at the admin address: a command that can do without the gateway falls back. */
    static final class Unreachable extends AdminApiException {
        Unreachable(String message) {
            super(Main.FAILED, message);
        }
    }
}
