"""The syscall-knowledge layer: what each argument of a call is, by call name.

Everything here is read from ``roles_data.py``, which tools/gen_roles.py derives from the decoder's
signatures (syscope.decode.sigs) and the generated syscall tables (the kernel's parameter names and
types): which arguments are paths, fds, directory fds, socket addresses; the data buffer a call
reads from (``in_buf``, with its length argument) or writes into (``out_buf``, its length the
return value); whether it is an I/O read or write on an fd; whether it returns a new fd; the
i386 socketcall(2) numbers; the AUDIT_ARCH_* values.  The other views (the eBPF source's argument
table, the fd tracker's sets, the report's) are computed from these, so they cannot drift apart.
"""

from __future__ import annotations

# the module tools/gen_roles.py writes: constants, nothing parsed at start-up
from syscope.syscalls import roles_data as _data
from syscope.typenames import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Any, Literal

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


class CallRoles(NamedTuple):  # not a frozen dataclass: one per call of roles_data.py at every start-up
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


# roles_data.py's rows by call name, in CallRoles' field order (the generated module's layout); a
# call's CallRoles is made when first asked for: a trace asks for the few dozen calls it sees, and
# making all ~250 rows' records (with their Buffers) at import cost every tracer start-up ~2 M
# instructions, the views below as many again when each was a pass over the records
_ROWS: dict[str, tuple[Any, ...]] = dict(_data.CALLS)
_MADE: dict[str, CallRoles] = {}
_NONE = CallRoles()


def _make(row: tuple[Any, ...]) -> CallRoles:
    paths, fds, dirfds, sockaddrs, in_buf, out_buf, *rest = row
    return CallRoles(paths, fds, dirfds, sockaddrs, in_buf and Buffer(*in_buf), out_buf and Buffer(*out_buf), *rest)


def roles(name: str) -> CallRoles:
    """The roles of a call's arguments (all empty for a call nothing is known of)."""
    made = _MADE.get(name)
    if made is None:
        row = _ROWS.get(name)
        if row is None:
            return _NONE
        made = _MADE[name] = _make(row)
    return made


def all_roles() -> dict[str, CallRoles]:
    """Every call's roles, by name (roles_data.py's calls)."""
    return {name: roles(name) for name in _ROWS}


def _views() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str],
                      frozenset[str], dict[str, tuple[int, str]], dict[str, Layout]]:
    """The sets and tables below, in one pass over the rows (field order: CallRoles')."""
    io_read, io_write, returns_fd, open_calls, sockaddr_calls, msg_calls = [], [], [], [], [], []
    path_args: dict[str, tuple[int, str]] = {}
    data_args: dict[str, Layout] = {}
    for n, row in _ROWS.items():
        paths, _fds, _dirfds, sockaddrs, in_buf, out_buf, io, fd_back, *_pids = row
        if io == "read":
            io_read.append(n)
        elif io == "write":
            io_write.append(n)
        if fd_back:
            returns_fd.append(n)
            if paths:
                open_calls.append(n)
        if sockaddrs:
            sockaddr_calls.append(n)
        if (in_buf and in_buf[2] in ("msg", "mmsg")) or (out_buf and out_buf[2] in ("msg", "mmsg")):
            msg_calls.append(n)
        if paths or sockaddrs:
            path_args[n] = (paths[0], "str") if paths else (sockaddrs[0], "sock")
        data = out_buf if io == "read" else in_buf
        if io is not None and data is not None:
            data_args[n] = data[2]
    return (frozenset(io_read), frozenset(io_write), frozenset(returns_fd), frozenset(open_calls),
            frozenset(sockaddr_calls), frozenset(msg_calls), path_args, data_args)


# IO_READ/IO_WRITE: the I/O reads and writes on an fd; RETURNS_FD: the calls that return a new fd,
# OPEN_CALLS those that open a file by name (open(2), openat2(2), creat(2)); SOCKADDR_CALLS: the
# calls with a socket address argument, MSG_CALLS those that carry one inside a struct msghdr (or
# an array of struct mmsghdr).  The eBPF source's view: PATH_ARGS, the one argument its kernel
# side copies per call, a path ("str") or a socket address ("sock") -- the first path, else the
# first socket address; DATA_ARGS, the layout of the data buffer of each I/O call (argument 1 of
# every one of them, see gen_roles.py).
_VIEWS = ("IO_READ", "IO_WRITE", "RETURNS_FD", "OPEN_CALLS", "SOCKADDR_CALLS", "MSG_CALLS", "PATH_ARGS", "DATA_ARGS")
if TYPE_CHECKING:
    IO_READ, IO_WRITE, RETURNS_FD, OPEN_CALLS, SOCKADDR_CALLS, MSG_CALLS, PATH_ARGS, DATA_ARGS = _views()


def __getattr__(name: str) -> Any:
    # the views are made when one is first asked for (PEP 562): the tracer asks for none without
    # -e read=/write= (a pass over every call's row at each start-up, ~0.5 M instructions)
    if name not in _VIEWS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals().update(zip(_VIEWS, _views(), strict=True))
    return globals()[name]


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
           "OPEN_CALLS", "PATH_ARGS", "RETURNS_FD", "all_roles", "SIGNAL_NAMES", "SIGRTMAX", "SIGRTMIN",
           "SOCKADDR_CALLS", "SOCKETCALLS", "IPCCALLS", "roles", "signal_name"]
