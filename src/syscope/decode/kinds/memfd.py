"""Anonymous memory files: memfd_create(2)'s name and flags (strace src/memfd_create.c)."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent

# MFD_NAME_MAX_LEN (mm/memfd.c): 255 less the "memfd:" prefix the kernel adds
NAME_MAX = 255 - len("memfd:")


def bounded_cstr(d: DecoderBase, mem: Memory, addr: int, most: int) -> str:
    """strace printstr_ex(addr, most, QUOTE_0_TERMINATED): at most ``most`` bytes are read (-s + 1
    if fewer), at most -s printed, "..." when no NUL was among them; a fault before the NUL is
    the address."""
    if not addr:
        return "NULL"
    limit = d.opts.string_limit
    size = min(limit + 1, most)
    got = mem.read_cstr(addr, size)
    if got is None or (not got[1] and len(got[0]) < size):
        return _ptr(addr)
    data = got[0]
    shown = min(size, limit)
    text = '"' + fmt.quote(data[:shown], d.opts.xflag) + '"'
    # string_quote looks one byte past what it prints: a NUL there is no "..."
    more = len(data) > shown or (len(data) == shown and not got[1])
    return text + "..." if more else text


@register("memfd_name", scalar=True)
def build_memfd_name(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # printstr_ex(addr, MFD_NAME_MAX_LEN + 1, QUOTE_0_TERMINATED)
    return lambda ev, mem: bounded_cstr(d, mem, ev.raw_args[i], NAME_MAX + 1)


@register("memfd_create_flags", scalar=True)
def build_memfd_create_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    names = fmt.flags(arch, "memfd_create_flags")
    huge = {n: v for v, n in fmt.consts(arch).get("memfd_huge", [])}
    shift, hmask = huge.get("MFD_HUGE_SHIFT", 26), huge.get("MFD_HUGE_MASK", 0x3F)
    mask = hmask << shift

    # the huge page size is a log2 field printed N<<MFD_HUGE_SHIFT after the flags; -X verbose
    # puts it all in a comment after the number, -X raw prints the number alone
    def memfd_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        if not v or d.xs == 2:
            return _hex(v)
        size, rest = v & mask, v & ~mask
        parts = [names(rest)] if rest or not size else []
        if size:
            parts.append(f"{size >> shift}<<MFD_HUGE_SHIFT")
        text = "|".join(parts)
        return f"{_hex(v)} /* {text} */" if d.xs == 1 else text
    return memfd_flags
