package dev.strangler.core.diff;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** What a {@code Content-Type} says about how to compare a body: as JSON, as text in a charset, or as bytes. */
record BodyType(String mediaType, boolean declared, Optional<Charset> charset) {
    static final BodyType UNDECLARED = new BodyType("", false, Optional.empty());

    static BodyType of(Optional<String> contentType) {
        if (contentType.isEmpty() || contentType.get().isBlank())
            return UNDECLARED;
        String value = contentType.get();
        int semicolon = value.indexOf(';');
        String media = (semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        Optional<Charset> charset = Optional.empty();
        if (semicolon >= 0) {
            for (String param : value.substring(semicolon + 1).split(";")) {
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset"))
                    charset = charset(param.substring(eq + 1).trim().replace("\"", ""));
            }
        }
        return new BodyType(media, true, charset);
    }

    /** The media type of a {@code Content-Type} value, lower case, without parameters. */
    static String mediaTypeOf(String contentType) {
        return of(Optional.of(contentType)).mediaType();
    }

    private static Optional<Charset> charset(String name) {
        try {
            return Optional.of(Charset.forName(name));
        } catch (RuntimeException unsupported) {
            return Optional.of(StandardCharsets.UTF_8);
        }
    }

    boolean isJson() {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    /** Undeclared bodies are tried as JSON: many services omit the header. */
    boolean mayBeJson() {
        return !declared || isJson();
    }

    boolean isText() {
        return charset.isPresent() || isJson() || mediaType.startsWith("text/") || mediaType.endsWith("+xml")
                || mediaType.equals("application/xml") || mediaType.equals("application/javascript")
                || mediaType.equals("application/x-www-form-urlencoded");
    }

    Charset charsetOrUtf8() {
        return charset.orElse(StandardCharsets.UTF_8);
    }
}
