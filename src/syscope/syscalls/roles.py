"""The syscall-knowledge layer: what each argument of a call is, by call name.

Everything here is read from ``roles.json``, which tools/gen_roles.py derives from the decoder's
signatures (syscope.decode.sigs) and the generated syscall tables (the kernel's parameter names and
types): which arguments are paths, fds, directory fds, socket addresses; the data buffer a call
reads from (``in_buf``, with its length argument) or writes into (``out_buf``, its length the
return value); whether it is an I/O read or write on an fd; whether it returns a new fd; the
i386 socketcall(2) numbers; the AUDIT_ARCH_* values.  The other views (the eBPF source's argument
table, the fd tracker's sets, the report's) are computed from these, so they cannot drift apart.
"""

from __future__ import annotations

# roles.json as the module tools/gen_data_modules.py makes of it: constants, no JSON parsed at start-up
from syscope.syscalls import roles_data as _data
from syscope.typenames import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Literal

    Layout = Literal["data", "iov", "msg", "mmsg"]


class Buffer(NamedTuple):  # not a dataclass: dataclasses costs every tracer start-up inspect's import
    """A data buffer argument: ``index`` of the pointer; ``length`` the index of the argument
    that says how many bytes (or vectors) it holds, ``"ret"`` when the return value says how many
    the kernel wrote, None when the buffer describes itself (a struct msghdr); ``layout``: a
    plain buffer (``data``), a struct iovec array (``iov``), a struct msghdr (``msg``), a struct
    mmsghdr array (``mmsg``)."""

    index: int  # type: ignore[assignment]  # the field hides tuple.index(), which nothing calls on a Buffer
    length: int | Literal["ret"] | None
    layout: Layout


class CallRoles(NamedTuple):  # not a frozen dataclass: one per call of roles.json at every start-up
    paths: tuple[int, ...] = ()
    fds: tuple[int, ...] = ()
    dirfds: tuple[int, ...] = ()
    sockaddrs: tuple[int, ...] = ()
    in_buf: Buffer | None = None
    out_buf: Buffer | None = None
    io: Literal["read", "write"] | None = None
    returns_fd: bool = False
    # pid arguments by the id they name (tid, tgid, pgid, sid; tgid_pgid: a process or -group;
    # who: as the call's "which" says; waitid_id: as waitid's idtype says), and the id a call
    # returns (getpid: tgid)
    pids: tuple[tuple[int, str], ...] = ()
    returns_pid: str | None = None


ROLES: dict[str, CallRoles] = {
    # the generated rows are roles.json's, whose layouts and lengths tools/gen_roles.py writes
    name: CallRoles(paths, fds, dirfds, sockaddrs, in_buf and Buffer(*in_buf),
                    out_buf and Buffer(*out_buf), *rest)  # type: ignore[arg-type]
    for name, (paths, fds, dirfds, sockaddrs, in_buf, out_buf, *rest) in _data.CALLS
}
_NONE = CallRoles()


def roles(name: str) -> CallRoles:
    """The roles of a call's arguments (all empty for a call nothing is known of)."""
    return ROLES.get(name, _NONE)


IO_READ = frozenset(n for n, r in ROLES.items() if r.io == "read")
IO_WRITE = frozenset(n for n, r in ROLES.items() if r.io == "write")
RETURNS_FD = frozenset(n for n, r in ROLES.items() if r.returns_fd)
# calls that open a file by name and return the new fd (open(2), openat2(2), creat(2))
OPEN_CALLS = frozenset(n for n, r in ROLES.items() if r.returns_fd and r.paths)
SOCKADDR_CALLS = frozenset(n for n, r in ROLES.items() if r.sockaddrs)
# calls that carry a socket address inside a struct msghdr (or an array of struct mmsghdr)
MSG_CALLS = frozenset(n for n, r in ROLES.items()
                      if any(b is not None and b.layout in ("msg", "mmsg") for b in (r.in_buf, r.out_buf)))

# The eBPF source's view: the one argument its kernel side copies per call, a path ("str") or a
# socket address ("sock") -- the first path, else the first socket address; and the layout of the
# data buffer of each I/O call (argument 1 of every one of them, see gen_roles.py).
PATH_ARGS: dict[str, tuple[int, str]] = {
    n: (r.paths[0], "str") if r.paths else (r.sockaddrs[0], "sock")
    for n, r in ROLES.items() if r.paths or r.sockaddrs
}
DATA_ARGS: dict[str, Layout] = {
    n: b.layout for n, r in ROLES.items() if r.io is not None
    for b in (r.out_buf if r.io == "read" else r.in_buf,) if b is not None
}

# i386 socketcall(2): call number (<linux/net.h> SYS_*) -> (the call it stands for, how many
# arguments its array holds)
SOCKETCALLS: dict[int, tuple[str, int]] = dict(_data.SOCKETCALLS)

# i386 ipc(2): call number (<linux/ipc.h> SEMOP ... SHMCTL, the low 16 bits of its first
# argument) -> the call it stands for
IPCCALLS: dict[int, str] = dict(_data.IPCCALLS)

# AUDIT_ARCH_* of <linux/audit.h> by syscope's arch name ("arm": aarch64's 32-bit ABI)
AUDIT_ARCH: dict[str, int] = dict(_data.AUDIT_ARCH)

SIGNAL_NAMES: dict[int, str] = dict(_data.SIGNAL_NAMES)
SIGRTMIN: int = _data.SIGRTMIN  # the kernel's, not glibc's (which reserves 32-34 for NPTL)
SIGRTMAX: int = _data.SIGRTMAX


def signal_name(signo: int) -> str:
    """A signal's name as strace prints it: the kernel's numbering (<asm/signal.h>), real-time
    signals above SIGRTMIN as SIGRT_N, the number as text when it has no name."""
    name = SIGNAL_NAMES.get(signo)
    if name is not None:
        return name
    if signo == SIGRTMIN:
        return "SIGRTMIN"
    if SIGRTMIN < signo <= SIGRTMAX:
        return f"SIGRT_{signo - SIGRTMIN}"
    return str(signo)


__all__ = ["AUDIT_ARCH", "Buffer", "CallRoles", "DATA_ARGS", "IO_READ", "IO_WRITE", "MSG_CALLS",
           "OPEN_CALLS", "PATH_ARGS", "RETURNS_FD", "ROLES", "SIGNAL_NAMES", "SIGRTMAX", "SIGRTMIN",
           "SOCKADDR_CALLS", "SOCKETCALLS", "IPCCALLS", "roles", "signal_name"]
