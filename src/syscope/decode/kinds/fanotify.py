"""fanotify(7): fanotify_init's class and flags, fanotify_mark's event mask and directory
descriptor, as strace's src/fanotify.c prints them; tables from linux/fanotify.h."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent

# FAN_ALL_CLASS_BITS (linux/fanotify.h): the notification class, a field of the init flags
_CLASS_BITS = 0xC
# FAN_NOFD (linux/fanotify.h): "no directory", which strace names in fanotify_mark's dirfd
_FAN_NOFD = -1
_AT_FDCWD = -100
# FAN_DIR_MODIFY: an event bit of Linux 5.7-5.8 (include/uapi/linux/fanotify.h, removed in 5.9
# by commit 4e7f0c4fbcf8) that strace 6.1 still names, before FAN_ONDIR
_REMOVED_EVENTS = [(0x00080000, "FAN_DIR_MODIFY")]


@register("fan_init_flags", scalar=True)
def build_fan_init_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    classes = fmt.enum(arch, "fan_classes")
    flags = fmt.flags(arch, "fan_init_flags")

    # the class (printxval), then "|" and the other flags (printflags) when any is set
    def init_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        if d.xs == 2:
            return fmt.hexnum(v)
        text = classes(v & _CLASS_BITS)
        rest = v & ~_CLASS_BITS
        return f"{text}|{flags(rest)}" if rest else text
    return init_flags


def _event_flags(arch: str, verbose: int) -> fmt.Flags:
    rows = list(fmt.consts(arch).get("fan_event_flags", []))
    known = {n for _v, n in rows}
    at = next((k for k, (_v, n) in enumerate(rows) if n == "FAN_ONDIR"), len(rows))
    rows[at:at] = [r for r in _REMOVED_EVENTS if r[1] not in known]
    return fmt.Flags(rows, verbose, "FAN_")


@register("fan_mask", scalar=True)
def build_fan_mask(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # the mask is a 64-bit argument (printflags64); the kernel uses its low 32 bits
    events = _event_flags(arch, d.xs)
    return lambda ev, mem: events(ev.raw_args[i])


@register("fan_dirfd", scalar=True)
def build_fan_dirfd(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # FAN_NOFD by name (print_xlat_d), else a dirfd as *at calls print it
    def dirfd(ev: SyscallEvent, mem: Memory) -> str:
        fd = _s32(ev.raw_args[i])
        name = "FAN_NOFD" if fd == _FAN_NOFD else "AT_FDCWD" if fd == _AT_FDCWD else None
        if name is None:
            return d.fd_or_num(ev, fd)
        if d.xs == 2:
            return str(fd)
        if name == "AT_FDCWD" and d.opts.decode_fds:
            name += d.cwd_link(ev)
        return f"{fd} /* {name} */" if d.xs == 1 else name
    return dirfd
