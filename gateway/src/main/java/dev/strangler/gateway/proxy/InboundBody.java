package dev.strangler.gateway.proxy;

import dev.strangler.core.http.RequestRules;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * What an inbound request's head says about its body, before any of it is read: whether there is
 * none, whether it may be kept in memory, and whether a kept body stands for no content at all.
 * Stateless; reads only the request's head.
 */
final class InboundBody {
    private InboundBody() {
    }

    /**
     * Whether the request is known to have no body from its head alone: HTTP/1.x without
     * Content-Length or Transfer-Encoding (or an HTTP/2 stream already ended), read without a
     * decoding failure, and not waiting for a {@code 100 Continue}.
     */
    static boolean isKnownAbsent(HttpServerRequest request) {
        return Upload.Framing.of(request) == Upload.Framing.NONE && !request.decoderResult().isFailure()
                && !Upload.expectsContinue(request);
    }

    /**
     * Whether the body may be kept in memory: its Content-Length is within {@code limit}, or it has
     * none. An HTTP/2 request without content-length cannot say until END_STREAM arrives (not yet
     * seen when the head is handled, e.g. after an h2c upgrade); GET, HEAD, OPTIONS and DELETE are
     * taken to have none, as they nearly always do.
     */
    static boolean fits(HttpServerRequest request, int limit) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) return switch (Upload.Framing.of(request)) {
            case NONE -> true;
            case UNTIL_END_STREAM -> switch (request.method().name()) {
                case "GET", "HEAD", "OPTIONS", "DELETE" -> true;
                default -> false;
            };
            default -> false;
        };
        try {
            return Long.parseLong(length.trim()) <= limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether the body is known from the head to be longer than {@code limit}: its Content-Length is
     * above it, or cannot be read as a length. A body framed otherwise (none, chunked, an HTTP/2 stream
     * without content-length) is not known to be, though it may turn out so when read ({@link ReadAhead}).
     */
    static boolean isKnownLargerThan(HttpServerRequest request, int limit) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || Upload.Framing.of(request) == Upload.Framing.CHUNKED) return false;
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Whether the request has content, or may have (RFC 9110 §6.4): a body framed by a
     * {@code Content-Length} above zero, chunked, or an HTTP/2 stream not ended with its head. For
     * HTTP/1.x this is {@link RequestRules#announcesContent}, the rule the decision and the guard read.
     */
    static boolean hasContent(HttpServerRequest request) {
        return hasContent(request, Upload.Framing.of(request));
    }

    /** {@link #hasContent(HttpServerRequest)} for a request whose framing was read already. */
    static boolean hasContent(HttpServerRequest request, Upload.Framing framing) {
        return switch (framing) {
            case NONE -> false;
            case LENGTH -> !RequestRules.isZeroLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
            case CHUNKED, UNTIL_END_STREAM -> true;
        };
    }

    /**
     * Whether a kept body stands for a request without content, which goes out without any framing
     * rather than with {@code content-length: 0} (RFC 9110 §8.6).
     */
    static boolean isWithoutContent(HttpServerRequest request, Buffer kept) {
        return kept.length() == 0 && Upload.Framing.of(request) == Upload.Framing.NONE;
    }
}
