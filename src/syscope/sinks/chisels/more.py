"""More of sysdig's chisels (userspace/sysdig/chisels/*.lua: names, arguments and what each shows),
on syscope's events: payload spies (spy_ip, spy_port, stdin/stdout/stderr, spy_logs), slow calls
(fileslower, scallslower), I/O totals (iobytes), network and container tops (topprocs_net,
topcontainers_*), fdtime_by, list_login_shells and lscontainers."""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable

from syscope.context import IO_READ, IO_WRITE, Context
from syscope.errors import UsageError
from syscope.events import Event, SyscallEvent
from syscope.filters.sysdig import compile_filter, event_buffer, field_type, field_value
from syscope.sinks.chisels.base import Chisel, Top, _bytes, _fmt_bytes, _top

_DOTS = {c: "." for c in (*range(0x20), *range(0x7F, 0x100)) if c != 0x0A}


class _Payload(Chisel):
    """Prints each matching read/write's data, as sysdig's echo_fds/spy_ip do:
    ``------ Read 5B from 127.0.0.1:80->... (curl)`` then the data."""

    where = "evt.is_io=true"
    needs_args = 0

    def __init__(self, args: list[str], ctx: Context, out: Callable[[str], None] | None = None) -> None:
        super().__init__(args, ctx)
        self.pred = compile_filter(self.filter_text(args), ctx)
        self.out = out or (lambda s: print(s, file=sys.stdout))

    def filter_text(self, args: list[str]) -> str:
        return self.where

    def handle(self, ev: Event) -> None:
        if not isinstance(ev, SyscallEvent) or not self.pred(ev):
            return
        n = _bytes(ev)
        if not n:
            return
        verb = "Read" if ev.name in IO_READ else "Write"
        name = field_value("fd.name", ev, self.ctx)
        proc = field_value("proc.name", ev, self.ctx)
        data = event_buffer(ev) or ""
        self.out(f"------ {verb} {_fmt_bytes(n)} from {name} ({proc})\n{data.translate(_DOTS)}")


class SpyIp(_Payload):
    name, needs_args = "spy_ip", 1

    def filter_text(self, args: list[str]) -> str:
        if not args:
            raise UsageError("chisel spy_ip needs an IP address, e.g. -c spy_ip 127.0.0.1")
        return f"evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.ip={args[0]}"


class SpyPort(_Payload):
    name, needs_args = "spy_port", 1

    def filter_text(self, args: list[str]) -> str:
        if not args or not args[0].isdigit():
            raise UsageError("chisel spy_port needs a port number, e.g. -c spy_port 80")
        return f"evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6) and fd.port={args[0]}"


class _StdFd(_Payload):
    fd = 0

    def filter_text(self, args: list[str]) -> str:
        return f"fd.num={self.fd} and evt.is_io=true"

    def handle(self, ev: Event) -> None:
        # just the data, as sysdig's stdin/stdout/stderr chisels print it
        if isinstance(ev, SyscallEvent) and self.pred(ev) and _bytes(ev):
            self.out((event_buffer(ev) or "").rstrip("\n"))


class Stdin(_StdFd):
    name, fd = "stdin", 0


class Stdout(_StdFd):
    name, fd = "stdout", 1


class Stderr(_StdFd):
    name, fd = "stderr", 2


class SpyLogs(_Payload):
    name = "spy_logs"
    where = "evt.is_io_write=true and (fd.num=1 or fd.num=2 or fd.name contains log)"

    def handle(self, ev: Event) -> None:
        if isinstance(ev, SyscallEvent) and self.pred(ev) and _bytes(ev):
            self.out(f"{field_value('fd.name', ev, self.ctx)} {field_value('proc.name', ev, self.ctx)} "
                     f"{(event_buffer(ev) or '').rstrip(chr(10)).translate(_DOTS)}")


class _Slower(Chisel):
    """Calls slower than a threshold in milliseconds (fileslower: file I/O; scallslower: any)."""

    needs_args = 1
    where = ""

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        try:
            self.min_ns = int(float(args[0]) * 1e6) if args else 0
        except ValueError:
            raise UsageError(f"chisel {self.name} needs a threshold in milliseconds, e.g. 10") from None
        self.pred = compile_filter(self.where, ctx) if self.where else None

    def handle(self, ev: Event) -> None:
        if not isinstance(ev, SyscallEvent) or ev.duration is None:
            return
        lat = int(ev.duration * 1e9)
        if lat < self.min_ns or (self.pred is not None and not self.pred(ev)):
            return
        when = field_value("evt.datetime", ev, self.ctx)
        proc = field_value("proc.name", ev, self.ctx)
        if self.name == "fileslower":
            print(f"{when} {proc:<14} {ev.name:<8} {lat // 1000:>8}us {field_value('fd.name', ev, self.ctx)}")
        else:
            print(f"{when} {proc:<14} {ev.pid:>7} {ev.name:<12} {lat // 1000:>8}us")


class FileSlower(_Slower):
    name = "fileslower"
    where = "evt.is_io=true and fd.type=file and not fd.name startswith /dev/"


class ScallSlower(_Slower):
    name = "scallslower"


class IoBytesAll(Chisel):
    """Bytes read and written on every kind of fd, printed each second (iobytes)."""

    name = "iobytes"

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        self.tin = self.tout = 0

    def handle(self, ev: Event) -> None:
        if isinstance(ev, SyscallEvent):
            n = _bytes(ev)
            if ev.name in IO_READ:
                self.tin += n
            elif ev.name in IO_WRITE:
                self.tout += n

    def report(self) -> str:
        return f"{time.strftime('%H:%M:%S')} in:{self.tin} out:{self.tout} tot:{self.tin + self.tout}\n"

    def reset(self) -> None:
        self.tin = self.tout = 0


class FdTimeBy(Top):
    """fdtime_by FIELD: time spent in fd calls, by the field's value."""

    name, metric, where, needs_args = "fdtime_by", "time", "fd.num exists", 1

    def __init__(self, args: list[str], ctx: Context) -> None:
        if not args or field_type(args[0]) is None:
            raise UsageError(f"chisel {self.name} needs a field name argument, e.g. proc.name")
        self.key = args[0]
        super().__init__(args, ctx)


class ListLoginShells(Chisel):
    """The login sessions (sid of a shell leading its session) and what ran in them;
    an argument keeps the sessions that ran a command whose name contains it."""

    name = "list_login_shells"
    _SHELLS = ("bash", "sh", "zsh", "dash", "ksh", "csh", "tcsh", "fish", "ash")

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        self.want = args[0].replace("*", "") if args else ""
        self.sessions: dict[int, set[str]] = defaultdict(set)

    def handle(self, ev: Event) -> None:
        if not (isinstance(ev, SyscallEvent) and ev.name in ("execve", "execveat") and ev.errno is None):
            return
        sid = field_value("proc.loginshellid", ev, self.ctx)
        name = field_value("proc.name", ev, self.ctx)
        if sid is None and name in self._SHELLS:
            sid = ev.pid
        if sid is not None and name:
            self.sessions[sid].add(str(name))

    def report(self) -> str:
        ids = [sid for sid, cmds in sorted(self.sessions.items())
               if not self.want or any(self.want in c for c in cmds)]
        return "".join(f"{sid}\n" for sid in ids)


class LsContainers(Chisel):
    name = "lscontainers"

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        self.seen: dict[str, tuple[str, str, str]] = {}

    def handle(self, ev: Event) -> None:
        cid = field_value("container.id", ev, self.ctx)
        if cid and cid != "host" and cid not in self.seen:
            self.seen[cid] = (str(field_value("container.type", ev, self.ctx)),
                              str(field_value("container.image", ev, self.ctx)),
                              str(field_value("container.name", ev, self.ctx)))

    def report(self) -> str:
        lines = [f"{'container.type':<16}{'container.image':<40}{'container.name':<24}container.id", "-" * 96]
        lines += [f"{t:<16}{img:<40}{n:<24}{cid}" for cid, (t, img, n) in sorted(self.seen.items())]
        return "\n".join(lines) + "\n"


MORE_TOPS = [
    _top("topprocs_net", "proc.name", "bytes", "evt.is_io=true and fd.type in (ipv4, ipv6)"),
    _top("topcontainers_cpu", "container.name", "time", "container.id != host", "container.name"),
    _top("topcontainers_error", "container.name", "errors", "container.id != host", "container.name"),
    _top("topcontainers_file", "container.name", "bytes",
         "container.id != host and evt.is_io=true and fd.type=file", "container.name"),
    _top("topcontainers_net", "container.name", "bytes",
         "container.id != host and evt.is_io=true and fd.type in (ipv4, ipv6)", "container.name"),
]

MORE: list[type[Chisel]] = [*MORE_TOPS, SpyIp, SpyPort, Stdin, Stdout, Stderr, SpyLogs, FileSlower,
                            ScallSlower, IoBytesAll, FdTimeBy, ListLoginShells, LsContainers]
