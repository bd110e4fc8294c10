package dev.strangler.bench.floor;

import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids like NGINX's {@code $request_id}: 128 random bits as 32 lower-case hex digits. */
final class RequestIds {
    static final AsciiString HEADER = AsciiString.cached("X-Request-Id");
    private static final int LENGTH = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RequestIds() {
    }

    /** A new id, as an {@link AsciiString} so Netty's encoder writes it without a charset pass. */
    static AsciiString next() {
        byte[] id = new byte[LENGTH];
        fill(id);
        return new AsciiString(id, false);
    }

    /** A new id written into {@code into}, which it replaces: no object per request. */
    static void next(AsciiText into) {
        fill(into.reset(LENGTH));
    }

    private static void fill(byte[] id) {
        var random = ThreadLocalRandom.current();
        hex(random.nextLong(), id, 0);
        hex(random.nextLong(), id, 16);
    }

    private static void hex(long value, byte[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
