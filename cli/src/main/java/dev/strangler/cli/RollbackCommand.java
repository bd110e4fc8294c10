package dev.strangler.cli;

import dev.strangler.core.stage.Stage;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Move a route back to shadow (or to monolith), so the monolith answers again, and record why.",
                "Without --to: shadow, or monolith when the route is in shadow."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why, for the audit log (required).")
    String reason;

    @Option(names = "--to", paramLabel = "shadow|monolith", converter = Target.class, description = "Where to move it back to.")
    String to;

    @Option(names = "--force", description = "Make a move the admin API would otherwise refuse.")
    boolean force;

    @Override
    public Integer call() throws InterruptedException {
        JsonObject body = new JsonObject().put("reason", reason).put("force", force);
        if (to != null) body.put("to", to);
        return admin.change(route, "rollback", body);
    }

    /** Only the stages where the monolith answers. */
    static final class Target implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String stage = value.strip().toLowerCase(Locale.ROOT);
            if (stage.equals(Stage.SHADOW.configName()) || stage.equals(Stage.MONOLITH.configName())) return stage;
            throw new TypeConversionException("\"" + value + "\" is not a stage to roll back to (expected: shadow or monolith)");
        }
    }
}
