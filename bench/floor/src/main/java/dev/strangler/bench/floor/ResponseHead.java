package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A backend's response head read in place ({@link HeadLines}): its status, how its body is framed (RFC 9112 6.3),
 * whether the backend keeps the connection; and written towards the client: {@code HTTP/1.1}, the status and
 * reason as they came, the end-to-end header lines byte for byte, the exchange's X-Request-Id and the client's
 * Connection line. One instance per client connection, reused for each response.
 */
final class ResponseHead {
    /** Netty's client default for a response head is 8 KB of header lines; this floor allows 16 KB in all. */
    static final int MAX_BYTES = 16 * 1024;
    private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_0 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTP_1_1_SP = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final int STATUS_AT = HTTP_1_1_SP.length;
    private static final int STATUS_END = STATUS_AT + 3;
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SP_CRLF = " \r\n".getBytes(StandardCharsets.US_ASCII);

    /** How the body after the head ends. */
    enum Framing {
        /** No body: 1xx, 204, 304, an answer to HEAD, or Content-Length 0. */
        NONE,
        /** After {@link #length()} bytes. */
        LENGTH,
        /** With its last chunk ({@link ChunkedBody}). */
        CHUNKED,
        /** When the backend closes: Transfer-Encoding without chunked last, or no length at all. */
        UNTIL_CLOSE
    }

    /** The Connection line the client is given. */
    enum ConnectionLine {
        NONE(HeadBytes.NO_LINE),
        CLOSE("Connection: close\r\n"),
        /** For an HTTP/1.0 client whose connection stays open. */
        KEEP_ALIVE("Connection: keep-alive\r\n");

        final byte[] bytes;

        ConnectionLine(String line) {
            this(line.getBytes(StandardCharsets.US_ASCII));
        }

        ConnectionLine(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    private final HeadLines lines = new HeadLines();
    private final HeadBytes out = new HeadBytes();
    private ByteBuf buf;
    private int from;
    private int status;
    private boolean http10;
    private Framing framing;
    private long length;
    private boolean transferEncoded;

    /** Reads the head at {@code from}; {@code answersHead} when it answers a HEAD request (no body, whatever it says). */
    HeadLines.Reading read(ByteBuf buf, int from, boolean answersHead) {
        this.buf = buf;
        this.from = from;
        HeadLines.Reading reading = lines.read(buf, from, MAX_BYTES);
        if (reading != HeadLines.Reading.WHOLE) return reading;
        return readStatusLine() && readFraming(answersHead) ? reading : HeadLines.Reading.MALFORMED;
    }

    /** {@code HTTP-version SP 3DIGIT [SP reason]}, the version 1.1 or 1.0. */
    private boolean readStatusLine() {
        int lineEnd = lines.startLineEnd();
        if (lineEnd - from < STATUS_END || buf.getByte(from + STATUS_AT - 1) != ' ') return false;
        http10 = HeadLines.equals(buf, from, from + HTTP_1_0.length, HTTP_1_0);
        if (!http10 && !HeadLines.equals(buf, from, from + HTTP_1_1.length, HTTP_1_1)) return false;
        status = 0;
        for (int i = from + STATUS_AT; i < from + STATUS_END; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') return false;
            status = status * 10 + (b - '0');
        }
        return status >= 100 && (lineEnd == from + STATUS_END || buf.getByte(from + STATUS_END) == ' ');
    }

    private boolean readFraming(boolean answersHead) {
        length = 0;
        int te = lines.last(HeadLines.Name.TRANSFER_ENCODING);
        transferEncoded = te >= 0;
        if (status < 200 || status == 204 || status == 304 || answersHead) {
            framing = Framing.NONE;
            return true;
        }
        if (transferEncoded) {
            framing = lines.endsWithChunked(te) ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
            return true;
        }
        length = -1;
        for (int i = 0; i < lines.count(); i++) {
            if (lines.name(i) != HeadLines.Name.CONTENT_LENGTH) continue;
            long n = lines.contentLength(i);
            if (n < 0 || (length >= 0 && n != length)) return false; // not a length, or two that differ
            length = n;
        }
        framing = length > 0 ? Framing.LENGTH : length == 0 ? Framing.NONE : Framing.UNTIL_CLOSE;
        return true;
    }

    int status() {
        return status;
    }

    boolean isInterim() {
        return status < 200;
    }

    Framing framing() {
        return framing;
    }

    /** The body's length when {@link #framing()} is {@link Framing#LENGTH}. */
    long length() {
        return length;
    }

    /** The index just after the head. */
    int end() {
        return lines.end();
    }

    /** Whether the backend connection may carry another request after this body: HTTP/1.1 unless "close", 1.0 with "keep-alive". */
    boolean keepsConnection() {
        if (framing == Framing.UNTIL_CLOSE || lines.hasCloseOption()) return false;
        return !http10 || lines.hasKeepAliveOption();
    }

    /**
     * The head towards the client, in a new buffer of {@code alloc}'s. {@code unchunked}: the body goes without its
     * chunk framing (to an HTTP/1.0 client), so Transfer-Encoding stays behind. Content-Length goes with
     * Transfer-Encoding never (RFC 9112 6.3).
     */
    ByteBuf towardsClient(ByteBufAllocator alloc, AsciiText requestId, boolean unchunked, ConnectionLine connection) {
        out.clear();
        boolean statusLineAsItCame = !http10 && lines.startLineEnd() > from + STATUS_END;
        if (!statusLineAsItCame) { // HTTP/1.0, or no space after the status code
            out.append(HTTP_1_1_SP).append(buf, from + STATUS_AT, lines.startLineEnd() - from - STATUS_AT);
            out.append(lines.startLineEnd() == from + STATUS_END ? SP_CRLF : CRLF);
        }
        for (int i = 0; i < lines.count(); i++) {
            HeadLines.Name name = lines.name(i);
            if (name == HeadLines.Name.REQUEST_ID || (name == HeadLines.Name.TRANSFER_ENCODING && unchunked)
                    || (name == HeadLines.Name.CONTENT_LENGTH && transferEncoded)) {
                lines.leaveOut(i);
            }
        }
        lines.copyEndToEnd(out, statusLineAsItCame);
        return out.end(requestId, connection.bytes).toBuffer(alloc);
    }
}
