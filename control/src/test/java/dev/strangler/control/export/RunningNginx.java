package dev.strangler.control.export;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A real NGINX on a loopback port serving an exported file; the test aborts, saying why, when nginx is absent. */
final class RunningNginx implements AutoCloseable {
    private final Process process;
    private final Path dir;
    final int port;

    private RunningNginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Optional<Path> binary() {
        for (String candidate : new String[]{"/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"})
            if (Files.isExecutable(Path.of(candidate))) return Optional.of(Path.of(candidate));
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nginx"))) return Optional.of(Path.of(d, "nginx"));
        return Optional.empty();
    }

    /** Starts NGINX with {@code exported} included in its http block, and waits until it accepts connections. */
    static RunningNginx start(String exported, int port) throws Exception {
        Path nginx = binary().orElse(null);
        Assumptions.assumeTrue(nginx != null, "nginx is not installed (apt-get install -y nginx): the NGINX export tests are skipped");
        Path dir = Files.createTempDirectory("strangler-nginx");
        Files.writeString(dir.resolve("strangler.conf"), exported);
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/strangler.conf;
                }
                """.formatted(dir));
        Process p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        RunningNginx running = new RunningNginx(p, dir, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            if (!p.isAlive())
                throw new AssertionError("nginx exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("stdout.log"))
                        + "\n--- config ---\n" + exported);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return running;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    running.close();
                    throw new AssertionError("nginx did not listen on " + port + " within 20 s");
                }
                p.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The access log's JSON lines (the export logs to stdout), once there are at least {@code lines} of them. */
    List<String> accessLog(int lines) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<String> logged = Files.readAllLines(dir.resolve("stdout.log")).stream().filter(l -> l.startsWith("{")).toList();
            if (logged.size() >= lines) return logged;
            if (Instant.now().isAfter(deadline))
                throw new AssertionError("nginx logged " + logged.size() + " access lines within 10 s, expected " + lines + ": " + logged);
            process.waitFor(20, TimeUnit.MILLISECONDS); // a worker writes the line after the response: poll the file
        }
    }

    String errorLog() throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
