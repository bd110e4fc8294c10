package dev.strangler.gateway;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A servlet monolith's orders API, as such apps answer: JSON with timestamps and an ETag, {@code 304}
 * for a matching {@code If-None-Match}, Tomcat's own error pages ({@code sendError}) for a bad or
 * unknown id, {@code 405} from {@link HttpServlet} for a method it does not implement, a large
 * streamed export, a {@code 403} for a {@code .../locked} order before its upload is read. Before
 * answering it records what it received, body included, and whether reading the body completed or
 * failed: a failed read is how a servlet sees an upload broken off.
 */
final class MonolithServlet extends HttpServlet {
    /** How a servlet's read of the request body ended, or that it answered without reading it. */
    enum BodyEnd { COMPLETE, FAILED, UNREAD }

    /** One request as Tomcat handed it to the servlet. */
    record Received(String method, String requestUri, Optional<String> query, String pathInfo, Optional<String> sessionId,
                    List<String> headers, byte[] body, BodyEnd bodyEnd, int remotePort) {
        /** The values of header {@code name}, any case. */
        List<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ": ";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length())).toList();
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return method + " " + requestUri + query.map(q -> "?" + q).orElse("") + " " + headers + " body " + body.length
                    + " bytes, " + bodyEnd;
        }
    }

    /** A held request gives up waiting after this long, so a test that forgets to release it still ends. */
    static final Duration LONGEST_HOLD = Duration.ofSeconds(5);
    private static final Pattern ORDER = Pattern.compile("/(?:(v2)/)?orders/([^/]+)");
    private static final String BODY = "monolith.body";

    private final transient BlockingQueue<Received> received;
    private final transient BlockingQueue<String> arrivals;
    private final transient AtomicReference<CountDownLatch> hold;

    MonolithServlet(BlockingQueue<Received> received, BlockingQueue<String> arrivals, AtomicReference<CountDownLatch> hold) {
        this.received = received;
        this.arrivals = arrivals;
        this.hold = hold;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        arrivals.add(req.getRequestURI());
        CountDownLatch held = hold.getAndSet(null);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // a locked order is refused before its upload is read, as a filter checking rights would
        boolean refused = req.getRequestURI().endsWith("/locked");
        BodyEnd end = refused ? BodyEnd.UNREAD : readBody(req.getInputStream(), body);
        List<String> headers = new ArrayList<>();
        for (String name : Collections.list(req.getHeaderNames()))
            for (String value : Collections.list(req.getHeaders(name))) headers.add(name + ": " + value);
        received.add(new Received(req.getMethod(), req.getRequestURI(), Optional.ofNullable(req.getQueryString()),
                String.valueOf(req.getPathInfo()), Optional.ofNullable(req.getRequestedSessionId()), List.copyOf(headers),
                body.toByteArray(), end, req.getRemotePort()));
        if (end == BodyEnd.FAILED) return; // the request never completed: there is no one to answer
        if (refused) {
            resp.sendError(403, "order is locked");
            return;
        }
        if (held != null) {
            try {
                held.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        req.setAttribute(BODY, body.toByteArray());
        super.service(req, resp);
    }

    /** Reads to the end, keeping what came before a failure. */
    private static BodyEnd readBody(InputStream in, ByteArrayOutputStream into) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) into.write(buf, 0, n);
            return BodyEnd.COMPLETE;
        } catch (IOException e) { // Tomcat's EOFException / ClientAbortException: the peer went away mid-body
            return BodyEnd.FAILED;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = String.valueOf(req.getPathInfo());
        if (path.equals("/export")) {
            export(req, resp);
            return;
        }
        Matcher order = ORDER.matcher(path);
        if (!order.matches()) {
            resp.sendError(404);
            return;
        }
        String id = order.group(2);
        if (!id.matches("-?\\d+")) {
            resp.sendError(400, "order id must be a number, was " + id);
            return;
        }
        if (id.startsWith("-")) {
            resp.sendError(404, "no order " + id);
            return;
        }
        String version = order.group(1) == null ? "v1" : "v2";
        String etag = "\"order-" + id + "-" + version + "\"";
        resp.setHeader("ETag", etag);
        if (etag.equals(req.getHeader("If-None-Match"))) {
            resp.setStatus(304);
            return;
        }
        // A timestamp that changes between requests, as real answers carry, but of one width: Instant's
        // text drops trailing zeros of its fraction, so a GET and its HEAD would announce different lengths.
        json(resp, 200, "{\"id\":" + id + ",\"api\":\"" + version + "\",\"status\":\"shipped\",\"updatedAt\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\",\"uri\":\"" + req.getRequestURI() + "\"}");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!String.valueOf(req.getPathInfo()).equals("/orders")) {
            resp.sendError(404);
            return;
        }
        byte[] body = (byte[]) req.getAttribute(BODY);
        resp.setHeader("Location", req.getContextPath() + "/api/orders/1");
        json(resp, 201, "{\"id\":1,\"bytes\":" + body.length + ",\"createdAt\":\"" + Instant.now() + "\"}");
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Matcher order = ORDER.matcher(String.valueOf(req.getPathInfo()));
        if (!order.matches()) {
            resp.sendError(404);
            return;
        }
        byte[] body = (byte[]) req.getAttribute(BODY);
        json(resp, 200, "{\"id\":" + order.group(2) + ",\"bytes\":" + body.length + ",\"updatedAt\":\"" + Instant.now() + "\"}");
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!ORDER.matcher(String.valueOf(req.getPathInfo())).matches()) {
            resp.sendError(404);
            return;
        }
        resp.setStatus(204);
    }

    /** {@code ?bytes=N}: N bytes of a repeating pattern in flushed pieces, so Tomcat sends them chunked. */
    private static void export(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int bytes = Integer.parseInt(Optional.ofNullable(req.getParameter("bytes")).orElse("1048576"));
        resp.setContentType("text/csv");
        OutputStream out = resp.getOutputStream();
        byte[] piece = new byte[16 * 1024];
        for (int sent = 0; sent < bytes; sent += piece.length) {
            int n = Math.min(piece.length, bytes - sent);
            for (int i = 0; i < n; i++) piece[i] = exportByte(sent + i);
            out.write(piece, 0, n);
            out.flush();
        }
    }

    /** The export's byte at {@code offset}: {@code a} to {@code z} over and over, so a lost or doubled byte shifts the rest. */
    static byte exportByte(long offset) {
        return (byte) ('a' + offset % 26);
    }

    private static void json(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
