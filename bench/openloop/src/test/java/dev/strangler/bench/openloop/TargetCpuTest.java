package dev.strangler.bench.openloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetCpuTest {
    @Test
    void readsUserSystemAndWaitedForChildrenTicksAfterACommandNameWithSpacesAndParentheses() {
        // fields 14-17 are 1000, 200, 30, 4 (utime, stime, cutime, cstime)
        String stat = "4242 (nginx: worker (x)) S 1 4242 4242 0 -1 4194624 100 0 0 0 1000 200 30 4 20 0 1 0 5 1000 10";

        assertThat(TargetCpu.ticks(stat)).isEqualTo(1234);
    }

    @Test
    void theGeneratorsOwnProcessHasUsedSomeCpuAndAGoneProcessCountsAsNothing() {
        long self = ProcessHandle.current().pid();
        long burn = 0;
        for (int i = 0; i < 50_000_000; i++) burn += i ^ (burn >>> 3);

        assertThat(new TargetCpu(List.of(self)).seconds()).as("burned %d", burn).isGreaterThan(0);
        assertThat(new TargetCpu(List.of(Long.MAX_VALUE)).seconds()).isZero();
    }

    @Test
    void targetPidsAreTakenCommaOrSpaceSeparated() {
        var settings = Settings.parse(new String[] {"--url", "http://h:1/", "--rate", "5", "--target-pids", "12, 34 56"});

        assertThat(settings.targetPids()).containsExactly(12L, 34L, 56L);
        assertThat(Settings.parse(new String[] {"--url", "http://h:1/", "--rate", "5"}).targetPids()).isEmpty();
    }
}
