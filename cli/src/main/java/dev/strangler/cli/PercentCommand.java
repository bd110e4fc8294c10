package dev.strangler.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.util.concurrent.Callable;

@Command(name = "percent", mixinStandardHelpOptions = true,
        description = {"Set the share of users a canary route sends to the service; the way to lower a canary.",
                "Lowering needs --reason (for the audit log); raising is a promotion and meets the gates unless --force.",
                "Only in canary: `promote ROUTE --to canary:N` puts a route in canary."})
final class PercentCommand implements Callable<Integer> {
    @Mixin
    AdminOptions admin;

    @Parameters(index = "0", paramLabel = "ROUTE", description = "The route's name.")
    String route;

    @Parameters(index = "1", paramLabel = "PERCENT", converter = Share.class, description = "The new share, 0 to 100 (e.g. 5 or 2.5).")
    double percent;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log (required to lower the share).")
    String reason;

    @Option(names = "--force", description = "Raise it even though a gate fails.")
    boolean force;

    @Override
    public Integer call() throws InterruptedException {
        JsonObject body = new JsonObject().put("percent", percent).put("force", force);
        if (reason != null) body.put("reason", reason);
        return admin.change(route, "percent", body);
    }

    /** A number from 0 to 100; a trailing {@code %} is allowed. */
    static final class Share implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String number = value.strip().replaceFirst("%$", "");
            double p;
            try {
                p = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                p = Double.NaN;
            }
            if (!(p >= 0 && p <= 100)) throw new TypeConversionException("\"" + value + "\" is not a percent (expected: 0 to 100)");
            return p;
        }
    }
}
