package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Http1Syntax;
import dev.strangler.core.http.MovableByteText;
import dev.strangler.core.http.Protocol;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.http.SyntaxViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gathers the bytes of one request head at a time for {@link FramingGuard}, and judges it once it is
 * complete: request line, header lines, then {@link RequestRules#framing}. Line endings are checked
 * as the bytes come; the lines themselves are read in place, from a copy of the head's bytes, through
 * views moved from line to line: no object per line, no text but the values framing needs. One judge
 * per connection, reused for every head on it.
 *
 * <p>A judge that {@linkplain #RequestHeadJudge(boolean) keeps what it found} copies each head into
 * an array of its own, not the reused one, and notes where each field line starts and where its colon
 * stands as it checks it: the {@link JudgedHead} it makes of them lets {@link OwnConnection} read the
 * lines in place, with no second copy and no second search for their ends.
 */
final class RequestHeadJudge {
    /** What follows a judged head. */
    enum Next { HTTP2_PREFACE, NO_BODY, CHUNKED_BODY, FIXED_BODY }

    /** Where a judged head is copied to be read line by line is kept for the next head up to this size. */
    private static final int MAX_KEPT_HEAD_TEXT = 4096;
    /** The smallest copy kept, so a connection's growing heads do not each make a new one. */
    private static final int MIN_KEPT_HEAD_TEXT = 512;

    /** Whether each judged head's copy and line offsets are kept for a {@link JudgedHead} ({@link #judgedHead}). */
    private final boolean keepsLines;
    /** Until the first request: the HTTP/2 preface may come instead (h2c prior knowledge, or h2 chosen by ALPN). */
    private boolean firstMessage = true;
    /** A CR ended the previous read, waiting for its LF. */
    private boolean sawCr;
    /** Whether the current head line is still empty, and whether the head's request line was read (empty lines before it are skipped). */
    private boolean headLineEmpty = true;
    private boolean requestLineRead;
    /** The current head's field lines ended so far (the non-empty lines after its request line), counted as {@link #read} finds them. */
    private int fieldLinesRead;
    /** The bytes of the current head, gathered by {@link #keepHeadBytes}. */
    private ByteBuf head;
    /**
     * Where a judged head is copied to be read line by line, when the copy is not kept ({@link #keepsLines}
     * off); kept for the next head unless large. Made at the first head that needs it: a judge that keeps
     * its lines (the own server path, the default) never does, and an idle connection held 512 bytes for it.
     */
    private byte[] headText;
    /** The current request's line once it was found well-formed ({@link #firstLine}), for the synthetic request; null before. */
    private MovableByteText requestLine;
    /** Views of the head's bytes moved from line to line: no object per line (see {@link #judge}). */
    private final MovableByteText firstLine = new MovableByteText();
    private final MovableByteText fieldLine = new MovableByteText();
    /** Whether the judged head asks to {@code Upgrade}; until its request ends. */
    private boolean upgradeRequested;
    /** The body length a judged head announced, when {@link Next#FIXED_BODY}. */
    private long contentLength;
    /** What {@link #judge} found of the latest head, for {@link #judgedHead}, when {@link #keepsLines}: its copy, request line, field lines. */
    private byte[] judgedText;
    private int judgedRequestLineStart;
    private int[] judgedFieldLines;

    /** A judge that keeps nothing of a head once judged: its copy is reused for the next head. */
    RequestHeadJudge() {
        this(false);
    }

    /** @param keepsLines whether each judged head's copy and line offsets are kept for a {@link JudgedHead} ({@link #judgedHead}) */
    RequestHeadJudge(boolean keepsLines) {
        this.keepsLines = keepsLines;
    }

    /**
     * Accumulates head bytes, checking their line endings as they come, until the head's empty line
     * arrives. No text is made here: the lines are read where they stand, in {@link #judge}, from the
     * head's bytes. Line ends are found with {@link ByteBuf#indexOf}, which scans many bytes at a time;
     * the outcome is the one of reading byte by byte: the first bare CR or bare LF is refused, and
     * bytes of a head past {@link FramingGuard#MAX_HEAD_BYTES} are not looked at (a line is shorter
     * than its head, so this limit bounds lines too).
     *
     * @return true when the head is complete, to be judged
     */
    boolean read(ByteBuf in) throws SyntaxViolation {
        int from = in.readerIndex();
        int limit = from + Math.min(in.readableBytes(), FramingGuard.MAX_HEAD_BYTES - heldHeadBytes());
        int i = from;
        boolean done = false;
        try {
            while (i < limit && !done) {
                if (sawCr) { // the previous read ended with a CR
                    sawCr = false;
                    if (in.getByte(i++) != '\n') throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a CR not followed by LF");
                    done = headLineEnded();
                    continue;
                }
                int lf = in.indexOf(i, limit, (byte) '\n');
                int end = lf < 0 ? limit : lf;
                int cr = in.indexOf(i, end, (byte) '\r');
                if (cr >= 0 && cr < end - 1) throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a CR not followed by LF");
                if (lf >= 0 && (cr < 0 || cr != lf - 1)) // (cr < 0: lf - 1 may be -1 too)
                    throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a line ends with a bare LF; lines end with CRLF");
                int contentEnd = cr >= 0 ? cr : end;
                if (contentEnd > i) headLineEmpty = false;
                if (lf < 0) { // the line goes on in the next read, perhaps after its CR
                    sawCr = cr >= 0;
                    i = limit;
                } else {
                    i = lf + 1;
                    done = headLineEnded();
                }
            }
        } finally {
            in.readerIndex(i);
            keepHeadBytes(in, from, done);
        }
        return done;
    }

    /** A head line ended: true when it was the empty line that ends the head. */
    private boolean headLineEnded() {
        boolean empty = headLineEmpty;
        headLineEmpty = true;
        if (!empty) {
            if (requestLineRead) fieldLinesRead++;
            requestLineRead = true;
        }
        return empty && requestLineRead; // RFC 9112 §2.2: empty lines before a request line are ignored
    }

    private int heldHeadBytes() {
        return head == null ? 0 : head.readableBytes();
    }

    /**
     * Keeps {@code in[from, readerIndex)} as (more of) the current head. A head that arrived whole in
     * this one read, the usual case, is kept as a slice of the read's buffer, not copied; one split
     * over reads is gathered in a buffer of its own.
     */
    private void keepHeadBytes(ByteBuf in, int from, boolean headComplete) {
        int n = in.readerIndex() - from;
        if (n == 0) return;
        if (head == null && headComplete) {
            head = in.retainedSlice(from, n);
            return;
        }
        if (head == null) head = Unpooled.buffer(Math.max(256, n));
        head.writeBytes(in, from, n);
    }

    /**
     * Judges the complete head gathered by {@link #read}, line by line where the lines stand in a copy
     * of its bytes. {@link #read} has checked that every line ends with CRLF, that empty lines come
     * only before the request line, and that the head ends with an empty line.
     *
     * @return what follows the head; {@link #contentLength} tells how much, for a fixed body
     */
    Next judge() throws SyntaxViolation {
        int n = head.readableBytes();
        int fieldCount = fieldLinesRead;
        fieldLinesRead = 0;
        byte[] text = keepsLines ? new byte[n] // the JudgedHead's, kept by the request the own path makes of it
                : headText != null && n <= headText.length ? headText
                : n <= MAX_KEPT_HEAD_TEXT ? (headText = new byte[Math.max(n, MIN_KEPT_HEAD_TEXT)]) : new byte[n];
        head.getBytes(head.readerIndex(), text, 0, n);
        int start = 0;
        while (text[start] == '\r') start += 2; // the empty lines before the request line
        int end = lineEnd(text, start);
        MovableByteText first = firstLine.moveTo(text, start, end);
        if (firstMessage && end + 4 == n && Http1Syntax.isHttp2Preface(first)) {
            return Next.HTTP2_PREFACE; // HTTP/2 frames its own messages; Vert.x and Netty's codec take over
        }
        firstMessage = false;
        Protocol protocol = Http1Syntax.checkRequestLine(first);
        requestLine = first;
        int[] fieldLines = keepsLines ? JudgedHead.fieldLines(fieldCount) : null;
        int field = 0;

        List<String> transferEncodings = List.of(); // made only for a request that has them
        List<String> contentLengths = List.of();
        upgradeRequested = false;
        for (int lineStart = end + 2; lineStart < n - 2; lineStart = end + 2) {
            // Checked where it stands: only the values framing needs are cut out.
            end = lineEnd(text, lineStart);
            MovableByteText l = fieldLine.moveTo(text, lineStart, end);
            int colon = Http1Syntax.checkFieldLine(l);
            if (keepsLines) fieldLines[field++] = JudgedHead.pack(lineStart, lineStart + colon);
            if (Http1Syntax.hasName(l, colon, "transfer-encoding"))
                transferEncodings = with(transferEncodings, Http1Syntax.fieldValue(l, colon));
            else if (Http1Syntax.hasName(l, colon, "content-length"))
                contentLengths = with(contentLengths, Http1Syntax.fieldValue(l, colon));
            else if (Http1Syntax.hasName(l, colon, "upgrade")) upgradeRequested = true;
            else if (Http1Syntax.hasName(l, colon, FramingGuard.REFUSED_HEADER))
                throw SyntaxViolation.of(Rejection.Code.BAD_HEADER_NAME, FramingGuard.REFUSED_HEADER + " is reserved for the gateway");
        }
        Optional<Rejection> framing = RequestRules.framing(protocol, transferEncodings, contentLengths);
        if (framing.isPresent()) throw new SyntaxViolation(framing.get());
        requestLineRead = false;
        if (keepsLines) {
            judgedText = text;
            judgedRequestLineStart = start;
            judgedFieldLines = fieldLines;
        }
        // Whether a body follows, by the rule the decision and the exchange read too (RequestRules.announcesContent).
        if (!transferEncodings.isEmpty()) return Next.CHUNKED_BODY;
        if (contentLengths.isEmpty() || RequestRules.isZeroLength(contentLengths.get(0))) return Next.NO_BODY;
        // framing() accepted at most one Content-Length, of 1 to 18 digits
        contentLength = Long.parseLong(contentLengths.get(0).trim());
        return Next.FIXED_BODY;
    }

    /** Where the line starting at {@code from} ends: at its CR, which {@link #read} made sure is there. */
    private static int lineEnd(byte[] text, int from) {
        int i = from;
        while (text[i] != '\r') i++;
        return i;
    }

    private static List<String> with(List<String> values, String value) {
        List<String> out = values.isEmpty() ? new ArrayList<>(1) : values;
        out.add(value);
        return out;
    }

    /** The body length the latest judged head announced, when it was {@link Next#FIXED_BODY}. */
    long contentLength() {
        return contentLength;
    }

    /** Whether the request being read asked to {@code Upgrade}. */
    boolean isUpgradeRequested() {
        return upgradeRequested;
    }

    /** The current request's line once found well-formed, or null: read only to make the synthetic request. */
    MovableByteText requestLine() {
        return requestLine;
    }

    /**
     * The head {@link #judge} accepted last, as a {@link JudgedHead} of {@code content} (its bytes, as
     * {@link #takeHead} handed them over) with the copy and line offsets found judging it. Only for a
     * judge that {@link #keepsLines}; once per judged head.
     */
    JudgedHead judgedHead(ByteBuf content) {
        if (judgedText == null) throw new IllegalStateException("no judged head to hand over (a judge that keeps lines, once per head)");
        JudgedHead judged = new JudgedHead(content, judgedText, judgedRequestLineStart, judgedFieldLines);
        judgedText = null;
        judgedFieldLines = null;
        return judged;
    }

    /** Hands the gathered head bytes over (null when none) and starts afresh. */
    ByteBuf takeHead() {
        ByteBuf taken = head;
        head = null;
        return taken;
    }

    /** The request ended: forgets what was read of it, for the next head. */
    void requestEnded() {
        requestLineRead = false;
        requestLine = null;
        firstLine.forget();
        fieldLine.forget();
        upgradeRequested = false;
    }

    /** Releases the head bytes still gathered, if any. */
    void release() {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
