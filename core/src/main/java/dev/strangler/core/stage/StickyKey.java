package dev.strangler.core.stage;

import java.util.Locale;
import java.util.Optional;

/**
 * What keeps one user on one side of a canary: the value of a header, of a cookie, or the
 * client address. Written in config as {@code header:NAME}, {@code cookie:NAME} or {@code client-ip}.
 */
public sealed interface StickyKey {
    record Header(String name) implements StickyKey {
        public Header {
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    record Cookie(String name) implements StickyKey {}

    record ClientIp() implements StickyKey {}

    /** The default when a canary route names none: the client address is always present. */
    StickyKey DEFAULT = new ClientIp();

    /** Parses the config form; empty when it is not one of the three forms. */
    static Optional<StickyKey> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim();
        if (t.equals("client-ip")) return Optional.of(new ClientIp());
        if (t.startsWith("header:") && t.length() > "header:".length()) return Optional.of(new Header(t.substring(7).trim()));
        if (t.startsWith("cookie:") && t.length() > "cookie:".length()) return Optional.of(new Cookie(t.substring(7).trim()));
        return Optional.empty();
    }

    default String configForm() {
        return switch (this) {
            case Header h -> "header:" + h.name();
            case Cookie c -> "cookie:" + c.name();
            case ClientIp ip -> "client-ip";
        };
    }
}
