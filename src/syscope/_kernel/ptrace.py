"""Thin binding of ptrace(2) and process_vm_readv(2).

The requests a traced run makes outside the per-stop path (PTRACE_SEIZE, INTERRUPT, DETACH,
GETEVENTMSG, GETSIGINFO, a resume) go through the C extension ``syscope._kernel._stops`` when it
is built (and ``SYSCOPE_PURE_PYTHON`` is not 1), the others and all of them otherwise through
``ptrace_ctypes.py``, imported at its first use: with the extension a traced run imports no
ctypes (~2 ms of start-up).

errno becomes a domain exception here and only here (ESRCH -> NoSuchProcess, EPERM/EACCES ->
AccessDenied), the way psutil's wrap_exceptions does for its platform modules.
"""

from __future__ import annotations

import errno as _errno
import os

from syscope._kernel.ptrace_defs import *  # noqa: F403 (the numbers, re-exported: pt.PTRACE_SEIZE...)
from syscope._kernel.ptrace_defs import failure, request_name
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

def _extension() -> ModuleType | None:
    if os.environ.get("SYSCOPE_PURE_PYTHON") == "1":
        return None
    try:
        from syscope._kernel import _stops  # type: ignore[attr-defined]
    except ImportError:  # not built: ptrace_ctypes does it all
        return None
    return _stops if hasattr(_stops, "request") else None  # an older build has the per-stop calls only


_ext = _extension()


def _ctypes() -> ModuleType:
    from syscope._kernel import ptrace_ctypes

    return ptrace_ctypes


def ptrace(request: int, pid: int, addr: int = 0, data: int = 0) -> int:
    """A request whose success returns 0 (SEIZE, INTERRUPT, DETACH, SETOPTIONS, SYSCALL...):
    0, or the request's domain exception."""
    if _ext is None:
        return int(_ctypes().ptrace(request, pid, addr, data))
    err = _ext.request(request, pid, addr, data)
    if err:
        raise failure(f"ptrace({request_name(request)}", pid, err)
    return 0


def resume(request: int, tid: int, sig: int = 0) -> bool:
    """PTRACE_SYSCALL/CONT/LISTEN on the hot path: False when the task is gone (ESRCH: it was
    killed while stopped, its exit status follows), errors other than ESRCH raise."""
    if _ext is None:
        return bool(_ctypes().resume(request, tid, sig))
    err = _ext.resume(request, tid, sig)
    if err:
        if err == _errno.ESRCH:
            return False
        raise failure(f"ptrace({request}", tid, err)
    return True


def get_siginfo(tid: int) -> bytes:
    """PTRACE_GETSIGINFO: the stop's siginfo_t, 128 bytes."""
    if _ext is None:
        return bytes(_ctypes().get_siginfo(tid))
    got = _ext.siginfo(tid)
    if isinstance(got, int):
        raise failure("ptrace(PTRACE_GETSIGINFO", tid, got)
    return bytes(got)


def get_event_msg(tid: int) -> int:
    """PTRACE_GETEVENTMSG: the event's message (a new thread's id, an exit status)."""
    if _ext is None:
        return int(_ctypes().get_event_msg(tid))
    msg, err = _ext.event_msg(tid)
    if err:
        raise failure("ptrace(PTRACE_GETEVENTMSG", tid, err)
    return int(msg)


# the rest are rare in a trace (-i's PEEKUSER, -e inject=, a fault's PEEKDATA fallback) or serve
# the Python stop functions: always ctypes


def peek_user(tid: int, offset: int) -> int:
    return int(_ctypes().peek_user(tid, offset))


def poke_user(tid: int, offset: int, value: int) -> None:
    _ctypes().poke_user(tid, offset, value)


def get_syscall_info(tid: int) -> memoryview:
    """The stop's struct ptrace_syscall_info, as a view of one shared buffer: valid until the
    next call."""
    view: memoryview = _ctypes().get_syscall_info(tid)
    return view


def process_vm_read(pid: int, addr: int, size: int) -> bytes | None:
    """Read tracee memory; None when the address faults (short read at a page boundary)."""
    got: bytes | None = _ctypes().process_vm_read(pid, addr, size)
    return got


def peek_data(tid: int, addr: int) -> int | None:
    """One word of tracee memory (PTRACE_PEEKDATA), None when the address faults."""
    got: int | None = _ctypes().peek_data(tid, addr)
    return got


def process_vm_write(pid: int, addr: int, data: bytes) -> tuple[int, int]:
    """Write tracee memory (-e inject=...:poke_enter=): (bytes written, errno); see
    ptrace_ctypes.process_vm_write."""
    got: tuple[int, int] = _ctypes().process_vm_write(pid, addr, data)
    return got
