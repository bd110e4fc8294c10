package dev.strangler.bench.openloop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of the target's processes, read from {@code /proc/PID/stat} (user + system time of all
 * their threads, and of children they waited for), so the generator can report the target's CPU
 * share over the <em>measured</em> window only. The script that starts the generator can only
 * bracket the whole run, and that includes priming and warm-up, whose rate differs from the
 * measured one: a share taken over both says little about what the measured requests cost.
 */
final class TargetCpu {
    /** Linux reports these fields in USER_HZ, which is 100 on every kernel configuration that matters here. */
    private static final double TICKS_PER_SECOND = 100;

    private final List<Long> pids;

    TargetCpu(List<Long> pids) {
        this.pids = List.copyOf(pids);
    }

    boolean isKnown() {
        return !pids.isEmpty();
    }

    /** Seconds of CPU the processes used so far; a process that is gone counts as 0. */
    double seconds() {
        long ticks = 0;
        for (long pid : pids) {
            try {
                ticks += ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (IOException gone) {
                // it ended; what it used is in its parent's cutime/cstime if the parent is listed
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** utime + stime + cutime + cstime of one {@code /proc/PID/stat} line (fields 14-17, counted after the command's closing parenthesis, which may hold spaces). */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }
}
