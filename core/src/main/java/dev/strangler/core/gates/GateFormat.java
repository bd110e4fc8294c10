package dev.strangler.core.gates;

import java.util.Locale;

/**
 * Number formatting shared by the gates' and the judge's explanations, which the controller writes for
 * every judged route at every tick: {@link #fixed} writes what {@code String.format(Locale.ROOT,
 * "%.Nf", value)} writes, without parsing a format or boxing its arguments, and the texts around
 * the numbers are plain concatenation.
 *
 * <p>How {@code %.Nf} rounds (JDK 19 and later, {@code jdk.internal.math.FormattedFPDecimal}): it
 * takes the decimal {@link Double#toString} chooses (the shortest that reads back as the same
 * double) and rounds that to {@code N} places, half up — so 0.125 becomes 0.13, and 1.005 (really
 * 1.00499999…) becomes 1.01. {@link #fixed} does the same: it reads the shortest decimal's digits
 * as {@link StringBuilder#append(double)} writes them, then rounds those. Values whose digits do not fit
 * a long once scaled (very large or very precise ones), NaN and the infinities go to
 * {@code String.format} itself; the gates never write such numbers.
 */
public final class GateFormat {
    /** The largest power of ten a long holds; the digits of a double's shortest decimal are at most 17. */
    private static final int MAX_POWER = 18;
    private static final long[] POWERS_OF_TEN = new long[MAX_POWER + 1];

    static {
        long p = 1;
        for (int i = 0; i <= MAX_POWER; i++, p *= 10) POWERS_OF_TEN[i] = p;
    }

    private GateFormat() {
    }

    /** {@code value} with {@code decimals} places after a '.' (0 to 9, no point for 0): {@code %.Nf} in the root locale. */
    public static String fixed(double value, int decimals) {
        if (decimals < 0 || decimals > 9) throw new IllegalArgumentException("decimals: " + decimals + " (expected: 0..9)");
        StringBuilder out = new StringBuilder(24);
        return appendFixed(out, value, decimals) ? out.toString() : slowly(value, decimals);
    }

    /** Appends {@code value} as {@link #fixed}; false, with {@code out} as it was, when only {@code String.format} can. */
    private static boolean appendFixed(StringBuilder out, double value, int decimals) {
        if (!Double.isFinite(value)) return false;
        int start = out.length();
        boolean negative = Double.compare(value, 0.0) < 0; // -0.0 too, as %f writes "-0.00"
        out.append(Math.abs(value));
        // The shortest decimal, "123.45" or "1.2345E-5": its digits as one integer, and where its point is.
        long digits = 0;
        int scale = 0; // value = digits × 10^-scale
        int at = start;
        boolean point = false;
        for (; at < out.length(); at++) {
            char c = out.charAt(at);
            if (c == '.') {
                point = true;
            } else if (c == 'E') {
                break;
            } else {
                digits = digits * 10 + (c - '0'); // at most 18 digits (17 and a written 0): no overflow
                if (point) scale++;
            }
        }
        if (at < out.length()) scale -= Integer.parseInt(out, at + 1, out.length(), 10);
        out.setLength(start);
        // Rounded to `decimals` places, half up: the integer digits × 10^(decimals - scale).
        long rounded;
        int shift = decimals - scale;
        if (shift >= 0) {
            if (shift > MAX_POWER || digits > Long.MAX_VALUE / POWERS_OF_TEN[shift]) return false;
            rounded = digits * POWERS_OF_TEN[shift];
        } else if (-shift > MAX_POWER) {
            rounded = 0; // digits < 10^18 <= half of 10^-shift
        } else {
            long divisor = POWERS_OF_TEN[-shift];
            rounded = digits / divisor + (digits % divisor >= divisor / 2 ? 1 : 0);
        }
        if (negative) out.append('-');
        long unit = POWERS_OF_TEN[decimals];
        out.append(rounded / unit);
        if (decimals > 0) {
            out.append('.');
            long fraction = rounded % unit;
            for (long p = unit / 10; p > 1 && fraction < p; p /= 10) out.append('0');
            out.append(fraction);
        }
        return true;
    }

    private static String slowly(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String pValue(double p) {
        return p < 0.0001 ? "p<0.0001" : "p=" + fixed(p, 4);
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha: " + alpha + " (expected: 0 < alpha < 1)");
        }
    }

    static void checkMaxIncrease(double maxIncrease) {
        if (!(maxIncrease >= 0 && Double.isFinite(maxIncrease))) {
            throw new IllegalArgumentException("maxIncrease: " + maxIncrease + " (expected: finite and >= 0)");
        }
    }
}
