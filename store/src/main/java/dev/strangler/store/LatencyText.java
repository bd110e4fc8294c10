package dev.strangler.store;

import dev.strangler.core.plan.SideSample;

/**
 * A window's latency sample as the store keeps it: the values' {@link Double#toString} forms, one
 * space apart (a text column, so every gateway version of a fleet reads what any other wrote).
 *
 * <p>The controller reads every stored window of every judged route at each tick, so reading is
 * the hot direction: {@code split} and {@link Double#parseDouble} made about two thirds of a canary
 * tick's bytes (a substring, and the parser's own buffers, per value). Here a value is read in place,
 * and when its digits and power of ten are small enough (at most 2<sup>53</sup> and 10<sup>±22</sup>,
 * which covers what {@code Double.toString} writes for latencies) it is one exact integer times or
 * divided by one exact power of ten: a single correctly rounded operation, so the same double
 * {@code parseDouble} gives (Clinger's fast path, the one {@code parseDouble} takes itself). Anything
 * else (more digits, a sign, {@code NaN}, a malformed value) goes to {@code parseDouble}, which gives
 * the result or the error it always gave.
 */
final class LatencyText {
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final int MAX_EXACT_POWER = 22;
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_POWER + 1];

    static {
        double p = 1;
        for (int i = 0; i <= MAX_EXACT_POWER; i++, p *= 10) POWERS_OF_TEN[i] = p; // all exact: 10^22 < 2^53 * 2^22
    }

    private LatencyText() {}

    /** The values as stored: {@link Double#toString} forms, one space apart; empty for no values. */
    static String format(double[] millis) {
        if (millis.length == 0) return "";
        StringBuilder text = new StringBuilder(millis.length * 8);
        for (int i = 0; i < millis.length; i++) {
            if (i > 0) text.append(' ');
            text.append(millis[i]); // the same digits as Double.toString (both are JDK's shortest form)
        }
        return text.toString();
    }

    /**
     * The values of a stored sample, in order, in a full builder (the side it builds takes them over
     * without a copy). Whitespace around and between values is skipped.
     *
     * @throws NumberFormatException for a value that is not a number, as {@link Double#parseDouble} says
     */
    static SideSample.Builder parse(String text) {
        int end = text.length();
        SideSample.Builder values = new SideSample.Builder(countValues(text, end));
        int at = skipSpace(text, 0, end);
        while (at < end) {
            int valueEnd = at;
            while (valueEnd < end && !isSpace(text.charAt(valueEnd))) valueEnd++;
            values.add(parseValue(text, at, valueEnd));
            at = skipSpace(text, valueEnd, end);
        }
        return values;
    }

    /** One value, {@code text[from, to)}, not empty and without whitespace. */
    static double parseValue(String text, int from, int to) {
        long mantissa = 0; // every digit before the exponent, the point ignored
        int fractionDigits = 0;
        boolean point = false;
        boolean digits = false;
        int at = from;
        for (; at < to; at++) {
            char c = text.charAt(at);
            if (c >= '0' && c <= '9') {
                if (mantissa > (MAX_EXACT_MANTISSA - 9) / 10) return slowly(text, from, to);
                mantissa = mantissa * 10 + (c - '0');
                digits = true;
                if (point) fractionDigits++;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (!digits) return slowly(text, from, to);
        int exponent = 0;
        if (at < to) {
            char e = text.charAt(at);
            if ((e != 'E' && e != 'e') || ++at == to) return slowly(text, from, to);
            boolean negative = text.charAt(at) == '-';
            if (negative || text.charAt(at) == '+') at++;
            if (at == to) return slowly(text, from, to);
            for (; at < to; at++) {
                char c = text.charAt(at);
                if (c < '0' || c > '9' || exponent > 1000) return slowly(text, from, to);
                exponent = exponent * 10 + (c - '0');
            }
            if (negative) exponent = -exponent;
        }
        int power = exponent - fractionDigits;
        if (mantissa == 0) return 0.0;
        if (power < -MAX_EXACT_POWER || power > MAX_EXACT_POWER) return slowly(text, from, to);
        // Both operands are exact doubles, so one IEEE operation rounds the exact decimal value once.
        return power >= 0 ? mantissa * POWERS_OF_TEN[power] : mantissa / POWERS_OF_TEN[-power];
    }

    private static double slowly(String text, int from, int to) {
        return Double.parseDouble(text.substring(from, to));
    }

    private static int countValues(String text, int end) {
        int count = 0;
        boolean inValue = false;
        for (int i = 0; i < end; i++) {
            boolean space = isSpace(text.charAt(i));
            if (!space && !inValue) count++;
            inValue = !space;
        }
        return count;
    }

    private static int skipSpace(String text, int at, int end) {
        while (at < end && isSpace(text.charAt(at))) at++;
        return at;
    }

    /** What {@link String#strip} strips, for the characters a stored sample can hold. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
