"""sched_setattr(2) and sched_getattr(2)'s struct sched_attr, as strace's src/sched.c prints it
(print_sched_attr): the fields up to the size the caller or the kernel gave, "..." past them."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register, store
from syscope.events import SyscallEvent

# struct sched_attr (linux/sched/types.h): size, policy, flags, nice, priority, runtime,
# deadline, period, util_min, util_max; SCHED_ATTR_SIZE_VER0 and VER1 are its two sizes
_ATTR = struct.Struct("<IIQiIQQQII")
_VER0, _VER1 = 48, 56
MAX_SIZE = _ATTR.size  # the most of it this decoder reads (the eBPF capture plan copies as many)
_FIELDS = ("size", "sched_policy", "sched_flags", "sched_nice", "sched_priority", "sched_runtime", "sched_deadline",
           "sched_period", "sched_util_min", "sched_util_max")


class _Attr:
    def __init__(self, d: DecoderBase, arch: str) -> None:
        self.d = d
        self.policy = fmt.enum(arch, "sched_policy", d.xs)
        self.flags = fmt.flags(arch, "sched_attr_flags", d.xs)
        v = {n: val for val, n in fmt.consts(arch).get("sched_attr_flags", [])}
        self.keep_policy, self.keep_params = v.get("SCHED_FLAG_KEEP_POLICY", 8), v.get("SCHED_FLAG_KEEP_PARAMS", 16)

    def read(self, mem: Memory, addr: int, size: int) -> tuple[int, ...] | None:
        data = mem.read(addr, size) if addr else None
        if data is None or len(data) < size:
            return None
        return _ATTR.unpack(data.ljust(_ATTR.size, b"\0"))

    def text(self, a: tuple[int, ...], size: int, more: bool, is_set: bool) -> str:
        parts = [f"size={a[0]}"]
        if size >= _VER0:
            policy, flags = a[1], a[2]
            if not is_set or policy >> 31 or not flags & (self.keep_policy | self.keep_params):
                parts.append(f"sched_policy={self.policy(policy)}")
            parts.append(f"sched_flags={self.flags(flags)}")
            if not is_set or not flags & self.keep_params:
                parts += [f"sched_nice={a[3]}", f"sched_priority={a[4]}", f"sched_runtime={a[5]}",
                          f"sched_deadline={a[6]}", f"sched_period={a[7]}"]
            if size >= _VER1:
                parts += [f"sched_util_min={a[8]}", f"sched_util_max={a[9]}"]
        if more:
            parts.append("...")
        return "{" + ", ".join(parts) + "}"

    def set_attr(self, ev: SyscallEvent, mem: Memory, i: int) -> str:
        addr = ev.raw_args[i]
        head = self.read(mem, addr, 4)
        if head is None:
            return _ptr(addr)
        usize = head[0] or _VER0
        size = min(usize, _ATTR.size)
        a = self.read(mem, addr, size) if size >= _VER0 else head
        if a is None:
            return _ptr(addr)
        store(ev, i, dict(zip(_FIELDS, a, strict=True)))
        return self.text(a, size, usize > size, True)


# stores=True: it reads the struct at entry, while the thread is stopped (the kernel writes
# attr.size back on E2BIG; sources/ptrace/late_decode.py decodes such kinds before resuming)
@register("sched_attr", stores=True)
def build_sched_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    attr = _Attr(d, arch)
    return lambda ev, mem: attr.set_attr(ev, mem, i)


@register("sched_setattr_flags", out=True)
def build_out_sched_setattr_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    e2big = 7  # E2BIG (asm-generic/errno-base.h): the kernel wrote the size it supports

    # after E2BIG strace appends " => {size=N}" to the attr argument (printed at entry), then
    # prints the flags
    def flags(ev: SyscallEvent, mem: Memory) -> str:
        if ev.errno == e2big and len(ev.args) > i - 1:
            got = mem.read(ev.raw_args[i - 1], 4) if ev.raw_args[i - 1] else None
            if got is not None and len(got) == 4:
                ev.args[i - 1] += f" => {{size={int.from_bytes(got, 'little')}}}"
        return str(ev.raw_args[i] & 0xFFFFFFFF)
    return flags


@register("sched_attr_get", out=True)
def build_out_sched_attr_get(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    attr = _Attr(d, arch)

    # the kernel writes attr.size bytes; a failed call's struct is its address
    def get(ev: SyscallEvent, mem: Memory) -> str:
        addr, usize = ev.raw_args[i], ev.raw_args[i + 1] & 0xFFFFFFFF
        if not usize or ev.errno is not None or ev.retval is None:
            return _ptr(addr)
        a = attr.read(mem, addr, min(usize, _ATTR.size))
        if a is None:
            return _ptr(addr)
        return attr.text(a, a[0], False, False)
    return get
