package dev.strangler.core.config;

import java.nio.file.Path;
import java.util.Objects;

/** PEM certificate chain and private key for a TLS listener. */
public record TlsFiles(Path certificate, Path key) {
    public TlsFiles {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }
}
