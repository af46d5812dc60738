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

from syscope._kernel.libbpf import DISCARD
from syscope.context import Context, ProcInfo, fill_from_procfs, track_fds
from syscope.decode.fmt import quote
from syscope.decode.sockaddr import sockaddr as _strace_sockaddr
from syscope.decode.sockaddr import sockaddr_value
from syscope.events import ArgSpec, Event, ExitEvent, ProcessEvent, SockAddr, SyscallEvent
from syscope.sources.ebpf import names
from syscope.sources.ebpf.selection import KernelSelection
from syscope.sources.ebpf.source import (
    BUF_ADDR_DATA,
    BUF_DATA,
    BUF_MMSG,
    BUF_MSG,
    BUF_SOCK,
    BUF_STR,
    COMPAT_BASE,
    EV_ADDR_SHIFT,
    EV_CALL_SHIFT,
    EV_COMPAT,
    EV_SOCKETCALL,
    KIND_ARGV,
    KIND_EXEC,
    KIND_EXIT,
    KIND_FORK,
    KIND_SYSCALL,
    MODE_STREAM,
    RECORD,
    SELNR_ALWAYS,
    SELNR_YES,
    Probe,
    RawEvent,
    raw_event,
    spawn_parked,
)
from syscope.syscalls import roles, table

POLL_INTERVAL = 0.01  # seconds between ring-buffer drains
STOP_STALL = 1.0  # seconds a stop's drain waits for a record still being written


@dataclass
class WatchStats:
    events: int = 0  # records read from the ring
    dropped: int = 0  # records the kernel could not write (ring full)
    exit_status: int | None = None  # the command's (watch -- CMD): as the shell reports it
    record: bytes = b""  # the ring record of the event being yielded (keep_records)


# ``watch -- CMD``: one process tree can make a syscall every microsecond or so on one CPU
# (dd bs=1); 64 MiB of 384-byte records is ~170,000 records, over 100 ms of such a stream, so a
# consumer that is descheduled for a while on a loaded machine does not make the kernel drop.
COMMAND_RING_SIZE = 64 << 20


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


def _msghdr_value(name: SockAddr | None, namelen: int, data: bytes, mmsg: bool) -> Any:
    """The structured value of a struct msghdr (or, ``mmsg``, of an mmsghdr array: its first
    message) with what the kernel side copied: msg_name and the first iovec's data; the same keys
    as the ptrace decoder's (syscope.decode.kinds.net), None for what was not copied."""
    hdr = {"msg_name": name, "msg_namelen": namelen or None,
           "msg_iov": [{"iov_base": data, "iov_len": None}] if data else None,
           "msg_iovlen": None, "msg_controllen": None, "msg_flags": None}
    return [{"msg_hdr": hdr, "msg_len": None}] if mmsg else hdr


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
        kernel's parameter names; the path, socket address and data buffer (of every layout:
        bytes, iovec array, msghdr, mmsghdr array) take the values the kernel side copied (None
        when it copied nothing), the rest are their registers."""
        got = self._specs.get(name)
        if got is None:
            info = table(self.arch).by_name(name)
            # the path, else the socket address (sendto/recvfrom's too: PATH_ARGS), and the buffer
            stored = {roles.PATH_ARGS[name][0]} if name in roles.PATH_ARGS else set()
            r = roles.roles(name)
            buf = r.out_buf if r.io == "read" else r.in_buf if r.io == "write" else None
            if buf is not None:
                stored.add(buf.index)
            got = self._specs[name] = tuple(ArgSpec(n, None, i in stored)
                                            for i, n in enumerate(info.arg_names if info is not None else ()))
        return got


class Converter:
    """RawEvent -> Event, maintaining the Context's process and fd tables."""

    def __init__(self, ctx: Context, mono_to_wall: float) -> None:
        self.ctx = ctx
        self.off = mono_to_wall
        self.maps = {"x86_64": _ArchMaps("x86_64"), "i386": _ArchMaps("i386")}
        self._argv: dict[int, list[bytes]] = {}  # tid -> argv pieces before its exec record

    def convert(self, r: RawEvent) -> Event | None:
        """The event of record ``r``; None for a record that only carries facts (a piece of an
        exec's argv, kept until its exec record)."""
        if r.kind == KIND_ARGV:
            self._argv.setdefault(r.tid, []).append(r.buf)
            return None
        if r.kind == KIND_FORK:
            if r.pid == r.tid:  # a new process, not a thread
                self.ctx.on_fork(r.pid, r.ppid)
            return ProcessEvent("spawn", pid=r.pid, tid=r.tid, ts=r.ts_enter / 1e9 + self.off,
                                parent=r.args[0], is_thread=r.pid != r.tid)
        if r.kind == KIND_EXEC:
            info = self._exec_facts(r)
            self.ctx.on_exec(info)
            return ProcessEvent("exec", pid=r.pid, tid=r.tid, ts=r.ts_enter / 1e9 + self.off,
                                filename=info.exe, argv=info.cmdline)
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
                values[1] = [{"iov_base": r.buf, "iov_len": None}]  # iov_len is not copied
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
            name_v = None
            if namelen:
                raw = r.buf[:namelen]
                a = decode_sockaddr(raw)
                if a is not None:
                    paths = (a,)
                parts.append(f"msg_name={_strace_sockaddr(raw, arch)}, msg_namelen={namelen}")
                name_v = sockaddr_value(raw, arch)
            if r.buf_kind == BUF_MSG:
                more = "..." if r.ret > len(data) else ""
            else:  # ret counts messages; the first one's length is not in the record
                more = "..." if len(data) >= min(255, 256 - slot) else ""
            if data:
                parts.append(f'msg_iov=[{{iov_base="{_quote(data)}"{more}}}]')
            hdr = "{" + ", ".join(parts) + "}"
            args[1] = hdr if r.buf_kind == BUF_MSG else f"[{{msg_hdr={hdr}}}, ...]"
            values[1] = _msghdr_value(name_v, namelen, data, r.buf_kind == BUF_MMSG)
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

    def _exec_facts(self, r: RawEvent) -> ProcInfo:
        """The process facts the exec hook recorded (syscope.bpf.c on_exec): args[1] gid,
        args[2] cgroup id, args[3] argv's length, args[4] pieces sent, args[5] pid namespace;
        the argv pieces came just before, from the same thread."""
        pieces = self._argv.pop(r.tid, [])
        raw = b"".join(pieces)
        # a piece lost to a full ring, or argv longer than the bound: what is there is a prefix
        truncated = len(raw) < r.args[3] or len(pieces) < r.args[4]
        argv = raw[:r.args[3]].split(b"\0")
        if argv and argv[-1] == b"":
            argv.pop()
        fn = r.buf.split(b"\0", 1)[0]
        info = ProcInfo(pid=r.pid, name=r.comm, ppid=r.ppid, uid=r.uid, gid=r.args[1],
                        exe=os.fsdecode(fn), cmdline=tuple(os.fsdecode(a) for a in argv),
                        cgroup_id=r.args[2] or None, pidns=r.args[5] or None,
                        args_truncated=truncated)
        if self.ctx.live and not fn.startswith(b"/"):
            # bprm->filename is the name as passed to execve (relative, or /dev/fd/N for
            # fexecve): the exe link names the file, while the process is still there
            try:
                info.exe = os.readlink(f"/proc/{r.pid}/exe")
            except OSError:
                pass
        return info

    def _refresh_proc(self, pid: int, comm: str, ppid: int, uid: int) -> None:
        info = ProcInfo(pid=pid, name=comm, ppid=ppid, uid=uid)
        if self.ctx.live:
            fill_from_procfs(info)  # a process already gone keeps what the kernel told us
        self.ctx.procs[pid] = info

    def settle(self, ev: Event) -> None:
        """Update the fd table for ``ev`` once its consumer is done with it (so the fields of a
        close(2) still see the name of the fd it closes): the same table the ptrace source's
        filters keep (syscope.context.track_fds)."""
        if isinstance(ev, ExitEvent):
            if ev.pid == ev.tid:  # the process is gone (its leader exits last: exit(2))
                self.ctx.on_exit(ev.pid)
            return
        if not isinstance(ev, SyscallEvent):
            return
        track_fds(ev, self.ctx)


_SKIP, _SETTLE, _YIELD = 0, 1, 2


class _Gate:
    """The kernel's selection again, on the parsed tuples, before any event object is built:
    records sent only to keep the fd table (another process's open/close, SELNR_ALWAYS) update it
    without being yielded, and records the kernel would not have sent (a selection the hooks
    could not hold) are skipped unparsed."""

    def __init__(self, sel: KernelSelection) -> None:
        self.entries = sel.nr_entries() if sel.syscalls is not None else None
        self.tgids = sel.tgids
        self.uids = sel.uids
        keys = sel.comm_keys()
        self.comms = frozenset(keys) if keys is not None else None

    def decide(self, t: tuple[Any, ...]) -> int:
        if t[17] != KIND_SYSCALL:
            return _YIELD  # fork/exec/exit/argv: always
        if self.entries is not None:
            e = self.entries.get(t[15] + (COMPAT_BASE if t[20] & EV_COMPAT else 0), 0)
            if not e:
                return _SKIP
            if not e & SELNR_YES:
                return _SETTLE
            fallback = _SETTLE if e & SELNR_ALWAYS else _SKIP
        else:
            fallback = _SKIP
        if (self.tgids is not None and t[11] not in self.tgids) or \
                (self.uids is not None and t[14] not in self.uids) or \
                (self.comms is not None and t[21] not in self.comms):
            return fallback
        return _YIELD


class _LastDrain:
    """The drains of a stopping watch (the command exited, --duration, a signal): up to the
    producer's position when the stop came, so every record the kernel had written by then is
    delivered, however far behind the consumer was (sysdig too flushes the kernel's buffers on
    SIGINT/SIGTERM); not further, as a system-wide ring never empties."""

    def __init__(self, probe: Probe) -> None:
        self.probe = probe
        self.to = probe.produced()
        self.stalled_at: float | None = None

    def over(self, took: int) -> bool:
        """After a drain that took ``took`` records: whether the stop's records are all taken
        (or one still being written did not come within STOP_STALL)."""
        if not self.probe.unread(self.to):
            return True
        if took:
            self.stalled_at = None
            return False  # read_batch takes one bounded batch: the rest is still there
        # records left, none taken: the next one is still being written (reserved, not yet
        # committed: kernel/bpf/ringbuf.c; its producer was preempted inside the hook), which
        # takes microseconds of that task's time: wait for it, a while
        now = time.monotonic()
        if self.stalled_at is None:
            self.stalled_at = now
        elif now - self.stalled_at >= STOP_STALL:
            return True
        time.sleep(POLL_INTERVAL / 10)
        return False


def watch_events(argv: list[str] | None = None, duration: float | None = None,
                 ctx: Context | None = None, stats: WatchStats | None = None,
                 ring_size: int | None = None, tick: Callable[[], None] | None = None,
                 selection: KernelSelection | None = None,
                 raw_sink: Callable[[bytes, int], None] | None = None, events: bool = True,
                 keep_records: bool = False,
                 started: Callable[[int | None], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> Iterator[Event]:
    """Yield live events: system-wide, or only ``argv``'s process tree (started here).

    Stops when ``duration`` seconds have passed, or when the command's process exits (its exit
    status is then ``stats.exit_status``).  ``tick`` is called after each drain of the ring,
    events or none, so a consumer can keep time on a quiet system (sysdig's live chisels print a
    table every second even when nothing happened) and report drops as they grow.

    ``selection``: what the BPF hooks may leave out (``syscope.filters.pushdown``).
    ``raw_sink(data, n)`` gets every drained batch as ring records, before any parsing (a
    capture file stores them as they are); with ``events=False`` nothing else is done with them
    (no parsing, nothing yielded).  ``keep_records``: ``stats.record`` holds the ring record of
    the event being yielded.  ``started(pid)`` is called once the hooks are attached (pid: the
    command's, parked before its exec; None system-wide).  ``stop()`` true: stop once what the
    kernel had written by then is drained (a signal handler sets it, so a stop never lands inside
    a consumer's write).
    """
    ctx = ctx if ctx is not None else Context()
    stats = stats if stats is not None else WatchStats()
    if ring_size is None and argv is not None:
        ring_size = COMMAND_RING_SIZE
    with Probe(mode=MODE_STREAM, scoped=argv is not None, ring_size=ring_size,
               selection=selection) as probe:
        conv = Converter(ctx, probe.mono_to_wall)
        busy = (probe.ring.size if probe.ring is not None else 1 << 24) // 8
        child = None
        if argv is not None:
            child, gate = spawn_parked(argv)
            try:
                probe.mark(child, pending=True)
                # parked before its exec: the fds it has are the ones the command starts with
                ctx.seed_from_procfs(child)
                if started is not None:
                    started(child)
            finally:
                os.close(gate)
        else:
            # after the hooks are attached: a process started since is in the stream
            ctx.seed_from_procfs()
            if started is not None:
                started(None)
        deadline = time.monotonic() + duration if duration is not None else None
        last: _LastDrain | None = None  # once stopping
        size = RECORD.size
        argv_records: dict[int, bytes] = {}  # tid -> its argv pieces' records (keep_records)
        raw_gate = _Gate(selection) if selection is not None and not selection.is_everything() else None
        try:
            while True:
                data, n = probe.read_batch()
                if n:
                    stats.events += n
                    if raw_sink is not None:
                        raw_sink(data, n)
                    if events:
                        for i, t in enumerate(RECORD.iter_unpack(data)):
                            if t[0] & DISCARD:
                                continue
                            how = raw_gate.decide(t) if raw_gate is not None else _YIELD
                            if how == _SKIP:
                                continue
                            ev = conv.convert(raw_event(t))
                            if how == _SETTLE and ev is not None:
                                conv.settle(ev)  # the fd table's call of another process
                                continue
                            if keep_records:
                                rec = data[i * size:(i + 1) * size]
                                if ev is None:  # an argv piece: kept with its exec's record
                                    argv_records[t[12]] = argv_records.get(t[12], b"") + rec
                                    continue
                                stats.record = argv_records.pop(ev.tid, b"") + rec \
                                    if isinstance(ev, ProcessEvent) and ev.what == "exec" else rec
                            if ev is None:
                                continue
                            yield ev
                            # after the consumer saw it: a close(2) still names the fd it closes
                            conv.settle(ev)
                stats.dropped = probe.dropped()
                if tick is not None:
                    tick()
                if last is not None:
                    if last.over(n):
                        break
                    continue
                done = False
                if child is not None:
                    pid, status = os.waitpid(child, os.WNOHANG)
                    if pid:
                        child = None
                        stats.exit_status = os.waitstatus_to_exitcode(status)
                        # The watched tree has exited: what it left in the ring is drained to
                        # the end (one batch would silently lose what a busy command left).
                        done = True
                if deadline is not None and time.monotonic() >= deadline:
                    done = True
                if stop is not None and stop():
                    done = True
                if done:
                    last = _LastDrain(probe)
                    continue
                if n * size < busy:
                    # a busy ring is drained again at once; a quiet one every POLL_INTERVAL
                    time.sleep(POLL_INTERVAL)
        finally:
            if raw_sink is not None:
                # stopped early (signal, -n, a consumer's error): what the kernel already
                # wrote still goes to the capture
                data, n = probe.read_batch()
                if n:
                    stats.events += n
                    raw_sink(data, n)
                stats.dropped = probe.dropped()
            if child is not None:
                # Interrupted: the command keeps running unwatched, as strace leaves a command it
                # detaches from; reap it so no zombie stays behind.
                try:
                    _pid, status = os.waitpid(child, 0)
                    stats.exit_status = os.waitstatus_to_exitcode(status)
                except ChildProcessError:
                    pass
