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
 * (and the connection it came on), and answers each with a fixed body and keep-alive. No HTTP library
 * between the floor and what the test asserts.
 */
final class RecordingBackend implements AutoCloseable {
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
                byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nX-Served-By: recording-backend\r\nConnection: keep-alive\r\nKeep-Alive: timeout=300\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
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
