"""kexec_load(2)'s segments and flags, as strace's src/kexec.c prints them (kexec_file_load
needs no kind of its own: descriptors, a length-bounded command line and a flag set)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register, word_size
from syscope.events import SyscallEvent


def _limits(arch: str) -> dict[str, int]:
    return {n: v for v, n in fmt.consts(arch).get("kexec_limits", [])}


@register("kexec_segments")
def build_kexec_segments(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])
    word = word_size(arch)
    seg = struct.Struct("<QQQQ" if word == 8 else "<IIII")
    most = _limits(arch).get("KEXEC_SEGMENT_MAX", 16)

    # struct kexec_segment {buf, bufsz, mem, memsz} (linux/kexec.h); more than
    # KEXEC_SEGMENT_MAX segments is the address alone
    def elem(chunk: bytes) -> str:
        buf, bufsz, mem, memsz = seg.unpack(chunk)
        return f"{{buf={_ptr(buf)}, bufsz={bufsz}, mem={_ptr(mem)}, memsz={memsz}}}"

    def segments(ev: SyscallEvent, mem: Memory) -> str:
        count, addr = ev.raw_args[n], ev.raw_args[i]
        if count > most:
            return _ptr(addr)
        return d.array(mem, addr, count, seg.size, elem)
    return segments


@register("kexec_flags", scalar=True)
def build_kexec_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    arches = fmt.enum(arch, "kexec_arch_values", d.xs)
    flags = fmt.flags(arch, "kexec_load_flags", d.xs)
    mask = _limits(arch).get("KEXEC_ARCH_MASK", 0xFFFF0000)

    # the target architecture (the high half, KEXEC_ARCH_MASK), then "|" and the flags
    def kexec_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i]
        text = arches(v & mask)
        rest = v & ~mask
        return f"{text}|{flags(rest)}" if rest else text
    return kexec_flags
