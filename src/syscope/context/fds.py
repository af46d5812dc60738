"""fd facts: which fd a call names, the path or socket address it names, and the per-process fd
table (``Context.fds``) kept in step with the calls that create and destroy fds, as sysdig keeps one."""

from __future__ import annotations

import os
import re

from syscope.context.process import Context
from syscope.events import SockAddr, SyscallEvent
from syscope.syscalls.roles import (
    IO_READ,
    IO_WRITE,
    MSG_CALLS,
    OPEN_CALLS,
    RETURNS_FD,
    SOCKADDR_CALLS,
    SOCKETCALLS,
    roles,
)

# which argument of a call is an fd, a path, a socket address, which calls return a new fd or move
# data: the syscall-knowledge layer (syscope.syscalls.roles), derived from the decoder's signatures
_FD_RET = RETURNS_FD
_SOCK_CALLS = SOCKADDR_CALLS | MSG_CALLS  # calls that name a socket address
SOCKETCALLED = frozenset(name for name, _n in SOCKETCALLS.values())  # may come through socketcall(2)
ADDR_RE = re.compile(r"^\[?([0-9a-fA-F.:]+?)\]?:(\d+)$")  # the fd names sockaddr_text() makes


def _s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def fd_num(ev: SyscallEvent) -> int | None:
    """The fd a call is about: the new one for a call that returns one (open, socket, accept,
    dup ...), else its first fd argument."""
    r = roles(ev.name)
    if r.returns_fd:
        return ev.retval if ev.retval is not None and ev.retval >= 0 else None
    if not r.fds:
        return None
    i = r.fds[0]
    if ev.name in ("mmap", "mmap2") and len(ev.raw_args) > 3 and ev.raw_args[3] & 0x20:
        return None  # MAP_ANONYMOUS (asm-generic/mman-common.h): the fd argument is ignored
    if ev.name in SOCKETCALLED:
        # an i386 socketcall(2): the call's arguments are in its array, the registers hold
        # (call, array); the structured arguments are the array's
        sargs = ev.structured_args
        v = sargs[i].value if i < len(sargs) else None
        if isinstance(v, int) and not isinstance(v, bool):
            return _s32(v)
    return _s32(ev.raw_args[i]) if i < len(ev.raw_args) else None


def sockaddr_text(sa: SockAddr) -> str | None:
    """ip:port, [ip6]:port or a unix socket's path (``@name`` when abstract, unix(7)): the name
    sysdig gives a socket fd, and the text the eBPF source makes of the raw struct
    (syscope.sources.ebpf.stream.decode_sockaddr); None for other families."""
    if sa.family == "AF_INET" and sa.address is not None:
        return f"{sa.address}:{sa.port}"
    if sa.family == "AF_INET6" and sa.address is not None:
        return f"[{sa.address}]:{sa.port}"
    if sa.family == "AF_UNIX" and sa.address:
        return sa.address
    return None


def _named(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, SockAddr):
        return sockaddr_text(value)
    if isinstance(value, dict):  # a struct msghdr: its msg_name (sendmsg(2))
        return _named(value.get("msg_name"))
    if isinstance(value, list) and value:  # a struct mmsghdr array: the first one's
        first = value[0]
        return _named(first.get("msg_hdr") if isinstance(first, dict) else None)
    return None


def event_paths(ev: SyscallEvent) -> tuple[str, ...]:
    """The path or socket address a call names: what the eBPF source read in the kernel
    (``ev.paths``), else the first path or socket address argument (syscope.syscalls.roles) of
    the structured arguments, or the address in its message header (sendmsg(2), recvmsg(2))."""
    if ev.paths:
        return ev.paths
    r = roles(ev.name)
    idx = r.paths[:1] or r.sockaddrs[:1]
    if not idx and ev.name in MSG_CALLS:
        msg = r.in_buf or r.out_buf  # the struct msghdr (or mmsghdr array) argument
        idx = (msg.index,) if msg is not None else ()
    if not idx:
        return ()
    sargs = ev.structured_args
    if idx[0] >= len(sargs):
        return ()
    s = _named(sargs[idx[0]].value)
    return () if s is None else (s,)


def absolute_path(ev: SyscallEvent, path: str, ctx: Context) -> str:
    """A relative path made absolute as the kernel resolved it: against the directory fd of the
    *at() calls (openat(2): "relative to the directory referred to by dirfd"), else the cwd.
    Only for a live context: a recorded trace's pids are not the ones in /proc now."""
    if path.startswith("/") or not path or not ctx.live:
        return path
    base: str | None = None
    dirfds = roles(ev.name).dirfds
    if dirfds and dirfds[0] < len(ev.raw_args):
        dfd = ev.raw_args[dirfds[0]] & 0xFFFFFFFF
        if dfd != 0xFFFFFF9C:  # AT_FDCWD is -100 (include/uapi/linux/fcntl.h)
            base = ctx.fd_name(ev.pid, dfd)
    if base is None:
        try:
            base = os.readlink(f"{ctx.proc_dir(ev.pid)}/cwd")
        except OSError:
            return path
    return os.path.normpath(os.path.join(base, path)) if base.startswith("/") else path


def fd_name(ev: SyscallEvent, ctx: Context) -> str | None:
    paths = event_paths(ev)
    if paths:
        return absolute_path(ev, paths[0], ctx) if ev.name in OPEN_CALLS else paths[0]
    n = fd_num(ev)
    if n is None or n < 0:
        return None
    return ctx.fd_name(ev.pid, n)


def track_fds(ev: SyscallEvent, ctx: Context) -> None:
    """Keep ``ctx.fds`` in step with the calls that name, create and destroy fds (sysdig keeps
    such an fd table per process): an fd's name outlives its close() only until the next event."""
    fds = ctx.fds
    if ev.errno is not None or ev.retval is None or ev.phase != "exit":
        return
    name, pid, ret = ev.name, ev.pid, ev.retval
    if name in OPEN_CALLS:
        paths = event_paths(ev)
        if paths and ret >= 0:
            fds[(pid, ret)] = absolute_path(ev, paths[0], ctx)
    elif name in ("connect", "bind"):
        paths = event_paths(ev)
        n = fd_num(ev)
        if paths and n is not None and n >= 0:
            fds[(pid, n)] = paths[0]
    elif name in ("accept", "accept4"):
        paths = event_paths(ev)
        if ret >= 0:
            if paths:
                fds[(pid, ret)] = paths[0]
            else:
                fds.pop((pid, ret), None)
    elif name == "close" and ev.raw_args:
        fds.pop((pid, ev.raw_args[0] & 0xFFFFFFFF), None)
    elif name == "close_range" and len(ev.raw_args) >= 2:
        lo, hi = ev.raw_args[0] & 0xFFFFFFFF, ev.raw_args[1] & 0xFFFFFFFF
        for key in [k for k in fds if k[0] == pid and lo <= k[1] <= hi]:
            del fds[key]
    elif name in ("dup2", "dup3") and len(ev.raw_args) >= 2:
        # the target fd now names what the source fd names (dup(2)); whatever it was is closed
        old = ctx.fds.get((pid, ev.raw_args[0] & 0xFFFFFFFF))
        new = ev.raw_args[1] & 0xFFFFFFFF
        if old is not None:
            fds[(pid, new)] = old
        else:
            fds.pop((pid, new), None)
    elif name in _FD_RET and ret >= 0:
        # a new fd (socket, dup, pipe-like): forget a stale name, /proc says what it is now
        fds.pop((pid, ret), None)


# sysdig's fd.type of the fds /proc/PID/fd links name by their kind, not a path (the names
# fs/anon_inodes.c and fs/pipe.c give them)
_LINK_TYPES = (("pipe:", "pipe"), ("anon_inode:[eventfd", "event"), ("anon_inode:[signalfd", "signalfd"),
               ("anon_inode:[eventpoll", "eventpoll"), ("anon_inode:inotify", "inotify"),
               ("anon_inode:[timerfd", "timerfd"))


def fd_type(name: str | None, ev: SyscallEvent) -> str | None:
    if name is None:
        return None
    sock_call = ev.name in _SOCK_CALLS
    if sock_call or name.startswith("socket:"):
        if name.startswith("/") or name.startswith("@"):
            return "unix"
        if ADDR_RE.match(name):
            return "ipv6" if ":" in name.rsplit(":", 1)[0] else "ipv4"
        return "ipv4" if sock_call else "unix"
    for prefix, kind in _LINK_TYPES:
        if name.startswith(prefix):
            return kind
    if name.startswith("/"):
        try:
            import stat

            if stat.S_ISDIR(os.stat(name).st_mode):
                return "directory"
        except OSError:
            pass
        return "file"
    return None


__all__ = ["IO_READ", "IO_WRITE", "OPEN_CALLS", "ADDR_RE", "fd_num", "event_paths",
           "absolute_path", "fd_name", "track_fds", "fd_type", "sockaddr_text"]
