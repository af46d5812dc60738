"""Loader and ring-buffer consumer of the shipped BPF object (``syscope.bpf.o``).

``Probe`` loads the object through libbpf, configures it (mode, scoping, the consumer's own tgid,
which argument holds a path for each syscall), attaches the hooks and reads what the kernel
produced: per-syscall counters, the drop counter, and the ring buffer of fixed-size records, parsed
in batches with ``struct.Struct.iter_unpack`` straight from the mmapped ring.
"""

from __future__ import annotations

import os
import shutil
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syscope._kernel import libbpf
from syscope.command import restore_signals
from syscope.errors import KernelError, NoSuchProcess, UsageError
from syscope.sources.ebpf import names
from syscope.sources.ebpf.selection import KernelSelection
from syscope.syscalls import roles

OBJECT = Path(__file__).with_name("syscope.bpf.o")

MODE_COUNT = 0
MODE_STREAM = 1

KIND_SYSCALL, KIND_FORK, KIND_EXEC, KIND_EXIT, KIND_ARGV = 0, 1, 2, 3, 4
ARGV_PIECE = 256  # bytes of argv per KIND_ARGV record (BUF_SIZE in syscope.bpf.c)
# config.select bits and sel_nr values (syscope.bpf.c SEL_*, SELNR_*)
SEL_NR, SEL_TGID, SEL_COMM, SEL_UID = 1, 2, 4, 8
SELNR_YES, SELNR_ALWAYS = 1, 2
EV_COMPAT = 1
EV_SOCKETCALL = 2  # an i386 socketcall(2), unpacked: its call number in flags >> EV_CALL_SHIFT
EV_CALL_SHIFT = 24
SOCKETCALL_BASE = 2 * 512  # argspec index of socketcall(2)'s call N: SOCKETCALL_BASE + N
COMPAT_BASE = 512  # counters index of i386 call nr: COMPAT_BASE + nr (see syscope.bpf.c)
BUF_STR, BUF_SOCK, BUF_DATA, BUF_IOV = 0x10, 0x20, 0x40, 0x80
# a struct msghdr: address in buf[:namelen], data from buf[slot:]; slot and namelen in flags
BUF_MSG = BUF_SOCK | BUF_IOV
BUF_MMSG = BUF_MSG | BUF_DATA
BUF_ADDR_DATA = BUF_SOCK | BUF_DATA  # sendto/recvfrom with an address: laid out as BUF_MSG's
SPEC_LENPTR = 0x08  # argspec: recvfrom's address length is a socklen_t * (syscope.bpf.c)
EV_ADDR_SHIFT = 8
TS_TRACKED, TS_PENDING = 1, 2

# struct event in syscope.bpf.c, preceded by the ring buffer's 8-byte record header.
PAYLOAD = struct.Struct("<QQ6QqIIIIIHBBII16s256s")
RECORD = struct.Struct("<II" + PAYLOAD.format[1:])
assert PAYLOAD.size == 376
_CONFIG = struct.Struct("<IIII")
_COUNTER = struct.Struct("<QQQ")
# struct task_state: ts, args[6], nr, flags, buf_len, pad, buf[256]
_TASK_STATE_SIZE = 8 + 48 + 16 + 256
_STREAM_PROGRAMS = ("on_enter", "on_exit", "on_fork", "on_exec", "on_task_exit")
# count mode: cheaper syscall hooks; fork propagates the scope mark, exec starts the counting
_COUNT_PROGRAMS = ("on_enter_count", "on_exit_count", "on_fork", "on_exec", "on_task_exit")
SC_TRACKED, SC_PENDING = 1, 2


@dataclass(slots=True)
class RawEvent:
    """One ring-buffer record, decoded only as far as struct unpacking goes."""

    ts_enter: int  # CLOCK_MONOTONIC ns
    ts_exit: int
    args: tuple[int, ...]
    ret: int
    pid: int
    tid: int
    ppid: int
    uid: int
    nr: int
    cpu: int
    kind: int
    buf_kind: int
    comm: str
    buf: bytes
    flags: int = 0  # EV_COMPAT: an i386 call


_MAX_BATCH = 4 << 20


def raw_event(t: tuple[Any, ...]) -> RawEvent:
    """A RawEvent from one RECORD tuple (ring header words first)."""
    comm = t[21].split(b"\0", 1)[0].decode(errors="replace")
    blen = t[19]
    return RawEvent(t[2], t[3], t[4:10], t[10], t[11], t[12], t[13], t[14], t[15], t[16],
                    t[17], t[18], comm, t[22][:blen] if blen else b"", t[20])


def _pid_max() -> int:
    try:
        with open("/proc/sys/kernel/pid_max") as f:
            return min(int(f.read()), 1 << 22)  # PID_MAX_LIMIT on 64-bit (include/linux/threads.h)
    except (OSError, ValueError):
        return 1 << 22


def _pidfd_open(pid: int) -> int:
    try:
        return os.pidfd_open(pid)
    except ProcessLookupError:
        raise NoSuchProcess(f"no such process: {pid}") from None
    except OSError as exc:
        raise KernelError(f"pidfd_open({pid}): {exc.strerror}", exc.errno or 0) from None


def argspec_entries() -> dict[int, int]:
    """The argspec map's contents: per call number (i386 calls at COMPAT_BASE + nr, socketcall(2)'s
    calls at SOCKETCALL_BASE + call), which argument the kernel side copies and how -- the path or
    socket address and the data buffer of syscope.syscalls.roles, nothing typed here."""
    specs: dict[str, int] = {}
    for name, (idx, how) in roles.PATH_ARGS.items():
        specs[name] = (BUF_STR if how == "str" else BUF_SOCK) | (idx + 1)
    for name, layout in roles.DATA_ARGS.items():
        # the data buffer is argument 1; sendto/recvfrom keep their address's index
        bits = {"data": BUF_DATA, "iov": BUF_IOV, "msg": BUF_MSG, "mmsg": BUF_MMSG}[layout]
        specs[name] = specs.get(name, 2) | bits
        if layout == "data" and roles.roles(name).io == "read" and roles.roles(name).sockaddrs:
            # a read that names an address (recvfrom(2)): the kernel writes the sender's, and its
            # length is a value-result socklen_t * ("addrlen is a value-result argument")
            specs[name] |= SPEC_LENPTR
    out: dict[int, int] = {}
    for arch, base in (("x86_64", 0), ("i386", COMPAT_BASE)):
        nrs = names.by_name(arch)
        for name, spec in specs.items():
            nr = nrs.get(name)
            if nr is not None and nr < COMPAT_BASE:
                out[base + nr] = spec
    for call, (name, _n) in roles.SOCKETCALLS.items():
        if name in specs:
            out[SOCKETCALL_BASE + call] = specs[name]
    return out


class Probe:
    """The loaded, attached BPF programs.  Use as a context manager; close() detaches."""

    def __init__(self, mode: int = MODE_STREAM, scoped: bool = False,
                 obj_path: Path = OBJECT, ring_size: int | None = None,
                 selection: KernelSelection | None = None) -> None:
        self.mode = mode
        self.scoped = scoped
        self._obj = libbpf.BpfObject(obj_path)
        if ring_size is not None:
            page = os.sysconf("SC_PAGE_SIZE")
            if ring_size < page or ring_size & (ring_size - 1):
                self._obj.close()
                raise UsageError(f"ring buffer size must be a power of 2 and at least {page}")
            self._obj.set_max_entries("events", ring_size)
        elif mode != MODE_STREAM:
            # nothing crosses the ring in count mode: do not pin 16 MiB of kernel memory for it
            self._obj.set_max_entries("events", os.sysconf("SC_PAGE_SIZE"))
        # count mode's pid-indexed scope array: one byte per possible pid (proc(5) pid_max)
        self._obj.set_max_entries("scope", _pid_max() if mode != MODE_STREAM else 1)
        self._obj.load()
        try:
            self._config = self._obj.map("config")
            self._counters = self._obj.map("counters")
            self._drops = self._obj.map("drops")
            self._tasks = self._obj.map("tasks")
            self._scope = self._obj.map("scope")
            argspec = self._obj.map("argspec")
            for key, spec in argspec_entries().items():
                argspec.update(struct.pack("<I", key), bytes([spec]))
            select = self._load_selection(selection) if selection is not None else 0
            self._config.update(b"\0\0\0\0", _CONFIG.pack(os.getpid(), mode, int(scoped), select))
            for p in (_STREAM_PROGRAMS if mode == MODE_STREAM else _COUNT_PROGRAMS):
                self._obj.attach(p)
            self.ring = libbpf.RingReader(self._obj.map("events")) if mode == MODE_STREAM else None
        except BaseException:
            self._obj.close()
            raise
        # CLOCK_MONOTONIC (bpf_ktime_get_ns) -> wall clock, fixed once per session.
        self.mono_to_wall = time.time() - time.clock_gettime(time.CLOCK_MONOTONIC)

    def _load_selection(self, sel: KernelSelection) -> int:
        """Fill the sel_* maps from ``sel``; returns the config.select bits to switch on."""
        bits = 0
        if sel.syscalls is not None:
            bits |= SEL_NR
            m = self._obj.map("sel_nr")
            for idx, how in sel.nr_entries().items():
                m.update(struct.pack("<I", idx), bytes([how]))
        for bit, name, keys in ((SEL_TGID, "sel_tgid", sel.tgid_keys()),
                                (SEL_COMM, "sel_comm", sel.comm_keys()),
                                (SEL_UID, "sel_uid", sel.uid_keys())):
            if keys is None:
                continue
            m = self._obj.map(name)
            if len(keys) > m.max_entries:
                continue  # too many to check in the kernel: sent, and filtered in user space
            bits |= bit
            for k in keys:
                m.update(k, b"\1")
        return bits

    def __enter__(self) -> Probe:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.ring is not None:
            self.ring.close()
            self.ring = None
        self._obj.close()

    def mark(self, pid: int, pending: bool = False) -> None:
        """Scope to ``pid``'s task (and, through the fork hook, every task it creates).

        ``pending``: the task is parked before its execve; counting starts at that execve.
        """
        if self.mode != MODE_STREAM:
            self._scope.update(struct.pack("<I", pid),
                               bytes([SC_PENDING if pending else SC_TRACKED]))
            return
        fd = _pidfd_open(pid)
        try:
            state = bytearray(_TASK_STATE_SIZE)
            struct.pack_into("<I", state, 60, TS_PENDING if pending else TS_TRACKED)
            self._tasks.update(struct.pack("<i", fd), bytes(state))
        finally:
            os.close(fd)

    def count_options(self, follow: bool = True, exact: bool = False, overhead_ns: int = 0,
                      seen_exits: bool = True) -> None:
        """Count mode, before the command runs: ``follow`` children and threads (strace -f),
        time ``exact``ly every call (for ``extremes()``; otherwise the clock is sampled), take
        ``overhead_ns`` off each call's time (strace -O), count only the calls whose exit a
        ptrace tracer sees (``seen_exits``: strace -c's table; without it, as without this call,
        also those the task died in)."""
        self._obj.map("count_opts").update(b"\0\0\0\0", struct.pack("<IIQII", not follow, exact, overhead_ns,
                                                                     seen_exits, 0))

    def extremes(self) -> dict[int, tuple[int, int]]:
        """Exact mode: index (as ``counts()``) -> (shortest, longest) call in ns over all CPUs."""
        out: dict[int, tuple[int, int]] = {}
        xs = self._obj.map("extremes")
        for nr in range(xs.max_entries):
            lo, hi = -1, 0
            for raw in xs.lookup_percpu(struct.pack("<I", nr)):
                timed, mn, mx = struct.unpack("<QQQ", raw)
                if timed:
                    lo = mn if lo < 0 else min(lo, mn)
                    hi = max(hi, mx)
            if lo >= 0:
                out[nr] = (lo, hi)
        return out

    def counts(self) -> dict[int, tuple[int, int, int]]:
        """index -> (calls, errors, ns), summed over CPUs; index is the x86_64 nr, or
        COMPAT_BASE + the i386 nr for calls made through the 32-bit entry."""
        out: dict[int, tuple[int, int, int]] = {}
        for nr in range(self._counters.max_entries):
            c = e = ns = 0
            for raw in self._counters.lookup_percpu(struct.pack("<I", nr)):
                a, b, d = _COUNTER.unpack(raw)
                c, e, ns = c + a, e + b, ns + d
            if c:
                out[nr] = (c, e, ns)
        return out

    def dropped(self) -> int:
        return sum(struct.unpack("<Q", raw)[0]
                   for raw in self._drops.lookup_percpu(b"\0\0\0\0"))

    def read_raw(self) -> list[tuple[Any, ...]]:
        """Every committed record as a tuple of RECORD fields; advances the consumer."""
        ring = self.ring
        if ring is None:
            return []
        view, n = ring.fixed_batch(PAYLOAD.size)
        if not n:
            return []
        out = list(RECORD.iter_unpack(view))
        view.release()
        for i, t in enumerate(out):
            if t[0] & libbpf.BUSY:
                del out[i:]
                break
        ring.advance(len(out) * RECORD.size)
        return out

    def read(self) -> Iterator[RawEvent]:
        for t in self.read_raw():
            if t[0] & libbpf.DISCARD:
                continue
            yield raw_event(t)

    def unread(self, upto: int | None = None) -> int:
        """Bytes of records the consumer has not taken yet: up to the producer's position now,
        or up to ``upto`` (a position ``produced()`` returned earlier)."""
        if self.ring is None:
            return 0
        cons, prod = self.ring.positions()
        return max(0, (prod if upto is None else upto) - cons)

    def produced(self) -> int:
        """The producer's position: every record reserved so far ends at or before it."""
        return self.ring.positions()[1] if self.ring is not None else 0

    def read_batch(self) -> tuple[bytes, int]:
        """Every committed record as ring bytes (8-byte header + payload each, RECORD.size
        apart) and their count; advances the consumer.  One copy, no per-record Python work
        unless a record is still being written: what a capture stores as it is."""
        ring = self.ring
        if ring is None:
            return b"", 0
        view, n = ring.fixed_batch(PAYLOAD.size)
        if not n:
            view.release()
            return b"", 0
        # a bounded batch: a full 256 MiB ring is taken in cache-sized copies, not one huge one
        # (its first touch of fresh pages costs more than the records' processing)
        n = min(n, _MAX_BATCH // RECORD.size)
        # the headers' length words, one per record; BUSY (bit 31) is above any length, so the
        # largest says whether a record is still in flight
        part = view[:n * RECORD.size]
        heads = part.cast("I")[::RECORD.size // 4]
        lens = heads.tolist()
        heads.release()
        if max(lens) & libbpf.BUSY:
            n = next(i for i, h in enumerate(lens) if h & libbpf.BUSY)
        data = part[:n * RECORD.size].tobytes()
        part.release()
        view.release()
        ring.advance(n * RECORD.size)
        return data, n


def spawn_parked(argv: list[str], path: str | None = None) -> tuple[int, int]:
    """Start ``argv`` parked before execve: the child blocks reading a pipe until released.
    ``path``: the program, already found (else argv[0], looked up in PATH); argv[0] stays what
    the command was given as, as strace passes it (a shell looks itself up by it: $BASH).

    Returns (pid, write end); closing the write end lets it exec.  Marking the task between these
    two steps is what makes the kernel-side scoping exact.  (subprocess.Popen cannot do this: it
    waits for the exec to happen before returning.)
    """
    if not argv:
        raise UsageError("must have PROG [ARGS]")
    if path is None:
        path = shutil.which(argv[0]) if "/" not in argv[0] else argv[0]
    if path is None or not os.path.exists(path):
        raise UsageError(f"Can't stat '{argv[0]}': No such file or directory")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: only async-signal-safe work until exec
        try:
            os.close(w)
            restore_signals()  # SIGPIPE/SIGXFSZ back to default: CPython ignores them
            os.read(r, 1)
            os.close(r)
            os.execv(path, argv)
        finally:
            os._exit(127)
    os.close(r)
    return pid, w


def switch_out_every_cpu() -> None:
    """Make each CPU switch out the thread it runs, once: this thread is moved to each CPU in
    turn (sched_setaffinity(2) returns once it runs there: the kernel migrates a running thread
    through the CPU's stopper, which preempts whatever ran there), then given back its CPUs.
    What a BPF program keeps per CPU for the thread running there (trace.bpf.c's hot slot) is
    then where trace_switch put it, in the thread's own state.  A CPU this thread may not use
    (a cpuset) is skipped."""
    mine = os.sched_getaffinity(0)
    try:
        for cpu in range(os.cpu_count() or 1):
            try:
                os.sched_setaffinity(0, {cpu})
            except OSError:
                continue
    finally:
        os.sched_setaffinity(0, mine)
