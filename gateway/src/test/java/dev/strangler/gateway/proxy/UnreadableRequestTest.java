package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Rejection;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnreadableRequestTest {
    /** The statuses Vert.x's default invalid-request handler gave, each now with the rule's name. */
    @Test
    void eachDecoderFailureIsTheRuleItBrokeWithTheStatusVertxGaveIt() {
        assertThat(UnreadableRequest.rejectionOf(new TooLongHttpLineException("An HTTP line is larger than 4096 bytes.")))
                .extracting(Rejection::status, Rejection::code).containsExactly(414, Rejection.Code.URI_TOO_LONG);
        assertThat(UnreadableRequest.rejectionOf(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes.")))
                .extracting(Rejection::status, Rejection::code).containsExactly(431, Rejection.Code.HEAD_TOO_LARGE);
        assertThat(UnreadableRequest.rejectionOf(new IllegalArgumentException("invalid version format: HTTP/X")))
                .extracting(Rejection::status, Rejection::code).containsExactly(400, Rejection.Code.UNREADABLE_HEAD);
        assertThat(UnreadableRequest.rejectionOf(null)).extracting(Rejection::status).isEqualTo(400);
        assertThat(Rejection.Code.URI_TOO_LONG.label()).isEqualTo("uri-too-long");
        assertThat(Rejection.Code.HEAD_TOO_LARGE.label()).isEqualTo("head-too-large");
    }
}
