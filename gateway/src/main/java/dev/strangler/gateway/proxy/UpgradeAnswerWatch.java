package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts the final responses written on a connection, to tell which one answers an upgrade request,
 * and holds the bytes read after that request until its answer shows whether the protocol switched
 * ({@code 101}: {@link FramingGuard} steps aside) or not (it carries on reading HTTP/1.x). One watch
 * per connection, kept by its guard.
 *
 * <h2>Which response answers the upgrade</h2>
 * A client may pipeline the upgrade request behind others, whose answers are written first. HTTP/1.1
 * answers requests in order (RFC 9112 §9.3.2), so the guard counts the final responses written (a
 * status line at the start of a write: {@code 101} or {@code 2xx} to {@code 5xx}; {@code 100} and
 * {@code 103} are interim and come before the answer) against the requests it passed on: the
 * upgrade request's number is the answer's. Before it counted, the first status line written after
 * the upgrade request was taken for its answer: an earlier request's {@code 200} made the guard read
 * HTTP/1.x again, and after the {@code 101} the tunnel's bytes were read as a request head. Every
 * response head starts a write of its own (Netty's encoder writes each head into a new buffer), and
 * every request passed on is answered or the connection closes; but a write of body bytes that
 * happens to start like a status line ({@code HTTP/1.1 200 }) is counted too. So a count can only run
 * ahead, never behind, and an answer at or after the awaited number is taken. A count run ahead takes an earlier answer for the upgrade's, as before counting; the guard
 * never waits past the real answer, which would stall the connection.
 */
final class UpgradeAnswerWatch {
    /** Bytes held while waiting for the answer to an upgrade request; more closes the connection. */
    private static final int MAX_HELD_BYTES = 1024 * 1024;

    /**
     * Final responses written so far ({@code 101} included, other {@code 1xx} not): HTTP/1.1 answers
     * requests in order (RFC 9112 §9.3.2), so this is the number of the request the next one answers.
     */
    private long finalResponses;
    /** The number on the connection (from 0) of the upgrade request whose answer is awaited. */
    private long awaitedAnswer;
    /**
     * An upgrade request with a body got its final answer before its body was read (a backend refusing
     * an upload unread): that answer was no switch, so none is awaited once the body ends. A switch
     * (Vert.x's own h2c upgrade, which takes a first request with a body) is answered after the body.
     */
    private boolean answeredInBody;
    private final List<ByteBuf> held = new ArrayList<>();
    private int heldBytes;

    /** Whether {@code status} is a final answer to a request ({@code 101} included, other {@code 1xx} not). */
    static boolean isFinal(int status) {
        return status == 101 || status >= 200;
    }

    /** Counts a final response written: returns the number of the request it answers. */
    long countFinalResponse() {
        return finalResponses++;
    }

    /** From now on, awaits the answer to the request with this number on the connection. */
    void await(long request) {
        awaitedAnswer = request;
    }

    /** Whether the answer to the request with this number answers the awaited upgrade: at or after (never only at), see the class comment. */
    boolean isAwaitedAnswer(long answered) {
        return answered >= awaitedAnswer;
    }

    /** The upgrade request being read was answered, not switched, before its body ended. */
    void answeredInBody() {
        answeredInBody = true;
    }

    /** Whether the request that just ended was answered in its body (see {@link #answeredInBody}); forgets it. */
    boolean takeAnsweredInBody() {
        boolean answered = answeredInBody;
        answeredInBody = false;
        return answered;
    }

    /** Holds a read while the answer is awaited: false (and nothing held) when that is too much to hold. */
    boolean hold(ByteBuf in) {
        heldBytes += in.readableBytes();
        held.add(in);
        if (heldBytes > MAX_HELD_BYTES) {
            releaseHeld();
            return false;
        }
        return true;
    }

    /** Holds the rest of a read the awaited request ended in. */
    void holdRest(ByteBuf in) {
        held.add(in.retainedSlice());
        heldBytes += in.readableBytes();
    }

    /** The reads held so far, to be read again now that the answer came; the watch holds none after. */
    List<ByteBuf> takeHeld() {
        List<ByteBuf> resume = new ArrayList<>(held);
        held.clear();
        heldBytes = 0;
        return resume;
    }

    void releaseHeld() {
        for (ByteBuf b : held) b.release();
        held.clear();
        heldBytes = 0;
    }

    /** The status of a response head that {@code out} starts with ({@code HTTP/1.x NNN}), or -1: read in place. */
    static int statusOf(ByteBuf out) {
        int at = out.readerIndex();
        if (out.readableBytes() < 12 || out.getByte(at) != 'H' || out.getByte(at + 1) != 'T' || out.getByte(at + 2) != 'T'
                || out.getByte(at + 3) != 'P' || out.getByte(at + 4) != '/' || out.getByte(at + 8) != ' ') return -1;
        int status = 0;
        for (int i = at + 9; i < at + 12; i++) {
            byte digit = out.getByte(i);
            if (digit < '0' || digit > '9') return -1;
            status = status * 10 + (digit - '0');
        }
        return status;
    }
}
