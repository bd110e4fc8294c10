package dev.strangler.core.plan;

import dev.strangler.core.gates.ErrorRateResult;
import dev.strangler.core.gates.LatencyResult;
import dev.strangler.core.gates.MannWhitneyTest;
import dev.strangler.core.gates.ProportionTest;
import dev.strangler.core.gates.Verdict;
import dev.strangler.core.stage.Stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a route moves: the controller's judgement, as a pure function of the plan and the
 * evidence so it can be tested without clocks or servers.
 *
 * <ul>
 *   <li><b>shadow</b> promotes once enough comparisons were made, enough of them matched and the
 *       minimum time passed. A poor match rate holds rather than rolls back: shadow already keeps
 *       every user on the monolith.</li>
 *   <li><b>canary</b> rolls back as soon as the error-rate or latency test says, with the configured
 *       confidence, that the service is worse than the monolith beyond the allowance — without
 *       waiting for the minimum time, since users are being hurt. It promotes when both tests pass
 *       and the minimum time passed; with too little data it holds.</li>
 *   <li>Two sides with errors too rare for the proportion test (both error-free, typically) are not
 *       evidence against the service: once both sides have the minimum requests, the error gate
 *       passes when the observed service rate is within the allowance.</li>
 *   <li>Other stages are not moved by the controller: going live→retired deletes the fallback and
 *       is a person's decision.</li>
 * </ul>
 */
public final class StepJudge {
    private StepJudge() {}

    public static Judgement judge(Position at, PromotionPlan plan, StepEvidence evidence) {
        return switch (at.stage()) {
            case SHADOW -> judgeShadow(at, plan, evidence);
            case CANARY -> judgeCanary(at, plan, evidence);
            default -> Judgement.hold(at, at + " is not moved by the controller", List.of());
        };
    }

    private static Judgement judgeShadow(Position at, PromotionPlan plan, StepEvidence e) {
        Gates g = plan.gates();
        List<String> lines = new ArrayList<>();
        if (e.shadowCompared() < g.minRequests()) {
            lines.add(f("shadow: %d comparisons, %d needed: NOT_ENOUGH_DATA", e.shadowCompared(), g.minRequests()));
            return Judgement.hold(at, f("waiting for comparisons (%d of %d)", e.shadowCompared(), g.minRequests()), lines);
        }
        boolean matches = e.matchRate() >= g.minMatchRate();
        lines.add(f("shadow: %d of %d comparisons matched (%.1f%%), required %.1f%%: %s", e.shadowMatched(),
                e.shadowCompared(), 100 * e.matchRate(), 100 * g.minMatchRate(), matches ? "PASS" : "FAIL"));
        if (!matches) {
            return Judgement.hold(at, f("match rate %.1f%% is below %.1f%%; see `strangler diff` for what differs",
                    100 * e.matchRate(), 100 * g.minMatchRate()), lines);
        }
        return promoteAfterMinTime(at, plan, e.atStep(), lines);
    }

    private static Judgement judgeCanary(Position at, PromotionPlan plan, StepEvidence e) {
        Gates g = plan.gates();
        SideSample s = e.service();
        SideSample m = e.monolith();
        ErrorRateResult errors = new ProportionTest(g.maxErrorIncrease(), g.alpha(), g.minRequests())
                .judge(s.errors(), s.requests(), m.errors(), m.requests());
        int minSamples = (int) Math.min(MannWhitneyTest.DEFAULT_MIN_SAMPLES, g.minRequests());
        LatencyResult latency = new MannWhitneyTest(g.maxLatencyIncrease(), g.alpha(), minSamples)
                .judge(s.latenciesMillis(), m.latenciesMillis());
        List<String> lines = new ArrayList<>();
        lines.add("error rate: " + errors.explanation());
        lines.add("latency: " + latency.explanation());
        Optional<Position> back = Transitions.rollbackTarget(at);
        if (errors.verdict() == Verdict.FAIL) {
            return new Judgement(Judgement.Action.ROLLBACK, at, back, f("service error rate %.1f%% is significantly above "
                    + "the monolith's %.1f%% plus the allowed %.1f points", 100 * s.errorRate(), 100 * m.errorRate(),
                    100 * g.maxErrorIncrease()), lines);
        }
        if (latency.verdict() == Verdict.FAIL) {
            return new Judgement(Judgement.Action.ROLLBACK, at, back, f("service latency is significantly above the "
                    + "monolith's plus the allowed %.0f%%", 100 * g.maxLatencyIncrease()), lines);
        }
        boolean errorsPass = errors.verdict() == Verdict.PASS || rareErrorsWithinAllowance(g, s, m);
        if (errors.verdict() == Verdict.NOT_ENOUGH_DATA && errorsPass) {
            lines.add(f("error rate: errors too rare to test on %d and %d requests; the service's %.2f%% is within the "
                    + "monolith's %.2f%% plus %.1f points: PASS", s.requests(), m.requests(), 100 * s.errorRate(),
                    100 * m.errorRate(), 100 * g.maxErrorIncrease()));
        }
        if (!errorsPass || latency.verdict() != Verdict.PASS) {
            return Judgement.hold(at, f("waiting for data (service %d, monolith %d requests; %d needed on each side)",
                    s.requests(), m.requests(), g.minRequests()), lines);
        }
        return promoteAfterMinTime(at, plan, e.atStep(), lines);
    }

    private static boolean rareErrorsWithinAllowance(Gates g, SideSample s, SideSample m) {
        return s.requests() >= g.minRequests() && m.requests() >= g.minRequests()
                && s.errorRate() <= m.errorRate() + g.maxErrorIncrease();
    }

    private static Judgement promoteAfterMinTime(Position at, PromotionPlan plan, Duration atStep, List<String> lines) {
        Duration min = plan.gates().minTime();
        boolean timePassed = atStep.compareTo(min) >= 0;
        lines.add(f("time at %s: %s, required %s: %s", at, human(atStep), human(min), timePassed ? "PASS" : "WAIT"));
        if (!timePassed) return Judgement.hold(at, f("gates pass; waiting until %s at %s", human(min), at), lines);
        Position next = Transitions.next(at, plan).orElseThrow();
        return new Judgement(Judgement.Action.PROMOTE, at, Optional.of(next), "every gate passed: " + at + " → " + next, lines);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) return d.toMillis() % 1000 == 0 || s >= 10 ? s + "s" : f("%.1fs", d.toMillis() / 1000.0);
        if (s < 3600) return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : (s % 3600 / 60) + "m");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
