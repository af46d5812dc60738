"""System administration calls: reboot(2), swapon(2), syslog(2), _sysctl(2)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, register, word_size
from syscope.events import SyscallEvent

# reboot(2)'s fourth argument is read only for LINUX_REBOOT_CMD_RESTART2, as a string of at most
# 255 bytes (kernel/reboot.c copies it into a 256-byte buffer; strace src/reboot.c prints it so)
_RESTART2_LIMIT = 255


@register("reboot_arg", scalar=True)
def build_reboot_arg(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    cmds = {n: v for v, n in fmt.consts(arch).get("reboot_cmd", [])}
    restart2 = cmds.get("LINUX_REBOOT_CMD_RESTART2")

    def reboot_arg(ev: SyscallEvent, mem: Memory) -> str | None:
        if ev.raw_args[i - 1] & 0xFFFFFFFF != restart2:
            return None
        addr = ev.raw_args[i]
        if not addr:
            return "NULL"
        # strace's printstr_ex(len=255, QUOTE_0_TERMINATED): at most min(255, -s) bytes; no NUL
        # among them is "..."; a fault before the NUL and before that size is the address
        size = min(d.limit, _RESTART2_LIMIT)
        got = mem.read_cstr(addr, size)
        if got is None:
            return _ptr(addr)
        data, nul = got
        if not nul and len(data) < size:
            return _ptr(addr)
        text = '"' + fmt.quote(data, d.xflag) + '"'
        return text if nul else text + "..."
    return reboot_arg


@register("swap_flags", scalar=True, xlat="hex")
def build_swap_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    fl = fmt.flags(arch, "swap_flags")
    # the low 15 bits are the priority, SWAP_FLAG_PRIO_MASK (include/linux/swap.h): strace
    # prints the other bits as flags, then the priority as a number (src/swapon.c)
    prio_mask = 0x7FFF

    def swap_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        rest = v & ~prio_mask
        prio = str(v & prio_mask)
        return f"{fl(rest)}|{prio}" if rest else prio
    return swap_flags


# strace prints the action always as a number with its name in a comment (src/syslog.c:
# XLAT_STYLE_VERBOSE | XLAT_STYLE_FMT_D), so the kind has no -X forms of its own
@register("syslog_type", scalar=True)
def build_syslog_type(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    names = dict(fmt.consts(arch).get("syslog_action", []))

    def syslog_type(ev: SyscallEvent, mem: Memory) -> str:
        v = _s32(ev.raw_args[i])
        return f"{v} /* {names.get(v, 'SYSLOG_ACTION_???')} */"
    return syslog_type


# actions that ignore bufp and len: strace prints the action alone (src/syslog.c); the READ
# actions fill bufp, printed at exit as the bytes read; CONSOLE_LEVEL's len is a log level
_SYSLOG_NO_ARGS = ("SYSLOG_ACTION_CLOSE", "SYSLOG_ACTION_OPEN", "SYSLOG_ACTION_CLEAR", "SYSLOG_ACTION_CONSOLE_OFF",
                   "SYSLOG_ACTION_CONSOLE_ON", "SYSLOG_ACTION_SIZE_UNREAD", "SYSLOG_ACTION_SIZE_BUFFER")
_SYSLOG_READS = ("SYSLOG_ACTION_READ", "SYSLOG_ACTION_READ_ALL", "SYSLOG_ACTION_READ_CLEAR")


def _actions(arch: str, names: tuple[str, ...]) -> frozenset[int]:
    table = {n: v for v, n in fmt.consts(arch).get("syslog_action", [])}
    return frozenset(table[n] for n in names if n in table)


@register("syslog_buf", out=True, scalar=True)
def build_syslog_buf(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    no_args, reads = _actions(arch, _SYSLOG_NO_ARGS), _actions(arch, _SYSLOG_READS)

    def syslog_buf(ev: SyscallEvent, mem: Memory) -> str | None:
        action = _s32(ev.raw_args[0])
        if action in no_args:
            return None
        addr = ev.raw_args[i]
        if action in reads and ev.errno is None and ev.retval is not None:
            return d.buf(mem, addr, ev.retval)
        return _ptr(addr)
    return syslog_buf


@register("syslog_len", out=True, scalar=True)
def build_syslog_len(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    no_args, level = _actions(arch, _SYSLOG_NO_ARGS), _actions(arch, ("SYSLOG_ACTION_CONSOLE_LEVEL",))
    levels = dict(fmt.consts(arch).get("syslog_console_level", []))

    def syslog_len(ev: SyscallEvent, mem: Memory) -> str | None:
        action = _s32(ev.raw_args[0])
        if action in no_args:
            return None
        n = _s32(ev.raw_args[i])
        if action in level:
            return f"{n} /* {levels.get(n, 'LOGLEVEL_???')} */"
        return str(n)
    return syslog_len


# struct __sysctl_args (linux/sysctl.h): int *name; int nlen; void *oldval; size_t *oldlenp;
# void *newval; size_t newlen; unsigned long __unused[4] -- at the tracee's word size
_SYSCTL_ARGS = {8: struct.Struct("<QiiQQQQ32x"), 4: struct.Struct("<IiIIII16x")}


@register("sysctl_args")
def build_sysctl_args(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    st = _SYSCTL_ARGS[word_size(arch)]

    def sysctl_args(ev: SyscallEvent, mem: Memory) -> str:
        # strace's sysctl.c: umove_or_printaddr of the whole struct, then its fields
        addr = ev.raw_args[i]
        data = mem.read(addr, st.size) if addr else None
        if data is None or len(data) < st.size:
            return _ptr(addr)
        fields = st.unpack(data)
        name, nlen, oldval, oldlenp, newval, newlen = fields[0], fields[1], *fields[-4:]
        return (f"{{name={_ptr(name)}, nlen={nlen}, oldval={_ptr(oldval)}, oldlenp={_ptr(oldlenp)}, "
                f"newval={_ptr(newval)}, newlen={newlen}}}")
    return sysctl_args
