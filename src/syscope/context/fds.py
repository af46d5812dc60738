"""fd facts: which fd a call names, the path or socket address it names, and the per-process fd
table (``Context.fds``) kept in step with the calls that create and destroy fds, as sysdig keeps one."""

from __future__ import annotations

import os
import re

from syscope.context.process import Context
from syscope.events import SyscallEvent
from syscope.syscalls.roles import PATH_ARGS

_FD_RET = frozenset({"open", "openat", "openat2", "creat", "socket", "accept", "accept4", "dup",
                     "dup2", "dup3", "eventfd2", "memfd_create", "pidfd_open", "signalfd4",
                     "timerfd_create", "inotify_init1", "epoll_create1", "fcntl"})
_NO_FD = frozenset({"execve", "execveat", "stat", "lstat", "access", "faccessat", "faccessat2",
                    "newfstatat", "statx", "readlink", "readlinkat", "unlink", "unlinkat", "mkdir",
                    "mkdirat", "rmdir", "rename", "renameat", "renameat2", "chdir", "chmod",
                    "fchmodat", "truncate", "symlink", "symlinkat", "link", "linkat", "exit",
                    "exit_group", "mount", "umount2", "statfs"})
_FD_ARG0 = frozenset({"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv",
                      "pwritev", "preadv2", "pwritev2", "close", "fstat", "lseek", "ioctl",
                      "fsync", "fdatasync", "ftruncate", "getdents64", "getdents", "sendto",
                      "recvfrom", "sendmsg", "recvmsg", "connect", "bind", "listen", "shutdown",
                      "getsockname", "getpeername", "setsockopt", "getsockopt", "fchmod",
                      "fchown", "flock", "fcntl", "sendfile", "splice", "mmap", "fstatfs",
                      "fchdir", "fadvise64", "fallocate", "sendmmsg", "recvmmsg", "poll"})
IO_READ = frozenset({"read", "pread64", "readv", "preadv", "preadv2", "recvfrom", "recvmsg",
                     "recvmmsg", "recvmmsg_time64", "recv"})
IO_WRITE = frozenset({"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto", "sendmsg", "send",
                      "sendmmsg", "sendfile"})
_SOCK_CALLS = frozenset({"connect", "bind", "accept", "accept4", "sendto", "recvfrom",
                         "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "recvmmsg_time64",
                         "getpeername", "getsockname"})
ADDR_RE = re.compile(r"^\[?([0-9a-fA-F.:]+?)\]?:(\d+)$")


def fd_num(ev: SyscallEvent) -> int | None:
    if ev.name in _FD_RET and ev.name not in _FD_ARG0:
        return ev.retval if ev.retval is not None and ev.retval >= 0 else None
    if ev.name in ("openat", "openat2") or ev.name in _NO_FD:
        return None
    if ev.name == "mmap":  # mmap(addr, length, prot, flags, fd, offset); -1 for anonymous maps
        if len(ev.raw_args) < 5 or ev.raw_args[3] & 0x20:  # MAP_ANONYMOUS (asm-generic/mman-common.h)
            return None
        v = ev.raw_args[4] & 0xFFFFFFFF
        return v - (1 << 32) if v & 0x80000000 else v
    if ev.name in _FD_ARG0 or ev.name.startswith(("f", "send", "recv")):
        if ev.raw_args:
            v = ev.raw_args[0] & 0xFFFFFFFF
            return v - (1 << 32) if v & 0x80000000 else v
    return None


def quoted_string(arg: str) -> str | None:
    """The string of a strace-quoted argument ("..." possibly followed by ...)."""
    if len(arg) >= 2 and arg[0] == '"':
        end = arg.rfind('"')
        if end > 0:
            return arg[1:end].encode().decode("unicode_escape", errors="replace")
    return None


_MSG_CALLS = frozenset({"sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "recvmmsg_time64"})
OPEN_CALLS = frozenset({"open", "openat", "openat2", "creat"})
_DIRFD_ARG = frozenset({"openat", "openat2", "newfstatat", "statx", "faccessat", "faccessat2",
                        "readlinkat", "unlinkat", "mkdirat", "renameat", "renameat2", "fchmodat",
                        "fchownat", "linkat", "mknodat", "utimensat", "execveat"})
_INET_RE = re.compile(r'sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]*)"\)')
_INET6_RE = re.compile(r'sin6_port=htons\((\d+)\).*inet_pton\(AF_INET6, "([^"]*)"')
_UNIX_RE = re.compile(r'sun_path=(@?)"((?:[^"\\]|\\.)*)"')


def _decoded_sockaddr(arg: str) -> str | None:
    """ip:port, [ip6]:port or a unix path from a sockaddr as the decoder prints it (strace's form,
    ``{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("1.2.3.4")}``): the same text
    the eBPF source makes of the raw struct (syscope.sources.ebpf.stream.decode_sockaddr)."""
    if not arg.startswith("{sa_family="):
        return None
    m = _INET_RE.search(arg)
    if m:
        return f"{m.group(2)}:{m.group(1)}"
    m = _INET6_RE.search(arg)
    if m:
        return f"[{m.group(2)}]:{m.group(1)}"
    m = _UNIX_RE.search(arg)
    if m:
        path = quoted_string('"' + m.group(2) + '"')
        return None if path is None else m.group(1) + path
    return None


def event_paths(ev: SyscallEvent) -> tuple[str, ...]:
    """The path or socket address a call names: what the eBPF source read in the kernel
    (``ev.paths``), else the same argument (syscope.syscalls.roles.PATH_ARGS) from the decoded text
    the ptrace source gives."""
    if ev.paths:
        return ev.paths
    if ev.name in _MSG_CALLS and len(ev.args) > 1:
        # the msghdr's msg_name, as the decoder prints it: {msg_name={sa_family=...}, ...}
        i = ev.args[1].find("msg_name={sa_family=")
        s = _decoded_sockaddr(ev.args[1][i + 9:]) if i >= 0 else None
        return () if s is None else (s,)

    spec = PATH_ARGS.get(ev.name)
    if spec is None or spec[0] >= len(ev.args):
        return ()
    arg = ev.args[spec[0]]
    s = quoted_string(arg) if spec[1] == "str" else _decoded_sockaddr(arg)
    return () if s is None else (s,)


def absolute_path(ev: SyscallEvent, path: str, ctx: Context) -> str:
    """A relative path made absolute as the kernel resolved it: against the directory fd of the
    *at() calls (openat(2): "relative to the directory referred to by dirfd"), else the cwd.
    Only for a live context: a recorded trace's pids are not the ones in /proc now."""
    if path.startswith("/") or not path or not ctx.live:
        return path
    base: str | None = None
    if ev.name in _DIRFD_ARG and ev.raw_args:
        dfd = ev.raw_args[0] & 0xFFFFFFFF
        if dfd != 0xFFFFFF9C:  # AT_FDCWD is -100 (include/uapi/linux/fcntl.h)
            base = ctx.fd_name(ev.pid, dfd)
    if base is None:
        try:
            base = os.readlink(f"/proc/{ev.pid}/cwd")
        except OSError:
            return path
    return os.path.normpath(os.path.join(base, path)) if base.startswith("/") else path


_FD_PATH_RE = re.compile(r"^\d+<(.*)>$")


def fd_name(ev: SyscallEvent, ctx: Context) -> str | None:
    paths = event_paths(ev)
    if paths:
        return absolute_path(ev, paths[0], ctx) if ev.name in OPEN_CALLS else paths[0]
    n = fd_num(ev)
    if n is None or n < 0:
        return None
    # strace -y style "3</etc/passwd>"
    if ev.args:
        m = _FD_PATH_RE.match(ev.args[0])
        if m:
            return m.group(1)
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
        if paths and ev.raw_args:
            fds[(pid, ev.raw_args[0] & 0xFFFFFFFF)] = paths[0]
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


def fd_type(name: str | None, ev: SyscallEvent) -> str | None:
    if name is None:
        return None
    if ev.name in _SOCK_CALLS or name.startswith("socket:"):
        if name.startswith("/") or name.startswith("@"):
            return "unix"
        if ADDR_RE.match(name):
            return "ipv6" if ":" in name.rsplit(":", 1)[0] else "ipv4"
        return "ipv4" if ev.name in _SOCK_CALLS else "unix"
    if name.startswith("pipe:"):
        return "pipe"
    if name.startswith("anon_inode:[eventfd"):
        return "event"
    if name.startswith("anon_inode:[signalfd"):
        return "signalfd"
    if name.startswith("anon_inode:[eventpoll"):
        return "eventpoll"
    if name.startswith("anon_inode:inotify"):
        return "inotify"
    if name.startswith("anon_inode:[timerfd"):
        return "timerfd"
    if name.startswith("/"):
        try:
            import stat

            if stat.S_ISDIR(os.stat(name).st_mode):
                return "directory"
        except OSError:
            pass
        return "file"
    return None


__all__ = ["IO_READ", "IO_WRITE", "OPEN_CALLS", "ADDR_RE", "fd_num", "quoted_string", "event_paths",
           "absolute_path", "fd_name", "track_fds", "fd_type"]
