package dev.strangler.core.diff;

import com.fasterxml.jackson.databind.JsonNode;

/** Numeric equality of JSON numbers by value ({@code 1} equals {@code 1.0}), then within the tolerance. */
final class Numbers {
    private Numbers() {
    }

    static boolean areEqual(JsonNode a, JsonNode b, DiffOptions options) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) {
            if (a.canConvertToLong() && b.canConvertToLong() ? a.longValue() == b.longValue()
                    : a.bigIntegerValue().equals(b.bigIntegerValue()))
                return true;
        } else if (a.isBigDecimal() || b.isBigDecimal() || a.isBigInteger() || b.isBigInteger()) {
            if (a.decimalValue().compareTo(b.decimalValue()) == 0)
                return true;
        } else if (a.doubleValue() == b.doubleValue()) {
            return true;
        }
        if (!options.hasTolerance())
            return false;
        double x = a.doubleValue();
        double y = b.doubleValue();
        double difference = Math.abs(x - y);
        return difference <= options.absoluteTolerance()
                || difference <= options.relativeTolerance() * Math.max(Math.abs(x), Math.abs(y));
    }
}
