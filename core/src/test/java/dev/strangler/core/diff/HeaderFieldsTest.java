package dev.strangler.core.diff;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderFieldsTest {

    @Test
    void aNameIsFoundInAnyCaseWithItsValuesInTheOrderReceived() {
        HeaderFields fields = HeaderFields.of("Content-Type", "application/json", "Set-Cookie", "a=1", "X-Id", "7",
                "set-cookie", "b=2");

        assertThat(fields.get("SET-COOKIE")).containsExactly("a=1", "b=2");
        assertThat(fields.get("content-type")).containsExactly("application/json");
        assertThat(fields.get("X-Other")).isNull();
        assertThat(fields.containsKey("x-id")).isTrue();
        assertThat(fields.containsKey("x-other")).isFalse();
        assertThat(fields).hasSize(3); // three names
        assertThat(fields.keySet()).containsExactly("Content-Type", "Set-Cookie", "X-Id"); // each in its first case
    }

    @Test
    void fieldsCannotBeChangedThroughTheMapOrItsValues() {
        HeaderFields fields = HeaderFields.of("X-Id", "7", "x-id", "8");

        assertThatThrownBy(() -> fields.put("X-Other", List.of("1"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.get("X-Id").add("9")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.entrySet().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fields.get("X-Id").add("9")).as("once the whole map is built")
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBuilderGrowsPastItsFirstArray() {
        HeaderFields.Builder builder = HeaderFields.builder();
        for (int i = 0; i < 40; i++) builder.add("X-" + i, Integer.toString(i));
        HeaderFields fields = builder.build();

        assertThat(fields).hasSize(40);
        assertThat(fields.get("x-39")).containsExactly("39");
    }

    @Test
    void aBuilderIsSpentByBuildSoNothingChangesWhatItBuilt() {
        HeaderFields.Builder builder = HeaderFields.builder().add("X-Id", "7");
        HeaderFields built = builder.build();

        assertThatThrownBy(() -> builder.add("X-Id", "8")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThat(built.get("x-id")).containsExactly("7");
    }

    @Test
    void anOddOrNullFieldListIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> HeaderFields.of("X-Id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length: 1");
        assertThatThrownBy(() -> HeaderFields.of("X-Id", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namesAndValues[1] is null");
    }

    /** The map built the way captured headers were before: every line merged into a case-insensitive sorted map. */
    private static Map<String, List<String>> sortedMapOf(List<String[]> lines) {
        TreeMap<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String[] line : lines) map.computeIfAbsent(line[0], k -> new ArrayList<>()).add(line[1]);
        return map;
    }

    @Property
    void readsAsTheSortedMapOfItsLinesHoweverItIsAsked(@ForAll("lines") List<String[]> lines, @ForAll boolean wholeFirst) {
        HeaderFields.Builder builder = HeaderFields.builder();
        lines.forEach(line -> builder.add(line[0], line[1]));
        HeaderFields fields = builder.build();
        Map<String, List<String>> expected = sortedMapOf(lines);

        // Looked up before and after the whole map is built: the answers are the same.
        if (wholeFirst) assertThat(fields).isEqualTo(expected);
        for (String[] line : lines) {
            for (String name : List.of(line[0], line[0].toUpperCase(Locale.ROOT), line[0].toLowerCase(Locale.ROOT))) {
                assertThat(fields.get(name)).isEqualTo(expected.get(name));
                assertThat(fields.containsKey(name)).isTrue();
            }
        }
        assertThat(fields.get("x-absent")).isNull();
        assertThat(fields).isEqualTo(expected);
        assertThat(expected).isEqualTo(fields);
        assertThat(fields.hashCode()).isEqualTo(expected.hashCode());
        assertThat(fields.isEmpty()).isEqualTo(lines.isEmpty());
    }

    @Provide
    Arbitrary<List<String[]>> lines() {
        Arbitrary<String> names = Arbitraries.of("Content-Type", "content-type", "Set-Cookie", "SET-COOKIE", "X-Id", "Date", "ETag");
        Arbitrary<String> values = Arbitraries.strings().alpha().numeric().ofMaxLength(6);
        return Combinators.combine(names, values).as((n, v) -> new String[] {n, v}).list().ofMaxSize(12);
    }
}
