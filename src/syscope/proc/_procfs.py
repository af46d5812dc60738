"""Small helpers for reading /proc/PID files by hand, for what psutil does not expose, and the
mapping between the pids syscope's pid namespace gives processes and /proc's (``to_proc``).

Errors map to the domain exceptions at this one place, the way psutil's ``wrap_exceptions``
does: ENOENT/ESRCH mean the process is gone (proc(5): the directory disappears when the
process is reaped, and reads of a dying task's files can fail with ESRCH), EPERM/EACCES mean
the ptrace access-mode check of proc(5) refused us.
"""

from __future__ import annotations

import errno
import os

import psutil

from syscope.errors import AccessDenied, KernelError, NoSuchProcess

PROC = "/proc"


def proc_path(pid: int, *parts: str) -> str:
    return os.path.join(PROC, str(pid), *parts)


def os_error(exc: OSError, pid: int, what: str) -> KernelError:
    """Turn an OSError from a /proc read into NoSuchProcess / AccessDenied / KernelError."""
    code = exc.errno or 0
    if code in (errno.ENOENT, errno.ESRCH):
        return NoSuchProcess(f"no process {pid} (it exited or never existed)", code)
    if code in (errno.EPERM, errno.EACCES):
        return AccessDenied(f"may not read {what} of process {pid}: permission denied", code)
    return KernelError(f"reading {what} of process {pid}: {os.strerror(code)}", code)


def psutil_error(exc: psutil.Error, pid: int, what: str) -> KernelError:
    """Turn a psutil exception into the matching syscope error."""
    if isinstance(exc, psutil.ZombieProcess):
        # A zombie keeps its pid but the kernel has freed its mm, so environ/fds read empty.
        return NoSuchProcess(f"process {pid} is a zombie (exited, not yet reaped)", errno.ESRCH)
    if isinstance(exc, psutil.NoSuchProcess):
        return NoSuchProcess(f"no process {pid} (it exited or never existed)", errno.ESRCH)
    if isinstance(exc, psutil.AccessDenied):
        return AccessDenied(f"may not read {what} of process {pid}: permission denied", errno.EACCES)
    return KernelError(f"reading {what} of process {pid}: {exc}")


def to_proc(pid: int) -> int:
    """/proc's number of the process syscope's pid namespace calls ``pid`` (the pid a user types,
    as ps in that namespace shows it).  /proc may be mounted from another pid namespace than
    syscope's (``unshare -pf syscope ...`` without remounting it): /proc/PID is then some other
    process, and the pid is mapped as the tracer maps its tracees' (syscope.decode.pidns:
    NSpid/NStgid of /proc/P/status, strace's get_proc_pid).  Raises NoSuchProcess when no
    process has that pid in syscope's namespace."""
    from syscope.decode import pidns  # when first used: sinks import this package at start-up

    got = pidns.proc_pid(pid)
    if got <= 0:
        raise NoSuchProcess(f"no process {pid} (it exited or never existed)", errno.ESRCH)
    return got


def from_proc(proc_pid: int) -> int:
    """syscope's number of the process /proc calls ``proc_pid``: 0 when it has none, outside
    syscope's pid namespace (as getppid(2) returns 0 for a parent there, pid_namespaces(7))."""
    from syscope.decode import pidns

    return pidns.shared().from_proc(proc_pid)


def proc_is_ours() -> bool:
    """Whether /proc was mounted in syscope's own pid namespace: its numbers are then syscope's."""
    from syscope.decode import pidns

    return pidns.shared().proc_is_ours


def read_text(pid: int, name: str) -> str:
    try:
        with open(proc_path(pid, name), encoding="utf-8", errors="surrogateescape") as f:
            return f.read()
    except OSError as exc:
        raise os_error(exc, pid, name) from None


def readlink(pid: int, *parts: str) -> str:
    try:
        return os.readlink(proc_path(pid, *parts))
    except OSError as exc:
        raise os_error(exc, pid, "/".join(parts)) from None


def check_pid(text: str) -> int:
    """Parse a PID given on the command line."""
    from syscope.errors import UsageError

    try:
        pid = int(text, 10)
    except ValueError:
        raise UsageError(f"not a process id: {text!r}") from None
    if pid <= 0:
        raise UsageError(f"not a process id: {text!r}")
    return pid


PF_KTHREAD = 0x00200000  # include/linux/sched.h: the task is a kernel thread


def is_kernel_thread(pid: int) -> bool:
    """Kernel threads have no mm, so their environ/cmdline read empty or fail with ESRCH;
    the flags field of /proc/PID/stat (field 9, proc(5)) tells them apart from exited tasks."""
    stat = read_text(pid, "stat")
    fields = stat[stat.rindex(")") + 2:].split()
    return bool(int(fields[6]) & PF_KTHREAD)
