package dev.strangler.bench.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.strangler.cli.AccessLogAppender;
import dev.strangler.control.StranglerProcess;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.gateway.observe.AccessLog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Bytes allocated per proxied request by the whole {@code strangler run} process: the gateway
 * ({@code ProxyVerticle}, {@code Exchange}, the framing guard, head deadlines), the control plane's
 * observers (endpoint catalog, metric windows), the Micrometer meters and the access log (its lines
 * formatted and written by Logback with the encoder {@code run} uses, to a discarding stream instead
 * of stdout), with the {@code bench/proxy.sh}
 * set-up: one event loop, one {@code live} route {@code /api/r0/**}, {@code GET /api/r0/items/42},
 * a 206-byte JSON answer.
 *
 * <p>Run with {@code -prof gc} and read {@code gc.alloc.rate.norm}: JMH counts the bytes allocated
 * by every thread of the JVM during the measurement, divided by the requests. The load side is made
 * of plain blocking sockets with pre-built bytes (the client on JMH's thread, the backend on a thread
 * of its own), which allocate nothing per request once warm: {@link #direct} measures exactly that
 * load side without the gateway (about 0 B/op), so {@link #proxied} minus {@link #direct} is the
 * gateway's allocation per request. One keep-alive connection, one request at a time.
 *
 * <p>{@link #stage} {@code shadow} puts the route in the shadow stage instead, the service being the
 * same backend: each request is answered by the monolith and copied to the service, and the two answers
 * (identical bytes, as with bench/open-loop.sh's fast service) are compared and recorded. Its
 * {@code proxied} minus {@code live}'s is what a copy costs, in bytes and in time (the copy runs
 * while the next request is served, so the time per operation shows only its share of the event loop).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class ProxyAllocationBenchmark {
    static final byte[] BODY = ("{\"id\":42,\"title\":\"Notes on connection pools\",\"authorId\":3,\"tags\":[\"operations\",\"design\"],"
            + "\"createdAt\":\"2024-01-08T09:00:00Z\",\"summary\":\"A fixed body for the proxy benchmark; the backend is not the subject.\"}")
            .getBytes(StandardCharsets.US_ASCII);

    /** The route's stage: {@code live} (the service answers) or {@code shadow} (the monolith answers, a copy goes to the service). */
    @Param({"live", "shadow"})
    public String stage;

    /**
     * The request's {@code Connection} lines: {@code none}, {@code one} ({@code keep-alive}, as browsers
     * send), or {@code two} ({@code keep-alive} and then {@code X-Trace}, the uncommon case whose lines
     * the gateway folds into one list). The first two are the common case that must not allocate more.
     */
    @Param({"none"})
    public String connection;

    private Path dir;
    private Backend backend;
    private StranglerProcess strangler;
    private Client throughGateway;
    private Client toBackend;

    @Setup
    public void start() throws Exception {
        discardAccessLog();
        backend = new Backend();
        dir = Files.createTempDirectory("strangler-jmh-proxy");
        Path config = dir.resolve("strangler.yaml");
        Files.writeString(config, """
                listen: 127.0.0.1:0
                admin: { listen: 127.0.0.1:0 }
                store: { url: "jdbc:h2:file:%s/state" }
                monolith: { url: "http://127.0.0.1:%d" }
                services:
                  backend: { url: "http://127.0.0.1:%d" }
                routes:
                  - name: r0
                    match: { path: "/api/r0/**" }
                    service: backend
                    stage: %s
                """.formatted(dir, backend.port(), backend.port(), stage));
        strangler = StranglerProcess.start(ConfigLoader.load(config), 1).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        String headers = switch (connection) {
            case "none" -> "";
            case "one" -> "Connection: keep-alive\r\n";
            case "two" -> "Connection: keep-alive\r\nConnection: X-Trace\r\nX-Trace: 1\r\n";
            default -> throw new IllegalArgumentException("connection: " + connection + " (expected: none, one or two)");
        };
        throughGateway = new Client(strangler.port(), "/api/r0/items/42", headers);
        toBackend = new Client(backend.port(), "/api/r0/items/42", headers);
        if (throughGateway.get() != BODY.length || toBackend.get() != BODY.length)
            throw new IllegalStateException("the gateway did not answer with the backend's body");
    }

    @TearDown
    public void stop() throws Exception {
        throughGateway.close();
        toBackend.close();
        strangler.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        backend.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One request through the gateway; returns the body length read. */
    @Benchmark
    public int proxied() throws IOException {
        return throughGateway.get();
    }

    /** The same request straight to the backend: what the load side itself allocates. */
    @Benchmark
    public int direct() throws IOException {
        return toBackend.get();
    }

    /** The access log with the appender of {@code strangler run} (cli's logback.xml), to a stream that drops the bytes. */
    private static void discardAccessLog() {
        accessLogTo(OutputStream.nullOutputStream());
    }

    /**
     * Points the access log at {@code out} through the appender {@code strangler run} uses, at INFO, and
     * quiets every other logger to WARN.
     */
    public static Logger accessLogTo(OutputStream out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        AccessLogAppender appender = new AccessLogAppender();
        appender.setContext(context);
        appender.setOutputStream(out);
        appender.start();
        Logger access = context.getLogger(AccessLog.LOGGER);
        access.detachAndStopAllAppenders(); // cli's logback.xml, on this class path too, sends it to stdout
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(appender);
        return access;
    }

    /** A keep-alive HTTP/1.1 client over a blocking socket that reuses its buffers: no allocation per request. */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] request;
        private final byte[] buffer = new byte[16 * 1024];

        /** @param headers more header lines, each ended by CRLF, or empty */
        Client(int port, String path, String headers) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
            request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        /** Sends the request and reads the whole response; returns its body length (Content-Length framing). */
        int get() throws IOException {
            out.write(request);
            int filled = 0;
            int headEnd = -1;
            while (headEnd < 0) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) throw new IOException("connection closed before the response head");
                filled += n;
                headEnd = Http.headEnd(buffer, filled);
            }
            int length = Http.contentLength(buffer, headEnd);
            int total = headEnd + length;
            while (filled < total) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) throw new IOException("connection closed in the response body");
                filled += n;
            }
            return length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Answers every request head on every connection with the same pre-built response, a thread per connection. */
    static final class Backend implements AutoCloseable {
        private final ServerSocket server;
        private final byte[] response;

        Backend() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + BODY.length
                    + "\r\nX-Served-By: bench-service\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            response = new byte[head.length + BODY.length];
            System.arraycopy(head, 0, response, 0, head.length);
            System.arraycopy(BODY, 0, response, head.length, BODY.length);
            Thread.ofPlatform().daemon().name("bench-backend-accept").start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    Thread.ofPlatform().daemon().name("bench-backend").start(() -> serve(s));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        /** Bodiless requests only (GET): a head ends at its empty line. */
        private void serve(Socket s) {
            byte[] buffer = new byte[16 * 1024];
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                int filled = 0;
                while (true) {
                    int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0) return;
                    filled += n;
                    int end;
                    while ((end = Http.headEnd(buffer, filled)) > 0) {
                        out.write(response);
                        System.arraycopy(buffer, end, buffer, 0, filled - end);
                        filled -= end;
                    }
                }
            } catch (IOException e) {
                // the gateway closed its connection
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static final class Http {
        private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

        /** The index just after the head's empty line, or -1 when it has not arrived. */
        static int headEnd(byte[] b, int length) {
            for (int i = 3; i < length; i++) {
                if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
            }
            return -1;
        }

        /** The Content-Length of the head in {@code b[0, headEnd)}, matched without case. */
        static int contentLength(byte[] b, int headEnd) {
            outer:
            for (int i = 0; i + CONTENT_LENGTH.length < headEnd; i++) {
                if (i > 0 && b[i - 1] != '\n') continue;
                for (int j = 0; j < CONTENT_LENGTH.length; j++) {
                    if (Character.toLowerCase(b[i + j]) != CONTENT_LENGTH[j]) continue outer;
                }
                int value = 0;
                for (int k = i + CONTENT_LENGTH.length; k < headEnd && b[k] != '\r'; k++) {
                    if (b[k] >= '0' && b[k] <= '9') value = value * 10 + (b[k] - '0');
                }
                return value;
            }
            throw new IllegalStateException("a response without Content-Length");
        }
    }
}
