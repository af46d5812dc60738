"""The built-in chisels (sysdig's names and meanings, reimplemented on syscope events)."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from syscope.context import IO_READ, IO_WRITE, Context
from syscope.decode.fmt import quote
from syscope.errors import UsageError
from syscope.events import Event, ProcessEvent, SyscallEvent
from syscope.filters.sysdig import compile_filter, field_type, field_value
from syscope.filters.sysdig_args import event_buffer


class Chisel:
    name = ""
    needs_args = 0

    def __init__(self, args: list[str], ctx: Context) -> None:
        self.args = args
        self.ctx = ctx

    def handle(self, ev: Event) -> None:
        raise NotImplementedError

    def report(self) -> str:
        return ""

    def reset(self) -> None:
        pass


def _bytes(ev: Event) -> int:
    if isinstance(ev, SyscallEvent) and (ev.name in IO_READ or ev.name in IO_WRITE) \
            and ev.retval is not None and ev.retval > 0:
        return ev.retval
    return 0


def _fmt_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.2f}{unit}" if unit != "B" else f"{int(n)}B"
        n /= 1024
    return str(n)


class Top(Chisel):
    """A table of KEY -> value sorted descending (the top* and *_by chisels)."""

    key = "fd.name"
    metric = "count"  # count | bytes | time | errors
    where = ""
    header = ""
    limit = 20

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        self.acc: dict[Any, float] = defaultdict(float)
        self.pred = compile_filter(self.where, ctx) if self.where else None

    def handle(self, ev: Event) -> None:
        if self.pred is not None and not self.pred(ev):
            return
        k = field_value(self.key, ev, self.ctx)
        if k is None:
            return
        if self.metric == "count":
            self.acc[k] += 1
        elif self.metric == "bytes":
            b = _bytes(ev)
            if b:
                self.acc[k] += b
        elif self.metric == "time":
            if isinstance(ev, SyscallEvent) and ev.duration is not None:
                self.acc[k] += ev.duration
        elif self.metric == "errors":
            if isinstance(ev, SyscallEvent) and ev.errno is not None:
                self.acc[k] += 1

    def report(self) -> str:
        col = {"count": "Count", "bytes": "Bytes", "time": "Time", "errors": "Errors"}[self.metric]
        lines = [f"{col:<16}{self.header or self.key}", "-" * 80]
        for k, v in sorted(self.acc.items(), key=lambda kv: -kv[1])[:self.limit]:
            if self.metric == "bytes":
                vs = _fmt_bytes(v)
            elif self.metric == "time":
                vs = f"{v * 1000:.3f}ms"
            else:
                vs = str(int(v))
            lines.append(f"{vs:<16}{k}")
        return "\n".join(lines) + "\n"

    def reset(self) -> None:
        self.acc.clear()


def _top(name: str, key: str, metric: str, where: str = "", header: str = "") -> type[Top]:
    return type(name, (Top,), {"name": name, "key": key, "metric": metric, "where": where,
                               "header": header})


class _By(Top):
    needs_args = 1

    def __init__(self, args: list[str], ctx: Context) -> None:
        if not args or field_type(args[0]) is None:
            raise UsageError(f"chisel {self.name} needs a field name argument, e.g. proc.name")
        self.key = args[0]
        super().__init__(args, ctx)


class FdBytesBy(_By):
    name, metric, where = "fdbytes_by", "bytes", "evt.is_io=true"


class FdCountBy(_By):
    name, metric, where = "fdcount_by", "count", "fd.num exists"


class Echo(Chisel):
    """Print I/O buffers' metadata as they happen (echo_fds, spy_file)."""

    name = "echo_fds"
    where = "evt.is_io=true"

    def __init__(self, args: list[str], ctx: Context, out: Callable[[str], None] | None = None) -> None:
        super().__init__(args, ctx)
        self.pred = compile_filter(self.where, ctx)
        self.out = out or (lambda s: print(s, file=sys.stdout))

    def handle(self, ev: Event) -> None:
        if not isinstance(ev, SyscallEvent) or not self.pred(ev):
            return
        arrow = "<" if ev.name in IO_READ else ">"
        name = field_value("fd.name", ev, self.ctx)
        # the bytes moved, from the buffer's structured value, quoted as strace quotes a buffer
        buf = event_buffer(ev)
        data = '"' + quote(buf.encode("latin-1")) + '"' if buf is not None else ""
        self.out(f"------ {'Read' if arrow == '<' else 'Write'} {_fmt_bytes(_bytes(ev))} "
                 f"from {name} ({ev.comm or field_value('proc.name', ev, self.ctx)}) {data}".rstrip())


class SpyFile(Echo):
    name = "spy_file"
    where = "evt.is_io=true and fd.type=file"


class SpyUsers(Chisel):
    name = "spy_users"

    def handle(self, ev: Event) -> None:
        # the exec event, not the execve call: one line per program run (both sources emit it)
        if isinstance(ev, ProcessEvent) and ev.what == "exec":
            user = field_value("user.name", ev, self.ctx)
            print(f"{ev.pid} {user} {field_value('proc.cmdline', ev, self.ctx)}")


class ProcExecTime(Chisel):
    name = "proc_exec_time"

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        self.start: dict[int, float] = {}

    def handle(self, ev: Event) -> None:
        from syscope.events import ExitEvent
        if isinstance(ev, SyscallEvent) and ev.name == "execve" and ev.errno is None:
            self.start[ev.pid] = ev.ts_enter
        elif isinstance(ev, ExitEvent) and ev.pid == ev.tid and ev.pid in self.start:
            name = field_value("proc.name", ev, self.ctx)
            print(f"Process {name} with pid {ev.pid} exited in {ev.ts - self.start.pop(ev.pid):.6f} s")


class IoBytes(Chisel):
    name = "iobytes_file"
    kind = "file"

    def __init__(self, args: list[str], ctx: Context) -> None:
        super().__init__(args, ctx)
        self.total = 0
        self.pred = compile_filter(
            "evt.is_io=true and " + ("fd.type=file" if self.kind == "file" else "fd.type in (ipv4, ipv6)"),
            ctx)

    def handle(self, ev: Event) -> None:
        if self.pred(ev):
            self.total += _bytes(ev)

    def report(self) -> str:
        return f"{self.name}: {self.total} bytes\n"

    def reset(self) -> None:
        self.total = 0


class IoBytesNet(IoBytes):
    name, kind = "iobytes_net", "net"


class Lsof(Chisel):
    """Open fds known to the capture/live context (what the events opened and did not close)."""

    name = "lsof"

    def handle(self, ev: Event) -> None:
        pass

    def report(self) -> str:
        lines = [f"{'PID':>8} {'FD':>4} {'COMMAND':<16} NAME"]
        for (pid, fd), name in sorted(self.ctx.fds.items()):
            p = self.ctx.procs.get(pid)
            lines.append(f"{pid:>8} {fd:>4} {(p.name if p else '?'):<16} {name}")
        return "\n".join(lines) + "\n"


class Ps(Chisel):
    name = "ps"

    def handle(self, ev: Event) -> None:
        pass

    def report(self) -> str:
        lines = [f"{'PID':>8} {'PPID':>8} {'USER':<10} COMMAND"]
        for pid, p in sorted(self.ctx.procs.items()):
            from syscope.filters.sysdig import _user
            lines.append(f"{pid:>8} {p.ppid:>8} {str(_user(p.uid)):<10} {' '.join(p.cmdline) or p.name}")
        return "\n".join(lines) + "\n"


class Netstat(Lsof):
    name = "netstat"

    def report(self) -> str:
        lines = [f"{'PID':>8} {'COMMAND':<16} ADDRESS"]
        for (pid, _fd), name in sorted(self.ctx.fds.items()):
            if ":" in name and not name.startswith("/"):
                p = self.ctx.procs.get(pid)
                lines.append(f"{pid:>8} {(p.name if p else '?'):<16} {name}")
        return "\n".join(lines) + "\n"


_TOPS = [
    _top("topfiles_bytes", "fd.name", "bytes", "evt.is_io=true and fd.type=file"),
    _top("topfiles_time", "fd.name", "time", "fd.type=file"),
    _top("topfiles_errors", "fd.name", "errors", "fd.name exists"),
    _top("topprocs_cpu", "proc.name", "time"),
    _top("topprocs_file", "proc.name", "bytes", "evt.is_io=true and fd.type=file"),
    _top("topprocs_errors", "proc.name", "errors"),
    _top("topconns", "fd.name", "bytes", "evt.is_io=true and fd.type in (ipv4, ipv6)"),
    _top("topports_server", "fd.sport", "bytes", "fd.sport exists"),
    _top("topscalls", "evt.type", "count", "", "Syscall"),
    _top("topscalls_time", "evt.type", "time", "", "Syscall"),
]

ALL: list[type[Chisel]] = [*_TOPS, FdBytesBy, FdCountBy, Echo, SpyFile,
                                                          SpyUsers, ProcExecTime, IoBytes, IoBytesNet,
                                                          Lsof, Ps, Netstat]
