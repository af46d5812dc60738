"""Exit halves read while the thread is stopped and decoded after it is resumed.

At a syscall's exit stop the tracer must read what the call wrote (a stat buffer, the bytes a
read returned) before the thread runs on and reuses that memory; formatting it need not wait.
The eBPF tracer's capture plan (``sources/ebpf/trace_plan.py``, derived from the decoder's
signatures) says which memory each argument kind reads: a struct of a fixed size, or a buffer as
long as another argument or the return value.  For calls whose exit arguments are only of those
shapes, the loop reads those ranges here, resumes the thread, and the decoder runs over the copies
(``FetchedMemory``).  A read the copies do not hold (the plan and the decoder disagree) goes to
the live process and is counted in ``Prefetcher.misses``; the tests require none.

Only x86_64 calls (the plan's struct sizes are that ABI's) whose entry half may be decoded late
too (late_decode.py: no value-result argument, no memory the plan does not know); other calls
are decoded while stopped.
"""

from __future__ import annotations

from syscope.decode import DecodeOptions
from syscope.events import SyscallEvent
from syscope.sources.ptrace.late_decode import capture_plan
from syscope.sources.ptrace.memory import ProcessMemory

# the largest buffer copied for a length from the call (strace's -s does not cut a struct array:
# a getdents64 is decoded whole); the plan's CAP_MAX is the BPF side's limit, not the decoder's
_WHOLE = 1 << 20
_WHOLE_CALL = frozenset({"clone", "fcntl", "prctl", "futex"})  # the kinds trace_plan._struct_ops places
# exit kinds that read past their fixed struct: clone3's clone_args also reads the bytes the
# caller's size covers beyond it and the set_tid array (strace's clone3 decoder), so copies of
# the struct alone would send those reads live, after the thread ran on
_BEYOND_FIXED = frozenset({">clone_args"})
_FIXED, _ARGLEN, _RETLEN = 0, 1, 2  # a struct; as long as an argument; as the return value


class FetchedMemory:
    """``decode.registry.Memory`` over the ranges read at the stop; other reads go live."""

    __slots__ = ("tid", "_ranges", "_live", "_owner")

    def __init__(self, live: ProcessMemory, ranges: list[tuple[int, bytes]], owner: Prefetcher) -> None:
        self.tid = live.tid
        self._ranges = ranges
        self._live = live
        self._owner = owner

    def read(self, addr: int, size: int) -> bytes | None:
        if size <= 0:
            return b""  # as ProcessMemory.read: nothing to read is no fault
        for base, data in self._ranges:
            off = addr - base
            if 0 <= off and off + size <= len(data):
                return data[off:off + size]
        self._owner.misses += 1
        return self._live.read(addr, size)

    def read_cstr(self, addr: int, limit: int) -> tuple[bytes, bool] | None:
        for base, data in self._ranges:
            off = addr - base
            if 0 <= off < len(data):
                rest = data[off:off + limit]
                nul = rest.find(b"\0")
                if nul >= 0:
                    return rest[:nul], True
                if len(rest) == limit:
                    return rest, False
        self._owner.misses += 1
        return self._live.read_cstr(addr, limit)


class Prefetcher:
    """``fetch(ev, mem)``: the exit half's memory of a returned call, read now; None when the
    call is not one whose reads the plan knows."""

    __slots__ = ("_strsize", "_dumps", "_whole", "_ops", "misses", "fetched")

    def __init__(self, opts: DecodeOptions) -> None:
        self._strsize = opts.string_limit
        self._dumps = bool(opts.read_fds or opts.write_fds)  # -e read=/write=: whole buffers
        self._whole = opts.verbose or not opts.abbrev
        self._ops: dict[str, tuple[tuple[int, int, int, int, int], ...] | None] = {}
        self.misses = 0  # reads the copies did not hold (tests: none)
        self.fetched = 0  # exit halves read here and decoded after the resume

    def _plan(self, name: str) -> tuple[tuple[int, int, int, int, int], ...] | None:
        from syscope.decode.sigs import SIGS, SIGS_ARCH
        from syscope.sources.ebpf.trace_plan import CAP_MAX, OP_ARGLEN, OP_FIXED, OP_RETLEN

        row = SIGS_ARCH.get("x86_64", {}).get(name) or SIGS.get(name)
        if row is None:
            return None
        ops, partial = capture_plan(name, self._strsize, "x86_64", self._dumps, self._whole)
        if partial:
            return None
        kinds = row[0]
        out = []
        for op in ops:
            if op.arg >= len(kinds) or len(kinds) == 1 and kinds[0] in _WHOLE_CALL:
                return None  # a whole-call decoder (clone, futex ...): its ops are not its row's
            if kinds[op.arg] in _BEYOND_FIXED:
                return None
            if not kinds[op.arg].startswith(">"):
                continue  # an entry argument: decoded at entry already
            shape = {OP_FIXED: _FIXED, OP_ARGLEN: _ARGLEN, OP_RETLEN: _RETLEN}.get(op.how)
            if shape is None:
                return None  # strings, pointer arrays, iovecs: read while stopped
            out.append((shape, op.arg, op.lenarg, op.max if op.max < CAP_MAX else _WHOLE, op.mult))
        return tuple(out)

    def fetch(self, ev: SyscallEvent, mem: ProcessMemory) -> FetchedMemory | None:
        if ev.arch != "x86_64":
            return None
        try:
            ops = self._ops[ev.name]
        except KeyError:
            try:
                ops = self._plan(ev.name)
            except Exception:  # noqa: BLE001 - a plan it cannot make: the call is read while stopped
                ops = None
            self._ops[ev.name] = ops
        if not ops or ev.retval is None:
            return None
        ranges: list[tuple[int, bytes]] = []
        self.fetched += 1
        if ev.errno is not None:
            return FetchedMemory(mem, ranges, self)  # a failed call's outputs print as addresses
        raw = ev.raw_args
        for shape, arg, lenarg, most, mult in ops:
            addr = raw[arg]
            if not addr:
                continue
            if shape == _FIXED:
                size = most
            else:
                n = raw[lenarg] if shape == _ARGLEN else ev.retval
                size = min(n * mult, most) if n > 0 else 0
            if size:
                data = mem.read(addr, size)
                if data:
                    ranges.append((addr, data))
        return FetchedMemory(mem, ranges, self)
