package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import dev.strangler.gateway.observe.Failure;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

import java.util.Optional;

/**
 * Ends an {@link Exchange} whose attempt went over the lean backend client: each turn of the
 * {@link LeanRelay} is carried out as the Vert.x path's would be (fallback, ejection, the problem
 * answered, the outcome reported), by the exchange that owns the request.
 *
 * <p>On a shadow route it keeps the monolith's answered status and headers, so the comparison can
 * be made once the relay has the whole body. One per lean attempt, confined to the exchange's event loop.
 */
final class LeanExchangeEnding implements LeanRelay.Ending {
    private final Exchange exchange;
    private final HttpServerResponse response;
    private final Attempt attempt;
    private final BackendClients.Endpoint endpoint;
    /** The copy to the service while the route is in shadow; null otherwise, and then so is {@link #capture}. */
    private final ShadowCopy shadowCopy;
    private final BodyCapture capture;
    /** The monolith's answer on a shadow route, for the comparison once its body is in: its status, and its fields as it sent them. */
    private int answeredStatus;
    private HeaderFields answeredFields;

    LeanExchangeEnding(Exchange exchange, HttpServerResponse response, Attempt attempt, BackendClients.Endpoint endpoint,
                       ShadowCopy shadowCopy, BodyCapture capture) {
        this.exchange = exchange;
        this.response = response;
        this.attempt = attempt;
        this.endpoint = endpoint;
        this.shadowCopy = shadowCopy;
        this.capture = capture;
    }

    @Override
    public boolean isFinished() {
        return exchange.isFinished();
    }

    @Override
    public void connected() {
        exchange.attemptConnected();
    }

    @Override
    public void connectFailed(Throwable cause) {
        attemptFailed(BackendErrors.whileConnecting(cause), cause);
    }

    @Override
    public void earlyHints(MultiMap headers) {
        exchange.relayEarlyHints(headers);
    }

    @Override
    public boolean answered(int status, String reason, MultiMap headers, HeaderFields fields, int connectionLines) {
        exchange.attemptAnswered(attempt, endpoint);
        answeredStatus = status;
        answeredFields = fields;
        if (capture != null) capture.expectLengthOf(headers);
        return exchange.relayHead(status, reason, headers, connectionLines);
    }

    @Override
    public void failedBeforeHead(Throwable cause) {
        attemptFailed(BackendErrors.beforeResponse(cause), cause);
    }

    /** No response head came: the attempt ends as the Vert.x path's would (fallback, ejection, problem answered). */
    private void attemptFailed(Failure failure, Throwable cause) {
        exchange.leanRelayEnded();
        exchange.backendFailed(failure, cause, attempt, endpoint);
    }

    @Override
    public void brokeOff(Throwable cause) {
        exchange.leanRelayEnded();
        exchange.responseBrokeOff(cause);
    }

    @Override
    public void relayed(AsyncResult<Void> ended, boolean closeClient) {
        exchange.leanRelayEnded();
        if (exchange.isFinished()) return;
        if (ended.failed()) {
            exchange.closeClient();
            exchange.finish(response.getStatusCode(), Optional.of(Failure.CLIENT_ABORTED));
            return;
        }
        if (capture != null) shadowCopy.monolithAnswered(answeredStatus, answeredFields, capture.captured());
        if (closeClient) exchange.closeClient();
        exchange.finish(response.getStatusCode(), Optional.empty());
    }
}
