package dev.strangler.gateway.proxy;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * The request id of each request of one event loop: the client's {@code X-Request-Id} when it is a
 * sane token, else 32 random lower-case hex digits. The digits are written into an array this
 * instance keeps, so a fresh id costs its string and nothing else; hence one instance per event
 * loop, used only there (not thread-safe).
 */
final class RequestIds {
    private static final int MAX_CLIENT_ID_LENGTH = 128;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private final RandomGenerator random;
    private final byte[] digits = new byte[32];

    /** @param random where fresh ids come from ({@link java.util.concurrent.ThreadLocalRandom} in the gateway) */
    RequestIds(RandomGenerator random) {
        this.random = random;
    }

    /** The client's request id when it is a sane token (printable ASCII, no quote or backslash, 1 to 128 chars), else a fresh one. */
    String of(String fromClient) {
        if (fromClient != null && !fromClient.isEmpty() && fromClient.length() <= MAX_CLIENT_ID_LENGTH && isPrintableAscii(fromClient))
            return fromClient;
        hex16(random.nextLong(), 0);
        hex16(random.nextLong(), 16);
        return new String(digits, StandardCharsets.ISO_8859_1);
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
        }
        return true;
    }

    /** {@code v} as 16 lower-case hex digits, leading zeros included, at {@code digits[at..at+16)}. */
    private void hex16(long v, int at) {
        for (int i = 15; i >= 0; i--) {
            digits[at + i] = HEX_DIGITS[(int) (v & 0xf)];
            v >>>= 4;
        }
    }
}
