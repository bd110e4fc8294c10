package dev.strangler.control.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin API's shared secret. Checks compare SHA-256 digests with {@link MessageDigest#isEqual},
 * which takes the same time whatever the content: neither the secret's bytes nor its length leak
 * through response timing. The secret itself never leaves this class (no getter, redacted
 * {@code toString}), so it cannot reach a log line by accident.
 */
final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private final Optional<byte[]> digest;

    private BearerToken(Optional<byte[]> digest) {
        this.digest = digest;
    }

    /** A blank token counts as none: {@code token: ${UNSET_VARIABLE}} must not open the API with "". */
    static BearerToken of(Optional<String> secret) {
        Objects.requireNonNull(secret, "secret");
        return new BearerToken(secret.filter(s -> !s.isBlank()).map(BearerToken::sha256));
    }

    boolean isRequired() {
        return digest.isPresent();
    }

    /** Whether an {@code Authorization} header value (may be null) carries the token; always true when none is required. */
    boolean admits(String authorization) {
        if (digest.isEmpty()) return true;
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) return false;
        return MessageDigest.isEqual(digest.get(), sha256(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return digest.isPresent() ? "BearerToken[<redacted>]" : "BearerToken[<none>]";
    }
}
