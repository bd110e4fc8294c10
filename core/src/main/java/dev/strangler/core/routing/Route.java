package dev.strangler.core.routing;

import dev.strangler.core.rewrite.HeaderRules;
import dev.strangler.core.rewrite.HostHeader;
import dev.strangler.core.rewrite.PathRewrite;
import dev.strangler.core.plan.Position;
import dev.strangler.core.plan.PromotionPlan;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.core.stage.FallbackPolicy;
import dev.strangler.core.stage.ShadowSettings;
import dev.strangler.core.stage.Stage;
import dev.strangler.core.stage.StickyKey;

import java.util.Objects;
import java.util.Optional;

/**
 * A slice of the API being moved: what it matches, which service will own it, and its stage.
 *
 * @param percent share of users served by the service while in {@code canary}, 0..100 (fractions allowed)
 * @param sticky  what keeps a user on one side of the canary
 * @param shadow  how requests are copied to the service while in {@code shadow}
 * @param plan    how the controller moves it forward: canary steps and gates
 * @param stickyHash the bucket function of its canary: {@link BucketFunction#NGINX} unless the store
 *                kept {@link BucketFunction#LEGACY} for a canary running at the upgrade (runtime state,
 *                never from the config file)
 */
public record Route(
        String name,
        RouteMatch match,
        String service,
        Stage stage,
        double percent,
        StickyKey sticky,
        FallbackPolicy fallback,
        Optional<PathRewrite> rewrite,
        HeaderRules requestHeaders,
        HostHeader hostHeader,
        ShadowSettings shadow,
        PromotionPlan plan,
        BucketFunction stickyHash) {

    /** A route drawing its canary users with {@link BucketFunction#NGINX}. */
    public Route(String name, RouteMatch match, String service, Stage stage, double percent, StickyKey sticky,
                 FallbackPolicy fallback, Optional<PathRewrite> rewrite, HeaderRules requestHeaders, HostHeader hostHeader,
                 ShadowSettings shadow, PromotionPlan plan) {
        this(name, match, service, stage, percent, sticky, fallback, rewrite, requestHeaders, hostHeader, shadow, plan,
                BucketFunction.NGINX);
    }

    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(stage, "stage");
        if (!(percent >= 0 && percent <= 100)) throw new IllegalArgumentException("percent: " + percent + " (expected: 0..100)");
        Objects.requireNonNull(sticky, "sticky");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(hostHeader, "hostHeader");
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(stickyHash, "stickyHash");
    }

    /** A route with defaults: stage {@code monolith}, sticky by client address, safe fallback, no rewrite. */
    public static Route of(String name, RouteMatch match, String service) {
        return new Route(name, match, service, Stage.MONOLITH, 0, StickyKey.DEFAULT, FallbackPolicy.SAFE,
                Optional.empty(), HeaderRules.NONE, HostHeader.KEEP, ShadowSettings.DEFAULT, PromotionPlan.DEFAULT);
    }

    public Route withStage(Stage newStage) {
        return new Route(name, match, service, newStage, percent, sticky, fallback, rewrite, requestHeaders, hostHeader, shadow, plan, stickyHash);
    }

    public Route withCanary(double newPercent, StickyKey newSticky) {
        return new Route(name, match, service, Stage.CANARY, newPercent, newSticky, fallback, rewrite, requestHeaders, hostHeader, shadow, plan, stickyHash);
    }

    public Route withFallback(FallbackPolicy newFallback) {
        return new Route(name, match, service, stage, percent, sticky, newFallback, rewrite, requestHeaders, hostHeader, shadow, plan, stickyHash);
    }

    public Route withRewrite(String template) {
        return new Route(name, match, service, stage, percent, sticky, fallback,
                Optional.of(PathRewrite.parse(template, match.path())), requestHeaders, hostHeader, shadow, plan, stickyHash);
    }

    public Route withRequestHeaders(HeaderRules rules) {
        return new Route(name, match, service, stage, percent, sticky, fallback, rewrite, rules, hostHeader, shadow, plan, stickyHash);
    }

    public Route withShadow(ShadowSettings newShadow) {
        return new Route(name, match, service, stage, percent, sticky, fallback, rewrite, requestHeaders, hostHeader, newShadow, plan, stickyHash);
    }

    public Route withHostHeader(HostHeader newHostHeader) {
        return new Route(name, match, service, stage, percent, sticky, fallback, rewrite, requestHeaders, newHostHeader, shadow, plan, stickyHash);
    }

    public Route withPlan(PromotionPlan newPlan) {
        return new Route(name, match, service, stage, percent, sticky, fallback, rewrite, requestHeaders, hostHeader, shadow, newPlan, stickyHash);
    }

    public Route withStickyHash(BucketFunction newStickyHash) {
        return new Route(name, match, service, stage, percent, sticky, fallback, rewrite, requestHeaders, hostHeader, shadow, plan,
                newStickyHash);
    }

    /** Where the route is: its stage, with the percent when in canary. */
    public Position position() {
        return stage == Stage.CANARY ? Position.canary(percent) : Position.of(stage);
    }

    /** The same route moved to {@code to} (the rest of its settings kept). */
    public Route at(Position to) {
        return new Route(name, match, service, to.stage(), to.stage() == Stage.CANARY ? to.percent() : percent, sticky,
                fallback, rewrite, requestHeaders, hostHeader, shadow, plan, stickyHash);
    }
}
