#!/usr/bin/env python3
"""Young collections of a JVM's GC log, summarised: pause, bytes in the survivor space after it, and,
when the age table is logged (-Xlog:gc*,gc+age=trace), the age-1 bytes: what was allocated since the
previous collection and is still alive, the part a request path adds (docs/performance.md, issue 14's
eighth round). Serial GC's log (a gateway that sees one CPU runs Serial).

  python3 bench/gc-young.py LOG [--skip N] [--after SECONDS] [--list]

--skip N leaves out collections GC(0)..GC(N-1) (start-up), --after those before SECONDS of uptime,
--list prints each collection."""
import re, sys, statistics
args = sys.argv[1:]
path = args[0]
skip = int(args[args.index('--skip')+1]) if '--skip' in args else 0
after = float(args[args.index('--after')+1]) if '--after' in args else 0.0
gcs = {}
for line in open(path, errors='replace'):
    m = re.match(r'\[(\d+\.\d+)s\]\[\w+\s*\]\[([\w,]+)\s*\] GC\((\d+)\) (.*)', line)
    if not m: continue
    t, tags, n, rest = float(m.group(1)), m.group(2), int(m.group(3)), m.group(4)
    g = gcs.setdefault(n, {'t': t})
    a = re.match(r'- age\s+1:\s+(\d+) bytes', rest)
    if a: g['age1'] = int(a.group(1))
    s = re.search(r'DefNew: \d+K\(\d+K\)->(\d+)K', rest)
    if s: g['surv'] = int(s.group(1)) * 1024
    s = re.search(r'Survivor regions: \d+->(\d+)', rest)
    if s: g['survreg'] = int(s.group(1))
    p = re.match(r'Pause Young.* (\d+\.\d+)ms$', rest)
    if p: g['pause'] = float(p.group(1)); g['young'] = True
gc = [g for n, g in sorted(gcs.items()) if g.get('young') and n >= skip and g['t'] >= after]
if '--list' in args:
    for g in gc: print(g)
def q(v, f):
    v = sorted(v); return v[min(len(v)-1, int(f*len(v)))] if v else float('nan')
pauses = [g['pause'] for g in gc]
surv = [g.get('surv', 0) for g in gc]
age1 = [g['age1'] for g in gc if 'age1' in g]
print(f"{path}: {len(gc)} young GCs; pause ms median {statistics.median(pauses):.3f} p90 {q(pauses,.9):.3f} p99 {q(pauses,.99):.3f} max {max(pauses):.3f}; "
      f"survivors after (KB) median {statistics.median(surv)/1024:.0f} p90 {q(surv,.9)/1024:.0f}"
      + (f"; age-1 (KB) median {statistics.median(age1)/1024:.0f} p90 {q(age1,.9)/1024:.0f}" if age1 else ""))
