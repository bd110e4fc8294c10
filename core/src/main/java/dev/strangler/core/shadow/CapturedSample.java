package dev.strangler.core.shadow;

import dev.strangler.core.diff.CapturedResponse;

import java.util.Objects;

/**
 * One shadowed exchange as it was captured, redacted into a {@link SamplePair} only when first read.
 *
 * <p>Why not redact at capture: every comparison offers its sample and a route keeps only the most
 * recent few, so redacting each one (parsing, walking and writing both bodies again) cost the event
 * loop about as much as the comparison itself, for samples nearly all replaced before anyone looks.
 * Redaction now runs when a summary is taken (the admin API, the store's flush), off the request path,
 * once per sample: the pair is kept and the raw responses let go.
 *
 * <p>Invariant: unredacted data is only ever held in memory, never handed out; {@link #pair()} is the
 * only way out and it redacts. So that a route's samples stay small while they wait, a capture whose two
 * bodies together exceed {@value #EAGER_REDACTION_BYTES} bytes is redacted at once (at most
 * {@link ShadowOptions#maxSamplesPerRoute()} × 16 KiB unredacted per route).
 *
 * <p>Thread-safe: captured on an event loop, read by whichever thread takes the summary.
 */
public final class CapturedSample {
    /** Captures with larger bodies (both together) are redacted when captured. */
    static final int EAGER_REDACTION_BYTES = 16 * 1024;

    // The raw parts, until redacted; then null and only the pair remains. Guarded by this.
    private Redactor redactor;
    private String method;
    private String target;
    private CapturedResponse monolith;
    private CapturedResponse service;
    private SamplePair pair;

    private CapturedSample(Redactor redactor, String method, String target, CapturedResponse monolith,
                           CapturedResponse service, SamplePair pair) {
        this.redactor = redactor;
        this.method = method;
        this.target = target;
        this.monolith = monolith;
        this.service = service;
        this.pair = pair;
    }

    /** A request and the two responses it got, to be redacted by {@code redactor} when first read. */
    public static CapturedSample of(Redactor redactor, String method, String target,
                                    CapturedResponse monolith, CapturedResponse service) {
        CapturedSample sample = new CapturedSample(Objects.requireNonNull(redactor, "redactor"), Objects.requireNonNull(method, "method"),
                Objects.requireNonNull(target, "target"), Objects.requireNonNull(monolith, "monolith"),
                Objects.requireNonNull(service, "service"), null);
        if ((long) monolith.body().length + service.body().length > EAGER_REDACTION_BYTES)
            sample.pair();
        return sample;
    }

    /** A sample redacted already. */
    public static CapturedSample redacted(SamplePair pair) {
        return new CapturedSample(null, null, null, null, null, Objects.requireNonNull(pair, "pair"));
    }

    /** The redacted sample; redacts on the first call (may parse both bodies: not for an event loop). */
    public synchronized SamplePair pair() {
        if (pair == null) {
            pair = SamplePair.capture(redactor, method, target, monolith, service);
            redactor = null;
            method = null;
            target = null;
            monolith = null;
            service = null;
        }
        return pair;
    }

    /** Whether the redaction has run (so the raw responses are no longer held). */
    synchronized boolean isRedacted() {
        return pair != null;
    }
}
