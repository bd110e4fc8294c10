package dev.strangler.gateway.observe;

import dev.strangler.core.shadow.Redactor;
import dev.strangler.core.stage.Stage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access log's queue copies what a line needs out of each outcome into slots it reuses
 * ({@link OutcomeCopies}): the lines must be, byte for byte, those formatted from the outcomes themselves
 * ({@link StringBuilderAccessLogLine}), whatever was in a slot before, and no outcome may be kept alive
 * by waiting.
 */
class OutcomeCopiesTest {
    private static final Redactor REDACTOR = Redactor.of("token", "password");

    private static String utf8Line(Outcome o, long epochMillis) {
        return new String(StringBuilderAccessLogLine.line(o, epochMillis, REDACTOR).getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
    }

    /** What the writer makes from a slot, as one char per byte so that a failure shows text. */
    private static String lineOf(OutcomeCopies copies, int slot) {
        Utf8Text text = new Utf8Text(16);
        copies.format(slot, text, REDACTOR);
        return new String(text.array(), 0, text.length(), StandardCharsets.ISO_8859_1);
    }

    /** Offers of outcomes, with (when the flag is true) a drain before the offer: slots are reused by lines of other lengths. */
    @Provide
    Arbitrary<List<Tuple.Tuple2<Outcome, Boolean>>> offersAndDrains() {
        return net.jqwik.api.Combinators.combine(AccessLogLineBytesTest.anyOutcome(), Arbitraries.integers().between(0, 3).map(n -> n == 0))
                .as(Tuple::of).list().ofMaxSize(40);
    }

    @Property(tries = 1_000)
    void linesThroughTheQueueAreTheBytesOfTheLinesOfTheOutcomesOffered(@ForAll("offersAndDrains") List<Tuple.Tuple2<Outcome, Boolean>> actions) {
        OutcomeQueue queue = new OutcomeQueue(4);
        ArrayDeque<String> expected = new ArrayDeque<>();
        List<String> drained = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        long millis = 1_796_000_000_000L;
        for (Tuple.Tuple2<Outcome, Boolean> action : actions) {
            if (action.get2()) {
                queue.drain((copies, slot) -> drained.add(lineOf(copies, slot)));
                wanted.addAll(expected);
                expected.clear();
            }
            millis += 997;
            if (queue.offer(action.get1(), millis) > 0) expected.add(utf8Line(action.get1(), millis));
        }
        queue.drain((copies, slot) -> drained.add(lineOf(copies, slot)));
        wanted.addAll(expected);
        assertThat(drained).containsExactlyElementsOf(wanted);
    }

    @Test
    void aWaitingLineKeepsNothingOfItsRequestAlive() {
        OutcomeQueue queue = new OutcomeQueue(8);
        // Strings of their own, as a request's are: constants would stay alive whatever the queue holds.
        String path = new String("/api/posts/1234");
        String userAgent = new String("curl/8.5.0");
        Outcome o = new Outcome(new String("req-1"), "GET", path, "posts-read", Stage.LIVE, "posts", 200, 1_530_000, 10, 206,
                Optional.empty(), Optional.empty(), "", new RequestDetails("", userAgent, "10.1.2.3", 20_000, 1_200_000));
        String expected = utf8Line(o, 0);
        queue.offer(o, 0);
        List<WeakReference<Object>> request = List.of(new WeakReference<>(o), new WeakReference<>(o.details()),
                new WeakReference<>(path), new WeakReference<>(userAgent));
        o = null;
        path = null;
        userAgent = null;

        for (int i = 0; i < 50 && request.stream().anyMatch(r -> r.get() != null); i++) System.gc();
        assertThat(request).as("the outcome, its details and strings, collected while its line waits")
                .allMatch(r -> r.get() == null);
        List<String> lines = new ArrayList<>();
        queue.drain((copies, slot) -> lines.add(lineOf(copies, slot)));
        assertThat(lines).containsExactly(expected);
    }

    @Test
    void anOutcomeThatCannotBeCopiedIsPassedOverAndTheLinesAfterItAreWritten() {
        OutcomeQueue queue = new OutcomeQueue(4);
        Outcome broken = new Outcome("id-0", "GET", null, "r", Stage.LIVE, "posts", 200, 1, 0, 0, false, "");
        Outcome next = new Outcome("id-1", "GET", "/x", "r", Stage.LIVE, "posts", 200, 1, 0, 0, false, "");
        assertThatThrownBy(() -> queue.offer(broken, 0)).isInstanceOf(NullPointerException.class);
        assertThat(queue.offer(next, 1)).as("entries waiting, the one passed over included").isEqualTo(2);

        List<String> lines = new ArrayList<>();
        assertThat(queue.drain((copies, slot) -> lines.add(lineOf(copies, slot)))).isEqualTo(2);
        assertThat(lines).containsExactly(utf8Line(next, 1));
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void severalProducersAndOneWriterGetEveryAcceptedLineOnceWholeAndInEachProducersOrder() throws Exception {
        int producers = 3;
        int perProducer = 30_000;
        OutcomeQueue queue = new OutcomeQueue(256);
        List<List<String>> accepted = new ArrayList<>(); // per producer, in its order: the lines it had accepted
        List<Thread> threads = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < producers; p++) {
            List<String> mine = new ArrayList<>();
            accepted.add(mine);
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                awaitUninterruptibly(start);
                for (int i = 0; i < perProducer; i++) {
                    Outcome o = outcome(producer, i);
                    if (queue.offer(o, i) > 0) mine.add(utf8Line(o, i));
                }
            }));
        }
        List<List<String>> received = new ArrayList<>();
        for (int p = 0; p < producers; p++) received.add(new ArrayList<>());
        // sorted by the producer named in the request id ("p1-..."), read from the line as written
        OutcomeQueue.Taker writer = (copies, slot) -> {
            String line = lineOf(copies, slot);
            received.get(line.charAt(line.indexOf("\"request_id\":\"p") + 15) - '0').add(line);
        };
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread drainer = Thread.ofPlatform().start(() -> {
            while (producing.get()) queue.drain(writer);
        });
        start.countDown();
        for (Thread t : threads) t.join();
        producing.set(false);
        drainer.join();
        queue.drain(writer);

        int total = 0;
        for (int p = 0; p < producers; p++) {
            assertThat(received.get(p)).as("producer %s: each accepted line once, whole, in order", p).isEqualTo(accepted.get(p));
            total += accepted.get(p).size();
        }
        assertThat(total).as("some offers were accepted while the writer ran").isGreaterThan(256);
    }

    /** Lines of many lengths, some past what a slot keeps, so a slot's text grows, shrinks and is replaced while in use. */
    private static Outcome outcome(int producer, int i) {
        String id = "p" + producer + "-" + i;
        String path = "/api/" + "x".repeat((i * 7 + producer * 13) % 700);
        String query = i % 3 == 0 ? "" : "page=" + i + "&token=s3cret";
        Optional<Outcome.BackendFailure> fallback = i % 5 == 0
                ? Optional.of(new Outcome.BackendFailure("svc-" + producer, Failure.CONNECT_REFUSED)) : Optional.empty();
        return new Outcome(id, i % 2 == 0 ? "GET" : "POST", path, "route-" + producer, Stage.values()[i % Stage.values().length],
                fallback.isPresent() ? "monolith" : "svc-" + producer, 200 + i % 300, i * 1_000L, i, 2L * i, fallback,
                i % 7 == 0 ? Optional.of(Failure.CLIENT_ABORTED) : Optional.empty(), "",
                new RequestDetails(query, "ua-" + "\u00e9".repeat(i % 40), "10.0.0." + producer, i % 11 == 0 ? -1 : i, i));
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
