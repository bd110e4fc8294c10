package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Rejection;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * A request Netty's decoder could not read, as the gateway refuses and reports it: the rule it broke
 * (the statuses Vert.x's default handler answered: 414 for a request line too long, 431 for a header
 * section too large, else 400), and its method and path when the decoder read its request line.
 *
 * <p>When the decoder fails on the request line itself, it hands over a placeholder of its own
 * ({@code GET /bad-request HTTP/1.0}) rather than the request: that is no request the client sent, so
 * its method and path are not known. A failure in the header section comes with the request's own line.
 *
 * @param method empty when not known
 * @param path   empty when not known
 */
record UnreadableRequest(Rejection rejection, String method, String path) {
    /** Netty's placeholder for a request whose line it could not read ({@code HttpRequestDecoder.createInvalidMessage}). */
    private static final String PLACEHOLDER_URI = "/bad-request";

    static UnreadableRequest of(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        Rejection rejection = rejectionOf(cause);
        boolean lineRead = !(cause instanceof TooLongHttpLineException) && !isPlaceholder(request);
        return lineRead ? new UnreadableRequest(rejection, request.method().name(), String.valueOf(request.path()))
                : new UnreadableRequest(rejection, "", "");
    }

    /** The rule behind a decoder's failure, with the status Vert.x's default invalid-request handler gave it. */
    static Rejection rejectionOf(Throwable cause) {
        if (cause instanceof TooLongHttpLineException)
            return new Rejection(414, Rejection.Code.URI_TOO_LONG,
                    "the request line is longer than " + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes");
        if (cause instanceof TooLongHttpHeaderException)
            return new Rejection(431, Rejection.Code.HEAD_TOO_LARGE,
                    "the header section is larger than " + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes");
        return new Rejection(400, Rejection.Code.UNREADABLE_HEAD, "the request head could not be read");
    }

    private static boolean isPlaceholder(HttpServerRequest request) {
        return request.version() == HttpVersion.HTTP_1_0 && request.method() == HttpMethod.GET && PLACEHOLDER_URI.equals(request.uri());
    }
}
