package dev.strangler.bench.sim;

import dev.strangler.core.config.Outlier;
import dev.strangler.core.plan.Gates;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.PromotionPlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The controller simulation: many seeded runs per scenario of a whole ramp (canary 1 → 5 → 25 → 50
 * % → live, default gates, a 10 s interval) through the real judge, printing per scenario how often
 * it rolled back, how fast and at what cost, and how fast healthy services reached live.
 *
 * <pre>
 *   java -jar bench/controller-sim/target/controller-sim.jar [--runs 1000] [--only NAME-PREFIX] [--loops 2]
 * </pre>
 * {@code --loops} is the gateway's event loops, each with its own outlier ejection (default 2: one
 * per core, as {@code strangler run} starts them, on the 2-core machine the project's end-to-end
 * tests and benchmarks run on; a dead service is sent {@code consecutive-failures} requests per loop).
 * See docs/controller-simulation.md for the model, the method and the results.
 */
public final class ControllerSimulation {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final PromotionPlan PLAN = new PromotionPlan(true, List.of(1.0, 5.0, 25.0, 50.0, 100.0), Gates.DEFAULT);
    static final Duration HORIZON = Duration.ofMinutes(60);
    static final int DEFAULT_EVENT_LOOPS = 2;

    /**
     * @param healthy whether the service is within the allowances (a rollback is then a false one)
     */
    record Scenario(String name, double requestsPerSecond, Traffic.Service service, Position from, boolean healthy,
                    double swing) {
        Scenario(String name, double requestsPerSecond, Traffic.Service service, Position from, boolean healthy) {
            this(name, requestsPerSecond, service, from, healthy, Traffic.LOAD_SWING);
        }

        /** When the fault begins: a service that dies later, or from the start. */
        Duration faultFrom() {
            return service.deadFrom().compareTo(HORIZON) < 0 ? service.deadFrom() : Duration.ZERO;
        }
    }

    static List<Scenario> scenarios() {
        Position first = Position.canary(1);
        Traffic.Service same = Traffic.Service.same();
        return List.of(
                new Scenario("A/A", 1000, same, first, true),
                new Scenario("A/A, steady load", 1000, same, first, true, 1),
                new Scenario("A/A, 200 rps", 200, same, first, true),
                new Scenario("dead", 1000, new Traffic.Service(0, 1, false, Duration.ZERO), first, false),
                new Scenario("dead, 50 rps", 50, new Traffic.Service(0, 1, false, Duration.ZERO), first, false),
                new Scenario("dies in live", 1000, new Traffic.Service(0, 1, false, Duration.ofMinutes(2)), Position.LIVE, false),
                new Scenario("+1 point errors", 1000, new Traffic.Service(0.01, 1, true, Traffic.Service.NEVER), first, true),
                new Scenario("+2 points errors", 1000, new Traffic.Service(0.02, 1, true, Traffic.Service.NEVER), first, false),
                new Scenario("+5 points errors", 1000, new Traffic.Service(0.05, 1, true, Traffic.Service.NEVER), first, false),
                new Scenario("+30 points errors", 1000, new Traffic.Service(0.30, 1, true, Traffic.Service.NEVER), first, false),
                new Scenario("+10% latency", 1000, new Traffic.Service(0, 1.1, true, Traffic.Service.NEVER), first, true),
                new Scenario("+35% latency", 1000, new Traffic.Service(0, 1.35, true, Traffic.Service.NEVER), first, false),
                new Scenario("+50% latency", 1000, new Traffic.Service(0, 1.5, true, Traffic.Service.NEVER), first, false),
                new Scenario("+200% latency", 1000, new Traffic.Service(0, 3.0, true, Traffic.Service.NEVER), first, false));
    }

    public static void main(String[] args) {
        int runs = 1000;
        String only = "";
        int loops = DEFAULT_EVENT_LOOPS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: controller-sim [--runs N] [--only NAME-PREFIX] [--loops N]");
                    System.exit(2);
                }
            }
        }
        Duration minTimes = PLAN.gates().minTime().multipliedBy(PLAN.steps().size());
        double liveBudget = minTimes.plus(INTERVAL.multipliedBy(2)).toMillis() / 1000.0;
        System.out.printf(Locale.ROOT, "%d runs per scenario; steps %s then live; gates %s; interval %ss; "
                        + "live within sum(min-time) + 2 intervals = %.0fs; outlier ejection %s on %d event loops%n%n", runs,
                PLAN.steps(), PLAN.gates(), INTERVAL.toSeconds(), liveBudget, Outlier.DEFAULT, loops);
        System.out.println(Report.HEADER);
        long started = System.nanoTime();
        java.util.Map<String, Report> reports = new java.util.LinkedHashMap<>();
        for (int s = 0; s < scenarios().size(); s++) {
            Scenario scenario = scenarios().get(s);
            if (!scenario.name().startsWith(only)) continue;
            List<Ramp.Result> results = new ArrayList<>(runs);
            for (int run = 0; run < runs; run++) {
                Traffic traffic = new Traffic(1_000_003L * s + run, scenario.requestsPerSecond(), scenario.service(),
                        scenario.swing(), new OutlierEjection(Outlier.DEFAULT, loops));
                results.add(Ramp.run(traffic, PLAN, scenario.from(), INTERVAL, HORIZON, scenario.faultFrom()));
            }
            Report report = new Report(scenario, results, liveBudget);
            reports.put(scenario.name(), report);
            System.out.println(report.line());
        }
        System.out.println();
        target(reports, "A/A", "false rollbacks over a whole ramp <= 1%", r -> r.rolledBackShare(), v -> v <= 0.01);
        for (String aa : List.of("A/A", "A/A, steady load")) {
            target(reports, aa, "reaches live within sum(min-time) + 2 intervals in >= 95%", r -> r.onTimeShare(), v -> v >= 0.95);
        }
        for (String dead : List.of("dead", "dead, 50 rps", "dies in live")) {
            target(reports, dead, "rolled back within 2 intervals", r -> r.fastShare(2, Long.MAX_VALUE), v -> v >= 0.95);
            target(reports, dead, "... and after <= 10 failed service requests", r -> r.fastShare(2, 10), v -> v >= 0.95);
        }
        for (String worse : List.of("+2 points errors", "+35% latency")) {
            target(reports, worse, "promoted (beyond the allowance) in <= 5%", r -> r.promotedShare(), v -> v <= 0.05);
        }
        target(reports, "+5 points errors", "detected within 1,000 service requests in >= 95%",
                r -> r.detectedWithin(1000), v -> v >= 0.95);
        System.out.printf(Locale.ROOT, "%n%.0f s wall time on one thread%n", (System.nanoTime() - started) / 1e9);
    }

    private static void target(java.util.Map<String, Report> reports, String scenario, String what,
                               java.util.function.ToDoubleFunction<Report> measure, java.util.function.DoublePredicate met) {
        Report r = reports.get(scenario);
        if (r == null) return;
        double v = measure.applyAsDouble(r);
        System.out.printf(Locale.ROOT, "target %-17s %-60s %6.1f%%  %s%n", scenario + ":", what, 100 * v,
                met.test(v) ? "MET" : "NOT MET");
    }

    /** One scenario's results as a table row. */
    record Report(Scenario scenario, List<Ramp.Result> results, double liveBudget) {
        static final String HEADER = String.format(Locale.ROOT, "%-18s %9s %9s %9s %9s %13s %17s %17s %15s %9s %13s %9s",
                "scenario", "rollback", "rb<=1k", "holding", "promoted", "t rb s", "svc req to rb", "failed sent to rb",
                "user-visible", "live", "t live s", "on time");

        /** Share of runs promoted at least once: a false promotion for a service beyond the allowances. */
        double promotedShare() {
            return (double) promoted() / results.size();
        }

        private long promoted() {
            return results.stream().filter(r -> r.promotions() > 0).count();
        }

        double rolledBackShare() {
            return (double) results.stream().filter(r -> r.end() == Ramp.End.ROLLBACK).count() / results.size();
        }

        double onTimeShare() {
            return (double) results.stream().filter(r -> r.end() == Ramp.End.LIVE && r.seconds() <= liveBudget).count()
                    / results.size();
        }

        /** Share of runs rolled back within {@code intervals} of the fault and after at most {@code failures} failed service requests. */
        double fastShare(int intervals, long failures) {
            double limit = scenario.faultFrom().plus(INTERVAL.multipliedBy(intervals)).toMillis() / 1000.0;
            return (double) results.stream().filter(r -> r.end() == Ramp.End.ROLLBACK && r.seconds() <= limit
                    && r.serviceFailures() <= failures).count() / results.size();
        }

        double detectedWithin(long serviceRequests) {
            return (double) results.stream().filter(r -> r.end() == Ramp.End.ROLLBACK && r.serviceRequests() <= serviceRequests)
                    .count() / results.size();
        }

        String line() {
            List<Ramp.Result> rolledBack = results.stream().filter(r -> r.end() == Ramp.End.ROLLBACK).toList();
            List<Ramp.Result> live = results.stream().filter(r -> r.end() == Ramp.End.LIVE).toList();
            long holding = results.stream().filter(r -> r.end() == Ramp.End.HORIZON).count();
            long onTime = live.stream().filter(r -> r.seconds() <= liveBudget).count();
            double offset = scenario.faultFrom().toMillis() / 1000.0;
            long within1k = rolledBack.stream().filter(r -> r.serviceRequests() <= 1000).count();
            return String.format(Locale.ROOT, "%-18s %9s %9s %9s %9s %13s %17s %17s %15s %9s %13s %9s", scenario.name(),
                    share(rolledBack.size()), share(within1k), share(holding), share(promoted()),
                    quantiles(rolledBack, r -> r.seconds() - offset), quantiles(rolledBack, r -> r.serviceRequests()),
                    quantiles(rolledBack, r -> r.serviceFailures()), quantiles(rolledBack, r -> r.userVisibleFailures()),
                    share(live.size()), quantiles(live, Ramp.Result::seconds), share(onTime));
        }

        private String share(long count) {
            return String.format(Locale.ROOT, "%.1f%%", 100.0 * count / results.size());
        }

        /** "median / p95", or "-" when nothing happened. */
        private static String quantiles(List<Ramp.Result> rs, ToDoubleFunction<Ramp.Result> f) {
            if (rs.isEmpty()) return "-";
            double[] v = rs.stream().mapToDouble(f).sorted().toArray();
            return String.format(Locale.ROOT, "%s / %s", number(v[(v.length - 1) / 2]), number(v[(int) Math.ceil(0.95 * v.length) - 1]));
        }

        private static String number(double x) {
            return x == Math.rint(x) ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x);
        }
    }
}
