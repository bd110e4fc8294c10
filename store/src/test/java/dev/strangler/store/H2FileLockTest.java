package dev.strangler.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** H2 allows one process per file: the second gateway on the same file must learn why, and what to use instead. */
class H2FileLockTest {

    @TempDir
    Path directory;

    @Test
    void anH2FileHeldByAnotherProcessIsRefusedPointingToPostgres() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("state");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                H2FileHolder.class.getName(), url).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(output.lines().filter("open"::equals).findFirst()).as("the other process opened the store")
                    .isPresent();

            assertThatThrownBy(() -> StateStore.open(url))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(directory.resolve("state").toString())
                    .hasMessageContaining("in use by another process")
                    .hasMessageContaining("jdbc:postgresql://");
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(10, TimeUnit.SECONDS)) holder.destroyForcibly();
        }
    }
}
