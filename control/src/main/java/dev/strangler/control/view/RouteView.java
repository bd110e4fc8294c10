package dev.strangler.control.view;


import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One route as the API, the CLI's {@code status} and the dashboard show it.
 *
 * @param percent    the canary share; empty ({@code null} in the JSON, not 0) in stages that have none
 * @param automation who may move it now; {@code paused} and {@code automated} say the same for older readers
 * @param since      when it entered its current step; empty when the store has no state for it yet
 * @param numbers    whether {@code window} was measured, and why not
 * @param window     both sides since {@code since}: present exactly when {@code numbers} is {@code measured}
 * @param problem    why the route needs a look (rolled back, held, failing), for "problems first"
 * @param stickyHash the bucket function its canary draws users with: {@code nginx}, or {@code legacy} for a
 *                   canary running when Strangler moved to NGINX's hash, until it leaves canary
 */
public record RouteView(String name, String service, String stage,
                        OptionalDouble percent,
                        Automation automation, boolean paused, boolean automated, String path, List<String> methods,
                        Optional<Instant> since, Optional<HoldView> hold, int automaticRollbacks,
                        Optional<PositionView> next, List<Double> steps, Numbers numbers, Optional<WindowView> window,
                        Optional<JudgementView> lastDecision, Optional<String> problem, String stickyHash) {

    /** A route whose canary draws with the {@code nginx} bucket function. */
    public RouteView(String name, String service, String stage, OptionalDouble percent, Automation automation, boolean paused,
                     boolean automated, String path, List<String> methods, Optional<Instant> since, Optional<HoldView> hold,
                     int automaticRollbacks, Optional<PositionView> next, List<Double> steps, Numbers numbers,
                     Optional<WindowView> window, Optional<JudgementView> lastDecision, Optional<String> problem) {
        this(name, service, stage, percent, automation, paused, automated, path, methods, since, hold, automaticRollbacks, next,
                steps, numbers, window, lastDecision, problem, "nginx");
    }

    public RouteView {
        java.util.Objects.requireNonNull(stickyHash, "stickyHash");
        methods = List.copyOf(methods);
        steps = List.copyOf(steps);
        if (window.isPresent() != (numbers == Numbers.MEASURED)) {
            throw new IllegalArgumentException("window: " + window + " with numbers " + numbers
                    + " (expected: a window exactly when measured)");
        }
    }
}
