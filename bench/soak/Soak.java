import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Soak test of a running Strangler on loopback (bench/soak.sh runs it): mixed traffic for a fixed
 * time while the service is killed and restarted, and three things that must never happen, counted:
 *
 * <ul>
 *   <li><b>wrong backend</b>: a 2xx answer for {@code /svc/**} (a {@code retired} route: the service
 *       only, no fallback) not produced by the service, or for any other path not produced by the
 *       monolith; or an answer carrying another request's id (a pooled connection out of step);</li>
 *   <li><b>truncated body delivered as complete</b>: at the client, a body that ended cleanly but
 *       whose SHA-256 differs from the one the backend announced; at a backend, an upload that
 *       arrived complete by its framing but shorter than, or different from, what the client sent
 *       (an aborted upload forwarded as if it were whole);</li>
 *   <li><b>resources that grow</b>: the gateway's open descriptors and RSS, sampled every 10 s, are
 *       reported first / max / last so a leak shows as a climb.</li>
 * </ul>
 *
 * Slowloris connections (headers trickled one byte every 2 s) are opened all along; the report says
 * how many the gateway closed and after how long. Only the JDK is needed: backends are the JDK's
 * {@code HttpServer}, clients its {@code HttpClient} and raw sockets.
 *
 * <pre>java bench/soak/Soak.java --launcher ./strangler --duration 600 [--extra-config FILE]</pre>
 */
public final class Soak {
    static final AtomicLong wrongBackend = new AtomicLong();
    static final AtomicLong truncatedAtClient = new AtomicLong();
    static final AtomicLong truncatedAtBackend = new AtomicLong();
    static final AtomicLong abortedSeenComplete = new AtomicLong();
    static final AtomicLong gets = new AtomicLong(), getsOk = new AtomicLong(), getsFailedOutage = new AtomicLong(),
            getsFailedOther = new AtomicLong();
    static final AtomicLong uploads = new AtomicLong(), uploadsOk = new AtomicLong(), uploadsFailed = new AtomicLong();
    static final AtomicLong aborted = new AtomicLong();
    static final AtomicLong slowOpened = new AtomicLong(), slowClosed = new AtomicLong();
    static final ConcurrentLinkedQueue<Long> slowCloseMillis = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
    static volatile boolean serviceDown;
    static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        String launcher = "./strangler";
        long durationSeconds = 600;
        Path extraConfig = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--launcher" -> launcher = args[++i];
                case "--duration" -> durationSeconds = Long.parseLong(args[++i]);
                case "--extra-config" -> extraConfig = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected: --launcher PATH --duration SECONDS --extra-config FILE)");
            }
        }
        int monolithPort = freePort(), servicePort = freePort(), gatewayPort = freePort(), adminPort = freePort();
        Backend monolith = new Backend("monolith", monolithPort);
        Backend service = new Backend("service", servicePort);
        monolith.start();
        service.start();

        Path dir = Files.createTempDirectory("strangler-soak");
        String config = """
                listen: 127.0.0.1:%d
                admin: { listen: 127.0.0.1:%d }
                store: { url: "jdbc:h2:file:%s/state" }
                monolith: { url: http://127.0.0.1:%d }
                services:
                  svc: { url: http://127.0.0.1:%d }
                routes:
                  - name: svc
                    match: { path: /svc/** }
                    service: svc
                    stage: retired
                """.formatted(gatewayPort, adminPort, dir, monolithPort, servicePort);
        if (extraConfig != null) config += Files.readString(extraConfig);
        Path configFile = dir.resolve("strangler.yaml");
        Files.writeString(configFile, config);
        Process gateway = new ProcessBuilder(launcher, "run", "--config", configFile.toString())
                .redirectOutput(dir.resolve("gateway.out").toFile())
                .redirectError(dir.resolve("gateway.err").toFile())
                .start();
        try {
            waitReady(adminPort, gateway, dir);
            long pid = javaPid(gateway);
            System.out.printf(Locale.ROOT, "soak: gateway pid %d on :%d, %d s, logs in %s%n", pid, gatewayPort, durationSeconds, dir);
            run(gatewayPort, service, pid, durationSeconds);
        } finally {
            gateway.descendants().forEach(ProcessHandle::destroy);
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
            monolith.stop();
            service.stop();
        }
        boolean ok = wrongBackend.get() == 0 && truncatedAtClient.get() == 0 && truncatedAtBackend.get() == 0
                && abortedSeenComplete.get() == 0;
        System.exit(ok ? 0 : 1);
    }

    static void run(int gatewayPort, Backend service, long pid, long durationSeconds) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) threads.add(Thread.ofPlatform().name("get-" + i).start(() -> getLoop(gatewayPort)));
        for (int i = 0; i < 2; i++) threads.add(Thread.ofPlatform().name("upload-" + i).start(() -> uploadLoop(gatewayPort)));
        threads.add(Thread.ofPlatform().name("abort").start(() -> abortLoop(gatewayPort)));
        for (int i = 0; i < 50; i++) threads.add(Thread.ofVirtual().start(() -> slowlorisLoop(gatewayPort)));
        var killer = Executors.newSingleThreadScheduledExecutor();
        killer.scheduleAtFixedRate(() -> {
            try {
                serviceDown = true;
                service.stop();
                Thread.sleep(5000);
                service.start();
                Thread.sleep(1000);
                serviceDown = false;
            } catch (Exception e) {
                examples.add("service restart failed: " + e);
            }
        }, 30, 60, TimeUnit.SECONDS);

        List<long[]> samples = new ArrayList<>(); // seconds, fds, rss KiB
        Instant start = Instant.now();
        Instant end = start.plusSeconds(durationSeconds);
        while (Instant.now().isBefore(end)) {
            long t = Duration.between(start, Instant.now()).toSeconds();
            samples.add(new long[] {t, fdCount(pid), rssKib(pid)});
            long[] s = samples.getLast();
            System.out.printf(Locale.ROOT, "t=%4ds fds=%d rss=%dMiB gets=%d uploads=%d aborted=%d slowloris closed=%d/%d violations=%d%n",
                    s[0], s[1], s[2] / 1024, gets.get(), uploads.get(), aborted.get(), slowClosed.get(), slowOpened.get(),
                    wrongBackend.get() + truncatedAtClient.get() + truncatedAtBackend.get() + abortedSeenComplete.get());
            Thread.sleep(Math.min(10_000, Math.max(1, Duration.between(Instant.now(), end).toMillis())));
        }
        stop = true;
        killer.shutdownNow();
        for (Thread th : threads) th.join(15_000);
        samples.add(new long[] {Duration.between(start, Instant.now()).toSeconds(), fdCount(pid), rssKib(pid)});
        report(samples);
    }

    static void report(List<long[]> samples) {
        long fdFirst = samples.get(1 < samples.size() ? 1 : 0)[1], fdLast = samples.getLast()[1];
        long fdMax = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
        long rssFirst = samples.get(1 < samples.size() ? 1 : 0)[2], rssLast = samples.getLast()[2];
        long rssMax = samples.stream().mapToLong(s -> s[2]).max().orElse(0);
        List<Long> closes = new ArrayList<>(slowCloseMillis);
        closes.sort(null);
        System.out.println();
        System.out.println("| what | count |");
        System.out.println("|---|---|");
        row("keep-alive GETs (ok / failed while the service was down / failed otherwise)",
                gets.get() + " (" + getsOk.get() + " / " + getsFailedOutage.get() + " / " + getsFailedOther.get() + ")");
        row("chunked uploads (ok / failed)", uploads.get() + " (" + uploadsOk.get() + " / " + uploadsFailed.get() + ")");
        row("aborted uploads (client reset mid-body)", String.valueOf(aborted.get()));
        row("slowloris connections closed by the gateway / opened", slowClosed.get() + " / " + slowOpened.get()
                + (closes.isEmpty() ? "" : " (closed after median " + closes.get(closes.size() / 2) / 1000.0 + " s, max "
                + closes.getLast() / 1000.0 + " s)"));
        row("**answered by the wrong backend**", String.valueOf(wrongBackend.get()));
        row("**truncated bodies delivered as complete, at the client**", String.valueOf(truncatedAtClient.get()));
        row("**truncated uploads delivered as complete, at a backend**", String.valueOf(truncatedAtBackend.get() + abortedSeenComplete.get()));
        row("gateway descriptors (first / max / last)", fdFirst + " / " + fdMax + " / " + fdLast);
        row("gateway RSS MiB (first / max / last)", rssFirst / 1024 + " / " + rssMax / 1024 + " / " + rssLast / 1024);
        if (!examples.isEmpty()) {
            System.out.println();
            examples.stream().limit(20).forEach(e -> System.out.println("example: " + e));
        }
    }

    static void row(String what, String value) {
        System.out.println("| " + what + " | " + value + " |");
    }

    // ------------------------------------------------------------------ traffic

    static void getLoop(int port) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Random random = new Random(Thread.currentThread().threadId());
        long n = 0;
        while (!stop) {
            boolean svc = random.nextBoolean();
            String path = (svc ? "/svc/items/" : "/mono/items/") + random.nextInt(1000);
            String id = Thread.currentThread().getName() + "-" + n++;
            boolean downAtStart = serviceDown;
            gets.incrementAndGet();
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("X-Request-Id", id).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    String servedBy = r.headers().firstValue("X-Served-By").orElse("?");
                    String expected = svc ? "service" : "monolith";
                    String echoed = r.headers().firstValue("X-Echo-Request-Id").orElse("?");
                    if (!servedBy.equals(expected) || !echoed.equals(id)) {
                        wrongBackend.incrementAndGet();
                        examples.add("wrong backend: " + path + " id " + id + " answered by " + servedBy + " for id " + echoed);
                    } else if (!sha256(r.body()).equals(r.headers().firstValue("X-Body-Sha256").orElse(""))) {
                        truncatedAtClient.incrementAndGet();
                        examples.add("truncated at client: " + path + " got " + r.body().length + " bytes");
                    } else {
                        getsOk.incrementAndGet();
                    }
                } else if (svc && (downAtStart || serviceDown) && r.statusCode() >= 502) {
                    getsFailedOutage.incrementAndGet();
                } else {
                    getsFailedOther.incrementAndGet();
                    if (examples.size() < 50) examples.add("GET " + path + ": status " + r.statusCode());
                }
            } catch (IOException e) {
                if (svc && (downAtStart || serviceDown)) getsFailedOutage.incrementAndGet();
                else {
                    getsFailedOther.incrementAndGet();
                    if (examples.size() < 50) examples.add("GET " + path + ": " + e);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void uploadLoop(int port) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(Thread.currentThread().threadId() * 31);
        while (!stop) {
            byte[] body = new byte[1024 + random.nextInt(256 * 1024)];
            random.nextBytes(body);
            String path = "/mono/upload/whole-" + random.nextInt(1_000_000);
            uploads.incrementAndGet();
            try {
                // An InputStream publisher has no length: the JDK client sends it chunked.
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("X-Body-Length", String.valueOf(body.length)).header("X-Body-Sha256", sha256(body))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) uploadsOk.incrementAndGet();
                else uploadsFailed.incrementAndGet();
            } catch (IOException e) {
                uploadsFailed.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Uploads cut off mid-body by a client reset; a backend that sees one whole is a violation. */
    static void abortLoop(int port) {
        Random random = new Random(7);
        while (!stop) {
            boolean chunked = random.nextBoolean();
            int length = 4096 + random.nextInt(64 * 1024);
            String path = (random.nextBoolean() ? "/svc" : "/mono") + "/upload/abort-" + random.nextInt(1_000_000);
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nX-Body-Length: " + length + "\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                byte[] half = new byte[length / 2];
                random.nextBytes(half);
                if (chunked) out.write((Integer.toHexString(half.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(half);
                if (chunked) out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(20);
                s.setSoLinger(true, 0); // close with RST: the upload was aborted
                aborted.incrementAndGet();
            } catch (IOException e) {
                // the gateway may refuse while the service is down; nothing to check here
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void slowlorisLoop(int port) {
        while (!stop) {
            long opened = System.nanoTime();
            try (Socket s = new Socket("127.0.0.1", port)) {
                slowOpened.incrementAndGet();
                s.setSoTimeout(100);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write("GET /mono/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (!stop) {
                    try {
                        if (in.read() == -1) break; // closed (a 408 or not, either way refused)
                    } catch (java.net.SocketTimeoutException e) {
                        // nothing to read: keep trickling
                    }
                    Thread.sleep(1900);
                    out.write('a');
                    out.flush();
                }
                if (!stop) {
                    slowClosed.incrementAndGet();
                    slowCloseMillis.add((System.nanoTime() - opened) / 1_000_000);
                }
            } catch (IOException e) {
                if (!stop) {
                    slowClosed.incrementAndGet();
                    slowCloseMillis.add((System.nanoTime() - opened) / 1_000_000);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ backends

    /** A JDK HttpServer that names itself, echoes the request id, and checks uploads against what was sent. */
    static final class Backend {
        final String name;
        final int port;
        final AtomicReference<HttpServer> server = new AtomicReference<>();

        Backend(String name, int port) {
            this.name = name;
            this.port = port;
        }

        void start() throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
            s.setExecutor(Executors.newFixedThreadPool(16));
            s.createContext("/", this::handle);
            s.start();
            server.set(s);
        }

        void stop() {
            HttpServer s = server.getAndSet(null);
            if (s != null) s.stop(0);
        }

        void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getRawPath();
            byte[] received;
            try (InputStream in = ex.getRequestBody()) {
                received = in.readAllBytes();
            } catch (IOException e) {
                ex.close(); // the upload broke off: not complete, which is right for an abort
                return;
            }
            if (path.contains("/upload/abort-")) {
                abortedSeenComplete.incrementAndGet();
                examples.add(name + " received an aborted upload as complete: " + path + " (" + received.length + " bytes)");
            } else if (path.contains("/upload/")) {
                String declared = ex.getRequestHeaders().getFirst("X-Body-Sha256");
                if (declared == null || !declared.equals(sha256(received))) {
                    truncatedAtBackend.incrementAndGet();
                    examples.add(name + " received a different upload than sent: " + path + " (" + received.length + " of "
                            + ex.getRequestHeaders().getFirst("X-Body-Length") + " bytes)");
                }
            }
            byte[] body = bodyFor(path);
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.getResponseHeaders().set("X-Served-By", name);
            ex.getResponseHeaders().set("X-Body-Sha256", sha256(body));
            String id = ex.getRequestHeaders().getFirst("X-Request-Id");
            ex.getResponseHeaders().set("X-Echo-Request-Id", id == null ? "" : id);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** A body of 100 B to 64 KiB whose size and bytes depend on the path only. */
    static byte[] bodyFor(String path) {
        Random r = new Random(path.hashCode());
        byte[] b = new byte[100 + r.nextInt(64 * 1024)];
        r.nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ plumbing

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void waitReady(int adminPort, Process gateway, Path dir) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(300);
        while (Instant.now().isBefore(deadline)) {
            if (!gateway.isAlive()) throw new IllegalStateException("gateway exited: see " + dir + "/gateway.err");
            try {
                if (c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gateway not ready after 300 s: see " + dir);
    }

    /** The launcher execs java, so the launcher's pid is the JVM's; a child JVM is taken if there is one. */
    static long javaPid(Process gateway) {
        return gateway.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .map(ProcessHandle::pid).findFirst().orElse(gateway.pid());
    }

    static long fdCount(long pid) {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            // process gone
        }
        return -1;
    }

    private Soak() {}
}
