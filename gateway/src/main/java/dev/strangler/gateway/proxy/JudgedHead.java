package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * The bytes of one request head {@link FramingGuard} judged whole and sound, followed by its body if
 * any: what an {@link OwnConnection} may serve itself. Passed on only by a guard that marks judged
 * heads. Besides the bytes as they came ({@link #content}, for Vert.x's codec when the own path does
 * not take the request) it carries what {@link RequestHeadJudge} made and found while judging them: a
 * copy of the head's bytes ({@link #text}) and where each line stands in it, so the own path reads the
 * lines in place without copying the head or looking for its line ends again.
 *
 * <h2>Layout</h2>
 * Every line ends with CRLF (the judge refused any other ending), the request line after any empty
 * lines that came before it, then the field lines, then the empty line. A field line is one int: its
 * start in the high half, its colon (the first) in the low half, which holds since a judged head is at
 * most {@link FramingGuard#MAX_HEAD_BYTES} long, far below 65,536. A line ends two bytes before the
 * next one starts: no end is stored.
 */
final class JudgedHead extends DefaultByteBufHolder {
    private static final int[] NO_FIELDS = new int[0];

    private final byte[] text;
    private final int requestLineStart;
    private final int[] fieldLines;

    /**
     * @param text             the head's bytes, {@code content}'s as they came; handed over, not copied
     * @param requestLineStart where the request line starts in {@code text}
     * @param fieldLines       each field line's start and colon, packed ({@link #pack}); handed over, not copied
     */
    JudgedHead(ByteBuf content, byte[] text, int requestLineStart, int[] fieldLines) {
        super(content);
        this.text = text;
        this.requestLineStart = requestLineStart;
        this.fieldLines = fieldLines.length == 0 ? NO_FIELDS : fieldLines;
    }

    /** One field line's offsets as {@link #fieldLines} keeps them. */
    static int pack(int start, int colon) {
        return start << 16 | colon;
    }

    /** An array for {@code count} field lines. */
    static int[] fieldLines(int count) {
        return count == 0 ? NO_FIELDS : new int[count];
    }

    /** The head's bytes, one char per byte; the own path's request keeps it, so nothing writes to it. */
    byte[] text() {
        return text;
    }

    /** Where the request line starts: after the empty lines before it (RFC 9112 §2.2), 0 when none came. */
    int requestLineStart() {
        return requestLineStart;
    }

    /** Where the request line ends: at its CR. */
    int requestLineEnd() {
        return lineStart(0) - 2;
    }

    int fieldCount() {
        return fieldLines.length;
    }

    /** Where field line {@code i} starts: its name's first byte. */
    int fieldStart(int i) {
        return fieldLines[i] >>> 16;
    }

    /** Where field line {@code i}'s colon stands: its name ends there, its value starts after it. */
    int colon(int i) {
        return fieldLines[i] & 0xFFFF;
    }

    /** Where field line {@code i} ends: at its CR. */
    int fieldEnd(int i) {
        return lineStart(i + 1) - 2;
    }

    /** Where field line {@code i} starts; past the last one, where the empty line that ends the head does. */
    private int lineStart(int i) {
        return i < fieldLines.length ? fieldStart(i) : text.length - 2;
    }
}
