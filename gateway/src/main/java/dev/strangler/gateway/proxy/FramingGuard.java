package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Http1Syntax;
import dev.strangler.core.http.MovableByteText;
import dev.strangler.core.http.Protocol;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.http.SyntaxViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCounted;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the raw bytes of every HTTP/1.x request before Netty's decoder does, and lets through only
 * requests whose framing has exactly one reading (RFC 9112 §2.2, §5, §6, §7.1). Netty's decoder is
 * lenient where a proxy must not be: it drops {@code Content-Length} when {@code Transfer-Encoding}
 * is also present, reads {@code chunked, identity} and a folded {@code Transfer-Encoding} as chunked,
 * takes {@code " 5"} as a chunk size and answers {@code HTTP/1.2} with an {@code HTTP/1.2 501}
 * status line. After it has parsed, that evidence is gone, so the check has to come first.
 *
 * <h2>How it works</h2>
 * A state machine over the bytes: a request head is held back until it is complete and judged
 * (request line, header lines, then {@link RequestRules#framing}); bodies stream through as they
 * arrive, with chunked framing checked line by line. Nothing of a refused request reaches the
 * decoder: its head (and whatever came with it in the same read) is replaced by a small synthetic
 * request (method and target of the refused one, no header of its own) and the refusal is kept in
 * this guard with that request's number on the connection. {@link ProxyVerticle} asks the guard
 * ({@link #refusalOfNextRequest}, reached through the channel attribute {@link #KEY}) about every
 * HTTP/1.x request in order, answers the synthetic one with the refusal's status and a problem
 * body, after any earlier pipelined requests, and then closes the connection; the bytes after it are
 * discarded. Nothing a client sends can make a request stand for a refusal. A violation found in
 * the body of a request whose head was already forwarded (a bad chunk arriving later) closes the
 * connection instead, which the exchange sees as an aborted upload; it then asks the guard
 * ({@link #bodyRefusalOfLatestRequest}) whether that was a refusal, to report the broken rule.
 *
 * <h2>Invariants</h2>
 * Every message this guard ends ({@link #messageEnd}) reaches the handler as one request (the
 * invalid ones through the server's invalid-request handler, which asks too), so the counts of the
 * two sides agree. A client's {@link #REFUSED_HEADER} is refused (the contract reserves it); a head
 * larger than {@link #MAX_HEAD_BYTES} is passed to the decoder unjudged, which refuses it (431/414)
 * and closes. After a request asking to {@code Upgrade}, the bytes that follow are held until the
 * response to that request shows whether the protocol switched ({@code 101}: the guard steps aside)
 * or not (it carries on reading HTTP/1.x).
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
final class FramingGuard extends ChannelDuplexHandler {
    /** Reserved: a client's request carrying it is refused (the gateway used it internally before). */
    static final String REFUSED_HEADER = "X-Strangler-Refused";
    /** The channel's guard, for the request handler to ask about refusals. */
    static final AttributeKey<FramingGuard> KEY = AttributeKey.valueOf(FramingGuard.class, "guard");
    static final String NAME = "stranglerFramingGuard";
    /** Above Vert.x's default limits (4 KB request line, 8 KB headers): the decoder refuses bigger heads itself. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    /** Bytes held while waiting for the answer to an upgrade request; more closes the connection. */
    private static final int MAX_HELD_BYTES = 1024 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, AWAIT_UPGRADE, PASS_THROUGH, REFUSED }

    private State state = State.HEAD;
    /** Whether this guard sits where it reads plain text (behind TLS, when there is TLS). */
    private boolean placed;
    /** Until the first request: the HTTP/2 preface may come instead (h2c prior knowledge, or h2 chosen by ALPN). */
    private boolean firstMessage = true;
    /** The current chunk-size or trailer line without its CRLF, one char per byte. */
    private final StringBuilder line = new StringBuilder(128);
    private boolean sawCr;
    /** Whether the current head line is still empty, and whether the head's request line was read (empty lines before it are skipped). */
    private boolean headLineEmpty = true;
    private boolean requestLineRead;
    /** The bytes of the current head, gathered by {@link #keepHeadBytes}. */
    private ByteBuf head;
    /** Where a judged head is copied to be read line by line; kept for the next head unless large. */
    private byte[] headText = new byte[512];
    private static final int MAX_KEPT_HEAD_TEXT = 4096;
    private long remaining;
    private boolean upgradeRequested;
    /**
     * An upgrade request with a body got its final answer before its body was read (a backend refusing
     * an upload unread): that answer was no switch, so none is awaited once the body ends. A switch
     * (Vert.x's own h2c upgrade, which takes a first request with a body) is answered after the body.
     */
    private boolean answeredInBody;
    /** The number on the connection (from 0) of the upgrade request whose answer {@link State#AWAIT_UPGRADE} awaits. */
    private long awaitedAnswer;
    /** Set when a request's last byte was read, so the next one's pieces are counted apart. */
    private boolean ended;
    /** Whether the current request's head went to the decoder in an earlier read. */
    private boolean headForwarded;
    /** The current request's line once it was found well-formed ({@link #firstLine}), for the synthetic request; null before. */
    private MovableByteText requestLine;
    /** Views of the head's bytes moved from line to line: no object per line (see {@link #judgeHead}). */
    private final MovableByteText firstLine = new MovableByteText();
    private final MovableByteText fieldLine = new MovableByteText();
    /** What one read passes on, kept for the next read; taken (null) while in use, so a nested read makes its own. */
    private ArrayList<ReferenceCounted> reusableOut = new ArrayList<>(4);
    /** Whether a head judged whole goes on as a {@link JudgedHead} (for {@link OwnConnection}) rather than as its bytes. */
    private final boolean marksJudgedHeads;
    private final List<ByteBuf> held = new ArrayList<>();
    private int heldBytes;
    /** Requests passed on whole to the decoder so far: each one is a request for the handler. */
    private long messagesEnded;
    /**
     * Final responses written so far ({@code 101} included, other {@code 1xx} not): HTTP/1.1 answers
     * requests in order (RFC 9112 §9.3.2), so this is the number of the request the next one answers.
     */
    private long finalResponses;
    /** Requests the handler has asked about so far. */
    private long requestsAsked;
    /** The refusal the synthetic request stands for, and that request's number on the connection. */
    private Rejection refusal;
    private long refusedRequest;
    /** The refusal of a body whose head had gone out already, and that request's number on the connection. */
    private Rejection bodyRefusal;
    private long bodyRefusedRequest;
    /** Whether the next response head written goes out on an {@code HTTP/1.1} status line, whatever its version ({@link StatusLineVersion}). */
    private boolean nextHeadOnHttp11;

    FramingGuard() {
        this(false);
    }

    /** @param marksJudgedHeads whether an {@link OwnConnection} behind it reads the heads it judged ({@link JudgedHead}) */
    FramingGuard(boolean marksJudgedHeads) {
        this.marksJudgedHeads = marksJudgedHeads;
    }

    /**
     * The bytes of one request head this guard judged whole and sound, followed by its body if any:
     * what an {@link OwnConnection} may serve itself. Passed on only when {@link #marksJudgedHeads}.
     */
    static final class JudgedHead extends DefaultByteBufHolder {
        JudgedHead(ByteBuf head) {
            super(head);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().attr(KEY).set(this);
    }

    /**
     * Called by the request handler once per HTTP/1.x request, in order: the refusal when that
     * request is the synthetic one standing for a refused request, otherwise null.
     */
    Rejection refusalOfNextRequest() {
        long n = requestsAsked++;
        return refusal != null && n >= refusedRequest ? refusal : null;
    }

    /**
     * The refusal of the body of the latest request the handler was given, if the guard refused it
     * after its head had gone out (and closed the connection); otherwise null. A request waiting
     * behind it (pipelined) has not been given to the handler yet, so its refusal is never taken for
     * the one in progress.
     */
    Rejection bodyRefusalOfLatestRequest() {
        return bodyRefusal != null && bodyRefusedRequest == requestsAsked - 1 ? bodyRefusal : null;
    }

    /**
     * Makes the next response head written on this connection go out on an {@code HTTP/1.1} status
     * line: the answer to a request the decoder could not read, whose version is the decoder's guess
     * ({@link StatusLineVersion}). Called on the event loop before that response is written; the
     * responses before it were all written already (Vert.x answers a connection's requests in turn).
     */
    void answerNextOnHttp11() {
        nextHeadOnHttp11 = true;
    }

    /**
     * First in the pipeline, a guard on a TLS connection would read ciphertext: once the TLS handler
     * is in place (before any application data is decrypted), the guard moves behind it.
     *
     * @return true when {@code msg} was handed on untouched (TLS bytes)
     */
    private boolean passTlsBytes(ChannelHandlerContext ctx, Object msg) {
        boolean afterMe = false;
        for (var entry : ctx.pipeline()) {
            ChannelHandler h = entry.getValue();
            if (h == this) {
                afterMe = true;
                continue;
            }
            if (!afterMe) continue;
            if (h instanceof SslHandler) {
                ctx.pipeline().addAfter(entry.getKey(), NAME + "Tls", new FramingGuard());
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
                return true;
            }
            if (h.getClass().getPackageName().equals("io.netty.handler.ssl")) { // SNI: the TLS handler comes later
                ctx.fireChannelRead(msg);
                return true;
            }
        }
        placed = true;
        return false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!placed && passTlsBytes(ctx, msg)) return;
        switch (state) {
            case PASS_THROUGH -> {
                ctx.fireChannelRead(in);
                return;
            }
            case REFUSED -> {
                in.release();
                return;
            }
            case AWAIT_UPGRADE -> {
                hold(ctx, in);
                return;
            }
            default -> { }
        }
        ArrayList<ReferenceCounted> out = reusableOut != null ? reusableOut : new ArrayList<>(4);
        reusableOut = null;
        int messageStart = 0; // where the pieces of the request still being read begin in out
        try {
            while (in.isReadable() && state != State.AWAIT_UPGRADE && state != State.PASS_THROUGH) {
                int from = in.readerIndex();
                boolean bodyStep = state != State.HEAD;
                switch (state) {
                    case HEAD -> {
                        boolean judged = readHead(in) && state != State.PASS_THROUGH;
                        if (judged || state == State.PASS_THROUGH) {
                            out.add(judged && marksJudgedHeads ? new JudgedHead(head) : head); // a judged head goes out whole
                            head = null;
                        }
                    }
                    case FIXED_BODY, CHUNK_DATA -> {
                        int n = (int) Math.min(remaining, in.readableBytes());
                        in.skipBytes(n);
                        remaining -= n;
                        if (remaining == 0) {
                            if (state == State.FIXED_BODY) messageEnd();
                            else state = State.CHUNK_DATA_END;
                        }
                    }
                    case CHUNK_SIZE, TRAILERS -> readLine(in, MAX_CHUNK_LINE, this::bodyLine);
                    case CHUNK_DATA_END -> readLine(in, 2, this::bodyLine);
                    default -> throw new IllegalStateException("unreachable: " + state);
                }
                // Body bytes go out as they are (head bytes were copied into the head).
                if (bodyStep && in.readerIndex() > from) out.add(in.retainedSlice(from, in.readerIndex() - from));
                if (ended) {
                    ended = false;
                    messageStart = out.size();
                }
            }
        } catch (SyntaxViolation v) {
            refuse(ctx, in, out, messageStart, v.rejection());
            giveBack(out);
            return;
        }
        if (state == State.AWAIT_UPGRADE && in.isReadable()) {
            held.add(in.retainedSlice());
            heldBytes += in.readableBytes();
        }
        if (state == State.PASS_THROUGH && in.isReadable()) out.add(in.retainedSlice());
        in.release();
        headForwarded = isInBody();
        for (int i = 0; i < out.size(); i++) ctx.fireChannelRead(out.get(i));
        giveBack(out);
    }

    /** Keeps a read's (fired or released) output list for the next read. */
    private void giveBack(ArrayList<ReferenceCounted> out) {
        out.clear();
        reusableOut = out;
    }

    private boolean isInBody() {
        return state == State.FIXED_BODY || state == State.CHUNK_SIZE || state == State.CHUNK_DATA
                || state == State.CHUNK_DATA_END || state == State.TRAILERS;
    }

    /**
     * Accumulates head bytes, checking their line endings as they come, and judges the head once
     * its empty line arrives. No text is made here: the lines are read where they stand, in
     * {@link #judgeHead}, from the head's bytes. Line ends are found with {@link ByteBuf#indexOf},
     * which scans many bytes at a time; the outcome is the one of reading byte by byte: the first
     * bare CR or bare LF is refused, and bytes of a head past {@link #MAX_HEAD_BYTES} are not looked
     * at (a line is shorter than its head, so this limit bounds lines too).
     *
     * @return true when the head is complete and fit to forward
     */
    private boolean readHead(ByteBuf in) throws SyntaxViolation {
        int from = in.readerIndex();
        int limit = from + Math.min(in.readableBytes(), MAX_HEAD_BYTES - heldHeadBytes());
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
        if (done) {
            judgeHead();
        } else if (in.isReadable()) {
            // Too big to judge here: the decoder refuses it with 431/414 and closes.
            state = State.PASS_THROUGH;
        }
        return done;
    }

    /** A head line ended: true when it was the empty line that ends the head. */
    private boolean headLineEnded() {
        boolean empty = headLineEmpty;
        headLineEmpty = true;
        if (!empty) requestLineRead = true;
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

    @FunctionalInterface
    private interface LineHandler {
        void line(String line) throws SyntaxViolation;
    }

    private void readLine(ByteBuf in, int max, LineHandler handler) throws SyntaxViolation {
        while (in.isReadable()) {
            byte b = in.readByte();
            if (endsLine(b)) {
                String l = line.toString();
                line.setLength(0);
                handler.line(l);
                return;
            }
            if (sawCr) continue;
            if (line.length() >= max) throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "a chunk line is too long");
            line.append((char) (b & 0xff));
        }
    }

    /**
     * Reads one byte of a line: true when it ends the line with CRLF; a bare CR or LF is refused. A
     * CR waiting for its LF leaves {@link #sawCr} set; any other byte is the line's own.
     */
    private boolean endsLine(byte b) throws SyntaxViolation {
        if (sawCr) {
            sawCr = false;
            if (b == '\n') return true;
            throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a CR not followed by LF");
        }
        if (b == '\n') throw SyntaxViolation.of(Rejection.Code.BAD_LINE_ENDING, "a line ends with a bare LF; lines end with CRLF");
        sawCr = b == '\r';
        return false;
    }

    /**
     * Judges the complete head in {@link #head}, line by line where the lines stand in a copy of its
     * bytes. {@link #readHead} has checked that every line ends with CRLF, that empty lines come
     * only before the request line, and that the head ends with an empty line.
     */
    private void judgeHead() throws SyntaxViolation {
        int n = head.readableBytes();
        byte[] text = n <= headText.length ? headText : n <= MAX_KEPT_HEAD_TEXT ? (headText = new byte[n]) : new byte[n];
        head.getBytes(head.readerIndex(), text, 0, n);
        int start = 0;
        while (text[start] == '\r') start += 2; // the empty lines before the request line
        int end = lineEnd(text, start);
        MovableByteText first = firstLine.moveTo(text, start, end);
        if (firstMessage && end + 4 == n && Http1Syntax.isHttp2Preface(first)) {
            state = State.PASS_THROUGH; // HTTP/2 frames its own messages; Vert.x and Netty's codec take over
            return;
        }
        firstMessage = false;
        Protocol protocol = Http1Syntax.checkRequestLine(first);
        requestLine = first;

        List<String> transferEncodings = List.of(); // made only for a request that has them
        List<String> contentLengths = List.of();
        upgradeRequested = false;
        for (int lineStart = end + 2; lineStart < n - 2; lineStart = end + 2) {
            // Checked where it stands: only the values framing needs are cut out.
            end = lineEnd(text, lineStart);
            MovableByteText l = fieldLine.moveTo(text, lineStart, end);
            int colon = Http1Syntax.checkFieldLine(l);
            if (Http1Syntax.hasName(l, colon, "transfer-encoding"))
                transferEncodings = with(transferEncodings, Http1Syntax.fieldValue(l, colon));
            else if (Http1Syntax.hasName(l, colon, "content-length"))
                contentLengths = with(contentLengths, Http1Syntax.fieldValue(l, colon));
            else if (Http1Syntax.hasName(l, colon, "upgrade")) upgradeRequested = true;
            else if (Http1Syntax.hasName(l, colon, REFUSED_HEADER))
                throw SyntaxViolation.of(Rejection.Code.BAD_HEADER_NAME, REFUSED_HEADER + " is reserved for the gateway");
        }
        Optional<Rejection> framing = RequestRules.framing(protocol, transferEncodings, contentLengths);
        if (framing.isPresent()) throw new SyntaxViolation(framing.get());
        requestLineRead = false;
        headForwarded = false;
        // Whether a body follows, by the rule the decision and the exchange read too (RequestRules.announcesContent).
        if (!transferEncodings.isEmpty()) {
            state = State.CHUNK_SIZE;
        } else if (contentLengths.isEmpty() || RequestRules.isZeroLength(contentLengths.get(0))) {
            messageEnd();
        } else {
            // framing() accepted at most one Content-Length, of 1 to 18 digits
            remaining = Long.parseLong(contentLengths.get(0).trim());
            state = State.FIXED_BODY;
        }
    }

    /** Where the line starting at {@code from} ends: at its CR, which {@link #readHead} made sure is there. */
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

    /** A line in a chunked body: a chunk size, the CRLF after chunk data, or a trailer line. */
    private void bodyLine(String l) throws SyntaxViolation {
        switch (state) {
            case CHUNK_DATA_END -> {
                if (!l.isEmpty()) throw SyntaxViolation.of(Rejection.Code.BAD_CHUNK, "chunk data is not followed by CRLF");
                state = State.CHUNK_SIZE;
            }
            case CHUNK_SIZE -> {
                long size = Http1Syntax.chunkSize(l);
                if (size == 0) state = State.TRAILERS;
                else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case TRAILERS -> {
                if (l.isEmpty()) messageEnd();
                else Http1Syntax.fieldLine(l);
            }
            default -> throw new IllegalStateException("unreachable: " + state);
        }
    }

    private void messageEnd() {
        ended = true;
        messagesEnded++;
        requestLineRead = false;
        requestLine = null;
        firstLine.forget();
        fieldLine.forget();
        headForwarded = false;
        if (upgradeRequested && !answeredInBody) {
            state = State.AWAIT_UPGRADE;
            awaitedAnswer = messagesEnded - 1;
        } else {
            state = State.HEAD;
        }
        upgradeRequested = false;
        answeredInBody = false;
    }

    /**
     * Forwards the complete requests read before the refused one, then the synthetic request that
     * stands for it; everything after is dropped. If the refused request's head already went out,
     * the connection is closed instead: the exchange in progress sees an aborted upload.
     */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, List<ReferenceCounted> out, int messageStart, Rejection rejection) {
        boolean headAlreadyOut = headForwarded;
        state = State.REFUSED;
        in.release();
        if (head != null) {
            head.release();
            head = null;
        }
        for (int i = messageStart; i < out.size(); i++) out.get(i).release();
        for (int i = 0; i < messageStart; i++) ctx.fireChannelRead(out.get(i));
        releaseHeld();
        if (headAlreadyOut) {
            bodyRefusal = rejection;
            bodyRefusedRequest = messagesEnded; // the requests before it all ended
            ctx.close();
            return;
        }
        refusal = rejection;
        refusedRequest = messagesEnded; // the requests before it all ended and went out
        ctx.fireChannelRead(Unpooled.copiedBuffer(syntheticRequest(), StandardCharsets.ISO_8859_1));
    }

    private String syntheticRequest() {
        String m = "GET";
        String t = "/";
        if (requestLine != null) {
            try {
                Http1Syntax.RequestLine refused = Http1Syntax.requestLine(requestLine);
                m = refused.method();
                if (isVisibleAscii(refused.target())) t = refused.target();
            } catch (SyntaxViolation impossible) {
                // requestLine was checked before it was kept
            }
        }
        return m + " " + t + " HTTP/1.1\r\nHost: refused.invalid\r\nContent-Length: 0\r\n\r\n";
    }

    private void hold(ChannelHandlerContext ctx, ByteBuf in) {
        heldBytes += in.readableBytes();
        held.add(in);
        if (heldBytes > MAX_HELD_BYTES) {
            state = State.REFUSED;
            releaseHeld();
            ctx.close();
        }
    }

    /**
     * Watches for the answer to an upgrade request: a 101 hands the connection over, anything else
     * resumes HTTP/1.x. Only that request's own answer decides: the answers to requests pipelined
     * before it are written first, and interim answers ({@code 100}, {@code 103}) are no answer.
     */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (nextHeadOnHttp11 && msg instanceof ByteBuf b && b.isReadable()) {
            nextHeadOnHttp11 = false;
            msg = StatusLineVersion.onHttp11(b, ctx.alloc());
        }
        int status = state != State.PASS_THROUGH && msg instanceof ByteBuf b ? statusOf(b) : -1;
        if (status == 101 || status >= 200) {
            long answered = finalResponses++; // the number of the request this response answers
            // At or after (never only at): see the class comment on counts that run ahead.
            if (state == State.AWAIT_UPGRADE && answered >= awaitedAnswer) {
                state = status == 101 ? State.PASS_THROUGH : State.HEAD;
                List<ByteBuf> resume = new ArrayList<>(held);
                held.clear();
                heldBytes = 0;
                if (!resume.isEmpty()) ctx.executor().execute(() -> {
                    for (ByteBuf r : resume) channelRead(ctx, r);
                    ctx.fireChannelReadComplete(); // outside a real read: lets Vert.x flush what it answers
                });
            } else if (upgradeRequested && isInBody() && answered >= messagesEnded && status != 101) {
                answeredInBody = true; // the request being read is answered before its body ended
            }
        }
        super.write(ctx, msg, promise);
    }

    /** The status of a response head that {@code out} starts with ({@code HTTP/1.x NNN}), or -1: read in place. */
    private static int statusOf(ByteBuf out) {
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

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
        releaseHeld();
    }

    private void releaseHeld() {
        for (ByteBuf b : held) b.release();
        held.clear();
        heldBytes = 0;
    }

    private static boolean isVisibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) <= 0x20 || s.charAt(i) >= 0x7f) return false;
        return true;
    }

}
