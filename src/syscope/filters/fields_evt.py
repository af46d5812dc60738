"""sysdig's evt.* and syscall.* fields (libsinsp's sinsp_filtercheck_event.cpp)."""

from __future__ import annotations

import math
import socket
import time
from collections.abc import Callable
from typing import Any

from syscope.context import Context
from syscope.context.fds import IO_READ, IO_WRITE, OPEN_CALLS, fd_name
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.filters import sysdig_args
from syscope.filters.registry import Getter, field, simple
from syscope.filters.sysdig_args import event_buffer


def event_time(ev: Event) -> float:
    if isinstance(ev, SyscallEvent):
        return ev.ts_exit if ev.ts_exit is not None else ev.ts_enter
    return ev.ts


def event_type(ev: Event) -> str:
    """evt.type: the syscall's name.  A ProcessEvent's exec is ``procexec`` and its spawn
    ``procspawn`` (not execve/clone: the execve and clone syscalls are events of their own, so a
    rule on evt.type=execve fires once per exec, as in Falco); an exit is ``procexit``, a
    delivered signal ``signaldeliver`` (libsinsp's names for those)."""
    if isinstance(ev, SyscallEvent):
        return ev.name
    if isinstance(ev, ProcessEvent):
        return {"spawn": "procspawn", "exec": "procexec"}.get(ev.what, ev.what)
    if isinstance(ev, ExitEvent):
        return "procexit"
    return "signaldeliver"


def _clock(ev: Event) -> str:
    t = event_time(ev)
    return time.strftime("%H:%M:%S", time.localtime(t)) + f".{int(t * 1e9) % 1_000_000_000:09d}"


def _datetime(ev: Event) -> str:
    t = event_time(ev)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) + f".{int(t * 1e9) % 10**9:09d}"


def _iso(ev: Event) -> str:
    t = event_time(ev)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1e9) % 10**9:09d}Z"


simple("evt.type", "str", "the event's name: the syscall (open, connect...), procexit, signaldeliver", event_type)
simple("syscall.type", "str", "the syscall's name (absent for events that are not syscalls)",
       lambda ev: ev.name if isinstance(ev, SyscallEvent) else None)
simple("evt.dir", "str", "the direction: > for an entry, < for an exit; a complete call (syscope prints its exit) "
       "matches both evt.dir=> and evt.dir=<",
       lambda ev: ">" if isinstance(ev, SyscallEvent) and ev.phase == "enter" else "<")
simple("evt.time", "str", "the event's time, HH:MM:SS.nnnnnnnnn (local)", _clock)
simple("evt.outputtime", "str", "the event's time as -p prints it", _clock)
simple("evt.time.s", "str", "the event's time, HH:MM:SS", lambda ev: _clock(ev)[:8])
simple("evt.time.iso8601", "str", "the event's time, ISO 8601 in UTC", _iso)
simple("evt.datetime", "str", "the event's date and time (local)", _datetime)
simple("evt.datetime.s", "str", "the event's date and time, to the second", lambda ev: _datetime(ev)[:19])
simple("evt.rawtime", "int", "the event's time, ns since the epoch", lambda ev: int(event_time(ev) * 1e9))
simple("evt.rawtime.s", "int", "the seconds part of evt.rawtime", lambda ev: int(event_time(ev)))
simple("evt.rawtime.ns", "int", "the nanoseconds part of evt.rawtime",
       lambda ev: int(event_time(ev) * 1e9) % 10**9)
simple("evt.cpu", "int", "the CPU the call ran on (eBPF source only)",
       lambda ev: ev.cpu if isinstance(ev, SyscallEvent) else None)
simple("evt.source", "str", "the event source: syscall", lambda ev: "syscall")
simple("evt.category", "str", "the event's category: file, net, process, signal, io, other", lambda ev: _category(ev))
simple("evt.count", "int", "1 for every event (to count in chisels)", lambda ev: 1)

_HOST = socket.gethostname()
simple("evt.hostname", "str", "the host's name", lambda ev: _HOST)


def _category(ev: Event) -> str:
    if isinstance(ev, (ProcessEvent, ExitEvent)):
        return "process"
    if isinstance(ev, SignalEvent):
        return "signal"
    if ev.name in IO_READ or ev.name in IO_WRITE:
        return "io"
    if ev.name in OPEN_CALLS or ev.name.startswith(("stat", "link", "unlink", "rename", "mkdir")):
        return "file"
    if ev.name in ("socket", "connect", "bind", "listen", "accept", "accept4", "shutdown"):
        return "net"
    return "other"


@field("evt.num", "int", "the event's number in this session")
def _num(ctx: Context, arg: str | None) -> Getter:
    return lambda ev: ctx.num


def _first_time(ctx: Context) -> Callable[[Event], int]:
    box: list[int] = []

    def rel(ev: Event) -> int:
        t = int(event_time(ev) * 1e9)
        if not box:
            box.append(t)
        return t - box[0]
    return rel


field("evt.reltime", "int", "ns since the first event")(lambda ctx, arg: _first_time(ctx))
field("evt.reltime.s", "int", "seconds since the first event")(
    lambda ctx, arg: (lambda r: lambda ev: r(ev) // 10**9)(_first_time(ctx)))
field("evt.reltime.ns", "int", "the nanoseconds part of evt.reltime")(
    lambda ctx, arg: (lambda r: lambda ev: r(ev) % 10**9)(_first_time(ctx)))


@field("evt.deltatime", "int", "ns since the previous event")
def _delta(ctx: Context, arg: str | None) -> Getter:
    box: list[int] = []

    def g(ev: Event) -> int:
        t = int(event_time(ev) * 1e9)
        d = t - box[0] if box else 0
        box[:] = [t]
        return d
    return g


def _sys(get: Callable[[SyscallEvent], Any], other: Any = None) -> Getter:
    return lambda ev: get(ev) if isinstance(ev, SyscallEvent) else other


def _res(ev: SyscallEvent) -> str | None:
    if ev.retval is None:
        return None
    if ev.errno is not None:
        from errno import errorcode

        return errorcode.get(ev.errno, str(-ev.errno))
    return "SUCCESS"


simple("evt.res", "str", "the call's result: SUCCESS, or the errno name (ENOENT...)", _sys(_res))
simple("evt.rawres", "int", "the call's return value as a number", _sys(lambda ev: ev.retval))
simple("evt.failed", "bool", "the call returned an error", _sys(lambda ev: ev.errno is not None, False))


def _lat(ev: SyscallEvent) -> int | None:
    d = ev.duration
    return int(d * 1e9) if d is not None else None


simple("evt.latency", "int", "ns from the call's entry to its exit", _sys(_lat))
simple("evt.latency.s", "int", "the seconds part of evt.latency",
       _sys(lambda ev: None if (v := _lat(ev)) is None else v // 10**9))
simple("evt.latency.ns", "int", "the nanoseconds part of evt.latency",
       _sys(lambda ev: None if (v := _lat(ev)) is None else v % 10**9))
simple("evt.latency.human", "str", "evt.latency in human units",
       _sys(lambda ev: None if (v := _lat(ev)) is None else f"{v / 1e6:.2f}ms" if v >= 10**6 else f"{v / 1e3:.2f}us"))
simple("evt.is_io", "bool", "the call reads or writes data (read, write, send, recv...)",
       _sys(lambda ev: ev.name in IO_READ or ev.name in IO_WRITE, False))
simple("evt.is_io_read", "bool", "the call reads data", _sys(lambda ev: ev.name in IO_READ, False))
simple("evt.is_io_write", "bool", "the call writes data", _sys(lambda ev: ev.name in IO_WRITE, False))
simple("evt.io_dir", "str", "r for a read-like call, w for a write-like one",
       _sys(lambda ev: "r" if ev.name in IO_READ else "w" if ev.name in IO_WRITE else None))
simple("evt.is_wait", "bool", "the call waits (sleep, wait, poll)",
       _sys(lambda ev: ev.name in ("nanosleep", "clock_nanosleep", "wait4", "waitid", "poll", "ppoll",
                                   "select", "pselect6", "epoll_wait", "epoll_pwait", "futex"), False))
simple("evt.is_syslog", "bool", "the call writes to /dev/log", lambda ev: False)
simple("evt.buflen", "int", "the bytes a read/write-like call moved",
       _sys(lambda ev: ev.retval if (ev.name in IO_READ or ev.name in IO_WRITE) and ev.retval is not None
            and ev.retval >= 0 else None))
simple("evt.count.error", "int", "1 for a failed call", _sys(lambda ev: 1 if ev.errno is not None else 0, 0))
simple("evt.count.exit", "int", "1 for a call's exit event", _sys(lambda ev: 1 if ev.phase == "exit" else 0, 0))
for _k, _test in (("file", lambda ev: ev.name in OPEN_CALLS or ev.name.startswith(("stat", "access"))),
                  ("net", lambda ev: ev.name in ("socket", "connect", "bind", "accept", "accept4",
                                                 "sendto", "recvfrom", "sendmsg", "recvmsg")),
                  ("memory", lambda ev: ev.name in ("mmap", "munmap", "mprotect", "brk", "mremap"))):
    simple(f"evt.count.error.{_k}", "int", f"1 for a failed {_k} call",
           _sys((lambda t: lambda ev: 1 if ev.errno is not None and t(ev) else 0)(_test), 0))
simple("evt.count.error.other", "int", "1 for a failed call of no other error class",
       _sys(lambda ev: 1 if ev.errno is not None and _category(ev) == "other" else 0, 0))


def _open_acc(ev: SyscallEvent) -> int | None:
    # open flags: open(2)/creat arg 1, openat(2) arg 2, openat2(2)'s struct open_how.flags;
    # O_ACCMODE is the low 2 bits; creat(2) is open with O_CREAT|O_WRONLY|O_TRUNC
    if ev.name == "creat":
        return 1 | 0o100
    i = {"open": 1, "openat": 2}.get(ev.name)
    if i is not None and len(ev.raw_args) > i:
        return ev.raw_args[i]
    if ev.name == "openat2":
        a = ev.arg("how")
        if a is not None and isinstance(a.value, dict) and isinstance(a.value.get("flags"), int):
            return int(a.value["flags"])
    return None


simple("evt.is_open_read", "bool", "an open call for reading",
       _sys(lambda ev: (f := _open_acc(ev)) is not None and f & 3 in (0, 2), False))
simple("evt.is_open_write", "bool", "an open call for writing",
       _sys(lambda ev: (f := _open_acc(ev)) is not None and f & 3 in (1, 2), False))
simple("evt.is_open_create", "bool", "an open call with O_CREAT",
       _sys(lambda ev: (f := _open_acc(ev)) is not None and bool(f & 0o100), False))
simple("evt.is_open_exec", "bool", "an open call of an executable file (O_CREAT with an exec mode bit)",
       _sys(lambda ev: (f := _open_acc(ev)) is not None and bool(f & 0o100) and ev.name != "creat"
            and len(ev.raw_args) > 3 and bool(ev.raw_args[3 if ev.name == "openat" else 2] & 0o111), False))


@field("evt.abspath", "str", "the absolute path a path-taking call named")
def _abspath(ctx: Context, arg: str | None) -> Getter:
    return _sys(lambda ev: n if (n := fd_name(ev, ctx)) and n.startswith("/") else None)


@field("evt.info", "str", "the event's parameters as name=value (sysdig's names and renderings)")
def _info(ctx: Context, arg: str | None) -> Getter:
    def g(ev: Event) -> str:
        if isinstance(ev, SyscallEvent):
            return sysdig_args.info(ev, ctx)
        if isinstance(ev, ProcessEvent):
            return f"{ev.what} {ev.filename or ''} {' '.join(ev.argv)}".strip()
        if isinstance(ev, ExitEvent):
            return f"status={ev.exit_code}" + (f" sig={ev.signo}" if ev.signo else "")
        return ev.text
    return g


@field("evt.args", "str", "all the parameters as name=value")
def _args(ctx: Context, arg: str | None) -> Getter:
    return _sys(lambda ev: sysdig_args.info(ev, ctx))


@field("evt.buffer", "str", "the data a read/write-like call moved")
def _buffer(ctx: Context, arg: str | None) -> Getter:
    return _sys(event_buffer)


@field("evt.arg", "str", "a parameter by sysdig's name (evt.arg.flags) or position (evt.arg[1]), "
       "rendered (flags by name)", "name")
def _arg(ctx: Context, arg: str | None) -> Getter:
    a = arg or ""
    if a.isdigit():
        i = int(a)

        def by_pos(ev: Event) -> Any:
            if not isinstance(ev, SyscallEvent):
                return None
            ps = sysdig_args.params(ev.name)
            if i < len(ps):
                return sysdig_args.value(ev, ps[i][0], ctx)
            return None
        return by_pos
    return _sys(lambda ev: sysdig_args.value(ev, a, ctx))


@field("evt.rawarg", "str", "a parameter's raw value (the number, not its name)", "name")
def _rawarg(ctx: Context, arg: str | None) -> Getter:
    a = arg or ""
    return _sys(lambda ev: sysdig_args.value(ev, a, ctx, raw=True))


__all__ = ["event_buffer", "event_time", "event_type"]


def _buflen_of(ctx: Context, kind: str, direction: str) -> Getter:
    """evt.buflen.file.in and kin: the bytes of an I/O call on a file/network fd, read (in) or
    written (out); absent otherwise (the chisels sum them)."""
    from syscope.context.fds import fd_type

    want = {"file": ("file", "directory"), "net": ("ipv4", "ipv6"), "": None}[kind]
    calls = IO_READ if direction == "in" else IO_WRITE if direction == "out" else IO_READ | IO_WRITE

    def g(ev: Event) -> Any:
        if not isinstance(ev, SyscallEvent) or ev.name not in calls or ev.retval is None or ev.retval < 0:
            return None
        if want is not None and fd_type(fd_name(ev, ctx), ev) not in want:
            return None
        return ev.retval
    return g


for _kind in ("", "file", "net"):
    for _dir in ("", "in", "out"):
        if not _kind and not _dir:
            continue
        _name = ".".join(x for x in ("evt.buflen", _kind, _dir) if x)
        field(_name, "int", f"bytes of an I/O call{' on a ' + _kind + ' fd' if _kind else ''}"
              f"{', read' if _dir == 'in' else ', written' if _dir == 'out' else ''}")(
            (lambda k, d: lambda ctx, arg: _buflen_of(ctx, k, d))(_kind, _dir))

simple("evt.latency.quantized", "int", "floor(10 * log10(evt.latency)): the latency's bucket (spectrogram)",
       _sys(lambda ev: None if (v := _lat(ev)) is None or v <= 0 else int(10 * math.log10(v))))
simple("evt.count.procinfo", "int", "1 for a procinfo event (syscope has none: 0)", lambda ev: 0)
simple("evt.count.threadinfo", "int", "1 for a threadinfo event (syscope has none: 0)", lambda ev: 0)


@field("evt.deltatime.s", "int", "seconds since the previous event")
def _delta_s(ctx: Context, arg: str | None) -> Getter:
    d = _delta(ctx, None)
    return lambda ev: d(ev) // 10**9


@field("evt.deltatime.ns", "int", "the nanoseconds part of evt.deltatime")
def _delta_ns(ctx: Context, arg: str | None) -> Getter:
    d = _delta(ctx, None)
    return lambda ev: d(ev) % 10**9


@field("evt.type.is", "int", "1 when the event's type is the argument (evt.type.is.open), else 0", "name")
def _type_is(ctx: Context, arg: str | None) -> Getter:
    return lambda ev: 1 if event_type(ev) == arg else 0


simple("evt.is_async", "bool", "the event is asynchronous (syscope's are all syscalls or process events)",
       lambda ev: False)
simple("evt.asynctype", "str", "the type of an asynchronous event (none here)", lambda ev: None)

_FS_SINGLE = ("name", "path", "pathname", "filename")


def _fs_path(which: str, raw: bool) -> Callable[[Context, str | None], Getter]:
    """fs.path.*: the path a filesystem call works on (name), or for link/rename-like calls the
    source and target (libsinsp's sinsp_filtercheck_fspath)."""
    names = {"name": _FS_SINGLE, "source": ("oldpath", "target"), "target": ("newpath", "linkpath")}[which]

    def make(ctx: Context, arg: str | None) -> Getter:
        def g(ev: Event) -> Any:
            if not isinstance(ev, SyscallEvent):
                return None
            have = {p[0] for p in sysdig_args.params(ev.name)}
            for n in names:
                if n in have:
                    v = sysdig_args.value(ev, n, ctx)
                    if v is None or raw:
                        return v
                    if not v.startswith("/"):
                        from syscope.context.fds import absolute_path

                        v = absolute_path(ev, v, ctx)
                    return v
            return None
        return g
    return make


for _w in ("name", "source", "target"):
    field(f"fs.path.{_w}", "str", f"the {_w} path of a filesystem call, made absolute")(_fs_path(_w, False))
    field(f"fs.path.{_w}raw", "str", f"the {_w} path of a filesystem call, as passed")(_fs_path(_w, True))
