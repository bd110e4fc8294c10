package dev.strangler.core.plan;

import dev.strangler.core.gates.ErrorRateGate;
import dev.strangler.core.gates.FastFailureRule;
import dev.strangler.core.gates.GateResult;
import dev.strangler.core.gates.LatencyGate;
import dev.strangler.core.gates.Verdict;
import dev.strangler.core.gates.WindowCounts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.strangler.core.gates.GateFormat.fixed;

/**
 * Decides whether a route moves: the controller's judgement, as a pure function of the plan and the
 * evidence so it can be tested without clocks or servers. It is called at every controller interval
 * with everything since the step began; every test in it stays valid under such repeated looks.
 *
 * <ul>
 *   <li><b>shadow</b> promotes once enough comparisons were made, enough of them matched and the
 *       minimum time passed. A poor match rate holds rather than rolls back: shadow already keeps
 *       every user on the monolith.</li>
 *   <li><b>canary</b>, in this order, each rule naming itself as the reason when it decides:
 *     <ol>
 *       <li>{@link FastFailureRule}: a service failing nearly every request (no answer, or 5xx) while
 *           the monolith is healthy is rolled back at once, whatever {@code min-requests} says.</li>
 *       <li>{@link ErrorRateGate}: rolled back when its error rate is confidently above the monolith's
 *           plus the allowance, over every window of the step (errors have no warm-up).</li>
 *       <li>{@link LatencyGate}: rolled back when confidently slower than allowed, over the windows
 *           after the warm-up ({@link Gates#effectiveWarmUp()}) only.</li>
 *       <li>Promoted only when both gates are confidently within their allowances (PASS), each side
 *           has {@code min-requests} and the step lasted {@code min-time}; otherwise held.</li>
 *     </ol>
 *       Rollbacks do not wait for the minimum time or requests: users are being hurt.</li>
 *   <li><b>Confidence.</b> {@code alpha = 1 − confidence} is split evenly between the error and the
 *       latency gate, so the chance of a false rollback over a whole step is at most {@code alpha}
 *       however often the controller looks (the fast path aside, see its comment), and so is the
 *       chance of promoting a service worse than allowed. A service exactly at the allowance may
 *       hold for ever: neither is true with confidence, and a person decides. Looks before a step's
 *       {@code min-time} and {@code min-requests} cannot promote, so the error gate spends most of its
 *       promotion-side alpha on one exact test at the first look that can ({@link #firstEligible}).</li>
 *   <li><b>live</b> is judged for outages only: the fast path over the service's failures, fallbacks
 *       included (there is no monolith side to compare latency or error rates with). A failing live
 *       service is rolled back to {@link Transitions#rollbackTarget}, i.e. {@code shadow}: the last
 *       canary step would still send up to half the users to a service that is down, and shadow keeps
 *       measuring it while it is fixed. The fast path only looks at the latest run of failures, so
 *       the evidence of a live route may (and, after days in live, should) be its recent windows
 *       only — a few minutes — rather than everything since it went live.</li>
 *   <li><b>retired</b> is not judged (there is no fallback to move back to); {@code monolith} is not
 *       moved by the controller; going live→retired is a person's decision.</li>
 * </ul>
 */
public final class StepJudge {
    /** The {@code gates} keys a rollback names (errors include the fast path's failures). */
    static final String ERRORS = "max-error-increase";
    static final String LATENCY = "max-latency-increase";

    private StepJudge() {}

    public static Judgement judge(Position at, PromotionPlan plan, StepEvidence evidence) {
        return switch (at.stage()) {
            case SHADOW -> judgeShadow(at, plan, evidence);
            case CANARY -> judgeCanary(at, plan, evidence);
            case LIVE -> judgeLive(at, plan, evidence);
            case RETIRED -> Judgement.hold(at, "retired routes are not judged: there is no fallback to move back to", List.of());
            case MONOLITH -> Judgement.hold(at, at + " is not moved by the controller", List.of());
        };
    }

    private static Judgement judgeShadow(Position at, PromotionPlan plan, StepEvidence e) {
        Gates g = plan.gates();
        List<String> lines = new ArrayList<>();
        if (e.shadowCompared() < g.minRequests()) {
            lines.add("shadow: " + e.shadowCompared() + " comparisons, " + g.minRequests() + " needed: NOT_ENOUGH_DATA");
            return Judgement.hold(at, "waiting for comparisons (" + e.shadowCompared() + " of " + g.minRequests() + ")", lines);
        }
        boolean matches = e.matchRate() >= g.minMatchRate();
        lines.add("shadow: " + e.shadowMatched() + " of " + e.shadowCompared() + " comparisons matched ("
                + fixed(100 * e.matchRate(), 1) + "%), required " + fixed(100 * g.minMatchRate(), 1) + "%: "
                + (matches ? "PASS" : "FAIL"));
        if (!matches) {
            return Judgement.hold(at, "match rate " + fixed(100 * e.matchRate(), 1) + "% is below "
                    + fixed(100 * g.minMatchRate(), 1) + "%; see `strangler diff` for what differs", lines);
        }
        return promoteAfterMinTime(at, plan, e.atStep(), lines);
    }

    private static Judgement judgeCanary(Position at, PromotionPlan plan, StepEvidence e) {
        Gates g = plan.gates();
        SideSample s = e.service();
        SideSample m = e.monolith();
        double alphaPerGate = g.alpha() / 2;
        List<WindowCounts> counts = e.windows().stream().map(StepWindow::counts).toList();
        List<String> lines = new ArrayList<>();
        Optional<Position> back = Transitions.rollbackTarget(at);

        Optional<FastFailureRule.Burst> burst = new FastFailureRule(g.maxErrorIncrease(), alphaPerGate).check(counts);
        if (burst.isPresent()) {
            lines.add("fast path: " + burst.get().summary() + ": FAIL");
            return Judgement.rollback(at, back, ERRORS, burst.get().summary(), lines);
        }

        GateResult errors = new ErrorRateGate(g.maxErrorIncrease(), alphaPerGate).judge(counts, firstEligible(e.windows(), g));
        lines.add("error rate: " + errors.explanation());
        if (errors.verdict() == Verdict.FAIL) {
            String rate = "service error rate " + fixed(100 * s.errorRate(), 1) + "% is confidently above the monolith's "
                    + fixed(100 * m.errorRate(), 1) + "% plus the allowed " + fixed(100 * g.maxErrorIncrease(), 1) + " points";
            // A service killed in the middle of a window leaves a window of mostly answers, which the fast
            // path's CUSUM rightly reads as no run; the error test catches it. When none of its failures
            // got an answer, say so first: "unreachable" is what the operator has to act on.
            String reason = s.hardFailures() == 0 ? rate
                    : s.hardFailures() == s.errors() ? "service unreachable: " + s.hardFailures() + " of its " + s.errors()
                            + " failures got no answer; " + rate
                    : rate + ", " + s.hardFailures() + " of its " + s.errors() + " failures without an answer";
            return Judgement.rollback(at, back, ERRORS, reason, lines);
        }

        Duration warmUp = g.effectiveWarmUp();
        List<LatencyGate.Pair> afterWarmUp = e.windows().stream().filter(w -> w.since().compareTo(warmUp) >= 0)
                .map(w -> new LatencyGate.Pair(w.serviceLatency(), w.monolithLatency())).toList();
        boolean warming = e.atStep().compareTo(warmUp) < 0 || afterWarmUp.isEmpty();
        GateResult latency = new LatencyGate(g.maxLatencyIncrease(), g.minLatencyIncreaseMillis(), alphaPerGate)
                .judge(afterWarmUp);
        lines.add("latency: " + (warming ? "warm-up: the first " + human(warmUp)
                + " of the step are not judged for latency: WAIT" : latency.explanation()));
        if (!warming && latency.verdict() == Verdict.FAIL) {
            return Judgement.rollback(at, back, LATENCY, "service latency is confidently above the monolith's plus the "
                    + "allowed " + latencyAllowance(g), lines);
        }

        if (s.requests() < g.minRequests() || m.requests() < g.minRequests()) {
            return Judgement.hold(at, "waiting for data (service " + s.requests() + ", monolith " + m.requests()
                    + " requests; " + g.minRequests() + " needed on each side)", lines);
        }
        if (errors.verdict() != Verdict.PASS) {
            return Judgement.hold(at, "waiting for evidence that the error rate is within the allowed "
                    + fixed(100 * g.maxErrorIncrease(), 1) + " points", lines);
        }
        if (warming) return Judgement.hold(at, "waiting for the " + human(warmUp) + " warm-up to end before judging latency", lines);
        if (latency.verdict() != Verdict.PASS) {
            return Judgement.hold(at, "waiting for evidence that latency is within the allowed " + latencyAllowance(g), lines);
        }
        return promoteAfterMinTime(at, plan, e.atStep(), lines);
    }

    /**
     * How many of the step's windows its first look that could promote had: the shortest run of
     * windows from the first that reaches {@code min-time} and has {@code min-requests} on each side;
     * 0 before. Decided by time and request counts only, never by errors, so the error gate's
     * fixed-sample test over those windows is one test however often the controller looks.
     */
    static int firstEligible(List<StepWindow> windows, Gates g) {
        long service = 0, monolith = 0;
        for (int i = 0; i < windows.size(); i++) {
            StepWindow w = windows.get(i);
            service += w.service().requests();
            monolith += w.monolith().requests();
            if (w.until().compareTo(g.minTime()) >= 0 && service >= g.minRequests() && monolith >= g.minRequests()) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Judgement judgeLive(Position at, PromotionPlan plan, StepEvidence e) {
        Gates g = plan.gates();
        List<WindowCounts> counts = e.windows().stream().map(StepWindow::counts).toList();
        Optional<FastFailureRule.Burst> burst = new FastFailureRule(g.maxErrorIncrease(), g.alpha() / 2).check(counts);
        SideSample s = e.service();
        String seen = "service: " + s.requests() + " requests, " + s.errors() + " failed (" + s.hardFailures()
                + " without an answer), " + e.fallbacks() + " answered by fallback";
        if (burst.isPresent()) {
            return Judgement.rollback(at, Transitions.rollbackTarget(at), ERRORS, burst.get().summary(),
                    List.of(seen, "fast path: " + burst.get().summary() + ": FAIL"));
        }
        return Judgement.hold(at, "live: no sign of an outage", List.of(seen, "fast path: no run of failures: PASS"));
    }

    /** "20% (or 5 ms)": the latency gate's allowance as the plan states it. */
    private static String latencyAllowance(Gates g) {
        return fixed(100 * g.maxLatencyIncrease(), 0) + "% (or " + number(g.minLatencyIncreaseMillis()) + " ms)";
    }

    private static String number(double millis) {
        return millis == Math.rint(millis) ? Long.toString((long) millis) : fixed(millis, 1);
    }

    private static Judgement promoteAfterMinTime(Position at, PromotionPlan plan, Duration atStep, List<String> lines) {
        Duration min = plan.gates().minTime();
        boolean timePassed = atStep.compareTo(min) >= 0;
        lines.add("time at " + at + ": " + human(atStep) + ", required " + human(min) + ": " + (timePassed ? "PASS" : "WAIT"));
        if (!timePassed) return Judgement.hold(at, "gates pass; waiting until " + human(min) + " at " + at, lines);
        Position next = Transitions.next(at, plan).orElseThrow();
        return new Judgement(Judgement.Action.PROMOTE, at, Optional.of(next), "every gate passed: " + at + " → " + next, lines);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return d.toMillis() % 1000 == 0 || s >= 10 ? s + "s" : fixed(d.toMillis() / 1000.0, 1) + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : (s % 3600 / 60) + "m");
    }
}
