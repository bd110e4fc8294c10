package dev.strangler.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionCommandTest {
    @Test
    void bashAndZshGetAScriptThatKnowsEveryCommandAndItsOptions() {
        for (String shell : new String[] {"bash", "zsh"}) {
            CommandResult r = CommandResult.run("completion", shell);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("complete -F").contains("strangler")
                    .contains("status").contains("promote").contains("completion").contains("--wide").contains("--log-level")
                    .contains("bashcompinit"); // zsh loads its bash-compatibility layer from the same script
        }
    }

    @Test
    void anotherShellIsBadInputNamingTheOnesThereAre() {
        CommandResult r = CommandResult.run("completion", "fish");
        assertThat(r.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).contains("bash").contains("zsh");
    }
}
