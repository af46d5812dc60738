"""Live events from the eBPF probe as ``syscope.events`` objects.

``watch_events`` loads the probe in stream mode (optionally scoped to a command it starts), drains
the ring buffer on a short timer (records are submitted with BPF_RB_NO_WAKEUP, so there is no
per-event wakeup to wait for), and turns each record into a SyscallEvent / ProcessEvent /
ExitEvent.  It also keeps the ``Context`` (process table, fd names) that sysdig fields need.
"""

from __future__ import annotations

import errno as _errno
import functools
import ipaddress
import os
import socket
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from syscope.context import Context, ProcInfo, fill_from_procfs, track_fds
from syscope.decode.fmt import quote
from syscope.decode.more import sockaddr as _strace_sockaddr
from syscope.decode.more import sockaddr_value
from syscope.events import ArgSpec, Event, ExitEvent, ProcessEvent, SyscallEvent
from syscope.sources.ebpf import names
from syscope.sources.ebpf.source import (
    BUF_ADDR_DATA,
    BUF_DATA,
    BUF_MMSG,
    BUF_MSG,
    BUF_SOCK,
    BUF_STR,
    EV_ADDR_SHIFT,
    EV_CALL_SHIFT,
    EV_COMPAT,
    EV_SOCKETCALL,
    KIND_EXEC,
    KIND_EXIT,
    KIND_FORK,
    MODE_STREAM,
    Probe,
    RawEvent,
    spawn_parked,
)
from syscope.syscalls import roles, table

POLL_INTERVAL = 0.01  # seconds between ring-buffer drains


@dataclass
class WatchStats:
    events: int = 0
    dropped: int = 0


def decode_sockaddr(raw: bytes) -> str | None:
    """ip:port, [ip6]:port or a unix path from a struct sockaddr (see sys/socket.h, netinet/in.h)."""
    if len(raw) < 2:
        return None
    fam = struct.unpack_from("<H", raw)[0]
    if fam == socket.AF_INET and len(raw) >= 8:
        port = struct.unpack_from(">H", raw, 2)[0]
        return f"{ipaddress.IPv4Address(raw[4:8])}:{port}"
    if fam == socket.AF_INET6 and len(raw) >= 24:
        port = struct.unpack_from(">H", raw, 2)[0]
        return f"[{ipaddress.IPv6Address(raw[8:24])}]:{port}"
    if fam == socket.AF_UNIX:
        path = raw[2:]
        if path[:1] == b"\0":  # abstract socket (unix(7)): shown with a leading @
            return "@" + path[1:].split(b"\0", 1)[0].decode(errors="replace")
        return path.split(b"\0", 1)[0].decode(errors="replace")
    return None


@functools.lru_cache(maxsize=4096)
def _quote_small(data: bytes) -> str:
    return quote(data)


def _quote(data: bytes) -> str:
    """strace's quoting of a data buffer; the short ones (a byte-at-a-time reader, a pipe's
    token) repeat, so they are remembered."""
    return _quote_small(data) if len(data) <= 16 else quote(data)


def _arg_text(v: int) -> str:
    if v < 0x10000:
        return str(v)
    if v >= 1 << 63:
        return str(v - (1 << 64))
    return hex(v)


def _arg_text32(v: int) -> str:
    """An i386 call's argument: 32 bits, so -4095..-1 (AT_FDCWD, -1 fds) are the top values."""
    return str(v - (1 << 32)) if v >= 0xFFFFF000 else _arg_text(v)


class _ArchMaps:
    """Per-table lookups of what the kernel copied for each call number."""

    def __init__(self, arch: str) -> None:
        nrs = names.by_name(arch)
        self.names = names.by_nr(arch)
        self.nargs = names.nargs(arch)
        self.path_args = {nrs[n]: i for n, (i, _h) in roles.PATH_ARGS.items() if n in nrs}
        self.data_how = {nrs[n]: how for n, how in roles.DATA_ARGS.items() if n in nrs}
        self.arg_text = _arg_text32 if arch == "i386" else _arg_text
        self.nrs = nrs
        self.arch = arch
        self._specs: dict[str, tuple[ArgSpec, ...]] = {}

    def spec(self, name: str) -> tuple[ArgSpec, ...]:
        """How a call's structured arguments are found (SyscallEvent.structured_args): the
        kernel's parameter names; the path, socket address and data buffer take the values the
        kernel side copied (None when it copied nothing), the rest are their registers."""
        got = self._specs.get(name)
        if got is None:
            info = table(self.arch).by_name(name)
            stored = {roles.PATH_ARGS[name][0]} if name in roles.PATH_ARGS else set()
            if roles.DATA_ARGS.get(name) == "data":
                stored |= {1, 4} if name in ("sendto", "recvfrom") else {1}
            got = self._specs[name] = tuple(ArgSpec(n, None, i in stored)
                                            for i, n in enumerate(info.arg_names if info is not None else ()))
        return got


class Converter:
    """RawEvent -> Event, maintaining the Context's process and fd tables."""

    def __init__(self, ctx: Context, mono_to_wall: float) -> None:
        self.ctx = ctx
        self.off = mono_to_wall
        self.maps = {"x86_64": _ArchMaps("x86_64"), "i386": _ArchMaps("i386")}

    def convert(self, r: RawEvent) -> Event:
        if r.kind == KIND_FORK:
            return ProcessEvent("spawn", pid=r.pid, tid=r.tid, ts=r.ts_enter / 1e9 + self.off,
                                parent=r.args[0], is_thread=r.pid != r.tid)
        if r.kind == KIND_EXEC:
            fn = r.buf.split(b"\0", 1)[0].decode(errors="replace")
            self._refresh_proc(r.pid, r.comm, r.ppid, r.uid)
            if not self.ctx.procs[r.pid].exe:
                # already gone from /proc: the kernel's bprm->filename is what it ran
                self.ctx.procs[r.pid].exe = fn
            return ProcessEvent("exec", pid=r.pid, tid=r.tid, ts=r.ts_enter / 1e9 + self.off,
                                filename=fn, argv=self.ctx.procs[r.pid].cmdline)
        if r.kind == KIND_EXIT:
            code = r.ret
            return ExitEvent(pid=r.pid, tid=r.tid, ts=r.ts_enter / 1e9 + self.off,
                             exit_code=(code >> 8) & 0xFF if not code & 0x7F else None,
                             signo=code & 0x7F or None, core_dumped=bool(code & 0x80))
        arch = "i386" if r.flags & EV_COMPAT else "x86_64"
        m = self.maps[arch]
        nr = r.nr
        if r.flags & EV_SOCKETCALL:
            # an i386 socketcall(2) the kernel side unpacked: shown as its call, as strace does,
            # numbered as the direct i386 call where there is one (send/recv/accept: socketcall's)
            name, n = roles.SOCKETCALLS.get(r.flags >> EV_CALL_SHIFT, ("socketcall", 2))
            nr = m.nrs.get(name, nr)
            args = [m.arg_text(a) for a in r.args[:n]]
            how = roles.DATA_ARGS.get(name)
        else:
            name = m.names.get(nr) or f"syscall_{nr}"
            args = [m.arg_text(a) for a in r.args[:m.nargs.get(nr, 6)]]
            how = m.data_how.get(nr)
        paths: tuple[str, ...] = ()
        values: dict[int, Any] = {}  # structured values of what the kernel side copied
        if r.buf_kind == BUF_STR:
            s = r.buf.split(b"\0", 1)[0].decode(errors="replace")
            paths = (s,)
            i = m.path_args.get(nr)
            if i is not None and i < len(args):
                args[i] = '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
                values[i] = os.fsdecode(r.buf.split(b"\0", 1)[0])
        elif r.buf_kind == BUF_SOCK:
            a = decode_sockaddr(r.buf)
            if a is not None:
                paths = (a,)
            if name in roles.PATH_ARGS:
                values[roles.PATH_ARGS[name][0]] = sockaddr_value(r.buf, arch)
        elif r.buf_kind == BUF_DATA and len(args) > 1:
            # the data read or written, as the ptrace decoder prints a buffer (strace's quoting,
            # "..." when more moved than the kernel copied)
            more = "..." if r.ret > len(r.buf) else ""
            if how == "iov":
                rest = ", ..." if r.args[2] > 1 else ""  # iovcnt: only the first is copied
                args[1] = f'[{{iov_base="{_quote(r.buf)}"{more}}}{rest}]'
            else:
                args[1] = f'"{_quote(r.buf)}"{more}'
                values[1] = r.buf
        elif r.buf_kind == BUF_ADDR_DATA and len(args) > 4:
            # sendto/recvfrom with an address: both, laid out as a msghdr's (read_msg)
            slot = (r.flags >> EV_ADDR_SHIFT) & 0xFF
            namelen = (r.flags >> (EV_ADDR_SHIFT + 8)) & 0xFF
            data = r.buf[slot:]
            if data:
                more = "..." if r.ret > len(data) else ""
                args[1] = f'"{_quote(data)}"{more}'
                values[1] = data
            if namelen:
                raw = r.buf[:namelen]
                a = decode_sockaddr(raw)
                if a is not None:
                    paths = (a,)
                args[4] = _strace_sockaddr(raw, arch)
                values[4] = sockaddr_value(raw, arch)
        elif r.buf_kind in (BUF_MSG, BUF_MMSG) and len(args) > 1:
            # struct msghdr as strace prints it, with what the kernel copied: msg_name and the
            # first iovec's data (syscope.bpf.c read_msg)
            slot = (r.flags >> EV_ADDR_SHIFT) & 0xFF
            namelen = (r.flags >> (EV_ADDR_SHIFT + 8)) & 0xFF
            data = r.buf[slot:]
            parts = []
            if namelen:
                raw = r.buf[:namelen]
                a = decode_sockaddr(raw)
                if a is not None:
                    paths = (a,)
                parts.append(f"msg_name={_strace_sockaddr(raw, arch)}, msg_namelen={namelen}")
            if r.buf_kind == BUF_MSG:
                more = "..." if r.ret > len(data) else ""
            else:  # ret counts messages; the first one's length is not in the record
                more = "..." if len(data) >= min(255, 256 - slot) else ""
            if data:
                parts.append(f'msg_iov=[{{iov_base="{_quote(data)}"{more}}}]')
            hdr = "{" + ", ".join(parts) + "}"
            args[1] = hdr if r.buf_kind == BUF_MSG else f"[{{msg_hdr={hdr}}}, ...]"
        ret = r.ret
        err = -ret if -4096 < ret < 0 else None
        ev = SyscallEvent(pid=r.pid, tid=r.tid, arch=arch, nr=nr, name=name,
                          raw_args=tuple(r.args), ts_enter=r.ts_enter / 1e9 + self.off,
                          phase="exit", args=args, n_entry_args=6, retval=ret, errno=err,
                          ret_text=(f"-1 {_errno.errorcode.get(err, err)}" if err else str(ret)),
                          ts_exit=r.ts_exit / 1e9 + self.off, comm=r.comm, ppid=r.ppid, uid=r.uid,
                          cpu=r.cpu, paths=paths, arg_values=values or None, arg_spec=m.spec(name))
        if r.pid not in self.ctx.procs:
            self._refresh_proc(r.pid, r.comm, r.ppid, r.uid)
        return ev

    def _refresh_proc(self, pid: int, comm: str, ppid: int, uid: int) -> None:
        info = ProcInfo(pid=pid, name=comm, ppid=ppid, uid=uid)
        fill_from_procfs(info)  # a process already gone keeps what the kernel told us
        self.ctx.procs[pid] = info

    def settle(self, ev: Event) -> None:
        """Update the fd table for ``ev`` once its consumer is done with it (so the fields of a
        close(2) still see the name of the fd it closes): the same table the ptrace source's
        filters keep (syscope.context.track_fds)."""
        if not isinstance(ev, SyscallEvent):
            return
        track_fds(ev, self.ctx)
        if ev.name in ("execve", "execveat") and ev.errno is None and ev.pid in self.ctx.procs:
            self._refresh_proc(ev.pid, ev.comm or "", ev.ppid or 0, ev.uid or 0)


def watch_events(argv: list[str] | None = None, duration: float | None = None,
                 ctx: Context | None = None, stats: WatchStats | None = None,
                 ring_size: int | None = None, tick: Callable[[], None] | None = None) -> Iterator[Event]:
    """Yield live events: system-wide, or only ``argv``'s process tree (started here).

    Stops when ``duration`` seconds have passed, or when the command's process exits.  ``tick`` is
    called after each drain of the ring, events or none, so a consumer can keep time on a quiet
    system (sysdig's live chisels print a table every second even when nothing happened).
    """
    ctx = ctx if ctx is not None else Context()
    stats = stats if stats is not None else WatchStats()
    with Probe(mode=MODE_STREAM, scoped=argv is not None, ring_size=ring_size) as probe:
        conv = Converter(ctx, probe.mono_to_wall)
        child = None
        if argv is not None:
            child, gate = spawn_parked(argv)
            try:
                probe.mark(child, pending=True)
            finally:
                os.close(gate)
        deadline = time.monotonic() + duration if duration is not None else None
        done = False
        try:
            while True:
                for r in probe.read():
                    stats.events += 1
                    ev = conv.convert(r)
                    yield ev
                    # after the consumer saw it: a close(2) still names the fd it closes
                    conv.settle(ev)
                stats.dropped = probe.dropped()
                if tick is not None:
                    tick()
                if done:
                    break
                if child is not None:
                    pid, _st = os.waitpid(child, os.WNOHANG)
                    if pid:
                        child = None
                        done = True  # one more drain for what the tree wrote before exiting
                        continue
                if deadline is not None and time.monotonic() >= deadline:
                    done = True
                    continue
                time.sleep(POLL_INTERVAL)
        finally:
            if child is not None:
                # Interrupted: the command keeps running unwatched, as strace leaves a command it
                # detaches from; reap it so no zombie stays behind.
                try:
                    os.waitpid(child, 0)
                except ChildProcessError:
                    pass
