"""Registers as numbers, descriptors, flag sets and enums (strace's printxval/printflags)."""

from __future__ import annotations

import struct

from syscope.decode import cformat as c
from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import octal as _oct
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns, word_size
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

AT_FDCWD = -100  # fcntl.h: "the current working directory" as a dirfd


# -- structured values from the registers (registry.ValueFactory) ------------------------------
def signed32(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    """An int argument: the low 32 bits of the register, signed."""
    return lambda ev: _s32(ev.raw_args[i])


def unsigned32(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    return lambda ev: ev.raw_args[i] & 0xFFFFFFFF


def signed_long(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    if word_size(arch) == 4:
        return lambda ev: _s32(ev.raw_args[i])
    return lambda ev: ev.raw_args[i] - (1 << 64) if ev.raw_args[i] >> 63 else ev.raw_args[i]


def flag_names(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    """``F:table``: the set bits by name."""
    fl = fmt.flags(arch, kind.split(":", 1)[1])
    return lambda ev: fl.names(ev.raw_args[i])


def enum_name(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    """``E:table`` / ``Ei:table``: the constant's name, the number when the table lacks it."""
    en = fmt.enum(arch, kind.split(":", 1)[1])
    if kind.startswith("Ei:"):
        return lambda ev: en.get(_s32(ev.raw_args[i])) or _s32(ev.raw_args[i])
    mask = 0xFFFFFFFF if word_size(arch) == 4 else (1 << 64) - 1
    return lambda ev: en.get(ev.raw_args[i] & mask) or ev.raw_args[i] & mask


def field_and_flags(field: str | None, rest: fmt.Flags, value: int, mask: int) -> tuple[str, ...]:
    """The structured form of ``fmt.field_flags``: the named field, then the other bits."""
    if field is None:
        return rest.names(value)
    return (field, *rest.names(value & ~mask))


def _off64(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    return lambda ev: struct.unpack("<q", struct.pack("<II", ev.raw_args[i] & 0xFFFFFFFF,
                                                      ev.raw_args[i + 1] & 0xFFFFFFFF))[0]


def _llseek_off(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    return lambda ev: struct.unpack("<q", struct.pack("<II", ev.raw_args[2] & 0xFFFFFFFF,
                                                      ev.raw_args[1] & 0xFFFFFFFF))[0]


def _pgoff(i: int) -> Callable[[SyscallEvent], Any]:
    return lambda ev: (ev.raw_args[i] & 0xFFFFFFFF) * 4096


def _mmap_flags(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    ty, rest = fmt.enum(arch, "mmap_type"), fmt.flags(arch, "mmap_flags")
    huge = dict((n, v) for v, n in fmt.consts(arch).get("mmap_huge", []))
    hshift, hmask = huge.get("MAP_HUGE_SHIFT", 26), huge.get("MAP_HUGE_MASK", 0x3F)

    def value(ev: SyscallEvent) -> tuple[str, ...]:
        v = ev.raw_args[i] & 0xFFFFFFFF
        hp = (v >> hshift) & hmask
        v &= ~(hmask << hshift)
        names = field_and_flags(ty.get(v & 0xF), rest, v, 0xF)
        return (*names, f"{hp}<<MAP_HUGE_SHIFT") if hp else names
    return value


@register("d", scalar=True, value=signed32, c=lambda d, i, arch, kind: c.COp(c.D32, i, mask=c.INT))
def build_d(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: str(_s32(ev.raw_args[i]))


@register("ld", scalar=True, value=signed_long,
          c=lambda d, i, arch, kind: c.COp(c.S64, i) if word_size(arch) == 8 else None)
def build_ld(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    if word == 4:
        return lambda ev, mem: str(_s32(ev.raw_args[i]))
    return lambda ev, mem: str(struct.unpack("q", struct.pack("Q", ev.raw_args[i]))[0])


@register("u", scalar=True, c=lambda d, i, arch, kind: c.COp(c.U64, i))
def build_u(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: str(ev.raw_args[i])


@register("x", scalar=True, c=lambda d, i, arch, kind: c.COp(c.HEX, i))
def build_x(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: _hex(ev.raw_args[i])


@register("p", scalar=True, c=lambda d, i, arch, kind: c.COp(c.PTR, i))
def build_p(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: _ptr(ev.raw_args[i])


@register("arrp", scalar=True)
def build_arrp(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    """An array with verbose off (registry.brief_kind; ``arrp:ret`` or ``arrp:arg:N``): strace's
    print_array prints NULL, and ``[]`` for no elements, before tfetch_mem refuses to read
    (util.c: tfetch_mem is false without verbose(tcp)); else the address.  A count that is the
    result is none of these when the call failed: the caller prints the address then
    (e.g. epoll.c epoll_wait_common on syserror)."""
    source = kind.split(":", 1)[1]
    if source == "ret":
        def by_ret(ev: SyscallEvent, mem: Memory) -> str:
            addr = ev.raw_args[i]
            if addr and ev.errno is None and ev.retval == 0:
                return "[]"
            return _ptr(addr)
        return by_ret
    n = int(source.split(":", 1)[1])

    def by_arg(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        return "[]" if addr and not ev.raw_args[n] else _ptr(addr)
    return by_arg


@register("o", scalar=True, value=unsigned32, c=lambda d, i, arch, kind: c.COp(c.OCTAL, i, mask=c.INT))
def build_o(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # the whole mode_t as given, type bits included (chmod("f", 0100644) stays so)
    return lambda ev, mem: _oct(ev.raw_args[i] & 0xFFFFFFFF)


# C form: the number, and under plain -y its path (cformat.py options_allow keeps -yy off)
@register("fd", scalar=True, value=signed32, c=lambda d, i, arch, kind: c.fd_op(d, i))
def build_fd(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    if o.decode_fds:
        return lambda ev, mem: d.fd(ev, _s32(ev.raw_args[i]))

    def fd(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF  # s32() inline: every read and write passes here
        return str(v - 0x100000000 if v & 0x80000000 else v)
    return fd


def build_dirfd(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    o = d.opts
    def dirfd(ev: SyscallEvent, mem: Memory) -> str:
        fd = _s32(ev.raw_args[i])
        if fd == AT_FDCWD:
            name = str(fd) if o.raw_all else "AT_FDCWD"
            if "path" in d.fd_kinds:
                # strace -y shows the working directory the call is relative to (print_dirfd)
                return name + d.cwd_link(ev)
            return name
        return d.fd(ev, fd) if o.decode_fds else str(fd)
    return dirfd


def _dirfd_verbose(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    named = build_dirfd(d, i, arch, kind)

    def dirfd(ev: SyscallEvent, mem: Memory) -> str | None:
        # -X verbose comments only the name: a descriptor (with its -y path) prints as usual
        text = named(ev, mem)
        if text is None or not text.startswith("AT_FDCWD"):
            return text
        # the -y path follows the comment, as after a descriptor: -100 /* AT_FDCWD */</dir>
        return f"{_s32(ev.raw_args[i])} /* AT_FDCWD */{text[8:]}"
    return dirfd


# AT_FDCWD by name (-X raw and verbose are not C-formatted), else the number; under plain -y the
# working directory after AT_FDCWD and a descriptor's path (cformat.py options_allow keeps -yy off)
register("dirfd", scalar=True, xlat="dec", value=signed32, verbose=_dirfd_verbose,
         c=lambda d, i, arch, kind: c.COp(c.DIRFD_PATH if d.opts.decode_fds else c.DIRFD, i, mask=c.INT))(build_dirfd)


@register("F", scalar=True, xlat="hex", value=flag_names,
          c=lambda d, i, arch, kind: c.flags_op(fmt.flags(arch, kind[2:]), i, c.ALL))
def build_F(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    fl = fmt.flags(arch, kind[2:])
    return lambda ev, mem: fl(ev.raw_args[i])


@register("E", scalar=True, xlat="hex", value=enum_name,
          c=lambda d, i, arch, kind: c.enum_op(fmt.enum(arch, kind[2:]), i, c.ALL) if word_size(arch) == 8 else None)
def build_E(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    word = word_size(arch)
    en = fmt.enum(arch, kind[2:])
    if word == 8:
        return lambda ev, mem: en(ev.raw_args[i])
    return lambda ev, mem: en(ev.raw_args[i] & 0xFFFFFFFF)


# C form: the map type (the low 4 bits) by name, then the other flags (fmt.field_flags); a type
# without a name and MAP_HUGE_* bits (no row of mmap_flags) are given back to this builder
@register("mmap_flags", scalar=True, xlat="hex", value=_mmap_flags,
          c=lambda d, i, arch, kind: c.field_flags_op(fmt.enum(arch, "mmap_type"), fmt.flags(arch, "mmap_flags"),
                                                      i, 0xF))
def build_mmap_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ty = fmt.enum(arch, "mmap_type")
    rest = fmt.flags(arch, "mmap_flags")
    huge = dict((n, v) for v, n in fmt.consts(arch).get("mmap_huge", []))
    hshift, hmask = huge.get("MAP_HUGE_SHIFT", 26), huge.get("MAP_HUGE_MASK", 0x3F)

    def mmap_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        # the huge page size is a log2 field, printed as N<<MAP_HUGE_SHIFT (mmap(2))
        hp = (v >> hshift) & hmask
        v &= ~(hmask << hshift)
        name = ty.get(v & 0xF)
        # strace print_mmap_flags(): the map type always comes first, by name or as a number
        if name is None:
            name = f"{_hex(v & 0xF)} /* MAP_??? */"
        text = fmt.field_flags(name, rest, v, 0xF)
        return text + f"|{hp}<<MAP_HUGE_SHIFT" if hp else text
    return mmap_flags


@register("mremap_new", scalar=True)
def build_mremap_new(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mremap(2): the new address is only an argument with MREMAP_FIXED
    return lambda ev, mem: _ptr(ev.raw_args[i]) if ev.raw_args[3] & 2 else None


@register("skip", scalar=True)
def build_skip(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # a register already shown as part of the argument before it
    return lambda ev, mem: None


@register("off64", scalar=True, value=_off64)
def build_off64(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # i386 passes a 64-bit offset in two registers, low word first (the next argument
    # is "skip"): pread64, truncate64, fadvise64, fallocate (arch/x86/kernel/sys_ia32.c)
    return lambda ev, mem: str(struct.unpack("<q", struct.pack(
        "<II", ev.raw_args[i] & 0xFFFFFFFF, ev.raw_args[i + 1] & 0xFFFFFFFF))[0])


@register("pgoff", scalar=True, value=lambda arch, i, kind: _pgoff(i))
def build_pgoff(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # mmap2(2): the offset is in 4096-byte units; strace prints it in bytes
    return lambda ev, mem: _hex((ev.raw_args[i] & 0xFFFFFFFF) * 4096)


@register("llseek_off", scalar=True, value=_llseek_off)
def build_llseek_off(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # _llseek(fd, offset_high, offset_low, result, whence): one 64-bit offset
    return lambda ev, mem: str(struct.unpack("<q", struct.pack(
        "<II", ev.raw_args[2] & 0xFFFFFFFF, ev.raw_args[1] & 0xFFFFFFFF))[0])


def _raw_Ei(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # -X raw: strace's printxval_d prints the signed number (getrusage(0, ...))
    return lambda ev, mem: str(_s32(ev.raw_args[i]))


@register("Ei", scalar=True, xlat="dec", value=enum_name, raw=_raw_Ei)
def build_Ei(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    en = fmt.enum(arch, kind[3:])
    return lambda ev, mem: en(_s32(ev.raw_args[i]))


@register("u32", scalar=True, value=unsigned32, c=lambda d, i, arch, kind: c.COp(c.U32, i, mask=c.INT))
def build_u32(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: str(ev.raw_args[i] & 0xFFFFFFFF)


# -- the 32-bit forms widths.py gives the kinds above when the kernel type is 32 bits wide --------
def _uid_value(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    return lambda ev: -1 if ev.raw_args[i] & 0xFFFFFFFF == 0xFFFFFFFF else ev.raw_args[i] & 0xFFFFFFFF


@register("uid", scalar=True, value=_uid_value, c=lambda d, i, arch, kind: c.COp(c.UID, i, mask=c.INT))
def build_uid(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # strace printuid(): a uid_t/gid_t unsigned, except (uid_t) -1 ("no change", chown(2))
    def uid(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return "-1" if v == 0xFFFFFFFF else str(v)
    return uid


@register("o16", scalar=True, value=lambda arch, i, kind: lambda ev: ev.raw_args[i] & 0xFFFF,
          c=lambda d, i, arch, kind: c.COp(c.OCTAL, i, mask=0xFFFF))
def build_o16(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # a umode_t, an unsigned short (include/linux/types.h): creat(2), mkdir(2), chmod(2)
    return lambda ev, mem: _oct(ev.raw_args[i] & 0xFFFF)


@register("x32", scalar=True, value=unsigned32, c=lambda d, i, arch, kind: c.COp(c.HEX, i, mask=c.INT))
def build_x32(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: _hex(ev.raw_args[i] & 0xFFFFFFFF)


def flag_names32(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    fl = fmt.flags(arch, kind.split(":", 1)[1])
    return lambda ev: fl.names(ev.raw_args[i] & 0xFFFFFFFF)


def enum_name32(arch: str, i: int, kind: str) -> Callable[[SyscallEvent], Any]:
    en = fmt.enum(arch, kind.split(":", 1)[1])
    return lambda ev: en.get(ev.raw_args[i] & 0xFFFFFFFF) or ev.raw_args[i] & 0xFFFFFFFF


@register("F32", scalar=True, xlat="hex", value=flag_names32,
          c=lambda d, i, arch, kind: c.flags_op(fmt.flags(arch, kind.split(":", 1)[1]), i, c.INT))
def build_F32(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    fl = fmt.flags(arch, kind.split(":", 1)[1])
    return lambda ev, mem: fl(ev.raw_args[i] & 0xFFFFFFFF)


@register("E32", scalar=True, xlat="hex", value=enum_name32,
          c=lambda d, i, arch, kind: c.enum_op(fmt.enum(arch, kind.split(":", 1)[1]), i, c.INT))
def build_E32(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    en = fmt.enum(arch, kind.split(":", 1)[1])
    return lambda ev, mem: en(ev.raw_args[i] & 0xFFFFFFFF)


# the C forms of the results below print the 64-bit register (cformat.plan: 64-bit ABIs only)
@returns("x", c=lambda d, arch: c.RET_X)
def ret_x(d: DecoderBase, arch: str) -> RetFn:
    mask = 0xFFFFFFFF if word_size(arch) == 4 else 0xFFFFFFFFFFFFFFFF
    return lambda ev: _hex((ev.retval or 0) & mask)


@returns("u", c=lambda d, arch: c.RET_U)
def ret_u(d: DecoderBase, arch: str) -> RetFn:
    # an unsigned result (uid_t of getuid(2) ...): strace prints the register unsigned (an
    # injected 0x8000000000000000 is 9223372036854775808)
    mask = 0xFFFFFFFF if word_size(arch) == 4 else 0xFFFFFFFFFFFFFFFF
    return lambda ev: str((ev.retval or 0) & mask)


@returns("o", c=lambda d, arch: c.RET_OCTAL)
def ret_o(d: DecoderBase, arch: str) -> RetFn:
    return lambda ev: _oct(ev.retval or 0)


@returns("fd", c=lambda d, arch: c.fd_ret(d))
def ret_fd(d: DecoderBase, arch: str) -> RetFn:
    if not d.opts.decode_fds:
        return lambda ev: str(ev.retval)
    return lambda ev: d.fd(ev, ev.retval or 0)
