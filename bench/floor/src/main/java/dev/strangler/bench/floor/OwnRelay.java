package dev.strangler.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of the own-heads floor ({@link OwnFloor}): bytes in, bytes out, no HTTP objects.
 *
 * <p>The client's bytes gather in {@code fromClient} until a whole head is there (the first read holds it in
 * the common case); {@link RequestHead} reads it in place and writes it towards the backend into one pooled
 * buffer. One exchange at a time: bytes that come while one is in flight (a pipelining client) wait in
 * {@code fromClient}, and reading stops until the response is out. The backend's bytes gather in
 * {@code fromBackend} until its response head is whole; {@link ResponseHead} writes it towards the client into
 * one pooled buffer, and the body follows as the backend's own buffers (a slice when a read holds more than the
 * body), framed as the backend framed it (to an HTTP/1.0 client a chunked body goes without its chunk framing,
 * and the connection closes after it). Interim (1xx) heads are passed on to HTTP/1.1 clients and the final head is read after them.
 *
 * <p>Only bodiless requests: one with a body is refused with 501 and the connection closed; a malformed head
 * gets 400, one too large 431. The backend connection goes back to the pool when its response ended where its
 * framing said, the backend kept the connection alive and no byte followed the response. A backend whose head
 * is malformed, or whose connection breaks before its head came, gets the client a 502; one that breaks in the
 * body (or frames it wrongly) gets the client connection closed. Every request forwarded or refused with 501
 * leaves an access-log line; a head refused with 400 or 431 does not.
 */
final class OwnRelay extends ClientRelay<ByteBuf> {
    private enum Phase { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE }

    /** The answers the floor makes itself, each with its request id and the connection closed. */
    private enum Refusal {
        BAD_REQUEST("400 Bad Request"),
        HEADERS_TOO_LARGE("431 Request Header Fields Too Large"),
        NOT_IMPLEMENTED("501 Not Implemented"),
        BAD_GATEWAY("502 Bad Gateway");

        final int status;
        final byte[] head;

        Refusal(String status) {
            this.status = Integer.parseInt(status.substring(0, 3));
            this.head = ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final RequestHead request = new RequestHead();
    private final ResponseHead response = new ResponseHead();
    private final ChunkedBody chunks = new ChunkedBody();
    private final HeadBytes refusalHead = new HeadBytes();
    private final AsciiText method = new AsciiText(16);
    private final AsciiText target = new AsciiText(256);
    private final AsciiText requestId = new AsciiText(RequestHead.MAX_CLIENT_ID);
    private ByteBuf fromClient;
    private boolean closing;

    // The exchange in flight (inFlight) and what is known of it.
    private boolean inFlight;
    private long startNanos;
    private boolean clientKeepAlive;
    private boolean clientHttp10;
    private boolean headRequest;
    private ByteBuf toBackend;
    private ByteBuf fromBackend;
    private Phase phase;
    private long remaining;
    private boolean unchunked;
    private boolean closeClient;
    private boolean backendReusable;
    private boolean responseStarted;
    private int status;
    private long bytesSent;

    OwnRelay(BackendPool<ByteBuf> pool, AccessLog log) {
        super(pool, log);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ((ByteBuf) msg).release();
            return;
        }
        fromClient = gather(fromClient, (ByteBuf) msg);
        if (inFlight) ctx.channel().config().setAutoRead(false); // a pipelined request waits for the answer in flight
        else readRequests();
    }

    /** {@code more} after {@code held} (null when nothing is held) in one buffer; both are the result's now. */
    private ByteBuf gather(ByteBuf held, ByteBuf more) {
        if (held == null) return more;
        ByteBuf both = ctx.alloc().buffer(held.readableBytes() + more.readableBytes());
        both.writeBytes(held).writeBytes(more);
        held.release();
        more.release();
        return both;
    }

    private void readRequests() {
        while (!inFlight && !closing && fromClient != null) {
            skipEmptyLines(fromClient);
            if (!fromClient.isReadable()) break;
            switch (request.read(fromClient, fromClient.readerIndex())) {
                case INCOMPLETE -> {
                    return;
                }
                case BAD_REQUEST -> refuse(Refusal.BAD_REQUEST);
                case TOO_LARGE -> refuse(Refusal.HEADERS_TOO_LARGE);
                case HAS_BODY -> {
                    begin();
                    refuse(Refusal.NOT_IMPLEMENTED);
                }
                case FORWARD -> forward();
            }
        }
        if (fromClient != null && !fromClient.isReadable()) {
            fromClient.release();
            fromClient = null;
        }
    }

    /** RFC 9112 2.2: empty lines before a request line are ignored. */
    private static void skipEmptyLines(ByteBuf buf) {
        int i = buf.readerIndex();
        while (buf.writerIndex() - i >= 2 && buf.getByte(i) == HeadLines.CR && buf.getByte(i + 1) == HeadLines.LF) i += 2;
        buf.readerIndex(i);
    }

    /** Takes what the access log and the response need from the request head just read. */
    private void begin() {
        startNanos = System.nanoTime();
        request.copyMethod(method);
        request.copyTarget(target);
        if (!request.copyRequestId(requestId)) RequestIds.next(requestId);
        clientKeepAlive = request.keepsConnection();
        clientHttp10 = request.isHttp10();
        headRequest = request.isHead();
        status = 0;
        bytesSent = 0;
        responseStarted = false;
        phase = Phase.HEAD;
    }

    private void forward() {
        begin();
        toBackend = request.towardsBackend(ctx.alloc(), requestId);
        fromClient.readerIndex(request.end());
        inFlight = true;
        pool.acquire(this);
    }

    @Override
    public void onBackendReady(Channel ch) {
        if (!inFlight) { // the client left while connecting
            pool.release(ch, true);
            return;
        }
        backend = ch;
        ByteBuf head = toBackend;
        toBackend = null;
        ch.writeAndFlush(head, ch.voidPromise());
        ch.config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void onBackendMessage(ByteBuf bytes) {
        if (!inFlight) {
            bytes.release();
            return;
        }
        fromBackend = gather(fromBackend, bytes);
        boolean goOn = true;
        while (goOn && fromBackend != null && fromBackend.isReadable()) {
            goOn = switch (phase) {
                case HEAD -> readResponseHead();
                case LENGTH -> relayLength();
                case CHUNKED -> relayChunks();
                case UNTIL_CLOSE -> relayUntilClose();
            };
        }
        if (fromBackend != null && !fromBackend.isReadable()) {
            fromBackend.release();
            fromBackend = null;
        }
    }

    /** Reads and passes on a response head; false when the exchange ended or more bytes are needed. */
    private boolean readResponseHead() {
        switch (response.read(fromBackend, fromBackend.readerIndex(), headRequest)) {
            case INCOMPLETE -> {
                return false;
            }
            case MALFORMED, TOO_LARGE -> {
                backendBroke();
                return false;
            }
            case WHOLE -> {
                // passed on below
            }
        }
        if (response.status() == 101) { // nothing asked to switch protocols: Upgrade never reaches the backend
            backendBroke();
            return false;
        }
        if (response.isInterim()) {
            if (!clientHttp10) writeHead(false, ResponseHead.ConnectionLine.NONE); // 1.0 clients get no 1xx (RFC 9110 15.2)
            fromBackend.readerIndex(response.end());
            return true;
        }
        status = response.status();
        responseStarted = true;
        backendReusable = response.keepsConnection();
        ResponseHead.Framing framing = response.framing();
        unchunked = clientHttp10 && framing == ResponseHead.Framing.CHUNKED;
        closeClient = !clientKeepAlive || framing == ResponseHead.Framing.UNTIL_CLOSE || unchunked;
        writeHead(unchunked, closeClient ? ResponseHead.ConnectionLine.CLOSE
                : clientHttp10 ? ResponseHead.ConnectionLine.KEEP_ALIVE : ResponseHead.ConnectionLine.NONE);
        fromBackend.readerIndex(response.end());
        switch (framing) {
            case NONE -> {
                complete();
                return false;
            }
            case LENGTH -> {
                phase = Phase.LENGTH;
                remaining = response.length();
            }
            case CHUNKED -> {
                phase = Phase.CHUNKED;
                chunks.reset();
            }
            case UNTIL_CLOSE -> phase = Phase.UNTIL_CLOSE;
        }
        return true;
    }

    private void writeHead(boolean withoutChunks, ResponseHead.ConnectionLine connection) {
        ctx.write(response.towardsClient(ctx.alloc(), requestId, withoutChunks, connection), ctx.voidPromise());
    }

    private boolean relayLength() {
        int n = (int) Math.min(remaining, fromBackend.readableBytes());
        relay(n);
        bytesSent += n;
        remaining -= n;
        if (remaining > 0) return true;
        complete();
        return false;
    }

    private boolean relayChunks() {
        int from = fromBackend.readerIndex();
        int to = fromBackend.writerIndex();
        int at = from;
        while (at < to && !chunks.isDone()) {
            int next = chunks.advance(fromBackend, at, to);
            if (next < 0) {
                backendBroke();
                return false;
            }
            if (chunks.lastWasData()) {
                bytesSent += next - at;
                if (unchunked && next > at) ctx.write(fromBackend.retainedSlice(at, next - at), ctx.voidPromise());
            }
            at = next;
        }
        if (unchunked) fromBackend.readerIndex(at);
        else relay(at - from);
        if (!chunks.isDone()) return true;
        complete();
        return false;
    }

    private boolean relayUntilClose() {
        bytesSent += fromBackend.readableBytes();
        relay(fromBackend.readableBytes());
        return true;
    }

    /** Passes the next {@code n} bytes of the backend's buffer on to the client as they are: the buffer itself when they are all it holds. */
    private void relay(int n) {
        if (n < fromBackend.readableBytes()) {
            ctx.write(fromBackend.readRetainedSlice(n), ctx.voidPromise());
            return;
        }
        ByteBuf all = fromBackend;
        fromBackend = null;
        ctx.write(all, ctx.voidPromise());
    }

    /** The response ended where its framing said. */
    private void complete() {
        if (fromBackend != null && fromBackend.isReadable()) backendReusable = false; // bytes beyond the response: nothing can be matched to them
        finish();
    }

    private void finish() {
        log.record(client, method, target, status, bytesSent, startNanos, requestId);
        inFlight = false;
        if (fromBackend != null) {
            fromBackend.release();
            fromBackend = null;
        }
        if (backend != null) pool.release(backend, backendReusable);
        backend = null;
        if (closeClient) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        ctx.channel().config().setAutoRead(true);
        readRequests();
    }

    @Override
    public void onBackendReadComplete() {
        ctx.flush();
    }

    @Override
    public void onBackendFailure(Throwable cause) {
        backend = null; // the pool has let go of it
        if (toBackend != null) {
            toBackend.release();
            toBackend = null;
        }
        if (!inFlight) return;
        if (phase == Phase.UNTIL_CLOSE) { // the close is the body's end
            backendReusable = false;
            finish();
        } else {
            backendBroke();
        }
    }

    /** The backend's answer cannot be relayed (or broke off): a 502 if none of it went out, else the client is cut off. */
    private void backendBroke() {
        if (backend != null) pool.release(backend, false);
        backend = null;
        if (fromBackend != null) {
            fromBackend.release();
            fromBackend = null;
        }
        inFlight = false;
        if (responseStarted) {
            log.record(client, method, target, status, bytesSent, startNanos, requestId);
            closing = true;
            ctx.close();
        } else {
            refuse(Refusal.BAD_GATEWAY);
        }
    }

    /** Answers {@code refusal} and closes; logged when a request line was read ({@link #begin}). */
    private void refuse(Refusal refusal) {
        if (refusal == Refusal.BAD_REQUEST || refusal == Refusal.HEADERS_TOO_LARGE) RequestIds.next(requestId);
        else log.record(client, method, target, refusal.status, 0, startNanos, requestId);
        closing = true;
        ByteBuf head = refusalHead.clear().append(refusal.head).end(requestId, HeadBytes.NO_LINE).toBuffer(ctx.alloc());
        ctx.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE);
        if (fromClient != null) {
            fromClient.release();
            fromClient = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        inFlight = false;
        if (backend != null) pool.release(backend, false);
        backend = null;
        for (ByteBuf held : new ByteBuf[] {toBackend, fromClient, fromBackend}) {
            if (held != null) held.release();
        }
        toBackend = null;
        fromClient = null;
        fromBackend = null;
        ctx.fireChannelInactive();
    }
}
