"""``-c`` with the counting done in the kernel: no ring-buffer traffic, per-CPU counters only."""

from __future__ import annotations

import os
import signal
import time

from syscope.sources.ebpf import names
from syscope.sources.ebpf.source import COMPAT_BASE, MODE_COUNT, Probe, spawn_parked

Rows = list[tuple[str, int, int, float]]


def run_counted_arches(argv: list[str]) -> tuple[int, dict[str, Rows]]:
    """Like ``run_counted`` with one row list per personality, as strace -c prints one table
    per mode: "x86_64" always, "i386" when the tree made 32-bit (int $0x80) calls."""
    with Probe(mode=MODE_COUNT, scoped=True) as probe:
        pid, gate = spawn_parked(argv)
        try:
            probe.mark(pid, pending=True)
        except BaseException:
            os.kill(pid, signal.SIGKILL)  # never exec'd: nothing of the user's ran yet
            os.close(gate)
            os.waitpid(pid, 0)
            raise
        os.close(gate)
        status = _wait(pid)
        counts = probe.counts()
    out: dict[str, Rows] = {"x86_64": []}
    for idx, (c, e, ns) in sorted(counts.items()):
        arch, nr = ("i386", idx - COMPAT_BASE) if idx >= COMPAT_BASE else ("x86_64", idx)
        out.setdefault(arch, []).append((names.name_of(nr, arch), c, e, ns / 1e9))
    return status, out


def run_counted(argv: list[str]) -> tuple[int, Rows]:
    """Run ``argv`` (and its whole process tree) with kernel-side syscall counters.

    Returns (wait status as os.waitpid gives it, rows of (name, calls, errors, seconds)) for the
    native (x86_64) calls, with seconds of wall-clock time spent in each call (strace -c -w; see
    docs/watch.md for how the clock is sampled).  Rows are in syscall-number order; render them
    with ``syscope.sinks.summary.SummaryTable.add_counts``.  32-bit calls: ``run_counted_arches``.
    """
    status, per_arch = run_counted_arches(argv)
    return status, per_arch["x86_64"]


def _wait(pid: int) -> int:
    # Forward SIGINT/SIGTERM to the child as strace does for a command it started, and keep
    # waiting, so the counters cover the child's whole life.
    def fwd(signo: int, _frame: object) -> None:
        try:
            os.kill(pid, signo)
        except ProcessLookupError:
            pass

    old = {s: signal.signal(s, fwd) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                return os.waitpid(pid, 0)[1]
            except ChildProcessError:
                return 0
            except InterruptedError:
                time.sleep(0)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
