package dev.strangler.cli;

/**
 * Input the user must fix (an invalid config file, unsafe admin settings): {@link Main} prints
 * the message as is, one problem per line, and exits with {@link Main#BAD_INPUT}.
 */
final class BadInputException extends RuntimeException {
    BadInputException(String message) {
        super(message);
    }
}
