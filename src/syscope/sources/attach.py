"""Which tasks ``-p PID`` traces, for both tracers (the ptrace one seizes them, the eBPF one marks
them in its task storage)."""

from __future__ import annotations

import os


def tasks_to_attach(pid: int, follow: bool) -> list[int]:
    """The tasks ``-p PID`` attaches, as strace's attach_tcb: PID first, then, with -f only, the
    other threads its /proc/PID/task lists (without -f the one task named is traced)."""
    tids = [pid]
    if follow:
        try:
            tids += sorted(t for t in (int(n) for n in os.listdir(f"/proc/{pid}/task")) if t != pid)
        except OSError:
            pass
    return tids
