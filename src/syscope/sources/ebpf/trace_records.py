"""The records of the eBPF tracer's ring (``struct rec`` and what follows it in trace.bpf.c), the
ring's sizes, and ``CapturedMemory``, the decoder's memory reader over the bytes a record copied.

Each record is a header (timestamps, thread, call number, kind, flags, size, result, the six
arguments), then per copied range a ``struct cap`` (address, length, flags) and its bytes padded
to 8; a REC_REPEAT carries the records of the calls its run repeats (and, for a varying run,
each call's word).
"""

from __future__ import annotations

import struct

# One traced command can make a call every ~0.5 us (dd bs=1), each a ~120-byte record, faster than
# a Python consumer decodes them on a loaded machine: the ring holds what the consumer is behind
# by, up to 512 MiB and never more than an eighth of the memory available.  A ring's pages are
# allocated, zeroed and mapped whole when it is made (kernel/bpf/ringbuf.c), ~0.4 s of CPU for
# 512 MiB, so the tracer starts with FIRST_RING_SIZE (~270,000 such records: dd bs=1 if=/dev/urandom
# count=2000000 at load 12 never had more waiting) and puts in one RING_GROWTH times bigger each
# time the consumer finds the ring half full (trace.bpf.c: the `rings` slot).
RING_SIZE = 512 << 20
FIRST_RING_SIZE = 32 << 20
RING_GROWTH = 4


def default_ring_size() -> int:
    """The largest ring: RING_SIZE, or less on a machine with less memory (a power of 2, as BPF
    rings must be)."""
    try:
        with open("/proc/meminfo") as f:
            avail = next(int(ln.split()[1]) << 10 for ln in f if ln.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        return 64 << 20
    size = RING_SIZE
    while size > 16 << 20 and size > avail // 8:
        size >>= 1
    return size


REC_ENTER, REC_EXIT, REC_FORK, REC_GONE, REC_SIGNAL, REC_REPEAT, REC_RUNOPEN = 1, 2, 3, 4, 5, 6, 7
RF_COMPAT, RF_INCALL, RF_CUT = 1, 2, 4
CF_STR = 1
HDR = struct.Struct("<QQIIHBBIq6Q")  # struct rec in trace.bpf.c
CAP = struct.Struct("<QIHH")  # struct cap
assert HDR.size == 88
TSTATE = struct.Struct("<IIII Q6QQQ".replace(" ", ""))
HIST_REC = 256  # trace.bpf.c: a REC_REPEAT carries two (struct cap, HIST_REC bytes)
# trace.bpf.c: a varying run's calls differ only in the 8 bytes at VARY_AT of their records (one
# copy of at most 8 bytes), and its REC_REPEAT (args[1] = 1) then carries VALS such words
VARY_AT = HDR.size + CAP.size
VALS = 512
VALS_AT = HDR.size + 2 * (CAP.size + HIST_REC)  # in a REC_REPEAT, after the two records
HIST = struct.Struct(f"<8IQQ{2 * HIST_REC}s{8 * VALS}s")  # struct hist (in struct tstate): a run not sent yet
TASK_VALUE = TSTATE.size + HIST.size + 8  # struct tstate, the tasks map's value (+ quiet, pad)


class CapturedMemory:
    """``decode.registry.Memory`` over the ranges the kernel side copied for one call.

    ``phase`` says which copies a decoder half sees first: the entry half the sys_enter copies
    (the value of a value-result argument before the call), the exit half the sys_exit ones.
    Memory that was not copied is unreadable (None), as a fault is to the ptrace reader.
    """

    __slots__ = ("tid", "enter", "exit", "phase", "stack_pointer")

    def __init__(self, tid: int, enter: list[tuple[int, bytes, bool]],
                 exit_: list[tuple[int, bytes, bool]], stack_pointer: int | None = None) -> None:
        self.tid = tid
        self.enter = enter
        self.exit = exit_
        self.phase = REC_ENTER
        # the user stack pointer at entry, for calls with entry copies (a sigreturn's frame)
        self.stack_pointer = stack_pointer

    def _ranges(self) -> list[tuple[int, bytes, bool]]:
        return self.enter + self.exit if self.phase == REC_ENTER else self.exit + self.enter

    def read(self, addr: int, size: int) -> bytes | None:
        for base, data, is_str in self._ranges():
            off = addr - base
            if 0 <= off < len(data) or (off == 0 and size == 0):
                got = data[off:off + size]
                if is_str and len(got) < size and not data.endswith(b"\0"):
                    return None  # a string cut short: what follows was not copied
                if len(got) < size and not is_str:
                    # a buffer copied in parts (one copy takes at most CAP_MAX bytes): the next
                    # part starts where this one ends
                    rest = self.read(base + len(data), size - len(got))
                    return got + rest if rest is not None else None
                return got if len(got) == size else None
        return None

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        for base, data, _is_str in self._ranges():
            off = addr - base
            if 0 <= off < len(data):
                rest = data[off:off + limit]
                nul = rest.find(b"\0")
                if nul >= 0:
                    return rest[:nul], True
                return rest, False
        return None


def captures(rec: memoryview, size: int) -> list[tuple[int, bytes, bool]]:
    out = []
    off = HDR.size
    while off + CAP.size <= size:
        addr, ln, flags, _ = CAP.unpack_from(rec, off)
        start = off + CAP.size
        out.append((addr, bytes(rec[start:start + ln]), bool(flags & CF_STR)))
        off = start + ((ln + 7) & ~7)
    return out
