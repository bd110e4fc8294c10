package dev.strangler.gateway.observe;

import dev.strangler.core.http.Rejection;
import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;

/**
 * What the access log's line of an {@link Outcome} needs, copied out of it into slots of primitive
 * arrays that are made once and reused: the numbers as they are, the stage, failures and refusal as ordinals, and
 * every string (the request's id, method, path, query, client address and user agent, and the route's and
 * backends' names) as chars in the slot's own array. So an outcome waiting for the access log's writer
 * ({@link OutcomeQueue}) keeps nothing of its request alive: the outcome, its strings and its
 * {@link RequestDetails} die young with the rest of the request, and a young collection has nothing of
 * the waiting lines to copy (issue 14: 300–500 waiting outcomes, 100 KB and more, survived each one under load).
 * Nor does a copy write a reference into these arrays, which live in the old generation: there is no card
 * for a young collection to scan.
 *
 * <p>A slot's text array is made on its first use and grows to the longest text the slot has held, up to
 * {@link #KEPT_TEXT_CHARS}; a longer text gets an array of its own, dropped when the line has been
 * written ({@link #release}), so the memory kept is bounded by the slot count times that. The bytes the
 * writer makes from a slot ({@link #format}) are those it made from the outcome itself.
 *
 * <p>Not thread-safe: a slot is written by one producer and then read by the writer, the hand-over
 * ordered by {@link OutcomeQueue}.
 */
final class OutcomeCopies {
    /** Chars of text a slot keeps its array for: a line with a long user agent, path and query fits. */
    static final int KEPT_TEXT_CHARS = 512;
    private static final int FIRST_TEXT_CHARS = 128;

    // The text fields, in the order they are copied into a slot's chars.
    private static final int REQUEST_ID = 0;
    private static final int METHOD = 1;
    private static final int PATH = 2;
    private static final int QUERY = 3;
    private static final int ROUTE = 4;
    private static final int BACKEND = 5;
    private static final int CLIENT = 6;
    private static final int USER_AGENT = 7;
    private static final int FALLBACK_FROM = 8;
    private static final int TEXT_FIELDS = 9;

    private static final Stage[] STAGES = Stage.values();
    private static final Failure[] FAILURES = Failure.values();
    /** A failure's ordinal is stored plus one: 0 is none. */
    private static final byte NO_FAILURE = 0;
    private static final Rejection.Code[] RULES = Rejection.Code.values();

    private final long[] epochMillis;
    private final long[] durationNanos;
    private final long[] bytesIn;
    private final long[] bytesOut;
    private final long[] upstreamConnectNanos;
    private final long[] upstreamResponseNanos;
    private final int[] status;
    private final byte[] stage;
    private final byte[] failure;
    private final byte[] fallbackCause;
    /** The broken rule's ordinal plus one for a refused request ({@link Outcome#refusal()}), else 0. */
    private final byte[] refusal;
    /** Per slot, {@link #TEXT_FIELDS} ends: field {@code f} of slot {@code s} ends at {@code textEnds[s * TEXT_FIELDS + f]}. */
    private final int[] textEnds;
    private final char[][] texts;
    /** The writer's: a redacted query's chars, to escape them as the other fields are. */
    private char[] query = new char[FIRST_TEXT_CHARS];

    OutcomeCopies(int slots) {
        epochMillis = new long[slots];
        durationNanos = new long[slots];
        bytesIn = new long[slots];
        bytesOut = new long[slots];
        upstreamConnectNanos = new long[slots];
        upstreamResponseNanos = new long[slots];
        status = new int[slots];
        stage = new byte[slots];
        failure = new byte[slots];
        fallbackCause = new byte[slots];
        refusal = new byte[slots];
        textEnds = new int[slots * TEXT_FIELDS];
        texts = new char[slots][];
    }

    /** Copies into {@code slot} what the line of {@code o}, completed at {@code millis}, shows. Allocates nothing once the slot's array is long enough. */
    void copy(int slot, Outcome o, long millis) {
        RequestDetails d = o.details();
        boolean fellBack = o.fallback().isPresent();
        String fallbackFrom = fellBack ? o.fallback().get().backend() : "";
        int length = o.requestId().length() + o.method().length() + o.path().length() + d.query().length()
                + o.route().length() + o.backend().length() + d.clientAddress().length() + d.userAgent().length()
                + fallbackFrom.length();
        char[] text = texts[slot];
        if (text == null || text.length < length) texts[slot] = text = new char[textCapacity(length)];
        int base = slot * TEXT_FIELDS;
        int at = put(text, 0, base + REQUEST_ID, o.requestId());
        at = put(text, at, base + METHOD, o.method());
        at = put(text, at, base + PATH, o.path());
        at = put(text, at, base + QUERY, d.query());
        at = put(text, at, base + ROUTE, o.route());
        at = put(text, at, base + BACKEND, o.backend());
        at = put(text, at, base + CLIENT, d.clientAddress());
        at = put(text, at, base + USER_AGENT, d.userAgent());
        put(text, at, base + FALLBACK_FROM, fallbackFrom);
        epochMillis[slot] = millis;
        durationNanos[slot] = o.durationNanos();
        bytesIn[slot] = o.bytesIn();
        bytesOut[slot] = o.bytesOut();
        upstreamConnectNanos[slot] = d.upstreamConnectNanos();
        upstreamResponseNanos[slot] = d.upstreamResponseNanos();
        status[slot] = o.status();
        stage[slot] = (byte) o.stage().ordinal();
        failure[slot] = o.failure().isPresent() ? ordinalOf(o.failure().get()) : NO_FAILURE;
        fallbackCause[slot] = fellBack ? ordinalOf(o.fallback().get().failure()) : NO_FAILURE;
        refusal[slot] = o.refusal().isPresent() ? (byte) (o.refusal().get().ordinal() + 1) : 0;
    }

    /** An array kept for the slot (a power of two up to {@link #KEPT_TEXT_CHARS}), or one just long enough. */
    private static int textCapacity(int length) {
        if (length > KEPT_TEXT_CHARS) return length;
        return Math.max(FIRST_TEXT_CHARS, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
    }

    private int put(char[] text, int at, int field, String s) {
        int end = at + s.length();
        s.getChars(0, s.length(), text, at);
        textEnds[field] = end;
        return end;
    }

    private static byte ordinalOf(Failure f) {
        return (byte) (f.ordinal() + 1);
    }

    /** When the outcome in {@code slot} was reported, as given to {@link #copy}. */
    long epochMillis(int slot) {
        return epochMillis[slot];
    }

    /** Lets go of the slot's text array if it was made for one long line; the slot is then free for the next copy. */
    void release(int slot) {
        char[] text = texts[slot];
        if (text != null && text.length > KEPT_TEXT_CHARS) texts[slot] = null;
    }

    /**
     * Appends the access-log line of the outcome copied into {@code slot} to {@code b} in UTF-8: the field
     * names and numbers as ASCII bytes, the strings from the request (and the redacted query) as escaped
     * JSON strings. The fields are listed in {@link AccessLog}'s class comment.
     */
    void format(int slot, Utf8Text b, Redactor redactor) {
        char[] text = texts[slot];
        int base = slot * TEXT_FIELDS;
        b.ascii("{\"time\":\"");
        AccessLog.time(b, epochMillis[slot]);
        b.ascii("\",\"request_id\":");
        string(b, text, base + REQUEST_ID);
        b.ascii(",\"method\":");
        string(b, text, base + METHOD);
        b.ascii(",\"path\":");
        string(b, text, base + PATH);
        if (!isEmpty(base + QUERY)) redactedQuery(b.ascii(",\"query\":"), text, base + QUERY, redactor);
        b.ascii(",\"route\":");
        string(b, text, base + ROUTE);
        b.ascii(",\"stage\":\"").ascii(STAGES[stage[slot]].configName()).ascii('"');
        b.ascii(",\"backend\":");
        string(b, text, base + BACKEND);
        b.ascii(",\"status\":").decimal(status[slot]);
        AccessLog.millis(b.ascii(",\"duration_ms\":"), durationNanos[slot]);
        b.ascii(",\"bytes_in\":").decimal(bytesIn[slot]);
        b.ascii(",\"bytes_out\":").decimal(bytesOut[slot]);
        if (!isEmpty(base + CLIENT)) string(b.ascii(",\"client\":"), text, base + CLIENT);
        if (!isEmpty(base + USER_AGENT)) string(b.ascii(",\"user_agent\":"), text, base + USER_AGENT);
        if (upstreamConnectNanos[slot] >= 0) AccessLog.millis(b.ascii(",\"upstream_connect_ms\":"), upstreamConnectNanos[slot]);
        if (upstreamResponseNanos[slot] >= 0) AccessLog.millis(b.ascii(",\"upstream_response_ms\":"), upstreamResponseNanos[slot]);
        if (fallbackCause[slot] != NO_FAILURE) {
            string(b.ascii(",\"fallback\":true,\"fallback_from\":"), text, base + FALLBACK_FROM);
            b.ascii(",\"fallback_cause\":\"").ascii(FAILURES[fallbackCause[slot] - 1].label()).ascii('"');
        }
        if (failure[slot] != NO_FAILURE) b.ascii(",\"error\":\"").ascii(error(slot)).ascii('"');
        b.ascii('}');
    }

    /** As {@link Outcome#error()}: the broken rule for a refused request, else the failure's label. */
    private String error(int slot) {
        return refusal[slot] != 0 ? RULES[refusal[slot] - 1].label() : FAILURES[failure[slot] - 1].label();
    }

    private int startOf(int field) {
        return field % TEXT_FIELDS == 0 ? 0 : textEnds[field - 1];
    }

    private boolean isEmpty(int field) {
        return textEnds[field] == startOf(field);
    }

    private void string(Utf8Text b, char[] text, int field) {
        b.jsonString(text, startOf(field), textEnds[field]);
    }

    /**
     * The query with the values of secret-named parameters replaced. The redactor reads strings, so the
     * query is one again here, on the writer's thread, where it dies at once; most queries name no secret
     * and come back as they went in.
     */
    private void redactedQuery(Utf8Text b, char[] text, int field, Redactor redactor) {
        int start = startOf(field);
        String redacted = redactor.redactQuery(new String(text, start, textEnds[field] - start));
        int n = redacted.length();
        if (query.length < n) query = new char[n];
        redacted.getChars(0, n, query, 0);
        b.jsonString(query, 0, n);
    }
}
