"""A traced thread's CPU clock, for strace -c's default "time" column (system CPU time a call).

strace 6.1 takes the tracee's ru_stime that wait4(2) reports at the entry and exit stops
(count.c count_syscall: stime - ltime; -w switches to the wall clock between the stops).  Here
the thread's own run time is read instead: /proc/TID/schedstat's first field, the nanoseconds
the scheduler ran it (proc(5), Documentation/scheduler/sched-stats.rst).  Between a call's
entry and exit stops the thread runs kernel code only, so the difference is the call's system
time, of that thread alone and to the nanosecond (ru_stime is the whole process's, and the
kernel derives it from tick samples).
"""

from __future__ import annotations


def thread_cpu_seconds(tid: int) -> float | None:
    """Seconds thread ``tid`` has run; None once it is gone (or without schedstat)."""
    try:
        with open(f"/proc/{tid}/schedstat", "rb") as f:
            return int(f.read().split(None, 1)[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None
