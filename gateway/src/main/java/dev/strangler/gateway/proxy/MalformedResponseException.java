package dev.strangler.gateway.proxy;

import java.io.IOException;

/**
 * A backend's response that breaks HTTP/1.1's grammar (RFC 9112) or a size limit: the lean client
 * ({@link ResponseReader}) reads no more of the connection, which is closed, and the call fails as
 * when the backend resets it.
 */
final class MalformedResponseException extends IOException {
    MalformedResponseException(String message) {
        super(message);
    }
}
