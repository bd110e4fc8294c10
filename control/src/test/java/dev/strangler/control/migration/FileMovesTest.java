package dev.strangler.control.migration;

import dev.strangler.control.testing.TestClock;
import dev.strangler.core.config.ConfigLoader;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.store.AuditEntry;
import dev.strangler.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stage changes made by editing the file follow the transition rules' audit: a move a person could
 * not make without {@code --force} is applied (the file is the operator's word) but audited as
 * forced; a route removed from the file is audited once.
 */
class FileMovesTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final StateStore store = StateStore.open("jdbc:h2:mem:file-moves-" + System.nanoTime());
    private final Migration migration = new Migration(store, file(""), clock, GateCheck.NONE);

    @AfterEach
    void close() {
        store.close();
    }

    /** {@code routes} are YAML list items indented by two spaces. */
    private static GatewayConfig file(String routes) {
        try {
            return ConfigLoader.parse("""
                    monolith: { url: http://127.0.0.1:1 }
                    services:
                      svc: { url: http://127.0.0.1:2 }
                    routes:
                    %s""".formatted(routes.isEmpty() ? "  []" : routes), Path.of("strangler.yaml"), Map.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String route(String name, String stage) {
        return """
                  - name: %s
                    match: { path: /api/%s/** }
                    service: svc
                    %s
                """.formatted(name, name, stage);
    }

    private List<AuditEntry> audit(String route) {
        return store.audit(Optional.of(route), 100);
    }

    @Test
    void aRouteAddedAtLiveIsAppliedButAuditedAsForced() {
        migration.reconcile(file(route("orders", "stage: live")));

        assertThat(Migration.position(store.routeState("orders").orElseThrow()).toString()).isEqualTo("live");
        AuditEntry create = audit("orders").getFirst();
        assertThat(create.actor()).isEqualTo("config");
        assertThat(create.reason()).startsWith("first seen in strangler.yaml (forced: monolith → live skips shadow and canary");
    }

    @Test
    void aRouteAddedAtShadowIsNotForced() {
        migration.reconcile(file(route("orders", "stage: shadow")));
        assertThat(audit("orders").getFirst().reason()).isEqualTo("first seen in strangler.yaml");
    }

    @Test
    void anEditThatJumpsFromMonolithToLiveIsAuditedAsForcedAndOneStepIsNot() {
        migration.reconcile(file(route("orders", "stage: monolith")));
        clock.advance(Duration.ofMinutes(1));
        migration.reconcile(file(route("orders", "stage: shadow")));
        assertThat(audit("orders").getFirst().reason()).isEqualTo("strangler.yaml changed the route from monolith to shadow");

        clock.advance(Duration.ofMinutes(1));
        migration.reconcile(file(route("orders", "stage: live")));
        AuditEntry jump = audit("orders").getFirst();
        assertThat(jump.action()).isEqualTo("config");
        assertThat(jump.reason()).startsWith("strangler.yaml changed the route from shadow to live (forced: shadow → live skips canary");
        assertThat(Migration.position(store.routeState("orders").orElseThrow()).toString()).isEqualTo("live");
    }

    @Test
    void aRouteRemovedFromTheFileIsAuditedOnceAndAgainWhenItComesBack() {
        migration.reconcile(file(route("orders", "stage: shadow") + route("users", "stage: shadow")));
        clock.advance(Duration.ofMinutes(1));
        migration.reconcile(file(route("users", "stage: shadow")));
        migration.reconcile(file(route("users", "stage: shadow"))); // a second reload: nothing more to say

        List<AuditEntry> log = audit("orders");
        assertThat(log).extracting(AuditEntry::action).containsExactly("remove", "create");
        assertThat(log.getFirst().actor()).isEqualTo("config");
        assertThat(log.getFirst().reason()).startsWith("removed from the config file (strangler.yaml)");
        assertThat(store.routeState("orders").orElseThrow().removedAt()).isPresent();

        clock.advance(Duration.ofMinutes(1));
        migration.reconcile(file(route("orders", "stage: shadow") + route("users", "stage: shadow")));
        assertThat(audit("orders").getFirst().reason()).startsWith("back in strangler.yaml");
        assertThat(store.routeState("orders").orElseThrow().removedAt()).isEmpty();
    }
}
