"""Start-up checks of the kernel's ptrace features the tracer relies on, for -d/--debug.

strace probes PTRACE_GET_SYSCALL_INFO once at start-up (test_ptrace_get_syscall_info() in its
strace.c) and says with -d whether it works; the tracer here tells entry from exit by it alone,
so the same check on a real child says whether a trace can work at all."""

from __future__ import annotations

import os

from syscope._kernel import ptrace as pt
from syscope._kernel import stops
from syscope.errors import SyscopeError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import signal
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal

_SYSCALL_STOP = ((signal.SIGTRAP | 0x80) << 8) | 0x7F


def syscall_info_works() -> bool:
    """Trace a child through one system call: PTRACE_GET_SYSCALL_INFO must report its entry
    stop as an entry and the next syscall stop as its exit (ptrace(2), kernel >= 5.3)."""
    pid = os.fork()
    if pid == 0:  # stopped until seized, then any returning call (getppid) and exit
        try:
            os.kill(os.getpid(), signal.SIGSTOP)
            os.getppid()
        finally:
            os._exit(0)
    ops: list[int] = []
    try:
        os.waitpid(pid, os.WUNTRACED)
        pt.ptrace(pt.PTRACE_SEIZE, pid, 0, pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_EXITKILL)
        os.kill(pid, signal.SIGCONT)
        while len(ops) < 2:
            _, status = os.waitpid(pid, pt.WALL)
            if not os.WIFSTOPPED(status):
                break  # it ended before two syscall stops: the feature could not be seen
            if status == _SYSCALL_STOP:
                info = stops.syscall_info(pid)
                if info is None:
                    break
                ops.append(info[0])
            pt.resume(pt.PTRACE_SYSCALL, pid, 0)
    except (SyscopeError, ChildProcessError):
        pass
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    return ops == [pt.SYSCALL_INFO_ENTRY, pt.SYSCALL_INFO_EXIT]
