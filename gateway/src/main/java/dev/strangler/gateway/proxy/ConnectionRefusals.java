package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Http1Syntax;
import dev.strangler.core.http.MovableByteText;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.SyntaxViolation;

/**
 * What {@link FramingGuard} refused on one connection, by request number, and the requests the
 * handler has asked about so far. A refused request reaches the handler as a synthetic request
 * ({@link #syntheticRequest}: method and target of the refused one, no header of its own), whose
 * number on the connection tells it apart: nothing a client sends can make a request stand for a
 * refusal. A body refused after its head went out is kept apart, for the exchange in progress to
 * report the broken rule.
 */
final class ConnectionRefusals {
    /** Requests the handler has asked about so far. */
    private long requestsAsked;
    /** The refusal the synthetic request stands for, and that request's number on the connection. */
    private Rejection refusal;
    private long refusedRequest;
    /** The refusal of a body whose head had gone out already, and that request's number on the connection. */
    private Rejection bodyRefusal;
    private long bodyRefusedRequest;

    /** See {@link FramingGuard#refusalOfNextRequest}. */
    Rejection refusalOfNextRequest() {
        long n = requestsAsked++;
        return refusal != null && n >= refusedRequest ? refusal : null;
    }

    /** See {@link FramingGuard#bodyRefusalOfLatestRequest}. */
    Rejection bodyRefusalOfLatestRequest() {
        return bodyRefusal != null && bodyRefusedRequest == requestsAsked - 1 ? bodyRefusal : null;
    }

    /** The request with this number on the connection was refused; the synthetic request stands for it. */
    void refuse(Rejection rejection, long request) {
        refusal = rejection;
        refusedRequest = request;
    }

    /** The body of the request with this number on the connection was refused after its head went out. */
    void refuseBody(Rejection rejection, long request) {
        bodyRefusal = rejection;
        bodyRefusedRequest = request;
    }

    /** The request that stands for a refused one, from its request line when it was found well-formed (else null). */
    static String syntheticRequest(MovableByteText requestLine) {
        String m = "GET";
        String t = "/";
        if (requestLine != null) {
            try {
                Http1Syntax.RequestLine refused = Http1Syntax.requestLine(requestLine);
                m = refused.method();
                if (isVisibleAscii(refused.target())) t = refused.target();
            } catch (SyntaxViolation impossible) {
                // requestLine was checked before it was kept
            }
        }
        return m + " " + t + " HTTP/1.1\r\nHost: refused.invalid\r\nContent-Length: 0\r\n\r\n";
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) <= 0x20 || s.charAt(i) >= 0x7f) return false;
        return true;
    }
}
