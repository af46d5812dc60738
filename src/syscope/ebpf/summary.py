"""``-c`` with the counting done in the kernel: no ring-buffer traffic, per-CPU counters only."""

from __future__ import annotations

import os
import signal
import time

from syscope.ebpf import names
from syscope.ebpf.source import MODE_COUNT, Probe, spawn_parked


def run_counted(argv: list[str]) -> tuple[int, list[tuple[str, int, int, float]]]:
    """Run ``argv`` (and its whole process tree) with kernel-side syscall counters.

    Returns (wait status as os.waitpid gives it, rows of (name, calls, errors, seconds)) with
    seconds of wall-clock time spent in each call (strace -c -w).  Rows are in syscall-number
    order; render them with ``syscope.sinks.summary.SummaryTable.add_counts``.
    """
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
    rows = [(names.name_of(nr), c, e, ns / 1e9) for nr, (c, e, ns) in sorted(counts.items())]
    return status, rows


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
