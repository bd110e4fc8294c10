package dev.strangler.core.shadow;

import java.util.regex.Pattern;

/**
 * Whether a reported value looks generated rather than computed: an id, a token, a timestamp. Values
 * arrive as the diff engine reports them (compact JSON, so strings keep their quotes, or header values).
 */
final class ValueShape {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern HEX = Pattern.compile("(?:0x)?[0-9a-fA-F]{16,}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9+/_-]{20,}={0,2}");
    private static final Pattern ISO_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?");
    private static final Pattern HTTP_DATE = Pattern.compile(
            "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    private static final Pattern EPOCH = Pattern.compile("1\\d{9}(?:\\d{3})?(?:\\.\\d+)?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

    private ValueShape() {
    }

    /** Whether the value looks random or clock-made: UUID, long hex, token, ISO or HTTP date, epoch time. */
    static boolean looksGenerated(String value) {
        String v = unquote(value);
        if (v.length() < 10 || v.length() > 512)
            return false;
        if (UUID.matcher(v).matches() || HEX.matcher(v).matches() || ISO_TIME.matcher(v).matches()
                || HTTP_DATE.matcher(v).matches() || EPOCH.matcher(v).matches())
            return true;
        return TOKEN.matcher(v).matches() && hasLettersAndDigits(v);
    }

    static boolean isNumber(String value) {
        return NUMBER.matcher(unquote(value)).matches();
    }

    private static boolean hasLettersAndDigits(String v) {
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        return letter && digit;
    }

    private static String unquote(String value) {
        String v = value.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\""))
            return v.substring(1, v.length() - 1);
        return v;
    }
}
