"""x86 segment descriptors: struct user_desc (asm/ldt.h) as modify_ldt(2), set_thread_area(2),
get_thread_area(2) and i386's clone(2) tls pass it; strace's src/ldt.c."""

from __future__ import annotations

import struct

from syscope.decode.base import DecoderBase
from syscope.decode.fmt import errno_text
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, word_size
from syscope.events import SyscallEvent

# struct user_desc: unsigned int entry_number, base_addr, limit, then one unsigned int of
# bitfields (seg_32bit:1, contents:2, read_exec_only:1, limit_in_pages:1, seg_not_present:1,
# useable:1 and, on x86_64's header, lm:1); the same 16 bytes on every x86 ABI
USER_DESC = struct.Struct("<IIII")
_BITS = (("seg_32bit", 0, 1), ("contents", 1, 3), ("read_exec_only", 3, 1), ("limit_in_pages", 4, 1),
         ("seg_not_present", 5, 1), ("useable", 6, 1))
_LM_BIT = 7


def entry_id(v: int) -> str:
    """strace's PRINT_VAL_ID: an unsigned id, except that all ones is -1."""
    return "-1" if v == 0xFFFFFFFF else str(v)


def _hex32(v: int) -> str:
    # PRINT_VAL_0X: C's "%#0*x" at the field's width (8): zero has no 0x prefix
    return f"{v:#010x}" if v else "00000000"


def desc_rest(arch: str, base: int, limit: int, bits: int) -> str:
    """The fields after entry_number, each preceded by ", ", and the closing brace."""
    parts = [f"base_addr={_hex32(base)}", f"limit={_hex32(limit)}"]
    parts += [f"{name}={(bits >> shift) & mask}" for name, shift, mask in _BITS]
    if word_size(arch) == 8:
        # lm (64-bit code segment) exists in the x86_64 header only and the kernel ignores it for
        # 32-bit tasks (arch/x86/include/asm/desc.h LDT_entry); strace prints it for 64-bit ones
        parts.append(f"lm={(bits >> _LM_BIT) & 1}")
    return ", " + ", ".join(parts) + "}"


def user_desc(mem: Memory, addr: int, arch: str) -> str:
    """The whole struct as the kernel reads it (strace's USER_DESC_BOTH), or its address."""
    data = mem.read(addr, USER_DESC.size) if addr else None
    if data is None or len(data) < USER_DESC.size:
        return _ptr(addr)
    num, base, limit, bits = USER_DESC.unpack(data)
    return f"{{entry_number={entry_id(num)}" + desc_rest(arch, base, limit, bits)


@register("user_desc")
def build_user_desc(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def user_desc_arg(ev: SyscallEvent, mem: Memory) -> str:
        return user_desc(mem, ev.raw_args[i], arch)
    return user_desc_arg


@register("ldt_desc")
def build_ldt_desc(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def ldt_desc(ev: SyscallEvent, mem: Memory) -> str:
        # modify_ldt(func, ptr, bytecount): ptr is a struct user_desc only when bytecount is its
        # size (arch/x86/kernel/ldt.c write_ldt checks it; read_ldt fills bytecount raw bytes)
        addr = ev.raw_args[i]
        if ev.raw_args[i + 1] != USER_DESC.size:
            return _ptr(addr)
        return user_desc(mem, addr, arch)
    return ldt_desc


@register("user_desc_get", out=True)
def build_user_desc_get(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    """get_thread_area(2): the kernel reads entry_number and fills the rest (arch/x86/kernel/
    tls.c do_get_thread_area).  strace prints entry_number as the call found it and the rest at
    exit, ``{entry_number=12, ...}`` when the call failed; entry_number is read at entry (the
    plan's value-result int, decoder.py)."""
    def user_desc_get(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        before = d.inlen.pop(mem.tid, None)
        if before is None:
            got = mem.read(addr, 4) if addr else None
            before = struct.unpack("<i", got)[0] if got is not None and len(got) == 4 else None
        if before is None:
            return _ptr(addr)
        head = f"{{entry_number={entry_id(before & 0xFFFFFFFF)}"
        data = mem.read(addr, USER_DESC.size) if ev.errno is None and ev.retval is not None else None
        if data is None or len(data) < USER_DESC.size:
            return head + ", ...}"
        num, base, limit, bits = USER_DESC.unpack(data)
        if num != before & 0xFFFFFFFF:
            head += f" => {entry_id(num)}"  # strace's tprint_value_changed
        return head + desc_rest(arch, base, limit, bits)
    return user_desc_get


@returns("tls_entry", reads=True)
def ret_tls_entry(d: DecoderBase, arch: str) -> RetFn:
    def tls_entry(ev: SyscallEvent) -> str:
        # set_thread_area(2) with entry_number -1 picks a free entry and writes it back: strace
        # prints it after the result, unless -e verbose= leaves the call out
        mem = d.mem_box[0]
        addr = ev.raw_args[0]
        got = mem.read(addr, 4) if mem is not None and addr and ev.name not in d.opts.no_verbose else None
        if ev.retval == 0 and got is not None and len(got) == 4:
            return f"0 (entry_number={struct.unpack('<I', got)[0]})"
        return str(ev.retval)
    return tls_entry


@returns("ldt")
def ret_ldt(d: DecoderBase, arch: str) -> RetFn:
    def ldt_ret(ev: SyscallEvent) -> str:
        # arch/x86/kernel/ldt.c: sys_modify_ldt returns (unsigned int)ret, "the ABI expects int",
        # so an error arrives zero-extended on 64-bit: strace's modify_ldt takes it back as the
        # errno and prints the number as it came, "= 4294967258 ENOSYS (...)"
        r = ev.retval or 0
        if word_size(arch) == 8 and 0xFFFFF000 <= r <= 0xFFFFFFFF:
            ev.errno = 0x100000000 - r
            return f"{r} " + errno_text(ev.errno).split(" ", 1)[1]
        return str(r)
    return ldt_ret
