package dev.strangler.core.config;

import java.util.regex.Pattern;

/**
 * The PEM block a file named in the config must hold. A wrong file (a key for a certificate, a
 * JSON file) passes a readability check and fails only when the listener or the first https
 * connection starts, so validation looks for the block's first line.
 */
enum PemFile {
    CERTIFICATE("certificate", "-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE-----"),
    PRIVATE_KEY("private key", "-----BEGIN PRIVATE KEY-----", "-----BEGIN (RSA |EC |ENCRYPTED |)PRIVATE KEY-----");

    private final String description;
    private final String marker;
    private final Pattern pattern;

    PemFile(String description, String marker, String regex) {
        this.description = description;
        this.marker = marker;
        this.pattern = Pattern.compile(regex);
    }

    /** What the file should hold, for messages: "certificate", "private key". */
    String description() {
        return description;
    }

    /** The line that starts such a block, for messages. */
    String marker() {
        return marker;
    }

    boolean isIn(String text) {
        return pattern.matcher(text).find();
    }
}
