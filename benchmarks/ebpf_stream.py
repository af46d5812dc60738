"""Stream consumer throughput and drops.

    .venv/bin/python benchmarks/ebpf_stream.py [--runs N]

1. Parse rate: a scoped `dd bs=1` fills a large ring buffer while nobody consumes; then the records
   are parsed in batches (Struct.iter_unpack over the mmapped ring) and, separately, converted to
   SyscallEvent objects.  Prints events/s for each (target >= 500k/s for the parse), medians.
2. Drops at a fixed rate: a C program makes getppid() calls paced at 100k/s for 3 s under
   `watch_events` (full conversion to events); prints events seen and kernel-counted drops
   (target 0).
Needs root (or CAP_BPF+CAP_PERFMON), gcc.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from syscope.context import Context
from syscope.sources.ebpf.source import MODE_STREAM, RECORD, Probe, spawn_parked
from syscope.sources.ebpf.stream import Converter, WatchStats, watch_events

PACER = r"""
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long rate = atol(argv[1]), secs = atol(argv[2]);
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);   /* vDSO: not a syscall */
    long done = 0, total = rate * secs;
    while (done < total) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double el = (now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9;
        long due = (long)(el * rate);
        while (done < due && done < total) { getppid(); done++; }
    }
    return 0;
}
"""


def fill_ring(n_calls: int) -> tuple[Probe, int]:
    probe = Probe(mode=MODE_STREAM, scoped=True, ring_size=1 << 28)
    pid, gate = spawn_parked(["/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=1", f"count={n_calls}"])
    probe.mark(pid, pending=True)
    os.close(gate)
    os.waitpid(pid, 0)
    assert probe.ring is not None
    cons, prod = probe.ring.positions()
    return probe, (prod - cons) // RECORD.size


def parse_rate(n_calls: int, convert: bool) -> tuple[float, int]:
    probe, n = fill_ring(n_calls)
    try:
        t = time.perf_counter()
        if convert:
            conv = Converter(Context(live=False), probe.mono_to_wall)
            got = sum(1 for r in probe.read() if conv.convert(r) is not None)
        else:
            got = len(probe.read_raw())
        el = time.perf_counter() - t
        assert got == n, (got, n)
        return got / el, probe.dropped()
    finally:
        probe.close()


def paced(rate: int, secs: int, exe: Path) -> tuple[int, int, float]:
    stats = WatchStats()
    t = time.perf_counter()
    n = 0
    for ev in watch_events([str(exe), str(rate), str(secs)], stats=stats):
        n += getattr(ev, "name", "") == "getppid"
    return n, stats.dropped, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calls", type=int, default=300_000, help="dd records (2 syscalls each)")
    ap.add_argument("--rate", type=int, default=100_000)
    ap.add_argument("--seconds", type=int, default=3)
    a = ap.parse_args()
    raw, conv, drops = [], [], []
    for _ in range(a.runs):
        r, d = parse_rate(a.calls, convert=False)
        raw.append(r)
        drops.append(d)
        c, _d = parse_rate(a.calls, convert=True)
        conv.append(c)
    print(f"batch parse (iter_unpack)        {statistics.median(raw):>12,.0f} events/s (median of "
          f"{a.runs}; target >= 500,000)")
    print(f"parse + SyscallEvent conversion  {statistics.median(conv):>12,.0f} events/s")
    print(f"drops while filling the ring     {max(drops)}")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pacer.c"
        src.write_text(PACER)
        exe = Path(tmp) / "pacer"
        subprocess.run(["gcc", "-O2", "-o", str(exe), str(src)], check=True)
        for _ in range(min(a.runs, 3)):
            n, dropped, el = paced(a.rate, a.seconds, exe)
            print(f"paced {a.rate:,}/s for {a.seconds}s: {n:,} getppid events seen "
                  f"(expected {a.rate * a.seconds:,}), {dropped} dropped, {el:.2f}s")


if __name__ == "__main__":
    main()
