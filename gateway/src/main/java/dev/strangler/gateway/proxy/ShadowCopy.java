package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.CapturedResponse;
import dev.strangler.core.diff.DiffResult;
import dev.strangler.core.diff.HeaderFields;
import dev.strangler.core.diff.ResponseDiffer;
import dev.strangler.core.shadow.DropReason;
import dev.strangler.gateway.observe.ExchangeObserver;
import dev.strangler.gateway.observe.ShadowComparison;
import io.vertx.core.MultiMap;

/**
 * The copy of one user request sent to the service while its route is in {@code shadow}, and the
 * comparison of the two answers once both are in. The user's exchange never waits for it: the
 * copy only reads what the exchange already has (the kept body, the monolith's answer as it went
 * by), and every way it can fail ends in a counted drop, never in an error for the user.
 *
 * <p>How a copy travels is a {@link Leg}: the lean backend client's for a copy with nothing to send
 * ({@link LeanCopy}), Vert.x's HttpClient otherwise ({@link HttpClientCopy}). Both end in the same
 * {@link Listener} calls, so what is compared or dropped, and why, does not depend on the leg.
 *
 * <p>Confined to the event loop of the user's exchange.
 */
final class ShadowCopy {
    /**
     * The mark of a copy, {@code X-Strangler-Shadow: true}, so the service can skip side effects for
     * it. Only Strangler's copies carry it: a client's line of this name is never forwarded on any
     * leg ({@link OutboundRequest}), and a copy carries the mark once, in place of any value a route's
     * {@code request-headers.set} gave the name.
     */
    static final String HEADER = "X-Strangler-Shadow";

    private final String route;
    private final String method;
    private final String uri;
    private final ResponseDiffer differ;
    private final ExchangeObserver observer;
    private final Runnable onServiceDone;
    private final Runnable onUnreachable;

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
               Runnable onServiceDone, Runnable onUnreachable) {
        this.onUnreachable = onUnreachable;
        this.route = route;
        this.method = method;
        this.uri = uri;
        this.differ = differ;
        this.observer = observer;
        this.onServiceDone = onServiceDone;
    }

    /** One copy on its way, over Vert.x's client ({@link HttpClientCopy}) or the lean one ({@link LeanCopy}). */
    interface Leg {
        /**
         * Sends the copy, marked with {@link #HEADER}, and reads its answer up to the route's body limit;
         * exactly one of {@code listener}'s methods is called, once, on the exchange's event loop.
         */
        void send(Listener listener);
    }

    /** How a copy ended. */
    interface Listener {
        /** The whole answer; {@code body} is the first bytes up to the limit, handed over (not to be changed). */
        void answered(int status, HeaderFields fields, byte[] body);

        /** No whole answer within the limits: timed out, broken off, larger than the body limit. */
        void failed(DropReason reason);

        /** No connection could be had: failed, and a reason to leave the service alone for a moment. */
        void unreachable(DropReason reason);
    }

    /** Sends the copy to the service. */
    void send(Leg leg) {
        leg.send(new Listener() {
            @Override
            public void answered(int status, HeaderFields fields, byte[] body) {
                serviceAnswered(CapturedResponse.ofFields(status, fields, body));
            }

            @Override
            public void failed(DropReason reason) {
                serviceFailed(reason);
            }

            @Override
            public void unreachable(DropReason reason) {
                onUnreachable.run();
                serviceFailed(reason);
            }
        });
    }

    /**
     * Sends a second copy to the monolith, for the noise check: what differs between two answers of
     * the monolith itself is not the service's fault. Its failure only skips the check.
     */
    void sendToMonolithAgain(Leg leg, Runnable onDone) {
        expectSecondMonolith = true;
        leg.send(new Listener() {
            @Override
            public void answered(int status, HeaderFields fields, byte[] body) {
                onDone.run();
                secondMonolithDone(CapturedResponse.ofFields(status, fields, body));
            }

            @Override
            public void failed(DropReason reason) {
                onDone.run();
                secondMonolithDone(null);
            }

            @Override
            public void unreachable(DropReason reason) {
                failed(reason);
            }
        });
    }

    /**
     * The fields of a Vert.x header map, kept to compare (Vert.x's client's answers). Read with {@code forEach},
     * which wraps no entry, where iterating the map makes an object per entry.
     */
    static HeaderFields fieldsOf(MultiMap headers) {
        HeaderFields.Builder fields = HeaderFields.builder();
        headers.forEach(fields::add);
        return fields.build();
    }

    private void secondMonolithDone(CapturedResponse answer) {
        secondMonolithDone = true;
        secondMonolith = answer;
        compareWhenBothDone();
    }

    /** The monolith's answer went to the user; {@code body} is null when it was too large to keep. */
    void monolithAnswered(int status, HeaderFields fields, byte[] body) {
        if (monolithDone) return;
        monolithDone = true;
        if (body == null) dropReason = dropReason == null ? DropReason.BODY_TOO_LARGE : dropReason;
        else monolith = CapturedResponse.ofFields(status, fields, body);
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
}
