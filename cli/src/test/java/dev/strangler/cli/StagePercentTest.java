package dev.strangler.cli;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StagePercentTest {

    @Test
    void aStageWithAPercentReadsAsBoth() {
        assertThat(StagePercent.parse("canary:25")).isEqualTo(new StagePercent("canary", OptionalDouble.of(25)));
        assertThat(StagePercent.parse("canary:2.5%")).isEqualTo(new StagePercent("canary", OptionalDouble.of(2.5)));
        assertThat(StagePercent.parse("canary:25").toJson().encode()).isEqualTo("{\"stage\":\"canary\",\"percent\":25.0}");
    }

    @Test
    void aStageAloneHasNoPercent() {
        assertThat(StagePercent.parse("live")).isEqualTo(new StagePercent("live", OptionalDouble.empty()));
        assertThat(StagePercent.parse("Shadow").toJson().encode()).isEqualTo("{\"stage\":\"shadow\"}");
    }

    @Test
    void badValuesSayWhatWasWrong() {
        assertThatIllegalArgumentException().isThrownBy(() -> StagePercent.parse("cannary:25"))
                .withMessageContaining("unknown stage \"cannary\"").withMessageContaining("monolith, shadow, canary, live, retired");
        assertThatIllegalArgumentException().isThrownBy(() -> StagePercent.parse("live:50")).withMessageContaining("only canary takes a percent");
        assertThatIllegalArgumentException().isThrownBy(() -> StagePercent.parse("canary:150")).withMessageContaining("0 to 100, was 150");
        assertThatIllegalArgumentException().isThrownBy(() -> StagePercent.parse("canary:lots")).withMessageContaining("was lots");
        assertThatIllegalArgumentException().isThrownBy(() -> StagePercent.parse("canary:")).withMessageContaining("0 to 100");
    }

    @Test
    void aBadToOnTheCommandLineIsBadInputNamingTheOption() {
        CommandResult result = CommandResult.run("promote", "posts-read", "--to", "canary:150", "--admin", "http://127.0.0.1:1");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("--to").contains("canary:150").contains("0 to 100").contains("strangler promote --help");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void rollbackToAStageThatDoesNotExistIsBadInputNamingTheOption() {
        CommandResult result = CommandResult.run("rollback", "posts-read", "--reason", "x", "--to", "moon", "--admin", "http://127.0.0.1:1");

        assertThat(result.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(result.err()).contains("--to").contains("unknown stage \"moon\"");
    }
}
