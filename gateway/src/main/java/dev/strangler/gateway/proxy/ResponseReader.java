package dev.strangler.gateway.proxy;

import dev.strangler.core.diff.HeaderFields;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Reads a backend's HTTP/1.1 responses from a lean connection's bytes (RFC 9112): each head whole
 * ({@link BackendHead}), then its body framed by Content-Length, by chunks, or by the connection's
 * close, handed on as retained slices of the bytes read (never copied). The lean client's own decoder,
 * in place of Netty's {@code HttpResponseDecoder}: it makes no message object, status object, content
 * wrapper or trailer map per response, and no name or value where the backend repeats them.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>One response is expected at a time, told by {@link #expect} as the request goes out. Bytes that come
 *       while none is expected, or after a malformed one, are never read as a response.</li>
 *   <li>Nothing of a head reaches its map until the whole head is read and found well-formed: a head cut off
 *       or refused part way leaves the map as it was.</li>
 *   <li>Bytes are kept between reads only while a head, a chunk-size line, a chunk's CRLF or the trailer
 *       section is incomplete; body bytes go on as they come.</li>
 *   <li>Interim {@code 1xx} heads are passed on and the final head read after them; {@code 101} fails the
 *       response, as no upgrade is ever asked. A head answering a HEAD, a {@code 204} and a {@code 304}
 *       have no body whatever their framing says.</li>
 *   <li>When a response ends, {@link #holdsBytesBeyondTheResponse} says whether bytes followed it in what was
 *       read (a body after a HEAD's answer, more than Content-Length): such a connection must not be reused.
 *       They are dropped.</li>
 *   <li>A trailer section is checked and dropped, as Netty's decoder's was by the relay.</li>
 * </ul>
 */
final class ResponseReader {
    /** The parts of a response, in order: interim heads, the final head, its body's bytes, the last with {@code last}. */
    interface Parts {
        /** An interim {@code 1xx} head; its headers only for {@code 103} (a map of their own), null for the others. */
        void interim(int status, HttpHeaders headers);

        /**
         * The final head, with {@code connectionLines} {@code Connection} lines (so all of them are read as one list,
         * RFC 9110 §5.3: {@link ProxyHeaders#keepEndToEnd}); {@code keepAlive}: whether the backend keeps the
         * connection open after the response. {@code fields}: the same fields as strings of their own, when
         * {@link #expect} asked to keep them, else null; {@code headers} is then null too unless a map was given.
         */
        void head(int status, String reason, HttpHeaders headers, HeaderFields fields, int connectionLines, boolean keepAlive);

        /** Bytes of the body, which the receiver owns and releases; {@code last}: the response ends with them (they may be empty). */
        void content(ByteBuf bytes, boolean last);
    }

    /** Where the reader hands what it reads. */
    interface Listener extends Parts {
        /** The response cannot be read on: nothing more will be read from this connection. */
        void unreadable(MalformedResponseException cause);
    }

    private enum State { IDLE, HEAD, LENGTH, UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, FAILED }

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final long MAX_CHUNK = Long.MAX_VALUE >> 4;

    private final BackendHead head;
    private final int maxChunkLine;
    private final int maxFields;
    private State state = State.IDLE;
    private boolean answersHead;
    /** Where the final head's fields go; null: a map of their own, unless only {@link #keepsFields}. */
    private HttpHeaders finalHeaders;
    /** Whether the final head's fields are also handed on as {@link HeaderFields} (a shadow route's capture). */
    private boolean keepsFields;
    /** Bytes of the body (or of the current chunk) still to come. */
    private long remaining;
    private int trailerBytes;
    private boolean bytesBeyond;
    /** The unread bytes of an incomplete head or framing line, waiting for the next read. */
    private ByteBuf pending;

    /**
     * @param maxStatusLine the longest status line (and chunk-size line) read
     * @param maxFields     the most bytes of field lines in a head (and of a trailer section)
     */
    ResponseReader(int maxStatusLine, int maxFields) {
        this.head = new BackendHead(maxStatusLine, maxFields);
        this.maxChunkLine = maxStatusLine;
        this.maxFields = maxFields;
    }

    /**
     * A request went out: its response is read next. {@code answersHead}: it answers a HEAD, so it has no
     * body. {@code finalHeaders}: the map the final head's fields go to; null for a map of their own, or for
     * none when {@code keepsFields}. {@code keepsFields}: the final head's fields are kept as {@link HeaderFields} too.
     */
    void expect(boolean answersHead, HttpHeaders finalHeaders, boolean keepsFields) {
        this.answersHead = answersHead;
        this.finalHeaders = finalHeaders;
        this.keepsFields = keepsFields;
        bytesBeyond = false;
        state = State.HEAD;
    }

    /** The call that gave {@link #expect}'s map is done: the map is filled by nothing read later. */
    void forgetHeaders() {
        finalHeaders = null;
    }

    /** Whether bytes followed the last response in what was read: the connection cannot be trusted with another request. */
    boolean holdsBytesBeyondTheResponse() {
        return bytesBeyond;
    }

    /** Reads {@code in}, which it owns from now on, and hands what it completes to {@code to}. */
    void read(ByteBuf in, Listener to) {
        ByteBuf buf = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(in.alloc(), pending, in);
        pending = null;
        boolean keep = false;
        try {
            keep = readFrom(buf, to);
        } catch (MalformedResponseException e) {
            state = State.FAILED;
            to.unreadable(e);
        } finally {
            if (keep) pending = buf;
            else buf.release();
        }
    }

    /**
     * The connection closed (and not for a failure of our own): a body delimited by the close ends here.
     * Returns whether a response ended so; else one that was being read is cut off, and the caller says so.
     */
    boolean closed(Parts to) {
        boolean untilClose = state == State.UNTIL_CLOSE;
        discard();
        if (!untilClose) return false;
        state = State.IDLE;
        to.content(Unpooled.EMPTY_BUFFER, true);
        return true;
    }

    /** The connection closed for a failure of our own: nothing more is read, what was kept is released. */
    void discard() {
        state = State.FAILED;
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    /** Returns whether {@code buf} is to be kept for the next read: an element of the response is incomplete. */
    private boolean readFrom(ByteBuf buf, Listener to) throws MalformedResponseException {
        while (true) {
            switch (state) {
                case IDLE -> {
                    if (buf.isReadable()) throw new MalformedResponseException("bytes no request asked for");
                    return false;
                }
                case FAILED -> {
                    return false;
                }
                case HEAD -> {
                    if (!buf.isReadable()) return false;
                    if (!head.read(buf)) return true;
                    buf.readerIndex(head.end());
                    if (readHead(buf, to)) return false;
                }
                case LENGTH, CHUNK_DATA -> {
                    if (!buf.isReadable()) return false;
                    int n = (int) Math.min(remaining, buf.readableBytes());
                    remaining -= n;
                    ByteBuf part = buf.readRetainedSlice(n);
                    if (remaining > 0) {
                        to.content(part, false);
                    } else if (state == State.LENGTH) {
                        end(buf, part, to);
                        return false;
                    } else {
                        state = State.CHUNK_END;
                        to.content(part, false);
                    }
                }
                case UNTIL_CLOSE -> {
                    if (buf.isReadable()) to.content(buf.readRetainedSlice(buf.readableBytes()), false);
                    return false;
                }
                case CHUNK_SIZE -> {
                    if (!readChunkSize(buf)) return buf.isReadable();
                }
                case CHUNK_END -> {
                    if (buf.readableBytes() < 2) return buf.isReadable();
                    int at = buf.readerIndex();
                    if (buf.getByte(at) != CR || buf.getByte(at + 1) != LF) throw new MalformedResponseException("chunk data not followed by CRLF");
                    buf.skipBytes(2);
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    if (!readTrailers(buf)) return buf.isReadable();
                    end(buf, Unpooled.EMPTY_BUFFER, to);
                    return false;
                }
            }
        }
    }

    /** Hands on the head just read; returns whether the response ended with it (it has no body). */
    private boolean readHead(ByteBuf buf, Listener to) throws MalformedResponseException {
        int status = head.status();
        if (status == 101) throw new MalformedResponseException("unexpected 101 Switching Protocols: no upgrade was asked");
        if (status < 200) {
            to.interim(status, status == 103 ? head.addFieldsTo(NettyBridge.HEADERS.newHeaders()) : null);
            return false; // the final head follows
        }
        HttpHeaders headers = finalHeaders != null ? head.addFieldsTo(finalHeaders)
                : keepsFields ? null : head.addFieldsTo(NettyBridge.HEADERS.newHeaders());
        HeaderFields fields = keepsFields ? head.fields() : null;
        boolean bodiless = answersHead || status == 204 || status == 304;
        if (bodiless || head.contentLength() == 0) {
            to.head(status, head.reason(), headers, fields, head.connectionLines(), head.keepsAlive());
            end(buf, Unpooled.EMPTY_BUFFER, to);
            return true;
        }
        if (head.isChunked()) {
            state = State.CHUNK_SIZE;
        } else if (head.contentLength() > 0) {
            state = State.LENGTH;
            remaining = head.contentLength();
        } else {
            state = State.UNTIL_CLOSE;
        }
        to.head(status, head.reason(), headers, fields, head.connectionLines(), head.keepsAlive());
        return false;
    }

    /** The response ended with {@code last}: whatever else {@code buf} holds is beyond it. */
    private void end(ByteBuf buf, ByteBuf last, Parts to) {
        // Set before the receiver hears of the end: it gives the connection back then, and may start the next response.
        state = State.IDLE;
        bytesBeyond = buf.isReadable();
        to.content(last, true);
    }

    /**
     * Reads a chunk-size line (RFC 9112 §7.1: hex digits, then extensions, which are checked for control bytes
     * and skipped); returns false when it is incomplete.
     */
    private boolean readChunkSize(ByteBuf buf) throws MalformedResponseException {
        int from = buf.readerIndex();
        int limit = from + maxChunkLine + 2;
        int lf = buf.indexOf(from, Math.min(buf.writerIndex(), limit), LF);
        if (lf < 0) {
            if (buf.writerIndex() >= limit) throw new MalformedResponseException("chunk-size line longer than " + maxChunkLine + " bytes");
            return false;
        }
        if (lf == from || buf.getByte(lf - 1) != CR) throw new MalformedResponseException("chunk-size line not ended by CRLF");
        int cr = lf - 1;
        long size = 0;
        int i = from;
        for (; i < cr; i++) {
            int digit = Character.digit(buf.getByte(i), 16);
            if (digit < 0) break;
            if (size > MAX_CHUNK) throw new MalformedResponseException("chunk size too large");
            size = size * 16 + digit;
        }
        if (i == from) throw new MalformedResponseException("chunk size is not a hex number");
        int ext = i;
        while (ext < cr && BackendHead.isWhitespace(buf.getByte(ext))) ext++;
        if (ext < cr && buf.getByte(ext) != ';' || ext == cr && ext != i) throw new MalformedResponseException("chunk size followed by something else than an extension");
        for (int j = ext; j < cr; j++) {
            if (!BackendHead.isFieldByte(buf.getByte(j))) throw new MalformedResponseException("a control byte in a chunk extension");
        }
        buf.readerIndex(lf + 1);
        remaining = size;
        if (size == 0) {
            trailerBytes = 0;
            state = State.TRAILERS;
        } else {
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** Reads trailer lines up to the empty one; returns false when it is not there yet. */
    private boolean readTrailers(ByteBuf buf) throws MalformedResponseException {
        while (true) {
            int from = buf.readerIndex();
            int limit = from + Math.max(0, maxFields - trailerBytes) + 2;
            int lf = buf.indexOf(from, Math.min(buf.writerIndex(), limit), LF);
            if (lf < 0) {
                if (buf.writerIndex() >= limit) throw new MalformedResponseException("trailer section larger than " + maxFields + " bytes");
                return false;
            }
            if (lf == from || buf.getByte(lf - 1) != CR) throw new MalformedResponseException("trailer line not ended by CRLF");
            buf.readerIndex(lf + 1);
            if (lf - 1 == from) return true;
            head.checkTrailerLine(buf, from, lf - 1);
            trailerBytes += lf + 1 - from;
        }
    }
}
