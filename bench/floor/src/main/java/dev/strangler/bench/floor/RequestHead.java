package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A client's request head read in place ({@link HeadLines}), judged, and written towards the backend: the request
 * line as it came but for the version (always HTTP/1.1 to the backend), the client's header lines copied byte for
 * byte except the hop-by-hop ones and X-Request-Id, then the exchange's X-Request-Id. One instance per client
 * connection, reused for each of its requests; what it read is valid until the next {@link #read} and while the
 * buffer's bytes are.
 */
final class RequestHead {
    /** Like Netty's defaults: a 4 KB request line and 8 KB of header lines. */
    static final int MAX_BYTES = 12 * 1024;
    /** A client's own X-Request-Id is kept when it is 1 to this many visible ASCII bytes; otherwise one is made. */
    static final int MAX_CLIENT_ID = 64;
    private static final byte[] HTTP_1_1_LINE_END = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_0 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD = "HEAD".getBytes(StandardCharsets.US_ASCII);

    /** What the floor does with a head. */
    enum Verdict {
        /** Forward it: a whole, well-formed, bodiless request. */
        FORWARD,
        /** Wait for more bytes. */
        INCOMPLETE,
        /** Refuse with 400: a malformed head, or a Host line missing (HTTP/1.1) or repeated. */
        BAD_REQUEST,
        /** Refuse with 431: more than {@link #MAX_BYTES} or {@link HeadLines#MAX_LINES} lines. */
        TOO_LARGE,
        /** Refuse with 501: a body (Transfer-Encoding, or a Content-Length above 0), which this floor does not relay. */
        HAS_BODY
    }

    private final HeadLines lines = new HeadLines();
    private final HeadBytes out = new HeadBytes();
    private ByteBuf buf;
    private int from;
    private int methodEnd;
    private int targetEnd;
    private boolean http10;

    /** Reads the head that starts at {@code from} in {@code buf}. */
    Verdict read(ByteBuf buf, int from) {
        this.buf = buf;
        this.from = from;
        switch (lines.read(buf, from, MAX_BYTES)) {
            case INCOMPLETE -> {
                return Verdict.INCOMPLETE;
            }
            case MALFORMED -> {
                return Verdict.BAD_REQUEST;
            }
            case TOO_LARGE -> {
                return Verdict.TOO_LARGE;
            }
            case WHOLE -> {
                // judged below
            }
        }
        if (!readRequestLine()) return Verdict.BAD_REQUEST;
        int hosts = lines.countOf(HeadLines.Name.HOST);
        if (hosts > 1 || (hosts == 0 && !http10)) return Verdict.BAD_REQUEST;
        if (lines.first(HeadLines.Name.TRANSFER_ENCODING) >= 0) return Verdict.HAS_BODY;
        for (int i = 0; i < lines.count(); i++) {
            if (lines.name(i) != HeadLines.Name.CONTENT_LENGTH) continue;
            long length = lines.contentLength(i);
            if (length < 0) return Verdict.BAD_REQUEST;
            if (length > 0) return Verdict.HAS_BODY;
        }
        return Verdict.FORWARD;
    }

    /** {@code method SP request-target SP HTTP-version}, the version 1.1 or 1.0, the target of visible ASCII. */
    private boolean readRequestLine() {
        int lineEnd = lines.startLineEnd();
        int i = from;
        while (i < lineEnd && HeadLines.isTchar(buf.getByte(i))) i++;
        if (i == from || i == lineEnd || buf.getByte(i) != ' ') return false;
        methodEnd = i;
        int target = i + 1;
        i = target;
        while (i < lineEnd && buf.getByte(i) > ' ' && buf.getByte(i) < 0x7f) i++;
        if (i == target || i == lineEnd || buf.getByte(i) != ' ') return false;
        targetEnd = i;
        http10 = HeadLines.equals(buf, i + 1, lineEnd, HTTP_1_0);
        return http10 || HeadLines.equals(buf, i + 1, lineEnd, HTTP_1_1);
    }

    /** The index just after the head. */
    int end() {
        return lines.end();
    }

    boolean isHttp10() {
        return http10;
    }

    boolean isHead() {
        return HeadLines.equals(buf, from, methodEnd, HEAD);
    }

    /** Whether the client keeps the connection after this exchange: HTTP/1.1 unless "close", HTTP/1.0 only with "keep-alive". */
    boolean keepsConnection() {
        if (lines.hasCloseOption()) return false;
        return !http10 || lines.hasKeepAliveOption();
    }

    void copyMethod(AsciiText into) {
        into.copy(buf, from, methodEnd - from);
    }

    void copyTarget(AsciiText into) {
        into.copy(buf, methodEnd + 1, targetEnd - methodEnd - 1);
    }

    /** Copies the client's own request id into {@code into}; false when it sent none fit to keep (see {@link #MAX_CLIENT_ID}). */
    boolean copyRequestId(AsciiText into) {
        int line = lines.first(HeadLines.Name.REQUEST_ID);
        if (line < 0 || lines.isHopByHop(line)) return false;
        int start = lines.valueStart(line);
        int end = lines.valueEnd(line);
        if (end == start || end - start > MAX_CLIENT_ID) return false;
        for (int i = start; i < end; i++) {
            byte b = buf.getByte(i);
            if (b <= ' ' || b >= 0x7f) return false;
        }
        into.copy(buf, start, end - start);
        return true;
    }

    /** The request towards the backend, in a new buffer of {@code alloc}'s: HTTP/1.1, the end-to-end lines as they came, {@code requestId}. */
    ByteBuf towardsBackend(ByteBufAllocator alloc, AsciiText requestId) {
        out.clear();
        if (http10) out.append(buf, from, targetEnd - from).append(HTTP_1_1_LINE_END);
        for (int i = 0; i < lines.count(); i++) {
            if (lines.name(i) == HeadLines.Name.REQUEST_ID) lines.leaveOut(i);
        }
        lines.copyEndToEnd(out, !http10);
        return out.end(requestId, HeadBytes.NO_LINE).toBuffer(alloc);
    }
}
