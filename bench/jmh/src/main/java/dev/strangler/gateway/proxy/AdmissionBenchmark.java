package dev.strangler.gateway.proxy;

import dev.strangler.core.http.HeaderField;
import dev.strangler.core.http.Protocol;
import dev.strangler.core.http.RequestCheck;
import dev.strangler.core.http.RequestHead;
import dev.strangler.core.http.RequestRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The two checks every HTTP/1.x request passes before it is matched: the framing guard reading the
 * raw head ({@code guard}, through Netty's in-memory channel, whose own cost is the same for any
 * guard) and {@link RequestRules#check} on the head as Vert.x parsed it ({@code rules}). In the
 * gateway's package because the guard is package-private. {@code typical} is the proxy benchmark's
 * request; {@code twentyHeaders} a browser-like one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdmissionBenchmark {
    @Param({"typical", "twentyHeaders"})
    public String request;

    private EmbeddedChannel channel;
    private ByteBuf bytes;
    private RequestHead head;

    @Setup
    public void setUp() {
        List<HeaderField> headers = new ArrayList<>(List.of(new HeaderField("Host", "127.0.0.1:8080")));
        if (request.equals("twentyHeaders")) {
            headers.add(new HeaderField("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"));
            headers.add(new HeaderField("Accept", "application/json, text/plain, */*"));
            headers.add(new HeaderField("Accept-Language", "en-GB,en;q=0.7,de;q=0.3"));
            headers.add(new HeaderField("Accept-Encoding", "gzip, deflate, br"));
            headers.add(new HeaderField("Referer", "https://shop.example.com/catalog/items?page=3"));
            headers.add(new HeaderField("Cookie", "session=4f1c2a9be07d4c55a1f0; theme=dark; consent=1"));
            headers.add(new HeaderField("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl"));
            headers.add(new HeaderField("X-Request-Id", "a3f9c2d4e5b64f7e8a9b0c1d2e3f4a5b"));
            headers.add(new HeaderField("X-Forwarded-For", "203.0.113.7"));
            headers.add(new HeaderField("X-Forwarded-Proto", "https"));
            headers.add(new HeaderField("Cache-Control", "no-cache"));
            headers.add(new HeaderField("Pragma", "no-cache"));
            headers.add(new HeaderField("Connection", "keep-alive"));
            headers.add(new HeaderField("Sec-Fetch-Dest", "empty"));
            headers.add(new HeaderField("Sec-Fetch-Mode", "cors"));
            headers.add(new HeaderField("Sec-Fetch-Site", "same-origin"));
            headers.add(new HeaderField("DNT", "1"));
            headers.add(new HeaderField("If-None-Match", "W/\"5e-1a2b3c\""));
            headers.add(new HeaderField("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        }
        StringBuilder raw = new StringBuilder("GET /api/r0/items/42 HTTP/1.1\r\n");
        for (HeaderField h : headers) raw.append(h.name()).append(": ").append(h.value()).append("\r\n");
        raw.append("\r\n");
        bytes = Unpooled.directBuffer().writeBytes(raw.toString().getBytes(StandardCharsets.ISO_8859_1));
        head = new RequestHead("GET", Protocol.HTTP_1_1, "/api/r0/items/42", headers, Optional.empty());
        channel = new EmbeddedChannel(new FramingGuard());
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        bytes.release();
    }

    @Benchmark
    public Object guard() {
        channel.writeInbound(bytes.retainedDuplicate());
        ByteBuf out = channel.readInbound();
        out.release();
        return out;
    }

    @Benchmark
    public RequestCheck rules() {
        return RequestRules.check(head);
    }
}
