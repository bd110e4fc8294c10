package dev.strangler.cli;

import dev.strangler.control.export.Export;
import dev.strangler.control.export.ExportFormat;
import dev.strangler.control.export.FleetManifests;
import dev.strangler.control.migration.Migration;
import dev.strangler.core.config.GatewayConfig;
import dev.strangler.core.plan.Position;
import dev.strangler.core.stage.BucketFunction;
import dev.strangler.store.StateStore;
import dev.strangler.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code strangler export}: the plan, at the routes' runtime positions, for an engine a team
 * already runs. Where the positions come from, in order: the running gateway's {@code /api/routes},
 * the state store named in the config, and last the config file itself (said on stderr).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export the routes, at their current stages, to another data plane (nginx, gateway-api, istio, kubernetes).",
                "Reads the positions from the running gateway (--admin), else its state store, else the config file.",
                "With --watch, rewrites the file whenever a route moves and runs --reload. Each export is audited (actor export)."})
final class ExportCommand implements Callable<Integer> {
    /** How often {@code --watch} asks where the routes are, unless {@code --interval} says otherwise. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "nginx, gateway-api, istio or kubernetes (a fleet of gateways: Deployment, Service, ConfigMap, PodDisruptionBudget)")
    String format;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The gateway's config: routes, backends, admin address and token, state store (env STRANGLER_CONFIG; default ./strangler.yaml).")
    Path config;

    @Option(names = "--admin", paramLabel = "URL", description = "Admin API base URL (env STRANGLER_ADMIN; else admin.listen in the config).")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Admin token (env STRANGLER_ADMIN_TOKEN; else admin.token in the config).")
    String token;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the file into DIR (default: print to stdout).")
    Path out;

    @Option(names = "--watch", description = "Keep following the gateway: rewrite the file whenever a route moves (needs --out).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", description = "How often --watch polls, e.g. 5s, 500ms (default 5s).")
    String interval;

    @Option(names = "--reload", paramLabel = "COMMAND", description = "Shell command run after each write, e.g. 'nginx -s reload'.")
    String reload;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "2", description = "--format kubernetes: how many gateways (default 2).")
    int replicas;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "strangler:latest", description = "--format kubernetes: the gateway's container image.")
    String image;

    @Option(names = "--max-exports", paramLabel = "N", hidden = true, description = "Stop --watch after N exports (tests).")
    int maxExports;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        ExportFormat engine = ExportFormat.parse(format)
                .orElseThrow(() -> new BadInputException("--format: " + format + " (expected: nginx, gateway-api, istio or kubernetes)"));
        if (watch && out == null) throw new BadInputException("--watch: needs --out DIR (the file the engine reads)");
        Path file = ConfigFile.require(config, "export");
        GatewayConfig gateway = ValidateCommand.load(file);
        Duration every = interval == null ? DEFAULT_INTERVAL : parseDuration(interval);

        Map<String, Position> last = null;
        int exports = 0;
        while (true) {
            Runtime runtime = positions(gateway, err);
            Export export = Export.of(engine, gateway, runtime.positions(), runtime.legacyStickyHash(), fleet(file));
            if (!export.positions().equals(last)) {
                publish(export, err);
                last = export.positions();
                exports++;
            }
            if (!watch || (maxExports > 0 && exports >= maxExports)) return Main.OK;
            TimeUnit.MILLISECONDS.sleep(every.toMillis());
        }
    }

    private void publish(Export export, PrintWriter err) throws IOException, InterruptedException {
        String where;
        if (out == null) {
            spec.commandLine().getOut().print(export.text());
            spec.commandLine().getOut().flush();
            where = "stdout";
        } else {
            Path written = export.writeTo(out);
            where = written.toString();
            err.println("export: wrote " + written + " (" + summary(export) + ")");
            if (reload != null) runReload(err);
        }
        audit(export, where, err);
    }

    private void runReload(PrintWriter err) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", reload).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        if (code != 0) err.println("export: reload command failed with exit code " + code + ": " + reload + (output.isEmpty() ? "" : "\n" + output));
        else err.println("export: ran " + reload);
    }

    /** Blocking (JDBC). An export that cannot be audited still happens; stderr says so. */
    private static void audit(Export export, String where, PrintWriter err) {
        try (StateStore store = StateStore.open(export.config().storeUrl())) {
            export.audit(store, Instant.now(), where);
        } catch (StoreException | IllegalStateException e) {
            err.println("export: not audited: the state store " + export.config().storeUrlRedacted() + " is not writable here: " + e.getMessage());
        }
    }

    /** Where the routes are, and which canaries still draw users with the legacy sticky hash. */
    private record Runtime(Map<String, Position> positions, Set<String> legacyStickyHash) {
        static final Runtime FILE = new Runtime(Map.of(), Set.of());
    }

    /** The runtime positions: the gateway's, else the store's, else (said on stderr) the file's. */
    private Runtime positions(GatewayConfig file, PrintWriter err) throws InterruptedException {
        AdminTarget target = AdminTarget.resolve(admin, token, config, System.getenv(), Path.of(""));
        try {
            Map<String, Position> byName = new LinkedHashMap<>();
            Set<String> legacy = new HashSet<>();
            for (Object o : AdminClient.of(target.url(), target.token().orElse(null)).getArray("/api/routes")) {
                JsonObject r = (JsonObject) o;
                String stage = r.getString("stage");
                Position at = "canary".equals(stage) ? Position.canary(r.getDouble("percent") == null ? 0 : r.getDouble("percent"))
                        : Position.parse(stage).orElseThrow(() -> new AdminApiException(Main.FAILED, "unknown stage " + stage + " for " + r.getString("name")));
                byName.put(r.getString("name"), at);
                if (BucketFunction.LEGACY.configName().equals(r.getString("stickyHash"))) legacy.add(r.getString("name"));
            }
            return new Runtime(byName, legacy);
        } catch (AdminApiException.Unreachable unreachable) {
            try (StateStore store = StateStore.open(file.storeUrl())) {
                Map<String, Position> byName = new LinkedHashMap<>();
                Set<String> legacy = new HashSet<>();
                store.routeStates().forEach(s -> {
                    byName.put(s.route(), Migration.position(s));
                    if (s.stickyHash() == BucketFunction.LEGACY) legacy.add(s.route());
                });
                if (!byName.isEmpty()) {
                    err.println("export: no gateway answers at " + target.url() + "; positions from the state store " + file.storeUrlRedacted());
                    return new Runtime(byName, legacy);
                }
            } catch (StoreException | IllegalStateException e) {
                // fall through to the file
            }
            err.println("export: neither the gateway at " + target.url() + " nor the state store answers; exporting the stages written in the config file");
            return Runtime.FILE;
        }
    }

    private FleetManifests.Fleet fleet(Path file) throws IOException {
        if (replicas < 1) throw new BadInputException("--replicas: " + replicas + " (expected: >= 1)");
        return new FleetManifests.Fleet(replicas, image, Files.readString(file));
    }

    private static String summary(Export export) {
        StringBuilder b = new StringBuilder();
        export.config().routes().forEach(r -> {
            if (!b.isEmpty()) b.append(", ");
            b.append(r.name()).append(' ').append(r.position());
        });
        return b.toString();
    }

    static Duration parseDuration(String text) {
        try {
            if (text.endsWith("ms")) return positive(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), text);
            if (text.endsWith("s")) return positive(Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1))), text);
            if (text.endsWith("m")) return positive(Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1))), text);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadInputException("--interval: " + text + " (expected: a duration such as 500ms, 5s, 1m)");
    }

    private static Duration positive(Duration d, String text) {
        if (d.isZero() || d.isNegative()) throw new BadInputException("--interval: " + text + " (expected: > 0)");
        return d;
    }
}
