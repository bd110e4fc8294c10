#!/usr/bin/env python3
"""Bytes a JVM allocated during a JFR recording, from its jdk.ThreadAllocationStatistics events.

Usage: jfr print --json --events jdk.ThreadAllocationStatistics REC.jfr | python3 bench/jfr-allocated.py

JFR emits the event for every live thread at the start and at the end of each chunk (period
"everyChunk"); a thread's counter is cumulative since the thread started. So per thread: last value
minus first value; a thread first seen at the end (started during the recording) counts from zero.
The measurement's own threads (JFR's, the attach listener jcmd wakes) are left out.
Prints the total in bytes, then the three threads that allocated most (to stderr).
"""
import json
import sys

events = json.load(sys.stdin)["recording"]["events"]
times = sorted({e["values"]["startTime"] for e in events})
first_chunk = times[0] if times else None
first, last = {}, {}
for e in events:
    v = e["values"]
    tid = (v["thread"] or {}).get("javaThreadId")
    if tid is None:
        continue
    name = v["thread"].get("javaName") or str(tid)
    if name.startswith("JFR ") or name == "Attach Listener":
        continue  # the measurement's own threads (jcmd's attach, JFR's recorder), not the proxy's
    if (tid, name) not in first:
        # a thread that did not exist when the recording started allocated everything during it
        first[(tid, name)] = v["allocated"] if v["startTime"] == first_chunk else 0
    last[(tid, name)] = v["allocated"]
delta = {k: last[k] - first[k] for k in last}
print(sum(delta.values()))
for (tid, name), d in sorted(delta.items(), key=lambda kv: -kv[1])[:3]:
    print(f"  {name}: {d}", file=sys.stderr)
