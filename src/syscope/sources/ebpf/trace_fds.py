"""The eBPF tracer's fd table, for -y/-yy: what each traced process's fds and working directory
named when each call was made.

The ptrace backend reads ``/proc/PID/fd/N`` while the thread is stopped in the call.  The eBPF
tracer decodes a call after it was made -- the process may have closed the fd, reused its number
or exited since -- so it keeps a table per process instead: seeded from /proc when tracing starts
(the command parked before its exec, or each -p process), copied to a forked child, and kept in
step with the recorded calls that create, duplicate and close fds and change the directory; an
exec closes the fds opened close-on-exec.  A file opened by path is named by that path made
absolute (against the directory or dirfd of the call) with its symbolic links resolved -- what the
kernel's d_path() gives for /proc -- since /proc may already show a later file under that number.
An fd the table does not know yet is read from /proc the first time a line names it, and kept.
"""

from __future__ import annotations

import os

from syscope.decode import DecodeOptions, Decoder
from syscope.decode.fmt import consts
from syscope.events import SyscallEvent
from syscope.syscalls.roles import OPEN_CALLS, RETURNS_FD, roles

AT_FDCWD = -100  # include/uapi/linux/fcntl.h
# dup(2): the new fd refers to the open file description of the old one (fds[0] in the roles)
_DUP_CALLS = frozenset({"dup", "dup2", "dup3"})
# close_range(2): with CLOSE_RANGE_CLOEXEC the fds are only marked, not closed
_CLOSE_RANGE_CLOEXEC = next(v for v, n in consts("x86_64")["close_range_flags"] if n == "CLOSE_RANGE_CLOEXEC")


def _readlink(path: str) -> bytes | None:
    try:
        return os.readlink(os.fsencode(path))
    except OSError:
        return None


def _fd_flags(pid: int, fd: str) -> int:
    try:
        with open(f"/proc/{pid}/fdinfo/{fd}", "rb") as f:
            for line in f:
                if line.startswith(b"flags:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _asks_cloexec(ev: SyscallEvent) -> bool:
    """Whether the call made its fd close-on-exec: a flag argument with a ``*_CLOEXEC`` name set
    (O_CLOEXEC, SOCK_CLOEXEC, EFD_CLOEXEC, EPOLL_CLOEXEC, MFD_CLOEXEC ...) or fcntl's
    F_DUPFD_CLOEXEC command, as the decoder named them."""
    for arg in ev.structured_args:
        v = arg.value
        if v == "F_DUPFD_CLOEXEC" or (isinstance(v, tuple) and any(
                isinstance(n, str) and n.endswith("_CLOEXEC") for n in v)):
            return True
    return False


def _s32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


class FdTable:
    """tgid -> fd -> what ``/proc/TGID/fd/FD`` linked to, and tgid -> working directory."""

    def __init__(self) -> None:
        self.fds: dict[int, dict[int, bytes]] = {}
        self.cwd: dict[int, bytes] = {}
        self.cloexec: dict[int, set[int]] = {}  # fds an exec closes (as far as the calls said)

    def seed(self, pid: int, exec_next: bool = False) -> None:
        """What /proc says of ``pid`` now (before any of its traced calls); ``exec_next``: it is
        about to exec (the parked command), so its close-on-exec fds are left out (the "flags"
        of /proc/PID/fdinfo/N include O_CLOEXEC for them, proc(5))."""
        table: dict[int, bytes] = {}
        try:
            names = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            names = []
        for n in names:
            if exec_next and _fd_flags(pid, n) & os.O_CLOEXEC:
                continue
            target = _readlink(f"/proc/{pid}/fd/{n}")
            if target is not None:
                table[int(n)] = target
        self.fds[pid] = table
        cwd = _readlink(f"/proc/{pid}/cwd")
        if cwd is not None:
            self.cwd[pid] = cwd

    def fork(self, parent: int, child: int) -> None:
        """A new process: a copy of its parent's fds and directory (fork(2))."""
        self.fds[child] = dict(self.fds.get(parent, {}))
        self.cloexec[child] = set(self.cloexec.get(parent, ()))
        if parent in self.cwd:
            self.cwd[child] = self.cwd[parent]

    def lookup(self, proc_path: str) -> bytes | None:
        """``readlink(proc_path)`` as it was at the call being decoded."""
        parts = proc_path.split("/")  # "", "proc", PID, "fd", N  |  "", "proc", PID, "cwd"
        if len(parts) < 4 or parts[1] != "proc" or not parts[2].isdigit():
            return _readlink(proc_path)
        pid = int(parts[2])
        if parts[3] == "cwd":
            got = self.cwd.get(pid)
            if got is None:
                got = self.cwd[pid] = _readlink(proc_path) or b""
            return got or None
        if len(parts) != 5 or parts[3] != "fd" or not parts[4].isdigit():
            return _readlink(proc_path)
        table = self.fds.setdefault(pid, {})
        fd = int(parts[4])
        got = table.get(fd)
        if got is None:
            got = _readlink(proc_path)  # first named: what /proc says while the process lives
            if got is not None:
                table[fd] = got
        return got

    def _path_of(self, ev: SyscallEvent, pid: int) -> bytes | None:
        """The file an open-like call opened, from its recorded path (None: /proc must say:
        a path under /proc names what only the tracee's own view resolves)."""
        r = roles(ev.name)
        if not r.paths:
            return None
        path = ev.structured_args[r.paths[0]].value if r.paths[0] < len(ev.raw_args) else None
        if not isinstance(path, str) or path.startswith("/proc/"):
            return None
        raw = os.fsencode(path)
        if not raw.startswith(b"/"):
            dirfd = _s32(ev.raw_args[r.dirfds[0]]) if r.dirfds else AT_FDCWD
            base = self.cwd.get(pid) if dirfd == AT_FDCWD else self.fds.get(pid, {}).get(dirfd)
            if base is None:
                return None
            raw = os.path.join(base, raw)
        return os.path.realpath(raw)

    def after_call(self, ev: SyscallEvent) -> None:
        """What a successful call changed: run between the entry decoding (its fd arguments
        name what they named before it) and the exit decoding (its result names the new fd)."""
        ret = ev.retval
        if ev.errno is not None or ret is None or ret < 0:
            return
        name, pid, args = ev.name, ev.pid, ev.raw_args
        table = self.fds.setdefault(pid, {})
        if name in RETURNS_FD:
            fd = ret & 0xFFFFFFFF
            if name in _DUP_CALLS:
                old = self.lookup(f"/proc/{pid}/fd/{args[0] & 0xFFFFFFFF}")
            else:
                old = self._path_of(ev, pid) if name in OPEN_CALLS else None
                if old is None:
                    # a socket, an epoll or event fd ...: /proc, if the process still has it
                    old = _readlink(f"/proc/{pid}/fd/{fd}")
            if old is None:
                table.pop(fd, None)
            else:
                table[fd] = old
            closing = self.cloexec.setdefault(pid, set())
            if _asks_cloexec(ev):
                closing.add(fd)
            else:
                closing.discard(fd)
        elif name in ("execve", "execveat"):
            for fd in self.cloexec.pop(pid, ()):
                table.pop(fd, None)
        elif name == "close":
            table.pop(args[0] & 0xFFFFFFFF, None)
        elif name == "close_range" and not args[2] & _CLOSE_RANGE_CLOEXEC:
            lo, hi = args[0] & 0xFFFFFFFF, args[1] & 0xFFFFFFFF
            for fd in [f for f in table if lo <= f <= hi]:
                del table[fd]
        elif name == "chdir":
            base = self.cwd.get(pid)
            path = ev.structured_args[0].value
            if isinstance(path, str) and base is not None:
                self.cwd[pid] = os.path.realpath(os.path.join(base, os.fsencode(path)))
        elif name == "fchdir":
            got = self.lookup(f"/proc/{pid}/fd/{args[0] & 0xFFFFFFFF}")
            if got is not None:
                self.cwd[pid] = got


class RecordedFdDecoder(Decoder):
    """The decoder of the eBPF tracer with -y/-yy: fd paths from its ``FdTable``."""

    def __init__(self, options: DecodeOptions, table: FdTable) -> None:
        super().__init__(options)
        self.table = table

    def readlink(self, proc_path: str) -> bytes | None:
        return self.table.lookup(proc_path)


def decoder_for(options: DecodeOptions) -> tuple[Decoder, FdTable | None]:
    """The decoder for a session, and the fd table it reads when -y/-yy asks for paths."""
    if not options.decode_fds:
        return Decoder(options), None
    table = FdTable()
    return RecordedFdDecoder(options, table), table
