package dev.strangler.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every command finds its config file the same way: --config, else STRANGLER_CONFIG, else ./strangler.yaml. */
class ConfigFileTest {
    private static final String VALID = "listen: 127.0.0.1:0\nmonolith: { url: http://127.0.0.1:8081 }\n";

    @TempDir
    Path dir;

    @Test
    void theFlagWinsOverTheEnvironmentWhichWinsOverTheLocalFile() throws Exception {
        Path flag = Files.writeString(dir.resolve("flag.yaml"), VALID);
        Path named = Files.writeString(dir.resolve("named.yaml"), VALID);
        Path local = Files.writeString(dir.resolve("strangler.yaml"), VALID);
        Map<String, String> env = Map.of(ConfigFile.ENV, named.toString());

        assertThat(ConfigFile.find(flag, env, dir)).hasValue(flag);
        assertThat(ConfigFile.find(null, env, dir)).hasValue(named);
        assertThat(ConfigFile.find(null, Map.of(ConfigFile.ENV, " "), dir)).hasValue(local);
    }

    @Test
    void withoutAFileAnywhereThereIsNoneAndACommandThatNeedsOneSaysTheThreeWaysToNameIt() {
        assertThat(ConfigFile.find(null, Map.of(), dir)).isEmpty();

        assertThatThrownBy(() -> ConfigFile.require(null, Map.of(), dir, "run"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("--config FILE").hasMessageContaining("STRANGLER_CONFIG")
                .hasMessageContaining("strangler.yaml").hasMessageContaining("strangler run --help");
    }

    @Test
    void aNamedFileThatIsMissingIsBadInputSayingWhoNamedIt() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigFile.find(missing, Map.of(), dir))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("--config: " + missing + " does not exist");
        assertThatThrownBy(() -> ConfigFile.find(null, Map.of(ConfigFile.ENV, missing.toString()), dir))
                .isInstanceOf(BadInputException.class).hasMessageStartingWith("STRANGLER_CONFIG: " + missing + " does not exist");
    }

    @Test
    void validateWithoutAnOptionChecksTheStranglerYamlOfItsWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("strangler.yaml"), VALID);
        Process validate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "validate")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        validate.getOutputStream().close();
        String output = new String(validate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(validate.exitValue()).as(output).isZero();
        assertThat(output).contains("OK: strangler.yaml (0 routes, 0 services)");
    }
}
