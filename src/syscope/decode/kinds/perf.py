"""perf_event_open(2)'s arguments as strace's src/perf.c prints them: the struct perf_event_attr
(the decoder PERF_EVENT_IOC_MODIFY_ATTRIBUTES uses, decode/ioctl/perf_attr.py), and the
PERF_FLAG_* flags as a 64-bit value (printflags64), after which an E2BIG shows the size the
kernel wrote back into attr.size (``size=X => Y``)."""

from __future__ import annotations

from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent

# E2BIG (asm-generic/errno-base.h): perf_copy_attr() (kernel/events/core.c) writes
# sizeof(struct perf_event_attr) into attr->size when the caller's attr is larger and its
# tail is not zero; it is the only error that changes the struct (strace's perf.c)
_E2BIG = 7
_SIZE_OFFSET = 4  # offsetof(struct perf_event_attr, size)


# stores=True: read at entry, while the thread is stopped: strace copies the attr on entry
# (fetch_perf_event_attr) because the kernel may change its size field before the exit
@register("perf_event_attr", stores=True)
def build_perf_event_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode.ioctl import perf_attr  # the ioctl package: when the call is first seen

    def attr(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        # -e verbose=none: strace's umoven_or_printaddr prints the address only
        if not addr or ev.name in d.opts.no_verbose:
            return _ptr(addr)
        return perf_attr.text(mem.read, addr, arch, d.xs, d.abbrev)
    return attr


# scalar: a register, so -e verbose=none still names the flags (only the attr is an address)
@register("perf_event_open_flags", out=True, scalar=True)
def build_out_perf_event_open_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    from syscope.decode.ioctl import perf_attr, tables

    flags = tables.flags(arch, "perf_event_open_flags", d.xs)

    def text(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno == _E2BIG and ev.args and ev.raw_args[0]:
            got = mem.read(ev.raw_args[0] + _SIZE_OFFSET, 4)
            ev.args[0] = perf_attr.with_new_size(
                ev.args[0], int.from_bytes(got, "little") if got is not None and len(got) == 4 else None,
                arch, d.xs)
        return flags(ev.raw_args[i])
    return text
