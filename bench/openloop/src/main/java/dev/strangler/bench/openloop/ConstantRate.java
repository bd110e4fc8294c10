package dev.strangler.bench.openloop;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Sends GETs on the {@link Schedule}, whatever the target answers, on one event loop. A request
 * that waits for a free connection is still timed from its intended send time, so queueing in
 * the target (or in front of it) shows in the latency instead of slowing the generator down.
 * The generator's own lateness (actual minus intended send time) is recorded apart: when it is
 * large, the figures describe the generator, and {@link Outcome#generatorFellBehind} says so.
 */
final class ConstantRate {
    /** Timers closer together than this are merged: a batch leaves at most this late. */
    private static final long MIN_TIMER_NANOS = 50_000;
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);

    /** What one run measured; latencies in nanoseconds, over the measured part of the schedule only. */
    record Outcome(double intendedRate, long sent, long ok, long errors, long unanswered, double sentRate,
                   double doneRate, Histogram latency, Histogram sendLag) {
        boolean generatorFellBehind(double maxSendLagMillis) {
            return sendLag.getValueAtPercentile(99) > maxSendLagMillis * 1e6;
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final RequestOptions request;
    private final Schedule schedule;
    private final long drainMillis;
    private final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
    private final Histogram sendLag = new Histogram(HIGHEST_NANOS, 3);
    private final Promise<Outcome> done = Promise.promise();
    private long next;
    private long inFlight;
    private long ok;
    private long errors;
    private long firstMeasuredSend;
    private long lastMeasuredSend;
    private long lastMeasuredCompletion;
    private long unanswered;
    private boolean drainDeadlineSet;

    /**
     * @param drainMillis how long after the last scheduled send to wait for the answers still due;
     *                    those still missing then are counted as {@code unanswered} (errors), so an
     *                    overloaded target cannot hold the run for minutes.
     */
    ConstantRate(Vertx vertx, HttpClient client, RequestOptions request, Schedule schedule, long drainMillis) {
        this.vertx = vertx;
        this.client = client;
        this.request = request;
        this.schedule = schedule;
        this.drainMillis = drainMillis;
    }

    static RequestOptions get(Settings settings) {
        return new RequestOptions().setMethod(HttpMethod.GET).setHost(settings.url().getHost())
                .setPort(settings.url().getPort()).setURI(settings.pathAndQuery())
                .setIdleTimeout((long) (settings.timeoutSeconds() * 1000));
    }

    /**
     * Opens the pool's connections and warms the client up before any request is timed: a closed
     * loop of {@code connections} GETs at a time, for at least {@code minSeconds} and then until the
     * answers per second stop growing (two seconds in a row within 5 % of the one before), at most
     * {@code maxSeconds}. A JVM starts interpreted; on a busy core its JIT can take many seconds to
     * catch up, and without this the schedule would measure the generator's own start and its
     * catch-up burst. Completes with the last second's closed-loop rate (generator and target together).
     */
    static Future<Long> prime(Vertx vertx, HttpClient client, RequestOptions request, int connections,
                              double minSeconds, double maxSeconds) {
        long start = System.nanoTime();
        long[] answers = {0};
        long[] stop = {Long.MAX_VALUE};
        List<Future<Void>> loops = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            Promise<Void> loop = Promise.promise();
            primeLoop(client, request, stop, answers, loop);
            loops.add(loop.future());
        }
        long[] previous = {0, 0};
        int[] steady = {0};
        long[] lastRate = {0};
        vertx.setPeriodic(1000, id -> {
            long rate = answers[0] - previous[0];
            previous[0] = answers[0];
            steady[0] = previous[1] > 0 && rate <= previous[1] * 1.05 ? steady[0] + 1 : 0;
            previous[1] = rate;
            lastRate[0] = rate;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if ((elapsed >= minSeconds && steady[0] >= 2) || elapsed >= maxSeconds) {
                vertx.cancelTimer(id);
                stop[0] = 0;
            }
        });
        return Future.all(loops).map(v -> lastRate[0]);
    }

    private static void primeLoop(HttpClient client, RequestOptions request, long[] stop, long[] answers, Promise<Void> loop) {
        if (stop[0] == 0) {
            loop.complete();
            return;
        }
        // A failed or timed-out answer does not end priming: an overloaded target is a result, measured next.
        client.request(request).compose(req -> req.send().compose(resp -> resp.body())).onComplete(answer -> {
            if (answer.succeeded()) answers[0]++;
            primeLoop(client, request, stop, answers, loop);
        });
    }

    /** Must be called on the client's event loop; completes there when every request has an answer or failed. */
    Future<Outcome> run() {
        tick();
        return done.future();
    }

    private void tick() {
        long now = System.nanoTime();
        for (long due = schedule.dueAt(now); next < due; next++) fire(next, now);
        if (next < schedule.total()) {
            long delay = Math.max(schedule.intendedNanos(next) - System.nanoTime(), MIN_TIMER_NANOS);
            vertx.timer(delay, TimeUnit.NANOSECONDS).onComplete(t -> tick());
        } else {
            finishWhenDrained();
        }
    }

    private void fire(long i, long now) {
        long intended = schedule.intendedNanos(i);
        boolean measured = schedule.isMeasured(i);
        if (measured) {
            sendLag.recordValue(Math.min(Math.max(now - intended, 0), HIGHEST_NANOS));
            if (i == schedule.warmupCount()) firstMeasuredSend = now;
            lastMeasuredSend = now;
        }
        inFlight++;
        client.request(request)
                .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
                .onComplete(answer -> complete(intended, measured, answer));
    }

    private void complete(long intended, boolean measured, AsyncResult<Integer> answer) {
        if (done.future().isComplete()) return;
        long end = System.nanoTime();
        inFlight--;
        if (measured) {
            lastMeasuredCompletion = end;
            if (answer.succeeded() && answer.result() / 100 == 2) {
                ok++;
                latency.recordValue(Math.min(end - intended, HIGHEST_NANOS));
            } else {
                errors++;
            }
        }
        if (next >= schedule.total()) finishWhenDrained();
    }

    private void finishWhenDrained() {
        if (done.future().isComplete()) return;
        if (inFlight > 0) {
            if (!drainDeadlineSet) {
                drainDeadlineSet = true;
                vertx.setTimer(Math.max(drainMillis, 1), id -> {
                    unanswered = inFlight;
                    errors += inFlight;
                    inFlight = 0;
                    finishWhenDrained();
                });
            }
            return;
        }
        long sent = schedule.measuredCount();
        double sendSeconds = (lastMeasuredSend - firstMeasuredSend) / 1e9;
        double doneSeconds = (lastMeasuredCompletion - schedule.intendedNanos(schedule.warmupCount())) / 1e9;
        done.complete(new Outcome(schedule.ratePerSecond(), sent, ok, errors, unanswered,
                sendSeconds > 0 ? (sent - 1) / sendSeconds : 0, doneSeconds > 0 ? (ok + errors) / doneSeconds : 0,
                latency, sendLag));
    }
}
