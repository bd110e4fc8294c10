package dev.strangler.core.gates;

import java.util.Locale;

/** Number formatting shared by the gates' audit-log explanations. */
final class GateFormat {
    private GateFormat() {
    }

    static String pValue(double p) {
        return p < 0.0001 ? "p<0.0001" : String.format(Locale.ROOT, "p=%.4f", p);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
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
