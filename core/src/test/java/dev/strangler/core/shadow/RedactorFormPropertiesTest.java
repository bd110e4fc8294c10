package dev.strangler.core.shadow;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query and form redaction against the plain rule it must keep: split at {@code &}, a parameter with a
 * value whose decoded, lower-cased name is configured gets {@code <redacted>}, join again. The redactor
 * reads forms in place and only splits those that may name a secret; this holds that shortcut to the rule
 * over forms made of configured names in any case, percent-encoded and {@code +} names, non-ASCII
 * letters (among them ones whose case rules are not ASCII's), parameters without {@code =}, and empty ones.
 */
class RedactorFormPropertiesTest {
    /** As configured: "İd" lower-cases to three characters ("i̇d"), so a two-character name in a form can match it. */
    private static final List<String> CONFIGURED = List.of("password", "Token", "api_key", "ſecret", "straße", "İd");
    private static final Set<String> LOWER_CASED = Set.copyOf(CONFIGURED.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
    private static final Redactor REDACTOR = Redactor.of(CONFIGURED.toArray(String[]::new));

    @Provide
    Arbitrary<String> forms() {
        Arbitrary<String> name = Arbitraries.of("password", "PASSWORD", "Token", "tokens", "tok", "api_key", "API%5Fkey",
                "pass%77ord", "pass%zz", "api+key", "secret", "SECRET", "ſecret", "straße", "STRASSE", "İd", "id", "q", "", "x y");
        Arbitrary<String> value = Arbitraries.of("", "1", "hunter2", "a=b", "%41", "ü");
        Arbitrary<String> parameter = Arbitraries.oneOf(name, net.jqwik.api.Combinators.combine(name, value).as((n, v) -> n + "=" + v));
        return parameter.list().ofMaxSize(6).map(ps -> String.join("&", ps));
    }

    @Property(tries = 2000)
    void aFormIsRedactedExactlyAsThePlainRuleSays(@ForAll("forms") String form) {
        assertThat(REDACTOR.redactForm(form)).isEqualTo(plainRule(form));
    }

    @Property(tries = 500)
    void aPlainAsciiFormThatNamesNoSecretComesBackAsTheSameStringWithoutBeingSplit(@ForAll("forms") String form) {
        // With ASCII names configured and a form of plain ASCII names, the in-place reading is exact:
        // nothing to redact means the very same string (the shortcut taken), not an equal copy.
        Redactor ascii = Redactor.of("password", "token", "api_key");
        boolean plainAscii = form.chars().allMatch(c -> c < 0x80 && c != '%' && c != '+');
        if (plainAscii && ascii.redactForm(form).equals(form)) assertThat(ascii.redactForm(form)).isSameAs(form);
        if (plainAscii && form.toLowerCase(Locale.ROOT).matches("(^|.*&)(password|token|api_key)=.*"))
            assertThat(ascii.redactForm(form)).contains("=" + Redactor.REDACTED);
    }

    private static String plainRule(String form) {
        if (form.isEmpty()) return form;
        String[] parameters = form.split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            int eq = parameters[i].indexOf('=');
            if (eq < 0) continue;
            String name = parameters[i].substring(0, eq);
            String decoded;
            try {
                decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                decoded = name;
            }
            if (LOWER_CASED.contains(decoded.toLowerCase(Locale.ROOT))) parameters[i] = name + "=" + Redactor.REDACTED;
        }
        return String.join("&", parameters);
    }
}
