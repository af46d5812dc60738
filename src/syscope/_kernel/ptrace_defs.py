"""ptrace(2)'s request, option and event numbers (include/uapi/linux/ptrace.h), and the domain
exception of a failed request: shared by ``ptrace.py`` (which re-exports them) and its ctypes
binding ``ptrace_ctypes.py``.
"""

from __future__ import annotations

import errno as _errno
import os

from syscope.errors import AccessDenied, KernelError, NoSuchProcess

PTRACE_PEEKUSER = 3
PTRACE_POKEUSER = 6
PTRACE_CONT = 7
PTRACE_DETACH = 17
PTRACE_SYSCALL = 24
PTRACE_SETOPTIONS = 0x4200
PTRACE_GETEVENTMSG = 0x4201
PTRACE_GETSIGINFO = 0x4202
PTRACE_SEIZE = 0x4206
PTRACE_INTERRUPT = 0x4207
PTRACE_LISTEN = 0x4208
PTRACE_GET_SYSCALL_INFO = 0x420E  # kernel >= 5.3

PTRACE_O_TRACESYSGOOD = 0x1
PTRACE_O_TRACEFORK = 0x2
PTRACE_O_TRACEVFORK = 0x4
PTRACE_O_TRACECLONE = 0x8
PTRACE_O_TRACEEXEC = 0x10
PTRACE_O_TRACEEXIT = 0x40
PTRACE_O_TRACESECCOMP = 0x80
PTRACE_O_EXITKILL = 0x100000

PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE = 1, 2, 3
PTRACE_EVENT_EXEC = 4
PTRACE_EVENT_EXIT = 6
PTRACE_EVENT_SECCOMP = 7
PTRACE_EVENT_STOP = 128

SYSCALL_INFO_ENTRY, SYSCALL_INFO_EXIT, SYSCALL_INFO_SECCOMP = 1, 2, 3
WALL = 0x40000000



def failure(what: str, pid: int, err: int) -> KernelError:
    """The domain exception of a failed request: ``what`` is the call up to its pid."""
    msg = f"{what}, {pid}): {os.strerror(err)}"
    if err == _errno.ESRCH:
        return NoSuchProcess(msg, err)
    if err in (_errno.EPERM, _errno.EACCES):
        return AccessDenied(msg, err)
    return KernelError(msg, err)


_NAMES = {PTRACE_SEIZE: "PTRACE_SEIZE", PTRACE_INTERRUPT: "PTRACE_INTERRUPT",
          PTRACE_DETACH: "PTRACE_DETACH", PTRACE_SETOPTIONS: "PTRACE_SETOPTIONS",
          PTRACE_POKEUSER: "PTRACE_POKEUSER", PTRACE_PEEKUSER: "PTRACE_PEEKUSER"}



def request_name(request: int) -> str:
    return _NAMES.get(request, str(request))
