"""The HTML report: one self-contained page that summarises a trace.

``ReportSink`` aggregates the event stream as it goes (counts, times, latency histograms,
errors, files, sockets, processes) so that it keeps no per-event memory, and on ``close()``
writes one HTML file with the aggregates embedded as JSON and the template's CSS and script
inlined.  The page draws its charts as inline SVG from that JSON; it loads nothing, and its
Content-Security-Policy forbids loading anything, so it opens the same offline.

Arguments are the decoder's strace-style text; the path and address arguments are read back
from that text (``"/etc/passwd"``, ``{sa_family=AF_INET, sin_port=htons(80), ...}``).
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import IO, Any

from syscope.errors import SyscopeError
from syscope.events import (
    Event,
    ExitEvent,
    ProcessEvent,
    SignalEvent,
    SyscallEvent,
    _errno_name,
    _signal_name,
)
from syscope.syscalls.roles import PATH_ARGS as _EBPF_ARGS

# Which arguments are paths, per syscall (the kernel's own prototypes, include/linux/syscalls.h).
PATH_ARGS: dict[str, tuple[int, ...]] = {
    "open": (0,), "creat": (0,), "openat": (1,), "openat2": (1,), "open_by_handle_at": (),
    "stat": (0,), "lstat": (0,), "newfstatat": (1,), "fstatat64": (1,), "statx": (1,),
    "stat64": (0,), "lstat64": (0,), "access": (0,), "faccessat": (1,), "faccessat2": (1,),
    "execve": (0,), "execveat": (1,), "readlink": (0,), "readlinkat": (1,),
    "unlink": (0,), "unlinkat": (1,), "mkdir": (0,), "mkdirat": (1,), "rmdir": (0,),
    "rename": (0, 1), "renameat": (1, 3), "renameat2": (1, 3), "link": (0, 1), "linkat": (1, 3),
    "symlink": (1,), "symlinkat": (2,), "chdir": (0,), "chroot": (0,), "chmod": (0,),
    "fchmodat": (1,), "fchmodat2": (1,), "chown": (0,), "lchown": (0,), "fchownat": (1,),
    "truncate": (0,), "utime": (0,), "utimes": (0,), "utimensat": (1,), "futimesat": (1,),
    "mknod": (0,), "mknodat": (1,), "statfs": (0,), "getxattr": (0,), "lgetxattr": (0,),
    "setxattr": (0,), "lsetxattr": (0,), "listxattr": (0,), "llistxattr": (0,),
    "removexattr": (0,), "lremovexattr": (0,), "inotify_add_watch": (1,), "mount": (0, 1),
    "umount2": (0,), "swapon": (0,), "swapoff": (0,), "acct": (0,), "pivot_root": (0, 1),
    "name_to_handle_at": (1,), "open_tree": (1,), "uselib": (0,), "quotactl": (1,),
}
_OPENS = frozenset({"open", "openat", "openat2", "creat"})
_READS = frozenset({"read", "pread64", "readv", "preadv", "preadv2", "recvfrom", "recvmsg"})
_WRITES = frozenset({"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendto", "sendmsg",
                     "sendfile"})
# Which argument is a socket address, per syscall (connect(2), bind(2), sendto(2), accept(2)...):
# the "sock" arguments of the eBPF reader's table, which names the same ones.
SOCKADDR_ARGS: dict[str, int] = {n: i for n, (i, how) in _EBPF_ARGS.items() if how == "sock"}
_FORKS = frozenset({"fork", "vfork", "clone", "clone3"})

_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"')
_FD_PATH = re.compile(r"^(\d+)<(.*)>$")  # strace -y prints an fd as 3</etc/passwd>
_INET = re.compile(r'sa_family=AF_INET\b.*?sin_port=htons\((\d+)\).*?sin_addr=inet_addr\("([^"]*)"\)')
_INET6 = re.compile(r'sa_family=AF_INET6\b.*?sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]*)"')
_UNIX = re.compile(r'sa_family=AF_UNIX\b.*?sun_path=(@?)"((?:[^"\\]|\\.)*)"')
_FAMILY = re.compile(r"sa_family=(AF_\w+)")

# Latency buckets: bucket 0 holds calls under 1 us, bucket k >= 1 holds [2^(k-1), 2^k) us; the
# last one everything from about 1 s up.  Powers of two spread syscall latencies (from tens of
# nanoseconds to seconds) evenly across a chart.
N_BUCKETS = 22


def _bucket(seconds: float) -> int:
    us = seconds * 1e6
    if us < 1:
        return 0
    return min(N_BUCKETS - 1, int(math.log2(us)) + 1)


def bucket_label(k: int) -> str:
    """Axis label of bucket k: its lower bound."""
    if k == 0:
        return "<1us"
    lo = 2 ** (k - 1)
    return f">={lo}us" if k == N_BUCKETS - 1 else f"{lo}us"


def bucket_range(k: int) -> str:
    """Tooltip text of bucket k: the latencies it holds."""
    if k == 0:
        return "under 1 us"
    lo = 2 ** (k - 1)
    return f"{lo} us or more" if k == N_BUCKETS - 1 else f"{lo} to {2 * lo} us"


def _unquote(text: str) -> str | None:
    m = _QUOTED.match(text)
    if not m:
        return None
    raw = m.group(1)
    # strace escapes \" \\ \n \t and non-printables as \ooo or \xhh; decode the common ones
    # so the page shows the path as the file system has it.
    try:
        return raw.encode("latin-1", "backslashreplace").decode("unicode_escape").encode(
            "latin-1").decode("utf-8", "replace")
    except (UnicodeError, ValueError):
        return raw


def sockaddr_text(arg: str) -> tuple[str, str] | None:
    """(family, address) read back from a decoded sockaddr argument, or None."""
    m = _INET.search(arg)
    if m:
        return "AF_INET", f"{m.group(2)}:{m.group(1)}"
    m = _INET6.search(arg)
    if m:
        return "AF_INET6", f"[{m.group(2)}]:{m.group(1)}"
    m = _UNIX.search(arg)
    if m:
        return "AF_UNIX", f"unix:{m.group(1)}{_unquote(chr(34) + m.group(2) + chr(34)) or m.group(2)}"
    m = _FAMILY.search(arg)
    if m:
        return m.group(1), m.group(1)
    return None


@dataclass(slots=True)
class _Sys:
    count: int = 0
    errors: int = 0
    total: float = 0.0
    max: float = 0.0
    hist: list[int] = field(default_factory=lambda: [0] * N_BUCKETS)


@dataclass(slots=True)
class _File:
    calls: int = 0
    failed: int = 0
    errnos: dict[str, int] = field(default_factory=dict)
    syscalls: dict[str, int] = field(default_factory=dict)
    pids: set[int] = field(default_factory=set)
    read: int = 0
    written: int = 0


@dataclass(slots=True)
class _Proc:
    pid: int
    parent: int | None = None
    argv: list[str] = field(default_factory=list)
    comm: str | None = None
    threads: set[int] = field(default_factory=set)
    syscalls: int = 0
    errors: int = 0
    seconds: float = 0.0
    exit: str | None = None
    first: float | None = None
    last: float | None = None


MAX_EXAMPLES = 3
MAX_ROWS = 500  # rows per table embedded in the page; the totals still count everything


class ReportSink:
    """Builds the HTML report from the event stream.

    ``ReportSink(out, title=None)``: ``out`` is a path or a writable text file; ``handle(ev)``
    per event (enter-phase syscalls are ignored); ``close()`` writes the page.
    """

    def __init__(self, out: str | os.PathLike[str] | IO[str], title: str | None = None) -> None:
        self._out = out
        if isinstance(out, (str, os.PathLike)):
            # Fail now, not after a long trace, when the report cannot be written.
            try:
                with open(out, "a", encoding="utf-8"):
                    pass
            except OSError as exc:
                raise SyscopeError(f"cannot write report {os.fspath(out)}: {exc.strerror}") from None
        self.title = title
        self._sys: dict[str, _Sys] = {}
        self._errors: dict[tuple[str, str], int] = {}
        self._examples: dict[tuple[str, str], list[str]] = {}
        self._files: dict[str, _File] = {}
        self._sockets: dict[str, _File] = {}
        self._families: dict[str, str] = {}
        self._procs: dict[int, _Proc] = {}
        self._tid_pid: dict[int, int] = {}
        self._fds: dict[tuple[int, int], tuple[str, str]] = {}  # (pid, fd) -> ("file"|"socket", key)
        self._signals: dict[str, int] = {}
        self._t0: float | None = None
        self._t1: float | None = None
        self._closed = False
        self.events = 0

    # -- helpers -------------------------------------------------------------------------------
    def _proc(self, pid: int) -> _Proc:
        p = self._procs.get(pid)
        if p is None:
            p = self._procs[pid] = _Proc(pid)
        return p

    def _time(self, ts: float | None) -> None:
        if ts is None:
            return
        self._t0 = ts if self._t0 is None else min(self._t0, ts)
        self._t1 = ts if self._t1 is None else max(self._t1, ts)

    def _touch(self, table: dict[str, _File], key: str, ev: SyscallEvent, err: str | None) -> _File:
        f = table.get(key)
        if f is None:
            f = table[key] = _File()
        f.calls += 1
        f.syscalls[ev.name] = f.syscalls.get(ev.name, 0) + 1
        f.pids.add(ev.pid)
        if err is not None:
            f.failed += 1
            f.errnos[err] = f.errnos.get(err, 0) + 1
        return f

    # -- the sink interface --------------------------------------------------------------------
    def handle(self, ev: Event) -> None:
        if self._closed:
            raise SyscopeError("report already closed")
        if isinstance(ev, SyscallEvent):
            if ev.phase == "exit":
                self._syscall(ev)
            return
        self.events += 1
        if isinstance(ev, SignalEvent):
            self._time(ev.ts)
            name = _signal_name(ev.signo) or str(ev.signo)
            self._signals[name] = self._signals.get(name, 0) + 1
            self._proc(ev.pid).threads.add(ev.tid)
        elif isinstance(ev, ExitEvent):
            self._time(ev.ts)
            if ev.tid == ev.pid or ev.pid not in self._procs or self._procs[ev.pid].exit is None:
                p = self._proc(ev.pid)
                if ev.signo:
                    p.exit = f"killed by {_signal_name(ev.signo) or ev.signo}"
                elif ev.tid == ev.pid:
                    p.exit = f"exited with {ev.exit_code}"
                p.last = ev.ts
        elif isinstance(ev, ProcessEvent):
            self._time(ev.ts)
            self._tid_pid[ev.tid] = ev.pid
            p = self._proc(ev.pid)
            p.threads.add(ev.tid)
            if p.first is None:
                p.first = ev.ts
            if ev.what == "spawn" and not ev.is_thread and ev.parent is not None:
                p.parent = self._tid_pid.get(ev.parent, ev.parent)
                parent = self._procs.get(p.parent)
                if parent is not None and not p.argv:
                    p.argv = list(parent.argv)  # runs its parent's program until it execs
            elif ev.what == "exec":
                p.argv = list(ev.argv) or ([ev.filename] if ev.filename else p.argv)

    def _syscall(self, ev: SyscallEvent) -> None:
        self.events += 1
        self._time(ev.ts_enter)
        self._time(ev.ts_exit)
        dur = ev.duration or 0.0
        s = self._sys.get(ev.name)
        if s is None:
            s = self._sys[ev.name] = _Sys()
        s.count += 1
        s.total += dur
        s.max = max(s.max, dur)
        if ev.ts_exit is not None:
            s.hist[_bucket(dur)] += 1
        err = None
        if ev.errno is not None:
            err = _errno_name(ev.errno) or str(ev.errno)
            s.errors += 1
            key = (ev.name, err)
            self._errors[key] = self._errors.get(key, 0) + 1
            ex = self._examples.setdefault(key, [])
            if len(ex) < MAX_EXAMPLES:
                ex.append(f"{ev.name}({', '.join(ev.args)}) = {ev.ret_text or ev.retval}")
        self._tid_pid[ev.tid] = ev.pid
        p = self._proc(ev.pid)
        p.threads.add(ev.tid)
        p.syscalls += 1
        p.seconds += dur
        if err is not None:
            p.errors += 1
        if ev.comm and not p.comm:
            p.comm = ev.comm
        if p.first is None:
            p.first = ev.ts_enter
        p.last = ev.ts_exit or ev.ts_enter
        self._files_and_sockets(ev, err)
        if ev.name in _FORKS and ev.retval is not None and ev.retval > 0 and not any(
                "CLONE_THREAD" in a for a in ev.args):
            child = self._proc(ev.retval)
            if child.parent is None:
                child.parent = ev.pid
            if not child.argv:
                child.argv = list(p.argv)
        if ev.name in ("execve", "execveat") and ev.retval == 0:
            path = _unquote(ev.args[0 if ev.name == "execve" else 1]) if len(ev.args) > 1 else None
            argv_text = ev.args[1 if ev.name == "execve" else 2] if len(ev.args) > 2 else ""
            argv = re.findall(r'"((?:[^"\\]|\\.)*)"', argv_text)
            if argv or path:
                p.argv = argv or [path or "?"]

    def _files_and_sockets(self, ev: SyscallEvent, err: str | None) -> None:
        for i in PATH_ARGS.get(ev.name, ()):
            if i < len(ev.args):
                path = _unquote(ev.args[i])
                # An empty path with AT_EMPTY_PATH means "the fd itself" (openat(2)), not a file name.
                if path:
                    self._touch(self._files, path, ev, err)
                    if ev.name in _OPENS and err is None and ev.retval is not None and ev.retval >= 0:
                        # The new fd names this file for the reads and writes that follow.
                        self._fds[(ev.pid, ev.retval)] = ("file", path)
        sa_i = SOCKADDR_ARGS.get(ev.name)
        sa: tuple[str, str] | None = None
        if sa_i is not None and ev.paths:
            # The eBPF source reads the sockaddr in the kernel and hands it over already formatted.
            p0 = ev.paths[0]
            sa = ("AF_UNIX", f"unix:{p0}") if not p0[:1].isdigit() and not p0.startswith("[") else (
                "AF_INET6" if p0.startswith("[") else "AF_INET", p0)
        elif sa_i is not None and sa_i < len(ev.args):
            sa = sockaddr_text(ev.args[sa_i])
        if sa_i is not None and sa_i < len(ev.args):
            if sa is not None and not (ev.name in ("recvfrom", "accept", "accept4") and sa[1] == sa[0]):
                family, addr = sa
                self._families[addr] = family
                self._touch(self._sockets, addr, ev, err)
                fd = _fd_of(ev.args[0]) if ev.args else None
                if fd is not None and ev.name in ("connect", "bind"):
                    self._fds[(ev.pid, fd)] = ("socket", addr)
                if ev.name in ("accept", "accept4") and ev.retval is not None and ev.retval >= 0:
                    self._fds[(ev.pid, ev.retval)] = ("socket", addr)
        if ev.name == "close" and ev.args:
            closed = _fd_of(ev.args[0])
            if closed is not None:
                self._fds.pop((ev.pid, closed), None)
        if (ev.name in _READS or ev.name in _WRITES) and ev.args and err is None and ev.retval:
            io_fd = _fd_of(ev.args[0])
            m = _FD_PATH.match(ev.args[0])
            where = ("file", m.group(2)) if m and not m.group(2).startswith(("socket:", "pipe:")) \
                else self._fds.get((ev.pid, io_fd)) if io_fd is not None else None
            if where is not None:
                table = self._files if where[0] == "file" else self._sockets
                f = table.get(where[1])
                if f is None:
                    f = table[where[1]] = _File()
                    f.pids.add(ev.pid)
                if ev.name in _READS:
                    f.read += ev.retval
                else:
                    f.written += ev.retval

    # -- output --------------------------------------------------------------------------------
    def data(self) -> dict[str, Any]:
        """The aggregates the page is drawn from (also what tests compare against)."""
        syscalls: list[dict[str, Any]] = [
            {"name": n, "count": s.count, "errors": s.errors, "total_us": round(s.total * 1e6, 3),
                     "max_us": round(s.max * 1e6, 3),
                     "avg_us": round(s.total * 1e6 / s.count, 3) if s.count else 0,
                     "hist": s.hist} for n, s in self._sys.items()]
        syscalls.sort(key=lambda r: (-r["count"], r["name"]))
        errors: list[dict[str, Any]] = [
            {"syscall": k[0], "errno": k[1], "count": c, "examples": self._examples.get(k, [])}
                  for k, c in self._errors.items()]
        errors.sort(key=lambda r: (-r["count"], r["syscall"], r["errno"]))

        def rows(table: dict[str, _File], kind: str) -> list[dict[str, Any]]:
            out: list[dict[str, Any]] = [{"key": k, "calls": f.calls, "failed": f.failed, "errnos": f.errnos,
                    "syscalls": f.syscalls, "pids": sorted(f.pids), "read": f.read, "written": f.written,
                    **({"family": self._families.get(k, "")} if kind == "socket" else {})}
                   for k, f in table.items()]
            out.sort(key=lambda r: (-r["calls"], -(r["read"] + r["written"]), r["key"]))
            return out[:MAX_ROWS]

        procs = []
        for p in sorted(self._procs.values(), key=lambda x: (x.first or 0, x.pid)):
            procs.append({"pid": p.pid, "parent": p.parent if p.parent in self._procs else None,
                          "argv": p.argv, "comm": p.comm, "threads": len(p.threads), "syscalls": p.syscalls,
                          "errors": p.errors, "seconds": round(p.seconds, 6), "exit": p.exit})
        total = sum(s.count for s in self._sys.values())
        return {
            "title": self.title or "syscope report",
            "generated": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "start": self._t0, "end": self._t1,
            "wall_seconds": (self._t1 - self._t0) if self._t0 is not None and self._t1 is not None else 0,
            "totals": {"syscalls": total, "errors": sum(s.errors for s in self._sys.values()),
                       "syscall_seconds": round(sum(s.total for s in self._sys.values()), 6),
                       "processes": len(self._procs),
                       "threads": len({t for p in self._procs.values() for t in p.threads}),
                       "files": len(self._files), "sockets": len(self._sockets),
                       "signals": sum(self._signals.values())},
            "bucket_labels": [bucket_label(k) for k in range(N_BUCKETS)],
            "bucket_ranges": [bucket_range(k) for k in range(N_BUCKETS)],
            "syscalls": syscalls, "errors": errors[:MAX_ROWS],
            "files": rows(self._files, "file"), "sockets": rows(self._sockets, "socket"),
            "processes": procs, "signals": dict(sorted(self._signals.items(), key=lambda kv: -kv[1])),
        }

    def render(self) -> str:
        return render_html(self.data())

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        page = self.render()
        if isinstance(self._out, (str, os.PathLike)):
            try:
                # A title from the command line may hold undecodable bytes; the page stays UTF-8.
                with open(self._out, "w", encoding="utf-8", errors="replace") as f:
                    f.write(page)
            except OSError as exc:
                raise SyscopeError(f"cannot write report {os.fspath(self._out)}: {exc.strerror}") from None
        else:
            self._out.write(page)
            self._out.flush()

    def __enter__(self) -> ReportSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fd_of(arg: str) -> int | None:
    m = _FD_PATH.match(arg)
    if m:
        return int(m.group(1))
    try:
        return int(arg)
    except ValueError:
        return None


def _asset(name: str) -> str:
    return resources.files("syscope.sinks.report_assets").joinpath(name).read_text(encoding="utf-8")


def _script_safe_json(data: Any) -> str:
    # Inside <script> the JSON must not contain "</script>" or "<!--" (HTML spec, script data
    # state), so <, > and & are written as \u escapes; ensure_ascii covers U+2028/U+2029.
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(data: dict[str, Any]) -> str:
    """The report page for ``data`` (the dict ``ReportSink.data()`` returns)."""
    import html

    values = {"TITLE": html.escape(str(data.get("title", "syscope report"))), "CSS": _asset("report.css"),
              "JS": _asset("report.js"), "DATA": _script_safe_json(data)}
    # One pass, so that text substituted for one placeholder (a title, a path in the data) is
    # never itself searched for another.
    return re.sub(r"/\*\{\{(\w+)\}\}\*/|\{\{(\w+)\}\}",
                  lambda m: values[m.group(1) or m.group(2)], _asset("report.html"))
