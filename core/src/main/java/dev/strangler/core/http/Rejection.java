package dev.strangler.core.http;

import java.util.Objects;

/**
 * Why a request is refused before anything is forwarded: the status to answer, a stable code for
 * the access log and the problem type, and a sentence for the problem body. Every rejection closes the
 * connection afterwards (HTTP/1.x), as NGINX does: after a request the gateway could not read with
 * certainty, the next bytes on that connection cannot be trusted to start a request either.
 */
public record Rejection(int status, Code code, String detail) implements RequestCheck {
    /** The rule that was broken; {@link #name()} in lower case with dashes is what the access log shows. */
    public enum Code {
        BAD_TARGET, BAD_PATH, ENCODED_SEPARATOR, DOT_SEGMENT, FRAGMENT, NOT_UTF8,
        MISSING_HOST, DUPLICATE_HOST, BAD_HOST,
        BAD_HEADER_NAME, BAD_HEADER_VALUE,
        CONTENT_LENGTH_WITH_TRANSFER_ENCODING, DUPLICATE_TRANSFER_ENCODING, UNKNOWN_TRANSFER_CODING,
        TRANSFER_ENCODING_IN_HTTP_1_0, BAD_CONTENT_LENGTH, DUPLICATE_CONTENT_LENGTH, FOLDED_HEADER,
        BAD_CHUNK, BAD_LINE_ENDING, BAD_REQUEST_LINE, UNSUPPORTED_VERSION,
        BAD_MAX_FORWARDS, METHOD_NOT_ALLOWED,
        /** {@code ;params} inside the path that move it to another route once a servlet container drops them. */
        AMBIGUOUS_PATH,
        /** Refused by the HTTP decoder itself, which reads no more of the request (the gateway's limits are Vert.x's). */
        URI_TOO_LONG, HEAD_TOO_LARGE, UNREADABLE_HEAD,
        /** An HTTP/2 stream the codec reset before it became a request (a header it refuses): no answer, only the reset. */
        MALFORMED_H2_STREAM;

        /** Made once: the access log writes it for every refused request. */
        private final String label = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

        /** {@code UNKNOWN_TRANSFER_CODING} → {@code unknown-transfer-coding}: the access log's {@code error} and the problem type's last segment. */
        public String label() {
            return label;
        }
    }

    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
        if (status < 400 || status > 599) throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
    }

    public static Rejection badRequest(Code code, String detail) {
        return new Rejection(400, code, detail);
    }
}
