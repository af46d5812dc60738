"""``-c`` with the counting done in the kernel: no ring-buffer traffic, per-CPU counters only."""

from __future__ import annotations

import os
import signal
import time
from typing import NamedTuple

from syscope.sources.ebpf import names
from syscope.sources.ebpf.source import COMPAT_BASE, MODE_COUNT, Probe, spawn_parked

Rows = list[tuple[str, int, int, float]]


class CountRow(NamedTuple):
    """One syscall's counters: seconds of wall-clock time in the calls (strace -c -w);
    shortest/longest only when timed exactly, else None."""

    nr: int
    name: str
    calls: int
    errors: int
    seconds: float
    shortest: float | None
    longest: float | None


def run_counted_table(argv: list[str], *, follow: bool = True, exact: bool = False,
                      overhead: float = 0.0, path: str | None = None) -> tuple[int, dict[str, list[CountRow]]]:
    """Run ``argv`` with kernel-side syscall counters; rows per personality in syscall-number
    order, as strace -c prints one table per mode: "x86_64" always, "i386" when 32-bit
    (int $0x80) calls were made.

    ``follow``: count its children and threads too (strace -f; without it only the command's
    own thread, as strace).  ``exact``: time every call (needed for shortest/longest), instead
    of sampling the clock.  ``overhead``: seconds taken off each call's time (strace -O).
    ``path``: the program argv names, when already found (spawn_parked)."""
    with Probe(mode=MODE_COUNT, scoped=True) as probe:
        probe.count_options(follow=follow, exact=exact, overhead_ns=int(overhead * 1e9))
        pid, gate = spawn_parked(argv, path)
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
        extremes = probe.extremes() if exact else {}
    out: dict[str, list[CountRow]] = {"x86_64": []}
    for idx, (c, e, ns) in sorted(counts.items()):
        arch, nr = ("i386", idx - COMPAT_BASE) if idx >= COMPAT_BASE else ("x86_64", idx)
        lo_hi = extremes.get(idx)
        out.setdefault(arch, []).append(CountRow(
            nr, names.name_of(nr, arch), c, e, ns / 1e9,
            lo_hi[0] / 1e9 if lo_hi else None, lo_hi[1] / 1e9 if lo_hi else None))
    return status, out


def run_counted_arches(argv: list[str]) -> tuple[int, dict[str, Rows]]:
    """Like ``run_counted`` with one row list per personality, as strace -c prints one table
    per mode: "x86_64" always, "i386" when the tree made 32-bit (int $0x80) calls."""
    status, per_arch = run_counted_table(argv)
    return status, {arch: [(r.name, r.calls, r.errors, r.seconds) for r in rows]
                    for arch, rows in per_arch.items()}


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
