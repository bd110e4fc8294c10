package dev.strangler.gateway.observe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text written straight into a growable array of UTF-8 bytes, for the access log's lines: ASCII
 * constants and numbers as bytes, strings from the request (as chars) as JSON strings in UTF-8. The writer made a
 * line in a StringBuilder before, then copied the builder into a char array and ran a CharsetEncoder
 * over it for every batch (issue 14: formatting and encoding were 60 % of the writer's profile); here the
 * bytes are what is written, and nothing is made per line or per number.
 *
 * <p>The bytes are exactly {@code String.getBytes(UTF_8)} of the text a StringBuilder would hold:
 * a character pair makes four bytes, a lone surrogate the {@code '?'} that encoding writes for it. The
 * array is reused after {@link #clear()}, so it grows to the largest text once and stays there. Not
 * thread-safe: the access log's writer thread owns its text.
 */
final class Utf8Text {
    /** Bytes a char can take at most in a JSON string: a control character, as a backslash, u and four hex digits. */
    private static final int MOST_BYTES_PER_CHAR = 6;
    /** Digits and sign of {@link Long#MIN_VALUE}, the longest decimal. */
    private static final int MOST_DECIMAL_BYTES = 20;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;
    /** UTF-8 bytes written beyond one per UTF-16 char: so the text's length in chars is known without it. */
    private int widening;

    Utf8Text(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    /** The bytes written, from index 0 up to {@link #length()}; the array is replaced when it grows. */
    byte[] array() {
        return bytes;
    }

    /** Bytes written. */
    int length() {
        return length;
    }

    /** The length of the text in UTF-16 chars, as a StringBuilder holding it would count it. */
    int charLength() {
        return length - widening;
    }

    boolean isEmpty() {
        return length == 0;
    }

    /** Starts an empty text in the same array. */
    void clear() {
        length = 0;
        widening = 0;
    }

    /**
     * The array, with room for {@code more} bytes after the text: for bytes written after it in the same
     * write that are not part of it (a line end).
     */
    byte[] arrayWithRoomAfter(int more) {
        ensureRoomFor(more);
        return bytes;
    }

    /** The text, decoded. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    Utf8Text ascii(char c) {
        ensureRoomFor(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code s}, which must be ASCII (a constant of the code, never a string from a request). */
    Utf8Text ascii(String s) {
        ensureRoomFor(s.length());
        copyAscii(s, 0, s.length());
        return this;
    }

    /** Appends {@code v} in decimal, as {@link Long#toString(long)} writes it. */
    Utf8Text decimal(long v) {
        ensureRoomFor(MOST_DECIMAL_BYTES);
        byte[] b = bytes;
        long negative = v; // digits are taken from the negative value: Long.MIN_VALUE has no positive one
        if (v < 0) b[length++] = '-';
        else negative = -v;
        int digits = 1;
        for (long rest = negative / 10; rest != 0; rest /= 10) digits++;
        int end = length + digits;
        for (int at = end - 1; at >= length; at--) {
            b[at] = (byte) ('0' - negative % 10);
            negative /= 10;
        }
        length = end;
        return this;
    }

    /**
     * Appends chars {@code from..to} of {@code chars} as a JSON string in UTF-8: in quotes, with {@code "},
     * {@code \} and control characters escaped (as a backslash, u and four hex digits). The bytes are the
     * UTF-8 of what a StringBuilder escaping the string of those chars held. Runs of ASCII that need no
     * escape, most strings whole, are copied at once; each character is looked at once, to find where a
     * run ends.
     */
    Utf8Text jsonString(char[] chars, int from, int to) {
        ensureRoomFor(2 + (long) MOST_BYTES_PER_CHAR * (to - from));
        bytes[length++] = '"';
        int run = from;
        for (int i = from; i < to; i++) {
            char c = chars[i];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
            copyAscii(chars, run, i);
            if (c < 0x80) {
                escape(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(chars[i + 1])) {
                codePoint(Character.toCodePoint(c, chars[i + 1]));
                i++;
            } else {
                nonAscii(c);
            }
            run = i + 1;
        }
        copyAscii(chars, run, to);
        bytes[length++] = '"';
        return this;
    }

    /** Copies chars {@code from..to} of {@code chars}, all ASCII, as bytes. */
    private void copyAscii(char[] chars, int from, int to) {
        byte[] b = bytes;
        int at = length;
        for (int i = from; i < to; i++) b[at++] = (byte) chars[i];
        length = at;
    }

    /**
     * Copies chars {@code from..to} of {@code s}, all ASCII, as bytes. {@link String#getBytes(int, int, byte[], int)}
     * is deprecated because it keeps only the low byte of each char, which is the whole of an ASCII char;
     * it is the one way to copy a string's chars into a byte array without making an array, and for a
     * Latin-1 string (every ASCII string) it is an array copy.
     */
    @SuppressWarnings("deprecation")
    private void copyAscii(String s, int from, int to) {
        s.getBytes(from, to, bytes, length);
        length += to - from;
    }

    private void escape(char c) {
        byte[] b = bytes;
        b[length++] = '\\';
        if (c < 0x20) {
            b[length++] = 'u';
            b[length++] = '0';
            b[length++] = '0';
            b[length++] = HEX[c >> 4];
            b[length++] = HEX[c & 0xf];
        } else {
            b[length++] = (byte) c;
        }
    }

    /** A char from U+0080 up, not part of a pair: two or three bytes, or {@code '?'} for a lone surrogate. */
    private void nonAscii(char c) {
        byte[] b = bytes;
        if (c < 0x800) {
            b[length++] = (byte) (0xc0 | c >> 6);
            b[length++] = (byte) (0x80 | c & 0x3f);
            widening += 1;
        } else if (Character.isSurrogate(c)) {
            b[length++] = '?';
        } else {
            b[length++] = (byte) (0xe0 | c >> 12);
            b[length++] = (byte) (0x80 | c >> 6 & 0x3f);
            b[length++] = (byte) (0x80 | c & 0x3f);
            widening += 2;
        }
    }

    /** A code point above U+FFFF, from a pair of chars: four bytes. */
    private void codePoint(int cp) {
        byte[] b = bytes;
        b[length++] = (byte) (0xf0 | cp >> 18);
        b[length++] = (byte) (0x80 | cp >> 12 & 0x3f);
        b[length++] = (byte) (0x80 | cp >> 6 & 0x3f);
        b[length++] = (byte) (0x80 | cp & 0x3f);
        widening += 2;
    }

    private void ensureRoomFor(long more) {
        long needed = length + more;
        if (needed <= bytes.length) return;
        if (needed > Integer.MAX_VALUE - 8) throw new OutOfMemoryError("access log text: " + needed + " bytes (expected: < 2 GB)");
        bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(2L * bytes.length, Integer.MAX_VALUE - 8)));
    }
}
