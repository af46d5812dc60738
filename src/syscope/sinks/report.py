"""The HTML report: one self-contained page that summarises a trace.

``ReportSink`` aggregates the event stream as it goes (counts, times, latency histograms,
errors, files, sockets, processes) so that it keeps no per-event memory, and on ``close()``
writes one HTML file with the aggregates embedded as JSON and the template's CSS and script
inlined.  The page draws its charts as inline SVG from that JSON; it loads nothing, and its
Content-Security-Policy forbids loading anything, so it opens the same offline.

Paths, socket addresses and fds are the events' structured arguments (``SyscallEvent.structured_args``),
found by their roles (syscope.syscalls.roles); the strace text is only shown, in the error examples.
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
    Arg,
    Event,
    ExitEvent,
    ProcessEvent,
    SignalEvent,
    SockAddr,
    SyscallEvent,
    _errno_name,
    _signal_name,
)
from syscope.proc.secrets import redact_record
from syscope.sinks.files import open_private
from syscope.syscalls.roles import IO_READ, IO_WRITE, MSG_CALLS, OPEN_CALLS, SOCKADDR_CALLS, CallRoles, roles

_FORKS = frozenset({"fork", "vfork", "clone", "clone3"})

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


def sockaddr_text(sa: SockAddr) -> tuple[str, str]:
    """(family, address) of a socket address: ip:port, [ip6]:port, unix:PATH, or the family alone."""
    if sa.family in ("AF_INET", "AF_INET6") and sa.address is not None:
        return sa.family, f"{sa.address}:{sa.port}" if sa.family == "AF_INET" else f"[{sa.address}]:{sa.port}"
    if sa.family == "AF_UNIX" and sa.address is not None:
        return sa.family, f"unix:{sa.address}"
    return sa.family, sa.family


def _value(sargs: list[Arg], i: int) -> Any:
    return sargs[i].value if i < len(sargs) else None


def _msg_name(value: Any) -> Any:
    """The peer address in a struct msghdr's structured value (sendmsg(2), recvmsg(2)), or the
    first message's of an mmsghdr array (sendmmsg(2), recvmmsg(2)); None when it names none."""
    if isinstance(value, list):
        value = value[0].get("msg_hdr") if value and isinstance(value[0], dict) else None
    return value.get("msg_name") if isinstance(value, dict) else None


def _fd_arg(ev: SyscallEvent) -> int | None:
    """The call's first fd argument (syscope.syscalls.roles), as the int the kernel took."""
    fds = roles(ev.name).fds
    if not fds:
        return None
    # the structured value: an i386 socketcall(2)'s arguments are in its array, not its registers
    v = _value(ev.structured_args, fds[0])
    if not isinstance(v, int) or isinstance(v, bool):
        if fds[0] >= len(ev.raw_args):
            return None
        v = ev.raw_args[fds[0]]
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v & 0x80000000 else v


def _bytes_moved(ev: SyscallEvent, r: CallRoles) -> int:
    """Bytes an I/O call moved: its result, but for sendmmsg(2)/recvmmsg(2), whose result counts
    messages, the sum of their msg_len (from the structured struct mmsghdr array; 0 when the
    source did not decode it)."""
    buf = r.out_buf if ev.name in IO_READ else r.in_buf
    if buf is None or buf.layout != "mmsg":
        return ev.retval or 0
    msgs = _value(ev.structured_args, buf.index)
    if not isinstance(msgs, list):
        return 0
    return sum(m.get("msg_len", 0) for m in msgs[: ev.retval or 0]
               if isinstance(m, dict) and isinstance(m.get("msg_len"), int))


def _clone_thread(arch: str) -> int:
    """CLONE_THREAD's bit (<linux/sched.h>, the decoder's generated constants)."""
    from syscope.decode.fmt import consts

    return next((v for v, n in consts(arch).get("clone_flags", ()) if n == "CLONE_THREAD"), 0)


def _makes_thread(ev: SyscallEvent) -> bool | None:
    """Whether a clone(2)/clone3(2) made a thread (CLONE_THREAD); None when its flags are unknown."""
    for a in ev.structured_args:
        if a.name not in ("clone_flags", "uargs"):
            continue
        v = a.value.get("flags") if isinstance(a.value, dict) else a.value
        if isinstance(v, tuple):
            return "CLONE_THREAD" in v
        if isinstance(v, int) and not isinstance(v, bool) and (a.name == "clone_flags" or isinstance(a.value, dict)):
            return bool(v & _clone_thread(ev.arch))
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

    def __init__(self, out: str | os.PathLike[str] | IO[str], title: str | None = None,
                 redact: bool = True) -> None:
        self._out = out
        # redact: values that look like secrets (syscope.proc.secrets) become **** in the page
        self._redact = redact
        if isinstance(out, (str, os.PathLike)):
            # Fail now, not after a long trace, when the report cannot be written.
            try:
                with open_private(out, "a"):
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
        if ev.name in _FORKS and ev.retval is not None and ev.retval > 0 and (
                ev.name in ("fork", "vfork") or _makes_thread(ev) is False):
            child = self._proc(ev.retval)
            if child.parent is None:
                child.parent = ev.pid
            if not child.argv:
                child.argv = list(p.argv)
        if ev.name in ("execve", "execveat") and ev.retval == 0:
            sargs = ev.structured_args
            paths = roles(ev.name).paths
            path = _value(sargs, paths[0]) if paths else None
            argv = _value(sargs, paths[0] + 1) if paths else None
            argv = [str(a) for a in argv] if isinstance(argv, list) else []
            if argv or isinstance(path, str):
                p.argv = argv or [path if isinstance(path, str) else "?"]

    def _files_and_sockets(self, ev: SyscallEvent, err: str | None) -> None:
        r = roles(ev.name)
        sargs = ev.structured_args
        opened = ev.name in OPEN_CALLS and err is None and ev.retval is not None and ev.retval >= 0
        for i in r.paths:
            path = _value(sargs, i)
            # An empty path with AT_EMPTY_PATH means "the fd itself" (openat(2)), not a file name.
            if not path and ev.paths and i == r.paths[0]:
                path = ev.paths[0]  # what the eBPF source read in the kernel
            if isinstance(path, str) and path:
                self._touch(self._files, path, ev, err)
                if opened and i == r.paths[0]:
                    # The new fd names this file for the reads and writes that follow.
                    self._fds[(ev.pid, ev.retval)] = ("file", path)  # type: ignore[index]
        if ev.name in SOCKADDR_CALLS:
            self._socket(ev, _value(sargs, r.sockaddrs[0]), err)
        elif ev.name in MSG_CALLS:
            msg = r.in_buf or r.out_buf  # the struct msghdr (or mmsghdr array) argument
            self._socket(ev, _msg_name(_value(sargs, msg.index)) if msg is not None else None, err)
        if ev.name == "close":
            closed = _fd_arg(ev)
            if closed is not None:
                self._fds.pop((ev.pid, closed), None)
        if (ev.name in IO_READ or ev.name in IO_WRITE) and err is None and ev.retval:
            io_fd = _fd_arg(ev)
            where = self._fds.get((ev.pid, io_fd)) if io_fd is not None else None
            if where is not None:
                table = self._files if where[0] == "file" else self._sockets
                f = table.get(where[1])
                if f is None:
                    f = table[where[1]] = _File()
                    f.pids.add(ev.pid)
                moved = _bytes_moved(ev, r)
                if ev.name in IO_READ:
                    f.read += moved
                else:
                    f.written += moved

    def _socket(self, ev: SyscallEvent, value: Any, err: str | None) -> None:
        """The socket address a call names (its structured value; the eBPF source's ev.paths)."""
        sa: tuple[str, str] | None = None
        if isinstance(value, SockAddr):
            sa = sockaddr_text(value)
        elif ev.paths:
            # The eBPF source reads the sockaddr in the kernel and hands it over already formatted.
            p0 = ev.paths[0]
            sa = ("AF_UNIX", f"unix:{p0}") if not p0[:1].isdigit() and not p0.startswith("[") else (
                "AF_INET6" if p0.startswith("[") else "AF_INET", p0)
        # an address the kernel fills in (recvfrom, accept) that holds only a family names no peer
        if sa is None or ev.name in ("recvfrom", "accept", "accept4") and sa[1] == sa[0]:
            return
        family, addr = sa
        self._families[addr] = family
        self._touch(self._sockets, addr, ev, err)
        fd = _fd_arg(ev)
        if fd is not None and ev.name in ("connect", "bind"):
            self._fds[(ev.pid, fd)] = ("socket", addr)
        if ev.name in ("accept", "accept4") and ev.retval is not None and ev.retval >= 0:
            self._fds[(ev.pid, ev.retval)] = ("socket", addr)

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
        data = self.data()
        return render_html(redact_record(data) if self._redact else data)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        page = self.render()
        if isinstance(self._out, (str, os.PathLike)):
            try:
                # A title from the command line may hold undecodable bytes; the page stays UTF-8.
                with open_private(self._out, "w", errors="replace") as f:
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
