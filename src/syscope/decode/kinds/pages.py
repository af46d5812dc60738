"""move_pages(2): the pages, nodes and status arrays, as strace's src/numa.c prints them."""

from __future__ import annotations

import errno

from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register, word_size
from syscope.events import SyscallEvent


def _count(kind: str) -> int:
    return int(kind.split(":", 1)[1])


@register("ptr_array", count="param")
def build_ptr_array(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n, word = _count(kind), word_size(arch)
    mask = (1 << 8 * word) - 1

    # print_array of print_addr: each element a pointer
    def elem(chunk: bytes) -> str:
        return _ptr(int.from_bytes(chunk, "little") & mask)
    return lambda ev, mem: d.array(mem, ev.raw_args[i], ev.raw_args[n] & mask, word, elem)


@register("int_array", count="param")
def build_int_array(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n, mask = _count(kind), (1 << 8 * word_size(arch)) - 1

    def elem(chunk: bytes) -> str:
        return str(int.from_bytes(chunk, "little", signed=True))
    return lambda ev, mem: d.array(mem, ev.raw_args[i], ev.raw_args[n] & mask, 4, elem)


@register("page_status", out=True, count="param")
def build_out_page_status(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n, mask = _count(kind), (1 << 8 * word_size(arch)) - 1

    # strace print_err(status, negated): a negative errno by name (-EFAULT), a node as a number;
    # -X verbose puts the name in a comment, -X raw prints the number alone
    def elem(chunk: bytes) -> str:
        v = int.from_bytes(chunk, "little", signed=True)
        name = errno.errorcode.get(-v) if v < 0 else None
        if name is None or d.xs == 2:
            return str(v)
        return f"{v} /* -{name} */" if d.xs == 1 else f"-{name}"

    def status(ev: SyscallEvent, mem: Memory) -> str:
        # print_array at exit: NULL, then an empty array as [] whether or not the call failed,
        # and only then a failed call's address (tfetch_mem reads nothing after an error)
        addr, count = ev.raw_args[i], ev.raw_args[n] & mask
        if count and addr and (ev.errno is not None or ev.retval is None):
            return _ptr(addr)
        return d.array(mem, addr, count, 4, elem)
    return status
