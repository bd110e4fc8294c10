package dev.strangler.core.config;

import dev.strangler.core.config.YamlTree.Entry;
import dev.strangler.core.config.YamlTree.MapNode;
import dev.strangler.core.config.YamlTree.Scalar;
import dev.strangler.core.diff.ArrayRule;
import dev.strangler.core.stage.ShadowSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.strangler.core.config.ConfigFields.lineOf;
import static dev.strangler.core.config.ConfigFields.ordered;
import static dev.strangler.core.config.ConfigFields.suggestion;

/** A route's {@code shadow:} settings, with its {@code arrays:} rule for comparing JSON arrays. */
final class ShadowSection {
    private final ConfigFields fields;

    ShadowSection(ConfigFields fields) {
        this.fields = fields;
    }

    ShadowSettings shadow(MapNode route, String routeField) {
        String field = routeField + ".shadow";
        Optional<MapNode> sh = fields.section(route, "shadow", field);
        if (sh.isEmpty()) return ShadowSettings.DEFAULT;
        fields.checkKeys(sh.get(), field, ordered("writes", "max-body-bytes", "max-concurrent", "ignore-paths", "noise-check", "in-canary", "redact", "arrays"));
        ShadowSettings d = ShadowSettings.DEFAULT;
        boolean writes = fields.bool(sh.get(), "writes", field + ".writes", d.writes());
        int maxBody = fields.positiveInt(sh.get(), "max-body-bytes", field + ".max-body-bytes", d.maxBodyBytes());
        if (maxBody > Limits.SHADOW_MAX_BODY_BYTES) {
            fields.error(lineOf(sh.get(), "max-body-bytes"), field + ".max-body-bytes", maxBody + " is more than "
                    + Limits.SHADOW_MAX_BODY_BYTES + " (64 MiB): both responses are held in memory for every shadowed "
                    + "request; bodies above the limit are streamed and not compared");
            maxBody = d.maxBodyBytes();
        }
        int maxConcurrent = fields.positiveInt(sh.get(), "max-concurrent", field + ".max-concurrent", d.maxConcurrent());
        List<String> ignore = new ArrayList<>();
        if (sh.get().entries().containsKey("ignore-paths")) {
            for (Scalar p : fields.scalarList(sh.get(), "ignore-paths", field + ".ignore-paths")) {
                if (!p.text().startsWith("$")) fields.error(p.line(), field + ".ignore-paths", "\"" + p.text()
                        + "\" is not a JSON path; start it with $, e.g. $..updatedAt or $.items[*].id");
                else ignore.add(p.text());
            }
        }
        boolean noiseCheck = fields.bool(sh.get(), "noise-check", field + ".noise-check", d.noiseCheck());
        boolean inCanary = fields.bool(sh.get(), "in-canary", field + ".in-canary", d.inCanary());
        List<String> redact = new ArrayList<>();
        if (sh.get().entries().containsKey("redact")) {
            fields.scalarList(sh.get(), "redact", field + ".redact").forEach(n -> redact.add(n.text().strip()));
        }
        ArrayRule arrays = arrays(sh.get(), field + ".arrays");
        return new ShadowSettings(writes, maxBody, maxConcurrent, ignore, noiseCheck, inCanary, redact, arrays);
    }

    /** {@code arrays: ordered | unordered} or {@code arrays: { keyed-by: FIELD }}. */
    private ArrayRule arrays(MapNode shadow, String field) {
        Entry e = shadow.entries().get("arrays");
        if (e == null || e.value() instanceof Scalar s && s.text() == null) return ShadowSettings.DEFAULT.arrays();
        String hint = "write ordered, unordered or { keyed-by: id }";
        if (e.value() instanceof Scalar s) {
            String t = s.text().strip();
            Optional<ArrayRule> word = ArrayRule.fromConfigName(t);
            if (word.isPresent()) return word.get();
            String words = t.startsWith("keyed-by") ? "; a key goes in a mapping: arrays: { keyed-by: id }"
                    : suggestion(t, Set.of("ordered", "unordered"));
            fields.error(e.line(), field, "\"" + t + "\" is not an array rule" + words + " (" + hint + ")");
            return ShadowSettings.DEFAULT.arrays();
        }
        if (!(e.value() instanceof MapNode m)) {
            fields.error(e.line(), field, "expected ordered, unordered or a mapping, found " + e.value().kind() + "; " + hint);
            return ShadowSettings.DEFAULT.arrays();
        }
        fields.checkKeys(m, field, ordered("keyed-by"));
        Optional<String> key = fields.text(m, "keyed-by", field + ".keyed-by").map(String::strip);
        if (key.isEmpty() || key.get().isEmpty()) {
            fields.error(lineOf(m, "keyed-by"), field + ".keyed-by", "missing; name the member that identifies an element, e.g. keyed-by: id");
            return ShadowSettings.DEFAULT.arrays();
        }
        if (key.get().startsWith("$") || key.get().contains(".")) {
            fields.error(lineOf(m, "keyed-by"), field + ".keyed-by", "\"" + key.get()
                    + "\" is not a member name; name the field inside each element, e.g. keyed-by: id");
            return ShadowSettings.DEFAULT.arrays();
        }
        return ArrayRule.keyedBy(key.get());
    }
}
