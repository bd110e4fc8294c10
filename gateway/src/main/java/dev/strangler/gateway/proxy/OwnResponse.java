package dev.strangler.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.HostAndPort;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The response to an {@link OwnRequest}, encoded by the gateway itself: the status line and the
 * fields go into one pooled buffer, written with the first body bytes or at the end; a body goes
 * as it is written, framed by its {@code Content-Length} or chunked (RFC 9112 §6, §7.1).
 *
 * <h2>What it does as Vert.x's HTTP/1.1 response does</h2>
 * The same rules decide the head (Vert.x 5.0.7's {@code Http1xServerResponse.prepareHeaders}): a
 * client that asked to close gets {@code connection: close}; a HEAD response and a {@code 304} lose
 * any {@code transfer-encoding}; a response ended with a whole body and neither a length nor chunking
 * gets a {@code content-length}; {@link #setChunked} is {@code transfer-encoding: chunked}. A HEAD
 * response, a {@code 1xx}, {@code 204} and {@code 304} carry no body bytes, whatever is written
 * (RFC 9110 §9.3.2, RFC 9112 §6.3). The connection is closed after a response that says
 * {@code close} (RFC 9112 §9.6), once its last byte went out.
 *
 * <p>A write's future completes once Netty wrote the bytes: a caller may then release a buffer it
 * lent ({@link NettyBridge#wrap}).
 */
final class OwnResponse implements HttpServerResponse {
    private static final byte[] HTTP_1_1 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OwnConnection connection;
    private final MultiMap headers;
    private final boolean head;
    /** Whether the client did not ask to close (Vert.x's {@code keepAlive} of an HTTP/1.1 request). */
    private final boolean keepAlive;
    private int status = 200;
    private String statusMessage;
    private boolean headWritten;
    private boolean written;
    private boolean closed;
    private boolean chunked;
    private boolean bodyAllowed;
    private long bytesWritten;
    private Handler<Void> closeHandler;
    private Handler<Void> endHandler;
    private Handler<Void> headersEndHandler;
    private Handler<Void> bodyEndHandler;
    private Handler<Void> drainHandler;

    /** @param headers an empty map, the response's own until it ended (the connection reuses it for its next response) */
    OwnResponse(OwnConnection connection, MultiMap headers, HttpMethod method, boolean keepAlive) {
        this.connection = connection;
        this.headers = headers;
        this.head = method == HttpMethod.HEAD;
        this.keepAlive = keepAlive;
    }

    /** The client's connection closed before this response ended. */
    void connectionClosed() {
        if (closed) return;
        closed = true;
        if (written) return;
        Handler<Void> h = closeHandler;
        if (h != null) h.handle(null);
    }

    /** The client's connection can take more bytes again. */
    void writable() {
        Handler<Void> h = drainHandler;
        if (h != null && !written) h.handle(null);
    }

    @Override
    public HttpServerResponse exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public HttpServerResponse setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return !connection.isWritable();
    }

    @Override
    public HttpServerResponse drainHandler(Handler<Void> handler) {
        drainHandler = handler;
        return this;
    }

    @Override
    public int getStatusCode() {
        return status;
    }

    @Override
    public HttpServerResponse setStatusCode(int statusCode) {
        checkHeadNotWritten();
        status = statusCode;
        return this;
    }

    @Override
    public String getStatusMessage() {
        return statusMessage != null ? statusMessage : HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    @Override
    public HttpServerResponse setStatusMessage(String message) {
        checkHeadNotWritten();
        statusMessage = message;
        return this;
    }

    @Override
    public HttpServerResponse setChunked(boolean chunked) {
        checkHeadNotWritten();
        headers.set(HttpHeaders.TRANSFER_ENCODING, chunked ? HttpHeaders.CHUNKED : null);
        return this;
    }

    @Override
    public boolean isChunked() {
        return headers.contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
    }

    @Override
    public MultiMap headers() {
        return headers;
    }

    @Override
    public HttpServerResponse putHeader(String name, String value) {
        checkHeadNotWritten();
        headers.set(name, value);
        return this;
    }

    @Override
    public HttpServerResponse putHeader(CharSequence name, CharSequence value) {
        checkHeadNotWritten();
        headers.set(name, value);
        return this;
    }

    @Override
    public HttpServerResponse putHeader(String name, Iterable<String> values) {
        checkHeadNotWritten();
        headers.set(name, values);
        return this;
    }

    @Override
    public HttpServerResponse putHeader(CharSequence name, Iterable<CharSequence> values) {
        checkHeadNotWritten();
        headers.set(name, values);
        return this;
    }

    @Override
    public HttpServerResponse closeHandler(Handler<Void> handler) {
        closeHandler = handler;
        return this;
    }

    @Override
    public HttpServerResponse endHandler(Handler<Void> handler) {
        endHandler = handler;
        return this;
    }

    @Override
    public HttpServerResponse headersEndHandler(Handler<Void> handler) {
        headersEndHandler = handler;
        return this;
    }

    @Override
    public HttpServerResponse bodyEndHandler(Handler<Void> handler) {
        bodyEndHandler = handler;
        return this;
    }

    @Override
    public boolean ended() {
        return written;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public boolean headWritten() {
        return headWritten;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public Future<Void> writeHead() {
        checkWritable();
        if (!headWritten) {
            if (!chunkedOrLength()) throw lengthFirst();
            connection.write(encodeHead(-1));
            connection.flush();
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> write(Buffer data) {
        ByteBuf bytes = ((BufferInternal) data).getByteBuf();
        checkWritable();
        if (!headWritten && !chunkedOrLength()) throw lengthFirst();
        bytesWritten += bytes.readableBytes();
        if (!headWritten) connection.write(encodeHead(-1));
        ChannelFuture done = writeBody(bytes);
        connection.flush();
        return completion(done);
    }

    @Override
    public Future<Void> write(String chunk, String enc) {
        return write(Buffer.buffer(chunk, enc));
    }

    @Override
    public Future<Void> write(String chunk) {
        return write(Buffer.buffer(chunk));
    }

    @Override
    public Future<Void> writeContinue() {
        throw unsupported("writeContinue");
    }

    /** 103 Early Hints, as Vert.x writes them: a status line and the fields, before the final response. */
    @Override
    public Future<Void> writeEarlyHints(MultiMap hints) {
        checkWritable();
        if (headWritten) return Future.failedFuture("the response head was written already");
        ByteBuf out = connection.alloc().buffer(128);
        out.writeBytes(HTTP_1_1);
        writeStatus(out, 103, null);
        for (Map.Entry<String, String> h : hints) writeField(out, h.getKey(), h.getValue());
        out.writeBytes(CRLF);
        ChannelFuture done = connection.write(out);
        connection.flush();
        return completion(done);
    }

    @Override
    public Future<Void> end(String chunk) {
        return end(Buffer.buffer(chunk));
    }

    @Override
    public Future<Void> end(String chunk, String enc) {
        return end(Buffer.buffer(chunk, enc));
    }

    @Override
    public Future<Void> end(Buffer data) {
        return end(((BufferInternal) data).getByteBuf());
    }

    @Override
    public Future<Void> end() {
        return end((ByteBuf) null);
    }

    private Future<Void> end(ByteBuf bytes) {
        checkWritable();
        written = true;
        int n = bytes == null ? 0 : bytes.readableBytes();
        bytesWritten += n;
        ChannelFuture done;
        if (!headWritten) {
            ByteBuf headBytes = encodeHead(bytesWritten);
            if (bodyAllowed && !chunked && n > 0 && n <= 1024) { // a small whole response: one buffer, one write
                headBytes.writeBytes(bytes, bytes.readerIndex(), n);
                n = 0;
            }
            done = connection.write(headBytes);
        } else {
            done = connection.write(io.netty.buffer.Unpooled.EMPTY_BUFFER); // completes once all before it went out
        }
        if (n > 0) done = writeBody(bytes);
        if (chunked && bodyAllowed) done = connection.write(connection.alloc().buffer(LAST_CHUNK.length).writeBytes(LAST_CHUNK));
        connection.flush();
        boolean close = !keepAlive || closes() || connection.isClosing();
        if (close) done.addListener(ChannelFutureListener.CLOSE);
        Future<Void> ended = completion(done);
        Handler<Void> bodyEnd = bodyEndHandler;
        if (bodyEnd != null) bodyEnd.handle(null);
        Handler<Void> end = endHandler;
        if (end != null) end.handle(null);
        connection.responseEnded(this, close);
        return ended;
    }

    /** Whether the head says the connection closes after this response. */
    private boolean closes() {
        String c = headers.get(HttpHeaders.CONNECTION);
        return c != null && c.equalsIgnoreCase("close");
    }

    /** Body bytes as the head framed them: none where no body is allowed, a chunk when chunked. */
    private ChannelFuture writeBody(ByteBuf bytes) {
        if (!bodyAllowed || !bytes.isReadable()) return connection.write(io.netty.buffer.Unpooled.EMPTY_BUFFER);
        if (!chunked) return connection.write(bytes);
        ByteBuf size = connection.alloc().buffer(12);
        ByteBufUtil.writeAscii(size, Integer.toHexString(bytes.readableBytes()));
        size.writeBytes(CRLF);
        connection.write(size);
        connection.write(bytes);
        return connection.write(connection.alloc().buffer(2).writeBytes(CRLF));
    }

    private boolean chunkedOrLength() {
        return headers.contains(HttpHeaders.TRANSFER_ENCODING) || headers.contains(HttpHeaders.CONTENT_LENGTH);
    }

    private static IllegalStateException lengthFirst() {
        return new IllegalStateException("You must set the Content-Length header to be the total size of the message body BEFORE"
                + " sending any data if you are not using HTTP chunked encoding.");
    }

    /**
     * The status line and fields, after the rules Vert.x applies at that moment ({@code contentLength}
     * is the whole body's when the response ends with the head, else -1).
     */
    private ByteBuf encodeHead(long contentLength) {
        Handler<Void> h = headersEndHandler;
        if (h != null) h.handle(null);
        if (!keepAlive || connection.isClosing()) headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        if (head || status == 304) {
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
        } else if (contentLength >= 0 && !headers.contains(HttpHeaders.CONTENT_LENGTH) && !headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
            headers.set(HttpHeaders.CONTENT_LENGTH, Long.toString(contentLength));
        }
        // Then what Netty's response encoder does on Vert.x's path (HttpResponseEncoder#sanitizeHeadersBeforeEncode):
        // a 1xx or 204 has neither framing header (RFC 9110 §8.6, RFC 9112 §6.1), a 205 a length of zero.
        if (status < 200 || status == 204) {
            headers.remove(HttpHeaders.CONTENT_LENGTH);
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
        } else if (status == 205) {
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
            headers.set(HttpHeaders.CONTENT_LENGTH, "0");
        }
        headWritten = true;
        chunked = isChunked();
        bodyAllowed = !head && status >= 200 && status != 204 && status != 205 && status != 304;
        ByteBuf out = connection.alloc().buffer(256);
        out.writeBytes(HTTP_1_1);
        writeStatus(out, status, statusMessage);
        if (headers instanceof FlatHeaders flat) {
            for (int i = 0; i < flat.count(); i++) writeField(out, flat.name(i), flat.value(i));
        } else if (headers instanceof io.netty.handler.codec.http.HttpHeaders netty) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence(); it.hasNext(); ) {
                Map.Entry<CharSequence, CharSequence> field = it.next();
                writeField(out, field.getKey(), field.getValue());
            }
        } else {
            for (Map.Entry<String, String> field : headers) writeField(out, field.getKey(), field.getValue());
        }
        out.writeBytes(CRLF);
        return out;
    }

    private static void writeStatus(ByteBuf out, int status, String message) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(status);
        AsciiString code = known.codeAsText();
        out.writeBytes(code.array(), code.arrayOffset(), code.length());
        out.writeByte(' ');
        ByteBufUtil.writeAscii(out, message != null ? message : known.reasonPhrase());
        out.writeBytes(CRLF);
    }

    /** One field line; chars are written as the bytes they stand for (ISO-8859-1), as Netty's encoder writes them. */
    private static void writeField(ByteBuf out, CharSequence name, CharSequence value) {
        ByteBufUtil.writeAscii(out, name);
        out.writeBytes(COLON_SPACE);
        ByteBufUtil.writeAscii(out, value);
        out.writeBytes(CRLF);
    }

    /** A Vert.x future of a Netty write, completed on the event loop once the bytes went out (or failed to). */
    private static Future<Void> completion(ChannelFuture written) {
        if (written.isDone()) return written.isSuccess() ? Future.succeededFuture() : Future.failedFuture(written.cause());
        Promise<Void> promise = Promise.promise();
        written.addListener(f -> {
            if (f.isSuccess()) promise.complete();
            else promise.fail(f.cause());
        });
        return promise.future();
    }

    private void checkHeadNotWritten() {
        if (headWritten) throw new IllegalStateException("Response head already sent");
    }

    private void checkWritable() {
        // A closed connection fails the write's future instead, as on Vert.x's path.
        if (written) throw new IllegalStateException("Response has already been written");
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported on a response of the gateway's own server"
                + " (it serves only bodiless requests without an expectation)");
    }

    @Override
    public MultiMap trailers() {
        throw unsupported("trailers");
    }

    @Override
    public HttpServerResponse putTrailer(String name, String value) {
        throw unsupported("putTrailer");
    }

    @Override
    public HttpServerResponse putTrailer(CharSequence name, CharSequence value) {
        throw unsupported("putTrailer");
    }

    @Override
    public HttpServerResponse putTrailer(String name, Iterable<String> values) {
        throw unsupported("putTrailer");
    }

    @Override
    public HttpServerResponse putTrailer(CharSequence name, Iterable<CharSequence> value) {
        throw unsupported("putTrailer");
    }

    @Override
    public Future<Void> sendFile(String filename, long offset, long length) {
        throw unsupported("sendFile");
    }

    @Override
    public Future<Void> sendFile(java.nio.channels.FileChannel channel, long offset, long length) {
        throw unsupported("sendFile");
    }

    @Override
    public Future<Void> sendFile(java.io.RandomAccessFile file, long offset, long length) {
        throw unsupported("sendFile");
    }

    @Override
    public int streamId() {
        return -1;
    }

    @Override
    public Future<HttpServerResponse> push(HttpMethod method, HostAndPort authority, String path, MultiMap headers) {
        throw unsupported("push");
    }

    @Override
    public Future<Void> reset(long code) {
        connection.close();
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> writeCustomFrame(int type, int flags, Buffer payload) {
        throw unsupported("writeCustomFrame");
    }

    @Override
    public HttpServerResponse addCookie(Cookie cookie) {
        throw unsupported("addCookie");
    }

    @Override
    public Cookie removeCookie(String name, boolean invalidate) {
        throw unsupported("removeCookie");
    }

    @Override
    public Set<Cookie> removeCookies(String name, boolean invalidate) {
        throw unsupported("removeCookies");
    }

    @Override
    public Cookie removeCookie(String name, String domain, String path, boolean invalidate) {
        throw unsupported("removeCookie");
    }
}
