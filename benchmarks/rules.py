#!/usr/bin/env python3
"""Events per second through Falco's whole falco_rules.yaml (../shared/data/falco/).

The events are a real workload recorded once with ``syscope watch -w`` (a shell walking /etc and
/usr/share, reading files, running short programs, reading /etc/shadow) and replayed from memory,
so only the rules engine is timed.  Two engines over the same compiled rules, run alternately,
medians of several rounds:

- indexed (syscope's): each event is tried only against the rules whose condition allows its
  evt.type (RuleSet.matching), as Falco indexes rules by evt.type;
- every rule (the baseline): each event against each rule's compiled condition in turn.

Printed unpinned and under ``taskset -c 0``.  The machine may be shared: compare the ratio, not
the absolute numbers, between runs.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT.parent / "shared" / "data" / "falco" / "falco_rules.yaml"
WORKLOAD = ("for i in 1 2 3; do ls -R /etc >/dev/null 2>&1; find /usr/share/doc -maxdepth 2 >/dev/null; "
            "cat /etc/*.conf >/dev/null 2>&1; /bin/true; /bin/cat /etc/shadow >/dev/null; done")
ROUNDS = 7


def record(tmp: Path) -> Path:
    cap = tmp / "workload.syscope"
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-w", str(cap), "--", "/bin/sh", "-c",
                        WORKLOAD], capture_output=True, text=True)
    if r.returncode not in (0, 1) or not cap.exists():
        sys.exit(f"recording failed: {r.stderr.strip()}")
    return cap


def measure(cap: Path) -> None:
    from syscope.context import Context
    from syscope.filters.rules import load_rules
    from syscope.sources.file import read_capture

    ctx = Context(live=False)
    events = list(read_capture(cap, ctx))
    rules = load_rules([RULES], ctx)
    every = list(rules)

    def indexed() -> tuple[float, int]:
        t = time.perf_counter()
        n = 0
        for ev in events:
            n += len(rules.matching(ev))
        return time.perf_counter() - t, n

    def baseline() -> tuple[float, int]:
        t = time.perf_counter()
        n = 0
        for ev in events:
            for r in every:
                if r.match(ev):
                    n += 1
        return time.perf_counter() - t, n

    a_times, b_times = [], []
    for _ in range(ROUNDS):
        tb, nb = baseline()
        ta, na = indexed()
        assert na == nb, (na, nb)  # the index changes the cost, never the alerts
        b_times.append(tb)
        a_times.append(ta)
    ev_a = len(events) / statistics.median(a_times)
    ev_b = len(events) / statistics.median(b_times)
    print(f"  {len(events)} events, {len(rules)} rules, {na} alerts per pass")
    print(f"  every rule (baseline): {ev_b:12,.0f} events/s")
    print(f"  indexed by evt.type:   {ev_a:12,.0f} events/s  ({ev_a / ev_b:.1f}x)")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure(Path(sys.argv[2]))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="syscope-bench-"))
    try:
        cap = record(tmp)
        print("unpinned:")
        subprocess.run([sys.executable, __file__, "--measure", str(cap)], check=True)
        if shutil.which("taskset"):
            print("taskset -c 0:")
            subprocess.run(["taskset", "-c", "0", sys.executable, __file__, "--measure", str(cap)], check=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
