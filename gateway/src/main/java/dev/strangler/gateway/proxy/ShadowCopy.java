package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.ResponseDiffer;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.ShadowComparison;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The copy of one user request sent to the service while its route is in {@code shadow}, and the
 * comparison of the two answers once both are in. The user's exchange never waits for it: the
 * copy only reads what the exchange already has (the kept body, the monolith's answer as it went
 * by), and every way it can fail ends in a counted drop, never in an error for the user.
 *
 * <p>Confined to the event loop of the user's exchange.
 */
final class ShadowCopy {
    static final String HEADER = "X-Strangler-Shadow";

    private final String route;
    private final String method;
    private final String uri;
    private final ResponseDiffer differ;
    private final ExchangeObserver observer;
    private final Runnable onServiceDone;
    private final Runnable onUnreachable;
    private final int maxBodyBytes;

    private CapturedResponse monolith;
    private CapturedResponse service;
    private DropReason dropReason;
    private boolean monolithDone;
    private boolean serviceDone;
    private boolean reported;
    private boolean expectSecondMonolith;
    private boolean secondMonolithDone;
    private CapturedResponse secondMonolith;

    ShadowCopy(String route, String method, String uri, ResponseDiffer differ, ExchangeObserver observer,
               Runnable onServiceDone, Runnable onUnreachable, int maxBodyBytes) {
        this.onUnreachable = onUnreachable;
        this.route = route;
        this.method = method;
        this.uri = uri;
        this.differ = differ;
        this.observer = observer;
        this.onServiceDone = onServiceDone;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Sends the copy; {@code options} already carry the service's URI and headers, {@code content} is
     * empty for a request without content (sent without Content-Length or Transfer-Encoding).
     */
    void send(HttpClient http, RequestOptions options, Optional<Buffer> content) {
        fetch(http, options, content, true, this::serviceAnswered, this::serviceFailed);
    }

    /**
     * Sends a second copy to the monolith, for the noise check: what differs between two answers of
     * the monolith itself is not the service's fault. Its failure only skips the check.
     */
    void sendToMonolithAgain(HttpClient http, RequestOptions options, Optional<Buffer> content, Runnable onDone) {
        expectSecondMonolith = true;
        fetch(http, options, content, false, answer -> {
            onDone.run();
            secondMonolithDone(answer);
        }, reason -> {
            onDone.run();
            secondMonolithDone(null);
        });
    }

    /** One copy: the whole answer up to the body limit, or a failure reason; exactly one callback runs. */
    private void fetch(HttpClient http, RequestOptions options, Optional<Buffer> content, boolean toService,
                       java.util.function.Consumer<CapturedResponse> onAnswer, java.util.function.Consumer<DropReason> onFailure) {
        options.getHeaders().set(HEADER, "true");
        boolean[] done = {false};
        java.util.function.Consumer<DropReason> fail = reason -> {
            if (done[0]) return;
            done[0] = true;
            onFailure.accept(reason);
        };
        http.request(options).onFailure(e -> {
            if (toService) onUnreachable.run();
        }).compose(req -> content.isPresent() ? req.send(content.get()) : req.send()).onComplete(ar -> {
            if (ar.failed()) {
                fail.accept(BackendErrors.isTimeout(ar.cause()) ? DropReason.TIMEOUT : DropReason.SERVICE_FAILED);
                return;
            }
            HttpClientResponse r = ar.result();
            Buffer received = Buffer.buffer();
            r.handler(chunk -> {
                if (done[0]) return;
                if (received.length() + chunk.length() > maxBodyBytes) {
                    fail.accept(DropReason.BODY_TOO_LARGE);
                    r.request().reset();
                } else {
                    received.appendBuffer(chunk);
                }
            });
            r.exceptionHandler(e -> fail.accept(BackendErrors.isTimeout(e) ? DropReason.TIMEOUT : DropReason.SERVICE_FAILED));
            r.endHandler(v -> {
                if (done[0]) return;
                done[0] = true;
                onAnswer.accept(new CapturedResponse(r.statusCode(), headers(r.headers()), received.getBytes()));
            });
        });
    }

    private void secondMonolithDone(CapturedResponse answer) {
        secondMonolithDone = true;
        secondMonolith = answer;
        compareWhenBothDone();
    }

    /** The monolith's answer went to the user; {@code body} is null when it was too large to keep. */
    void monolithAnswered(int status, MultiMap headers, byte[] body) {
        if (monolithDone) return;
        monolithDone = true;
        if (body == null) dropReason = dropReason == null ? DropReason.BODY_TOO_LARGE : dropReason;
        else monolith = new CapturedResponse(status, headers(headers), body);
        compareWhenBothDone();
    }

    /** The user's exchange ended without a complete monolith answer (problem, reset, client gone). */
    void monolithFailed() {
        if (monolithDone) return;
        monolithDone = true;
        if (dropReason == null) dropReason = DropReason.MONOLITH_FAILED;
        compareWhenBothDone();
    }

    private void serviceAnswered(CapturedResponse answer) {
        if (serviceDone) return;
        serviceDone = true;
        service = answer;
        onServiceDone.run();
        compareWhenBothDone();
    }

    private void serviceFailed(DropReason reason) {
        if (serviceDone) return;
        serviceDone = true;
        if (dropReason == null) dropReason = reason;
        onServiceDone.run();
        compareWhenBothDone();
    }

    private void compareWhenBothDone() {
        if (!monolithDone || !serviceDone || (expectSecondMonolith && !secondMonolithDone) || reported) return;
        reported = true;
        if (monolith != null && secondMonolith != null) {
            // First, so the comparison below is judged with what the monolith's own variation says.
            observer.onShadowMonolithPair(route, differ.diffRecordingPresence(monolith, secondMonolith));
        }
        if (dropReason != null) {
            observer.onShadowDropped(route, dropReason);
            return;
        }
        DiffResult result = differ.diff(monolith, service);
        observer.onShadowCompared(new ShadowComparison(route, method, uri, monolith, service, result));
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers) out.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        return out;
    }
}
