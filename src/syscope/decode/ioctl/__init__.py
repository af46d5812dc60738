"""ioctl(2): the command's name and its argument, decoded by the command's family as strace
6.1's src/ioctl.c does.  ``names`` names the commands; each family module registers, by _IOC
type, the decoder of its commands' argument (core.family); a command no family decodes prints
its argument as a number."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.ioctl import (
    block,
    core,
    evdev,
    fs,
    gpio,
    loop,
    misc,
    mtd,
    names,
    ptp,
    rtc,
    scsi,
    seccomp,
    term,
    ubi,
)
from syscope.decode.registry import ArgFn, Memory
from syscope.events import SyscallEvent

__all__ = ["block", "build_arg", "build_req", "build_req_raw", "build_req_verbose", "evdev", "fs", "gpio", "loop",
           "misc", "mtd", "names", "ptp", "rtc", "scsi", "seccomp", "term", "ubi"]


def build_req(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
        return names.command(arch, ev.raw_args[i])
    return ioctl_req


def build_req_verbose(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # -X verbose: the number, the names in a comment (the parameters of EVIOCGABS(...) and
    # _IOC(...)'s fields without their unknown-value comments)
    def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
        code = ev.raw_args[i] & 0xFFFFFFFF
        return f"{fmt.hexnum(code)} /* {names.command(arch, code, verbose=True)} */"
    return ioctl_req


def build_req_raw(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    return lambda ev, mem: fmt.hexnum(ev.raw_args[i] & 0xFFFFFFFF)


def build_arg(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    families = core.FAMILIES

    def ioctl_arg(ev: SyscallEvent, mem: Memory) -> str | None:
        fam = families.get((ev.raw_args[1] >> 8) & 0xFF)
        got = fam(core.Call(d, ev, mem, arch)) if fam is not None else None
        if got is None:
            # a command no decoder knows: the register, in hex (strace's PRINT_VAL_X)
            return fmt.hexnum(ev.raw_args[i])
        return got if got != core.NO_ARG else None
    return ioctl_arg
