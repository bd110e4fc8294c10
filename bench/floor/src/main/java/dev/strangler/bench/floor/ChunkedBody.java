package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;

/**
 * Where a chunked body ends (RFC 9112 7.1), found as its bytes pass, split across reads anywhere: chunk-size
 * lines (hex digits, then extensions, which are skipped), data, and the trailer section after the last chunk.
 * Each {@link #advance} stops at a boundary between framing and data, so a caller that drops the framing (an
 * HTTP/1.0 client) sends only the runs {@link #lastWasData()} marks. Lines end in CRLF; anything else breaks it.
 */
final class ChunkedBody {
    private static final long MAX_CHUNK = Long.MAX_VALUE >> 4;

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER, TRAILER_LF, END_LF, DONE }

    private State state = State.SIZE;
    private long remaining;
    private boolean sawDigit;
    private boolean lastWasData;

    /** Starts a new body. */
    void reset() {
        state = State.SIZE;
        remaining = 0;
        sawDigit = false;
        lastWasData = false;
    }

    /** Whether the body ended (the trailer section's empty line read). */
    boolean isDone() {
        return state == State.DONE;
    }

    /** Whether the bytes the last {@link #advance} passed were chunk data. */
    boolean lastWasData() {
        return lastWasData;
    }

    /**
     * Reads from {@code from} towards {@code to} and returns where it stopped: the end of a run of data, the start of
     * the next data, the body's end, or {@code to}; -1 when the framing is broken.
     */
    int advance(ByteBuf buf, int from, int to) {
        lastWasData = state == State.DATA;
        if (lastWasData) {
            int n = (int) Math.min(remaining, to - from);
            remaining -= n;
            if (remaining == 0) state = State.DATA_CR;
            return from + n;
        }
        int i = from;
        while (i < to && state != State.DATA && state != State.DONE) {
            byte b = buf.getByte(i++);
            if (!step(b)) return -1;
        }
        return i;
    }

    private boolean step(byte b) {
        switch (state) {
            case SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0) { // b is ASCII here: a negative byte has no digit
                    if (remaining > MAX_CHUNK) return false;
                    remaining = remaining * 16 + digit;
                    sawDigit = true;
                } else if (!sawDigit) {
                    return false;
                } else if (b == ';' || HeadLines.isWhitespace(b)) {
                    state = State.EXTENSION;
                } else if (b == HeadLines.CR) {
                    state = State.SIZE_LF;
                } else {
                    return false;
                }
            }
            case EXTENSION -> {
                if (b == HeadLines.CR) state = State.SIZE_LF;
                else if (b == HeadLines.LF) return false;
            }
            case SIZE_LF -> {
                if (b != HeadLines.LF) return false;
                sawDigit = false;
                state = remaining == 0 ? State.TRAILER_START : State.DATA;
            }
            case DATA_CR -> {
                if (b != HeadLines.CR) return false;
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                if (b != HeadLines.LF) return false;
                state = State.SIZE;
            }
            case TRAILER_START -> {
                if (b == HeadLines.LF) return false;
                state = b == HeadLines.CR ? State.END_LF : State.TRAILER;
            }
            case TRAILER -> {
                if (b == HeadLines.CR) state = State.TRAILER_LF;
                else if (b == HeadLines.LF) return false;
            }
            case TRAILER_LF -> {
                if (b != HeadLines.LF) return false;
                state = State.TRAILER_START;
            }
            case END_LF -> {
                if (b != HeadLines.LF) return false;
                state = State.DONE;
            }
            case DATA, DONE -> throw new IllegalStateException("step in " + state);
        }
        return true;
    }
}
