"""The eBPF tracer: strace's lines from what ``trace.bpf.c`` copied in the kernel.

``EbpfTracer`` has the shape of the ptrace ``Tracer`` the trace command drives (``events()``,
``tasks``, ``decoder``, ``exit_status``, ``request_stop()``, ``detach_all()``): it starts the
command parked before its execve (or takes the threads of ``-p`` PIDs), gives them an entry in
the BPF program's ``tasks`` task storage (keyed by a pidfd), fills the ``plan`` map
(``trace_plan``), and turns each ring record into a ``SyscallEvent`` decoded by the same
``Decoder`` the ptrace source uses, reading the copied bytes through ``CapturedMemory`` instead of
the stopped tracee's memory.

Lines come in the order the kernel finished the calls (the ring is filled in reservation order,
taken at sys_exit), so each thread's calls are in order and threads interleave by time.
"""

from __future__ import annotations

import os
import select
import struct
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from syscope._kernel import libbpf
from syscope.decode import DecodeOptions, format_siginfo
from syscope.errors import NoSuchProcess
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.sources.attach import tasks_to_attach
from syscope.sources.ebpf import names
from syscope.sources.ebpf.line_writer import LineWriter
from syscope.sources.ebpf.source import spawn_parked, switch_out_every_cpu
from syscope.sources.ebpf.trace_fds import decoder_for
from syscope.sources.ebpf.trace_plan import plan_entries
from syscope.sources.ebpf.trace_records import (
    CAP,
    FIRST_RING_SIZE,
    HDR,
    HIST,
    HIST_REC,
    REC_ENTER,
    REC_EXIT,
    REC_FORK,
    REC_GONE,
    REC_REPEAT,
    REC_RUNOPEN,
    REC_SIGNAL,
    RF_COMPAT,
    RF_CUT,
    RF_INCALL,
    RING_GROWTH,
    TASK_VALUE,
    TSTATE,
    VALS,
    VALS_AT,
    VARY_AT,
    CapturedMemory,
    captures,
    default_ring_size,
)

OBJECT = Path(__file__).with_name("trace.bpf.o")
# pidfd_open(2) of a thread that is not its process's leader needs PIDFD_THREAD (Linux 6.9,
# include/uapi/linux/pidfd.h: it is O_EXCL)
PIDFD_THREAD = os.O_EXCL
TS_TRACKED, TS_PENDING, TS_ATTACHED = 1, 2, 8
# The consumer's wait in epoll with no news: a stop request (SIGINT's flag) or records sent without
# a wake-up (trace.bpf.c run_wakeup's runs, RUN_NS 0.1 s) are seen no later than this.
STOP_CHECK = 0.1
_ERRNO_MAX = 4095
_RING_HDR = struct.Struct("<I")  # the length word of a ring record's header (libbpf.RingReader)
_DISCARD = libbpf.DISCARD


class EbpfTracer:
    """One eBPF tracing session of a command (``argv``) or of running processes (``pids``)."""

    decoding = True  # (as the ptrace Tracer's: its calls are decoded, by this decoder)

    def __init__(self, argv: list[str] | None, pids: list[int], follow_forks: bool = False,
                 options: DecodeOptions | None = None, ring_size: int | None = None,
                 select: Callable[[str, int], bool] | None = None,
                 select_call: Callable[[str, int, int], bool] | None = None) -> None:
        """``ring_size``: the first ring's (a power of 2, at least a page; FIRST_RING_SIZE or the
        largest ring if smaller by default); it grows up to default_ring_size().  ``select_call``:
        -e trace='s choice by (arch, nr, first argument): an i386 socketcall/ipc by its call."""
        self.argv, self.pids, self.follow = argv, pids, follow_forks
        self.select = select  # -e trace=: (arch, nr) -> shown?
        self._select_args = select_call or (None if select is None else lambda arch, nr, _a: select(arch, nr))
        self.decoder, self._fds = decoder_for(options or DecodeOptions())
        self.tasks: dict[int, int] = {}  # tid -> pid of every traced live task
        self.child: int | None = None
        self.exit_status: int | None = None
        self.detached: list[int] = []
        self.dropped = 0
        self.partial_calls = 0  # lines the plan could not copy everything for
        self._stop = False
        self._obj = libbpf.BpfObject(OBJECT)
        try:
            self._ring_cap = default_ring_size()
            self._obj.set_max_entries("ring", ring_size or min(FIRST_RING_SIZE, self._ring_cap))
            self._exec_hook = libbpf.kernel_has_tracepoint("sched_prepare_exec")
            self._obj.set_autoload("trace_prepare_exec", self._exec_hook)
            self._obj.load()
            self._gen = 0
            self._tasks = self._obj.map("tasks")
            plan = self._obj.map("plan")
            opts = self.decoder.opts
            entries, self._partial = plan_entries(opts.string_limit, dumps=bool(opts.read_fds or opts.write_fds),
                                                  whole=opts.verbose or not opts.abbrev)
            for nr, raw in entries.items():
                plan.update(struct.pack("<I", nr), raw)
            self._config(compress=False)
            for p in ("trace_enter", "trace_exit", "trace_fork", "trace_gone", "trace_signal", "trace_deliver",
                      "trace_switch", *(("trace_prepare_exec",) if self._exec_hook else ())):
                self._obj.attach(p)  # (sched_prepare_exec: Linux 6.10; tasks are marked after all are)
            self._ring_map = self._obj.map("ring")
            self._ring = libbpf.RingReader(self._ring_map)
            # a bigger ring put in the kernel's slot, read once the current one is at its end
            self._next_ring: tuple[libbpf.BpfMap, libbpf.RingReader] | None = None
        except BaseException:
            self._obj.close()
            raise
        self._drops = self._obj.map("tdrops")
        self._names = names.by_nr("x86_64")
        self._names32 = names.by_nr("i386")
        self.mono_to_wall = time.time() - time.clock_gettime(time.CLOCK_MONOTONIC)
        self._entries: dict[int, list[tuple[int, bytes, bool]]] = {}
        self._entry_sp: dict[int, int] = {}
        self._cache: dict[bytes, tuple[Any, ...]] | None = None if self.decoder.opts.decode_fds else {}
        # write_lines: record (all but its timestamps) -> its line; looked up by a memoryview
        self._lines: dict[bytes | memoryview, str] | None = None
        self._writer = LineWriter(sys.stderr)  # write_lines: the lines, a batch a write
        self._parts = self._writer.parts  # lines not written yet
        self._line_partial: dict[bytes | memoryview, int] = {}
        # write_lines: a varying run's pattern (its record but timestamps and word) -> (word -> its
        # line, word -> what it adds to the end note when not 0)
        self._varying: dict[bytes, tuple[dict[int, str], dict[int, int]]] = {}
        self._render: Callable[[SyscallEvent], str] = str
        # signals sent to a thread and not yet placed among its lines: (kernel ns, event)
        self._signals: dict[int, list[tuple[int, SignalEvent]]] = {}
        self._gate = -1
        self._pidfds: list[int] = []
        # threads with a run open (REC_RUNOPEN, no REC_REPEAT yet); others' records held meanwhile
        self._open_runs: set[int] = set()
        self._held: list[bytes] = []
        # every task is counted in tlive before it is marked: from then on the kernel counts
        # (trace.bpf.c: runs of repeats are kept only while the tree is one task)
        attach = {pid: self._threads(pid) for pid in pids}
        live = struct.pack("<q", sum(map(len, attach.values())) + (1 if argv else 0))
        self._obj.map("tlive").update(b"\0\0\0\0", live)
        if argv:
            self.child, self._gate = spawn_parked(argv)
            self._mark(self.child, TS_PENDING)
            self.tasks[self.child] = self.child
            if self._fds is not None:
                self._fds.seed(self.child, exec_next=True)
        for pid, tids in attach.items():
            if self._fds is not None:
                self._fds.seed(pid)
            for tid in tids:
                self._mark(tid, TS_TRACKED | TS_ATTACHED, entered=time.monotonic_ns())  # attached_call
                self.tasks[tid] = pid
        self._config(compress=False)  # the tasks just marked: looked up from now on

    def _config(self, compress: bool, stop: bool = False) -> None:
        # a new generation each time: a thread the kernel found untraced is looked up again
        # (trace.bpf.c struct hot), so the tasks marked before this call are seen from now on
        self._gen += 1
        self._obj.map("tconfig").update(b"\0\0\0\0", struct.pack("<IIIIII", os.getpid(), int(self.follow),
                                                                     int(compress), int(stop), self._gen,
                                                                     int(self._exec_hook)))

    @staticmethod
    def _pidfd(tid: int) -> int | None:
        """A pidfd of thread ``tid`` (the tasks map's key), None when it is gone."""
        try:
            return os.pidfd_open(tid, PIDFD_THREAD)
        except ProcessLookupError:
            return None
        except OSError as exc:
            raise NoSuchProcess(f"attach: pid {tid}: {exc.strerror}") from None

    def _mark(self, tid: int, state: int, entered: int = 0) -> None:
        # struct tstate's state and ts: the entry time of a call in progress (CLOCK_MONOTONIC)
        fd = self._pidfd(tid)
        if fd is None:
            raise NoSuchProcess(f"attach: pid {tid}: No such process")
        try:
            self._tasks.update(struct.pack("<i", fd), struct.pack("<I12xQ", state, entered).ljust(TASK_VALUE, b"\0"))
        finally:
            os.close(fd)

    def _threads(self, pid: int) -> list[int]:
        """The tasks -p PID traces: PID, and with -f its other threads (strace's attach_tcb)."""
        if not os.path.isdir(f"/proc/{pid}/task"):
            raise NoSuchProcess(f"attach: pid {pid}: No such process")
        return tasks_to_attach(pid, self.follow)

    def write_lines(self, out: TextIO, render: Callable[[SyscallEvent], str]) -> None:
        """Write each completed call's line to ``out`` here, instead of yielding its event:
        ``render`` makes the line of an event (the strace text sink's, into a string), and a
        call whose thread, registers, result and copied bytes repeat reuses its line.  For a
        plain trace (no timestamps, filters or other consumers of the events), where a line
        depends on nothing else; everything else is still yielded, in order, to the same stream."""
        self._writer = LineWriter(out)
        self._parts = self._writer.parts
        self._render = render
        self._lines = {} if self._cache is not None else None
        if self._lines is not None:
            # a line is then its record's alone: the kernel may send a run of repeated calls as
            # one REC_REPEAT (trace.bpf.c in_run)
            self._config(compress=True)

    def request_stop(self, *_: object) -> None:
        self._stop = True

    def detach_all(self) -> None:
        """Nothing is stopped by this tracer: detaching is unloading the programs (and reaping
        the command if it was started here and is gone)."""
        if self._gate >= 0:
            os.close(self._gate)  # a command never released still runs, untraced
            self._gate = -1
        for tid in list(self.tasks):
            if self.argv is None and os.path.exists(f"/proc/{tid}"):
                self.detached.append(tid)
        self.tasks.clear()
        self.close()

    def close(self) -> None:
        for fd in self._pidfds:
            os.close(fd)
        self._pidfds = []
        if self._obj is not None:
            self._ring.close()
            self._ring_map.close()
            if self._next_ring is not None:
                self._next_ring[1].close()
                self._next_ring[0].close()
                self._next_ring = None
            self._obj.close()
            self._obj = None  # type: ignore[assignment]

    def drops(self) -> int:
        return sum(struct.unpack("<Q", raw)[0] for raw in self._drops.lookup_percpu(b"\0\0\0\0"))

    # -- the event stream ------------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        if self.pids:
            # a process's other threads first, its own event last: "Process P attached with N
            # threads", as strace's attach_tcb says it (cli/trace_output.py counts them)
            attached = [ProcessEvent("attach", pid, tid, time.time(), is_thread=tid != pid)
                        for tid, pid in self.tasks.items()]
            yield from sorted(attached, key=lambda ev: not ev.is_thread)
        if self._lines is None and self._ring.size < self._ring_cap:
            # each record is an event decoded and handed on here (not a line kept for reuse):
            # ten times slower than a plain trace's, so the consumer may fall behind by most
            # of what the command makes, faster than a growing ring could follow
            self._grow_ring(self._ring_cap)
        if self._gate >= 0:
            os.close(self._gate)  # the command may exec now: its execve is the first line
            self._gate = -1
        with self._wakeups() as ep:
            yield from self._consume(ep)
        for tid in list(self._signals):
            yield from self._signals_before(tid, 1 << 64)
        self.dropped = self.drops()

    def _wakeups(self) -> select.epoll:
        """What the consumer waits for when it has caught up: the ring (the kernel wakes it when
        a call's record comes to an empty ring: the default, adaptive wake-up of
        bpf_ringbuf_output; a run's record when the ring fills or none woke it for a while:
        trace.bpf.c run_wakeup) and the end of the command or of the -p processes (a pidfd is
        readable once it has exited)."""
        ep = select.epoll()
        ep.register(self._ring_map.fd, select.EPOLLIN)
        for pid in ([self.child] if self.child is not None else []) + self.pids:
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                continue  # already gone: _finished sees it
            self._pidfds.append(fd)
            ep.register(fd, select.EPOLLIN)
        return ep

    def _consume(self, ep: select.epoll) -> Iterator[Event]:
        done = False
        ring = self._ring
        parts = self._parts
        unpack = _RING_HDR.unpack_from
        while True:
            # batches of a quarter ring at most: the ring's fill is looked at between them
            blob, pos = ring.batch(ring.size // 4)
            n = len(blob)
            if self._next_ring is None and ring.size < self._ring_cap:
                cons, prod = ring.positions()
                if prod - cons > ring.size // 4:
                    self._grow_ring()  # a quarter full: the next one is made before it fills
            lines = self._lines
            get = lines.get if lines is not None else None
            # the plain trace's hot path (a call seen before is its line, _plain_line), while no
            # signal waits for its place and no call's entry half is held
            fast = get is not None and not self._signals and not self._entries and not self._open_runs
            at = 0
            while at < n:
                ln = unpack(blob, at)[0]
                start = at + 8  # the ring's record header (libbpf.HDR)
                at = start + (((ln & ~_DISCARD) + 7) & ~7)
                if ln & _DISCARD:
                    continue
                end = start + ln
                if fast and blob[start + 26] == REC_EXIT:
                    line = get(blob[start + 16:end])  # type: ignore[misc]
                    if line is not None:
                        parts.append(line)
                        if self._line_partial:
                            self.partial_calls += self._line_partial.get(blob[start + 16:end], 0)
                        continue
                for ev in self._record(memoryview(blob)[start:end]):
                    self._write_parts()
                    yield ev
                fast = get is not None and not self._signals and not self._entries and not self._open_runs
            ring.advance_to(pos)
            self._write_parts()
            if self._next_ring is not None and not n and ring.positions()[0] == ring.positions()[1]:
                # the old ring is read to its end: the new one's turn
                ring = self._swap_ring(ep)
                continue
            if done:
                if n:
                    continue  # a drain takes a bounded batch: the rest of what the tree wrote
                break
            if self._finished() or self._stop:
                # one more drain: what the tree wrote before it ended.  Tasks that live on (-p,
                # or children of the command) are left alone from here (a busy one would fill
                # the ring as fast as it is drained); runs of repeats they hold are read below
                done = True
                self._config(compress=False, stop=True)
                continue
            if not n:
                ep.poll(STOP_CHECK)
        if self._lines is not None:
            self._held_runs()
            self._write_parts()
        self._open_runs.clear()  # runs dropped, or read above: what waited for them goes out
        yield from self._release()
        self._write_parts()

    def _record(self, rec: memoryview) -> Iterator[Event]:
        """A ring record, held while another thread's run is open: its calls came before."""
        if self._open_runs and HDR.unpack_from(rec)[2] not in self._open_runs:
            self._held.append(bytes(rec))
        else:
            yield from self._convert(rec)

    def _release(self) -> Iterator[Event]:
        """The records held for runs now sent, in order (one may open a run: the rest wait)."""
        while self._held and not self._open_runs:
            held, self._held = self._held, []
            for i, raw in enumerate(held):
                if self._open_runs:
                    self._held = held[i:] + self._held
                    break
                yield from self._convert(memoryview(raw))

    def _grow_ring(self, size: int = 0) -> None:
        """Put a ring RING_GROWTH times bigger (or of ``size``) in the kernel's slot (trace.bpf.c
        `rings`): the update returns once no program writes to the current ring any more, so its
        records all come before the new ring's."""
        new = libbpf.BpfMap.create(libbpf.BPF_MAP_TYPE_RINGBUF, "ring",
                                   0, 0, size or min(self._ring.size * RING_GROWTH, self._ring_cap))
        reader = None
        try:
            reader = libbpf.RingReader(new)
            self._obj.map("rings").update(b"\0\0\0\0", struct.pack("<I", new.fd))
        except BaseException:
            if reader is not None:
                reader.close()
            new.close()
            raise
        self._next_ring = (new, reader)

    def _swap_ring(self, ep: select.epoll) -> libbpf.RingReader:
        assert self._next_ring is not None
        new, reader = self._next_ring
        self._next_ring = None
        ep.unregister(self._ring_map.fd)
        ep.register(new.fd, select.EPOLLIN)
        self._ring.close()
        self._ring_map.close()
        self._ring_map, self._ring = new, reader
        return reader

    @property
    def ring_size(self) -> int:
        """The size of the ring records go to now."""
        return (self._next_ring[1] if self._next_ring is not None else self._ring).size

    def _write_parts(self) -> None:
        self._writer.flush()

    def _held_runs(self) -> None:
        """The runs of repeats the kernel still holds for tasks that live on (-p, or a command's
        child that outlives it): read from their ``tasks`` storage, as flush_run would have sent them.
        A thread still running may have calls counted in its CPU's hot slot (trace.bpf.c hot_fast):
        its CPU switching it out puts them in its storage first."""
        if self.tasks:
            switch_out_every_cpu()
        for tid in list(self.tasks):
            fd = self._pidfd(tid)
            if fd is None:
                continue  # gone: trace_gone sent its run
            try:
                raw = self._tasks.lookup(struct.pack("<i", fd), TASK_VALUE)
            finally:
                os.close(fd)
            if raw is None:
                continue
            len0, len1, head, count, back, _busy, vary, _pad, _ts0, _ts1, recs, vals = \
                HIST.unpack_from(raw, TSTATE.size)
            if not count:
                continue
            head &= 1
            last = recs[head * HIST_REC:head * HIST_REC + (len1 if head else len0)]
            before = recs[(head ^ 1) * HIST_REC:(head ^ 1) * HIST_REC + (len0 if head else len1)]
            self._expand_run([before, last] if back == 2 and before else [last], count, vals if vary else None)

    def _finished(self) -> bool:
        if self.child is not None:
            pid, status = os.waitpid(self.child, os.WNOHANG)
            if pid:
                self.exit_status = status
                self.child = None
                return True
            return False
        if self.argv:
            return True
        return not any(os.path.exists(f"/proc/{p}") for p in self.pids)

    def _convert(self, rec: memoryview) -> Iterator[Event]:
        ts_enter, ts_exit, tid, tgid, nr, kind, flags, size, ret, *args = HDR.unpack_from(rec)
        if kind == REC_ENTER:
            self._entries[tid] = captures(rec, size)
            self._entry_sp[tid] = ret & 0xFFFFFFFFFFFFFFFF  # trace.bpf.c emit: REC_ENTER's ret
            return
        off = self.mono_to_wall
        if kind == REC_FORK:
            child, cpid = args[0], args[1]
            self.tasks[child] = cpid
            if self._fds is not None and cpid != tgid:
                self._fds.fork(tgid, cpid)
            yield ProcessEvent("spawn", cpid, child, ts_exit / 1e9 + off, parent=tid, is_thread=cpid == tgid)
            return
        if kind == REC_SIGNAL:
            self._signals.setdefault(tid, []).append((ts_exit, self._signal(rec, tid, tgid, nr, args, ts_exit)))
            return
        if kind == REC_RUNOPEN:
            self._open_runs.add(tid)
            return
        if kind == REC_REPEAT:
            if tid in self._signals:
                yield from self._signals_before(tid, ts_enter)  # ts_enter: the run's first call's
            at0, at1 = HDR.size, HDR.size + CAP.size + HIST_REC
            len0, len1 = CAP.unpack_from(rec, at0)[1], CAP.unpack_from(rec, at1)[1]
            last = rec[at1 + CAP.size:at1 + CAP.size + len1]
            prev = rec[at0 + CAP.size:at0 + CAP.size + len0]
            # a run of back 2 and one call may have no record of the call before (one never
            # repeated: an entry-time copy, a record over HIST_REC): only its last is printed
            self._expand_run([prev, last] if nr == 2 and len0 else [last], args[0],
                             rec[VALS_AT:VALS_AT + 8 * VALS] if args[1] else None)
            if tid in self._open_runs:
                self._open_runs.discard(tid)
                yield from self._release()
            return
        if tid in self._signals:
            # a signal is taken on the way back to user space: after the call the thread was in
            # when it came, before the next one (kernel/entry/common.c exit_to_user_mode_loop)
            yield from self._signals_before(tid, ts_enter if kind == REC_EXIT else ts_exit + 1)
        if kind == REC_GONE:
            self._signals.pop(tid, None)
            if flags & RF_INCALL and (self._select_args is None or self._select_args(
                    "i386" if flags & RF_COMPAT else "x86_64", nr, args[0])):
                ev = self._call(tid, tgid, nr, flags, tuple(args), ts_enter / 1e9 + off, [])
                ev.unfinished, ev.phase, ev.ret_text = True, "exit", "?"
                yield ev
            code = ret & 0xFFFF
            sig = code & 0x7F
            # the task stays in the table while its last line is written: strace counts it in
            # the processes that make lines carry "[pid N]"
            yield ExitEvent(tgid, tid, ts_exit / 1e9 + off, exit_code=None if sig else code >> 8,
                            signo=sig or None, core_dumped=bool(code & 0x80), nr=nr)  # nr: its last call
            self.tasks.pop(tid, None)
            return
        if self._select_args is not None and not self._select_args("i386" if flags & RF_COMPAT else "x86_64", nr,
                                                                   args[0]):
            self._entries.pop(tid, None)
            self._entry_sp.pop(tid, None)
            return
        # A call whose registers, result and copied bytes are those of one already decoded
        # prints the same (dd bs=1 makes two such calls, over and over): the decoded fields are
        # reused.  Not with -y (fd paths are read from /proc as the call is decoded) nor for a
        # call with entry-time copies.
        key = bytes(rec[24:size]) if self._cache is not None and tid not in self._entries else None
        if key is not None and self._lines is not None:
            # plain strace text (write_lines): the line itself is kept, with the thread's prefix
            self._parts.append(self._plain_line(rec, size, tid, tgid, nr, flags, args, ts_enter, ts_exit, ret))
            if tid in self._signals:
                yield from self._signals_before(tid, ts_exit)
            return
        hit = self._cache.get(key) if key is not None and self._cache is not None else None
        if hit is not None:
            name, arch, texts, n_entry, errno, ret_text, values, spec, extra, partial = hit
            ev = SyscallEvent(tgid, tid, arch, nr, name, tuple(args), ts_enter / 1e9 + off, "exit", list(texts),
                              n_entry, ret, errno, ret_text, ts_exit / 1e9 + off, extra=list(extra),
                              arg_values=values, arg_spec=spec)
            self.partial_calls += partial
        else:
            caps = captures(rec, size) if size > HDR.size else []
            before = self.partial_calls
            ev = self._call(tid, tgid, nr, flags, tuple(args), ts_enter / 1e9 + off, caps, ret, ts_exit / 1e9 + off)
            if key is not None and self._cache is not None and len(key) <= 1024:
                if len(self._cache) >= 65536:
                    self._cache.clear()
                self._cache[key] = (ev.name, ev.arch, tuple(ev.args), ev.n_entry_args, ev.errno, ev.ret_text,
                                    ev.arg_values, ev.arg_spec, tuple(ev.extra), self.partial_calls - before)
        yield ev
        if tid in self._signals:
            yield from self._signals_before(tid, ts_exit)

    def _plain_line(self, rec: memoryview, size: int, tid: int, tgid: int, nr: int, flags: int,
                    args: list[int], ts_enter: int, ts_exit: int, ret: int) -> str:
        """The line of a completed call for write_lines: made once per distinct record (all but
        its timestamps), then reused."""
        assert self._lines is not None
        lkey = bytes(rec[16:size])
        line = self._lines.get(lkey)
        if line is not None:
            self.partial_calls += self._line_partial.get(lkey, 0)
            return line
        off = self.mono_to_wall
        caps = captures(rec, size) if size > HDR.size else []
        before = self.partial_calls
        ev = self._call(tid, tgid, nr, flags, tuple(args), ts_enter / 1e9 + off, caps, ret, ts_exit / 1e9 + off)
        line = self._render(ev)
        if len(lkey) <= 1024 and not ev.extra:
            if len(self._lines) >= 65536:
                self._lines.clear()
                self._line_partial.clear()
            self._lines[lkey] = line
            if self.partial_calls != before:
                self._line_partial[lkey] = self.partial_calls - before
        return line

    def _expand_run(self, recs: list[Any], count: int, vals: Any = None) -> None:
        """The lines of a run of ``count`` calls each repeating the call len(recs) calls before
        it (trace.bpf.c in_run); ``recs``: the records of the calls before the run's end, the
        last one last.  The run ends with the last one: back 2 alternates the two.  ``vals``: a
        varying run's words, call by call (each call is its pattern's record with its own word
        at VARY_AT)."""
        if vals is not None:
            self._expand_varying(recs, count, vals)
            return
        texts = []
        partial = []  # the end note's count each call of the pattern adds
        for sub in recs:
            text, n_partial = self._run_line(sub)
            texts.append(text)
            partial.append(n_partial)
        if len(texts) == 1:
            self._writer.repeat(texts[0], count)
            self.partial_calls += partial[0] * count
            return
        pairs, odd = divmod(count, 2)
        if odd:
            self._parts.append(texts[1])
        self._writer.repeat(texts[0] + texts[1], pairs)
        self.partial_calls += (partial[0] + partial[1]) * pairs + partial[1] * odd

    def _run_line(self, sub: Any) -> tuple[str, int]:
        """The line of one call of a run (its record ``sub``) and what it adds to the end note."""
        ts_enter, ts_exit, tid, tgid, nr, _kind, flags, size, ret, *args = HDR.unpack_from(sub)
        before = self.partial_calls
        if self._select_args is not None and not self._select_args("i386" if flags & RF_COMPAT else "x86_64", nr,
                                                                   args[0]):
            text = ""
        else:
            text = self._plain_line(sub, size, tid, tgid, nr, flags, args, ts_enter, ts_exit, ret)
        partial = self.partial_calls - before
        self.partial_calls = before
        return text, partial

    def _expand_varying(self, recs: list[Any], count: int, vals: Any) -> None:
        """The lines of a varying run: call i (of ``count``) is recs[(i - count) % len(recs)]
        (the run's last call is the last record) with its word vals[i]; a pattern's line is made
        once per word, kept for the runs that follow (by the pattern's record, timestamps apart).
        Each pattern's calls are looked up together (map over a slice), and the lines put in
        call order by slice assignment: no Python loop over the calls once their words are known."""
        words = struct.unpack_from(f"<{count}Q", vals)
        k = len(recs)
        if len(self._varying) >= 1024:
            self._varying.clear()
        out: list[str | None] = [None] * count
        partial = 0
        for j, rec in enumerate(recs):
            head, tail = bytes(rec[:VARY_AT]), bytes(rec[VARY_AT + 8:])
            lines, partials = self._varying.setdefault(head[16:] + tail, ({}, {}))
            first = (j + count) % k  # the first call i with (i - count) % k == j
            mine = words[first::k]
            got = list(map(lines.get, mine))
            if None in got:
                if len(lines) >= 65536:
                    lines.clear()
                    partials.clear()
                for at, word in enumerate(mine):
                    if got[at] is None:
                        line = lines.get(word)
                        if line is None:
                            line, n_partial = self._run_line(head + word.to_bytes(8, "little") + tail)
                            lines[word] = line
                            if n_partial:
                                partials[word] = n_partial
                        got[at] = line
            out[first::k] = got
            if partials:
                partial += sum(partials.get(word, 0) for word in mine)
        self._parts.append("".join(out))  # type: ignore[arg-type]  # every call has its line
        self.partial_calls += partial

    def _signals_before(self, tid: int, ns: int) -> Iterator[SignalEvent]:
        pending = self._signals[tid]
        while pending and pending[0][0] < ns:
            yield pending.pop(0)[1]
        if not pending:
            del self._signals[tid]

    def _signal(self, rec: memoryview, tid: int, tgid: int, signo: int, args: list[int], ns: int) -> SignalEvent:
        """The ``--- SIG {siginfo} ---`` of a generated signal: the kernel's siginfo, or the one
        it makes for a signal sent without (kernel/signal.c __send_signal_locked: SEND_SIG_NOINFO
        is SI_USER from the sender, SEND_SIG_PRIV is SI_KERNEL)."""
        if args[2] == 2:
            info = bytes(rec[HDR.size + CAP.size:HDR.size + CAP.size + 128])
        elif args[2] == 0:
            info = struct.pack("<iii4xII", signo, 0, 0, args[0], args[1]).ljust(128, b"\0")
        else:
            info = struct.pack("<iii", signo, 0, 0x80).ljust(128, b"\0")
        opts = self.decoder.opts
        text = format_siginfo(info, "x86_64", raw=opts.raw_all, verbose=opts.xlat_verbose)
        return SignalEvent(tgid, tid, signo, ns / 1e9 + self.mono_to_wall, text=text, nr=args[3])  # its last call

    def _call(self, tid: int, tgid: int, nr: int, flags: int, args: tuple[int, ...], ts: float,
              caps: list[tuple[int, bytes, bool]], ret: int | None = None,
              ts_exit: float | None = None) -> SyscallEvent:
        compat = bool(flags & RF_COMPAT)
        name = (self._names32 if compat else self._names).get(nr) or f"syscall_{nr:#x}"
        ev = SyscallEvent(tgid, tid, "i386" if compat else "x86_64", nr, name, args, ts)
        mem = CapturedMemory(tid, self._entries.pop(tid, []), caps, self._entry_sp.pop(tid, None))
        dec = self.decoder
        try:
            dec.decode_entry(ev, mem)
            if ret is None:
                return ev
            ev.phase = "exit"
            ev.ts_exit = ts_exit
            ev.retval = ret
            if -_ERRNO_MAX <= ret < 0:
                ev.errno = -ret
            if self._fds is not None:
                self._fds.after_call(ev)
            mem.phase = REC_EXIT
            dec.decode_exit(ev, mem)
        except Exception as exc:  # noqa: BLE001 - a decoder bug must not end the trace
            ev.args = [hex(a) for a in args]
            ev.n_entry_args = len(ev.args)
            print(f"syscope: cannot decode {name}: {type(exc).__name__}: {exc}; printed raw", file=sys.stderr)
        if flags & RF_CUT or (ev.arch, name) in self._partial or (ev.arch, ev.name) in self._partial:
            self.partial_calls += 1
        return ev


def check_supported(inject: bool, stack: bool, argv: list[str] | None) -> str | None:
    """Why --backend ebpf cannot serve this session (None when it can): the things that need
    ptrace's stops stay with the ptrace backend."""
    if inject:
        return "-e inject/fault needs the ptrace backend (it changes calls at their stops)"
    if stack:
        return "-k needs the ptrace backend (it unwinds the stopped thread's stack)"
    if argv:
        import shutil

        path = shutil.which(argv[0]) if "/" not in argv[0] else argv[0]
        if path is not None:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                return None
            if mode & 0o6000:
                return "a set-user-ID or set-group-ID program needs the ptrace backend"
    return None

