#!/usr/bin/env python3
"""Allocation sites of the event loops, in bytes per request, from JFR's allocation samples.

Usage: jfr print --json --events jdk.ObjectAllocationSample REC.jfr > samples.json
       python3 bench/jfr-sites.py samples.json REQUESTS [ROWS]

Each jdk.ObjectAllocationSample carries a weight: the bytes the thread allocated since its previous
sample, so summing weights by site estimates where the bytes went (rare small objects are estimated
coarsely: an object that shows up with 20-30 B per request may be far rarer; check such a site by
counting before acting on it). A site is the object's class and the first frame of Strangler's own
code on its stack (or, when there is none, the allocating frame). Only the event loops' threads are
counted (the request path); a sample weighing more than 100 MB (JFR's first sample of a thread, which
carries everything the thread allocated before the recording) is left out.
"""
import collections
import json
import sys

samples = json.load(open(sys.argv[1]))["recording"]["events"]
requests = float(sys.argv[2])
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 40

by_site = collections.Counter()
total = 0
for sample in samples:
    values = sample["values"]
    weight = values["weight"]
    thread = (values.get("eventThread") or {}).get("javaName") or ""
    if weight > 100e6 or "eventloop" not in thread:
        continue
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
              for f in (values.get("stackTrace") or {}).get("frames", [])]
    own = next((f for f in frames if f.startswith("dev.strangler.")), None)
    site = own if own else "(no Strangler frame) " + (frames[0] if frames else "?")
    by_site[values["objectClass"]["name"].replace("/", ".") + " @ " + site] += weight
    total += weight

print(f"event loops, sampled: {total / requests:,.0f} B per request")
for site, weight in by_site.most_common(rows):
    print(f"{weight / requests:8.1f}  {site}")
