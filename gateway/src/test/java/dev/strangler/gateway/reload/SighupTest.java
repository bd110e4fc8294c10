package dev.strangler.gateway.reload;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Telling a process that was started with SIGHUP ignored (under {@code nohup}), where the JVM keeps the
 * signal ignored while reporting a handler installed, so {@code kill -HUP} would reload nothing silently.
 */
class SighupTest {
    private static final String STATUS = "Name:\tjava\nSigQ:\t0/94286\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
            + "SigBlk:\t0000000000000000\nSigIgn:\t%s\nSigCgt:\t0000000000014602\n";

    @Test
    void theIgnoredMaskHasOneBitPerSignalCountedFromOne() {
        assertThat(Sighup.ignores(STATUS.formatted("0000000000000001"), 1)).as("SIGHUP alone").isTrue();
        assertThat(Sighup.ignores(STATUS.formatted("0000000000001000"), 1)).as("only SIGPIPE (13)").isFalse();
        assertThat(Sighup.ignores(STATUS.formatted("0000000000001000"), 13)).isTrue();
        assertThat(Sighup.ignores(STATUS.formatted("0000000000001001"), 1)).as("SIGHUP and SIGPIPE").isTrue();
        assertThat(Sighup.ignores(STATUS.formatted("0000000000000000"), 1)).isFalse();
        assertThat(Sighup.ignores("Name:\tjava\n", 1)).as("no SigIgn line: not known to be ignored").isFalse();
    }

    @Test
    void aProcessStartedUnderNohupIsSeenToIgnoreSighup() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc (Linux)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nohup")) || Files.isExecutable(Path.of("/bin/nohup")), "needs nohup(1)");
        Process p = new ProcessBuilder("nohup", "cat", "/proc/self/status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor()).isZero();
        assertThat(Sighup.ignores(status, 1)).as(status).isTrue();
    }
}
