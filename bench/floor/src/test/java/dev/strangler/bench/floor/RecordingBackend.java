package dev.strangler.bench.floor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend made of a plain {@link ServerSocket}: it keeps the exact bytes of every request head it read
 * (and the connection it came on), and answers each with a fixed body and keep-alive: with a Content-Length,
 * or chunked (in two chunks, one with an extension, and a trailer line) when the path holds {@link #CHUNKED}; a
 * HEAD request's answer has the head only, and one whose path holds {@link #STRAY} has the start of another after it.
 * Its answers carry hop-by-hop headers of their own (Keep-Alive, and {@link #HOP_HEADER} named by Connection).
 * No HTTP library between the floor and what the test asserts.
 */
final class RecordingBackend implements AutoCloseable {
    /** A path holding this is answered with a chunked body. */
    static final String CHUNKED = "/chunked";
    /** A path holding this is answered with bytes beyond the response, in the same write. */
    static final String STRAY = "/stray";
    /** A header the backend's Connection line names: it must not reach the client. */
    static final String HOP_HEADER = "X-Backend-Hop";
    static final String BODY = "{\"id\":42,\"title\":\"Notes on connection pools\",\"tags\":[\"operations\",\"design\"]}";

    /** One request head as received, with the number of the connection (from 1) it arrived on. */
    record Received(int connection, String head) {
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RecordingBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("recording-backend").start(this::accept);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                sockets.add(socket);
                int number = connections.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> serve(socket, number));
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String head;
            while ((head = RawHttp.readHead(in)) != null) {
                received.add(new Received(connection, head));
                String requestLine = head.lines().findFirst().orElseThrow();
                boolean chunked = requestLine.contains(CHUNKED);
                boolean bodiless = requestLine.startsWith("HEAD ");
                byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                        + "X-Served-By: recording-backend\r\nConnection: keep-alive, " + HOP_HEADER + "\r\n" + HOP_HEADER
                        + ": 1\r\nKeep-Alive: timeout=300\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (bodiless) {
                    // the head says what a GET would get
                } else if (chunked) {
                    int half = body.length / 2;
                    out.write((Integer.toHexString(half) + ";part=1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, 0, half);
                    out.flush(); // the rest in another read, as a backend that streams would send it
                    out.write(("\r\n" + Integer.toHexString(body.length - half) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, half, body.length - half);
                    out.write("\r\n0\r\nX-Checksum: none\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (requestLine.contains(STRAY)) {
                    out.write((BODY + "HTTP/1.1 200 OK\r\n").getBytes(StandardCharsets.UTF_8)); // one write: one read at the floor
                } else {
                    out.write(body);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }
}
