package dev.strangler.gateway.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code strangler.access} logger. The line is written by hand
 * rather than through a JSON library: it is on the request path, its fields are fixed, and only
 * the path needs escaping. Where the line goes (stdout, a file, async) is the logging config's job.
 */
public final class AccessLog implements ExchangeObserver {
    public static final String LOGGER = "strangler.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @Override
    public void onComplete(Outcome o) {
        if (!LOG.isInfoEnabled()) return;
        LOG.info(line(o));
    }

    static String line(Outcome o) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"request_id\":");
        string(b, o.requestId());
        b.append(",\"method\":");
        string(b, o.method());
        b.append(",\"path\":");
        string(b, o.path());
        b.append(",\"route\":");
        string(b, o.route());
        b.append(",\"stage\":\"").append(o.stage().configName()).append('"');
        b.append(",\"backend\":");
        string(b, o.backend());
        b.append(",\"status\":").append(o.status());
        b.append(",\"duration_ms\":").append(Math.round(o.durationNanos() / 10_000.0) / 100.0);
        b.append(",\"bytes_in\":").append(o.bytesIn());
        b.append(",\"bytes_out\":").append(o.bytesOut());
        if (o.fellBack()) b.append(",\"fallback\":true");
        if (!o.error().isEmpty()) {
            b.append(",\"error\":");
            string(b, o.error());
        }
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
