package dev.strangler.gateway.proxy;

import dev.strangler.core.http.Http1Syntax;
import dev.strangler.core.http.Rejection;
import dev.strangler.core.http.RequestRules;
import dev.strangler.core.http.SyntaxViolation;
import io.netty.buffer.ByteBuf;
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
 * <h2>Its parts</h2>
 * {@link RequestHeadJudge} gathers and judges each head, {@link ChunkLineReader} reads the lines of
 * chunked bodies, {@link UpgradeAnswerWatch} counts the responses written to find an upgrade's answer
 * and holds the bytes meanwhile, and {@link ConnectionRefusals} keeps what was refused. Each is made
 * once per connection and holds plain fields: the parts add no object per request or per read.
 */
final class FramingGuard extends ChannelDuplexHandler {
    /** Reserved: a client's request carrying it is refused (the gateway used it internally before). */
    static final String REFUSED_HEADER = "X-Strangler-Refused";
    /** The channel's guard, for the request handler to ask about refusals. */
    static final AttributeKey<FramingGuard> KEY = AttributeKey.valueOf(FramingGuard.class, "guard");
    static final String NAME = "stranglerFramingGuard";
    /** Above Vert.x's default limits (4 KB request line, 8 KB headers): the decoder refuses bigger heads itself. */
    static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_CHUNK_LINE = 4096;

    private enum State { HEAD, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, AWAIT_UPGRADE, PASS_THROUGH, REFUSED }

    private State state = State.HEAD;
    /** Whether this guard sits where it reads plain text (behind TLS, when there is TLS). */
    private boolean placed;
    private final RequestHeadJudge heads;
    private final ChunkLineReader chunkLines = new ChunkLineReader();
    private final UpgradeAnswerWatch upgrades = new UpgradeAnswerWatch();
    private final ConnectionRefusals refusals = new ConnectionRefusals();
    private long remaining;
    /** Set when a request's last byte was read, so the next one's pieces are counted apart. */
    private boolean ended;
    /** Whether the current request's head went to the decoder in an earlier read. */
    private boolean headForwarded;
    /** What one read passes on, kept for the next read; taken (null) while in use, so a nested read makes its own. */
    private ArrayList<ReferenceCounted> reusableOut = new ArrayList<>(4);
    /** Whether a head judged whole goes on as a {@link JudgedHead} (for {@link OwnConnection}) rather than as its bytes. */
    private final boolean marksJudgedHeads;
    /** Requests passed on whole to the decoder so far: each one is a request for the handler. */
    private long messagesEnded;
    /** Whether the next response head written goes out on an {@code HTTP/1.1} status line, whatever its version ({@link StatusLineVersion}). */
    private boolean nextHeadOnHttp11;

    FramingGuard() {
        this(false);
    }

    /** @param marksJudgedHeads whether an {@link OwnConnection} behind it reads the heads it judged ({@link JudgedHead}) */
    FramingGuard(boolean marksJudgedHeads) {
        this.marksJudgedHeads = marksJudgedHeads;
        this.heads = new RequestHeadJudge(marksJudgedHeads);
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
        return refusals.refusalOfNextRequest();
    }

    /**
     * The refusal of the body of the latest request the handler was given, if the guard refused it
     * after its head had gone out (and closed the connection); otherwise null. A request waiting
     * behind it (pipelined) has not been given to the handler yet, so its refusal is never taken for
     * the one in progress.
     */
    Rejection bodyRefusalOfLatestRequest() {
        return refusals.bodyRefusalOfLatestRequest();
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
                if (!upgrades.hold(in)) {
                    state = State.REFUSED;
                    ctx.close();
                }
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
                            ByteBuf head = heads.takeHead();
                            out.add(judged && marksJudgedHeads ? heads.judgedHead(head) : head); // a judged head goes out whole
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
                    case CHUNK_SIZE, TRAILERS -> readBodyLine(in, MAX_CHUNK_LINE);
                    case CHUNK_DATA_END -> readBodyLine(in, 2);
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
        if (state == State.AWAIT_UPGRADE && in.isReadable()) upgrades.holdRest(in);
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
     * Reads (more of) a request head; once it is complete, judges it and moves on to what follows it.
     *
     * @return true when the head is complete and fit to forward
     */
    private boolean readHead(ByteBuf in) throws SyntaxViolation {
        boolean done = heads.read(in);
        if (done) {
            switch (heads.judge()) {
                case HTTP2_PREFACE -> state = State.PASS_THROUGH; // HTTP/2 frames its own messages; Vert.x and Netty's codec take over
                case CHUNKED_BODY -> {
                    headForwarded = false;
                    state = State.CHUNK_SIZE;
                }
                case NO_BODY -> {
                    headForwarded = false;
                    messageEnd();
                }
                case FIXED_BODY -> {
                    headForwarded = false;
                    remaining = heads.contentLength();
                    state = State.FIXED_BODY;
                }
            }
        } else if (in.isReadable()) {
            // Too big to judge here: the decoder refuses it with 431/414 and closes.
            state = State.PASS_THROUGH;
        }
        return done;
    }

    private void readBodyLine(ByteBuf in, int max) throws SyntaxViolation {
        String l = chunkLines.read(in, max);
        if (l != null) bodyLine(l);
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
        boolean upgradeRequested = heads.isUpgradeRequested();
        heads.requestEnded();
        headForwarded = false;
        boolean answeredInBody = upgrades.takeAnsweredInBody();
        if (upgradeRequested && !answeredInBody) {
            state = State.AWAIT_UPGRADE;
            upgrades.await(messagesEnded - 1);
        } else {
            state = State.HEAD;
        }
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
        heads.release();
        for (int i = messageStart; i < out.size(); i++) out.get(i).release();
        for (int i = 0; i < messageStart; i++) ctx.fireChannelRead(out.get(i));
        upgrades.releaseHeld();
        if (headAlreadyOut) {
            refusals.refuseBody(rejection, messagesEnded); // the requests before it all ended
            ctx.close();
            return;
        }
        refusals.refuse(rejection, messagesEnded); // the requests before it all ended and went out
        String synthetic = ConnectionRefusals.syntheticRequest(heads.requestLine());
        ctx.fireChannelRead(Unpooled.copiedBuffer(synthetic, StandardCharsets.ISO_8859_1));
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
        int status = state != State.PASS_THROUGH && msg instanceof ByteBuf b ? UpgradeAnswerWatch.statusOf(b) : -1;
        if (UpgradeAnswerWatch.isFinal(status)) {
            long answered = upgrades.countFinalResponse(); // the number of the request this response answers
            if (state == State.AWAIT_UPGRADE && upgrades.isAwaitedAnswer(answered)) {
                state = status == 101 ? State.PASS_THROUGH : State.HEAD;
                List<ByteBuf> resume = upgrades.takeHeld();
                if (!resume.isEmpty()) ctx.executor().execute(() -> {
                    for (ByteBuf r : resume) channelRead(ctx, r);
                    ctx.fireChannelReadComplete(); // outside a real read: lets Vert.x flush what it answers
                });
            } else if (heads.isUpgradeRequested() && isInBody() && answered >= messagesEnded && status != 101) {
                upgrades.answeredInBody(); // the request being read is answered before its body ended
            }
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        heads.release();
        upgrades.releaseHeld();
    }
}
