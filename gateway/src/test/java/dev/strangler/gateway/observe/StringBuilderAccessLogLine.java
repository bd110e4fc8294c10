package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The access-log line as the writer formatted it into a StringBuilder before it wrote UTF-8 bytes
 * itself (issue 14), kept as the reference its bytes are checked against: the UTF-8 of this text,
 * as {@code String.getBytes(UTF_8)} and the CharsetEncoder it replaced make it. Copied from the
 * code it replaced, less the cache of the last second formatted.
 */
final class StringBuilderAccessLogLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private StringBuilderAccessLogLine() {
    }

    static String line(Outcome o, long epochMillis, Redactor redactor) {
        StringBuilder b = new StringBuilder(384);
        RequestDetails d = o.details();
        b.append("{\"time\":\"");
        time(b, epochMillis);
        b.append("\",\"request_id\":");
        string(b, o.requestId());
        b.append(",\"method\":");
        string(b, o.method());
        b.append(",\"path\":");
        string(b, o.path());
        if (!d.query().isEmpty()) {
            b.append(",\"query\":");
            string(b, redactor.redactQuery(d.query()));
        }
        b.append(",\"route\":");
        string(b, o.route());
        b.append(",\"stage\":\"").append(o.stage().configName()).append('"');
        b.append(",\"backend\":");
        string(b, o.backend());
        b.append(",\"status\":").append(o.status());
        millis(b.append(",\"duration_ms\":"), o.durationNanos());
        b.append(",\"bytes_in\":").append(o.bytesIn());
        b.append(",\"bytes_out\":").append(o.bytesOut());
        if (!d.clientAddress().isEmpty()) {
            b.append(",\"client\":");
            string(b, d.clientAddress());
        }
        if (!d.userAgent().isEmpty()) {
            b.append(",\"user_agent\":");
            string(b, d.userAgent());
        }
        if (d.upstreamConnectNanos() >= 0) millis(b.append(",\"upstream_connect_ms\":"), d.upstreamConnectNanos());
        if (d.upstreamResponseNanos() >= 0) millis(b.append(",\"upstream_response_ms\":"), d.upstreamResponseNanos());
        if (o.fallback().isPresent()) {
            Outcome.BackendFailure f = o.fallback().get();
            b.append(",\"fallback\":true,\"fallback_from\":");
            string(b, f.backend());
            b.append(",\"fallback_cause\":\"").append(f.failure().label()).append('"');
        }
        if (o.failure().isPresent()) b.append(",\"error\":\"").append(o.error()).append('"'); // a refusal's rule, else the failure
        return b.append('}').toString();
    }

    private static void time(StringBuilder b, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        b.append(TIME.format(Instant.ofEpochSecond(second))).append('.');
        if (millis < 100) b.append('0');
        if (millis < 10) b.append('0');
        b.append(millis).append('Z');
    }

    /** Milliseconds to two decimals as the double printed them (AccessLogFormatPropertiesTest holds the integer form to it). */
    private static void millis(StringBuilder b, long nanos) {
        b.append(Math.round(nanos / 10_000.0) / 100.0);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                b.append(s, run, i).append('\\');
                if (c < 0x20) b.append("u00").append(c < 0x10 ? '0' : '1').append(Character.forDigit(c & 0xf, 16));
                else b.append(c);
                run = i + 1;
            }
        }
        b.append(s, run, s.length()).append('"');
    }
}
