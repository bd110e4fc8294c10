#!/usr/bin/env python3
"""When the serving thread of a proxy is off its core, and who has the core then.

Reads `perf sched timehist` output (a recording of one CPU, `perf sched record -C CPU`) on stdin and the
process ids of one proxy as arguments. The proxy's serving thread is the thread of those processes
that ran longest (a JVM's event loop, NGINX's or HAProxy's worker). Its gaps are the spans between
one of its runs ending and the next starting: at saturation the loop always has work, so a gap is
time its requests waited while the core ran something else (or, rarely, the loop slept in epoll).

Why: on one pinned core, requests in flight during a gap all wait for it, so the gaps' lengths set the
tail of the latency more than their total does (docs/performance.md, "Issue 14, twelfth round").

Prints one line of key=value pairs, then the threads that had the core during gaps, longest first:
  gaps_per_s, gap_p50_ms, gap_p99_ms, gap_max_ms, off_cpu_share (gaps over the window),
  gaps_over_1ms_per_s, serving (the thread's name)
usage: perf sched timehist -i FILE | python3 bench/stalls.py PID [PID ...]
"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^\s*([\d.]+)\s+\[(\d+)\]\s+(.*?)\[(\d+)(?:/(\d+))?\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$')


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def main():
    pids = set(sys.argv[1:])
    runs = []  # (start_ms, end_ms, name, tid, pid)
    for raw in sys.stdin:
        m = LINE.match(raw)
        if not m:
            continue
        end = float(m.group(1)) * 1000.0
        run = float(m.group(8))
        runs.append((end - run, end, m.group(3).strip(), m.group(4), m.group(5) or m.group(4)))
    if not runs:
        print("no sched events read: was perf sched record run on the proxy's CPU?")
        return
    ran = defaultdict(float)
    names = {}
    for start, end, name, tid, pid in runs:
        if pid in pids:
            ran[tid] += end - start
            names[tid] = name
    if not ran:
        print("the proxy's processes never ran on the recorded CPU")
        return
    serving = max(ran, key=ran.get)
    window = runs[-1][1] - runs[0][0]
    gaps = []
    holders = defaultdict(float)  # who ran during the serving thread's gaps
    previous_end = None
    for start, end, name, tid, pid in runs:
        if tid == serving:
            if previous_end is not None and start > previous_end:
                gaps.append(start - previous_end)
            previous_end = end
        elif previous_end is not None and not name.startswith('swapper'):
            label = re.sub(r'\d+$', '', name) + ('' if pid in pids else ' (other process)')
            holders[label] += end - start
    gaps.sort()
    seconds = window / 1000.0
    print("serving=%s gaps_per_s=%.0f gap_p50_ms=%.3f gap_p99_ms=%.3f gap_max_ms=%.3f off_cpu_share=%.3f gaps_over_1ms_per_s=%.1f"
          % (names[serving].replace(' ', '_'), len(gaps) / seconds, percentile(gaps, 0.5), percentile(gaps, 0.99),
             gaps[-1] if gaps else 0.0, sum(gaps) / window, sum(1 for g in gaps if g > 1.0) / seconds))
    for label, ms in sorted(holders.items(), key=lambda kv: -kv[1])[:8]:
        print("  %-36s %6.1f ms/s" % (label, ms / seconds))


if __name__ == '__main__':
    main()
