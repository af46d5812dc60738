"""futex_waitv(2)'s array of struct futex_waitv, as strace's src/futex_waitv.c prints it."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent

_WAITV = struct.Struct("<QQII")  # struct futex_waitv {__u64 val, uaddr; __u32 flags, __reserved}
# FUTEX_WAITV_MAX (linux/futex.h): strace prints no more waiters than the kernel takes
_WAITV_MAX = 128


@register("futex_waiters", count="param")
def build_futex_waiters(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])
    flags = fmt.flags(arch, "futex_waiter_flags", d.xs)

    def waiters(ev: SyscallEvent, mem: Memory) -> str:
        seen = [0]

        def elem(chunk: bytes) -> str:
            seen[0] += 1
            if seen[0] > _WAITV_MAX:
                return "..."
            val, uaddr, fl, reserved = _WAITV.unpack(chunk)
            text = f"{{val={_hex(val)}, uaddr={_ptr(uaddr)}, flags={flags(fl)}"
            return text + (f", __reserved={_hex(reserved)}}}" if reserved else "}")
        text = d.array(mem, ev.raw_args[i], ev.raw_args[n] & 0xFFFFFFFF, _WAITV.size, elem)
        cut = text.find(", ...") if seen[0] > _WAITV_MAX else -1
        return text[:cut] + ", ...]" if cut >= 0 else text
    return waiters
