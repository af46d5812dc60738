"""ioctl(2): the command's name and its argument, decoded by the command's family as strace
6.1's src/ioctl.c does.  ``names`` names the commands; each family module registers, by _IOC
type, the decoder of its commands' argument (core.family); a command no family decodes prints
its argument as a number."""

from __future__ import annotations

from syscope.decode import fmt, kind_index
from syscope.decode.base import DecoderBase
from syscope.decode.ioctl import core, names
from syscope.decode.registry import ArgFn, Memory, RetFn
from syscope.events import SyscallEvent
from syscope.lean import import_module
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

__all__ = ["build_arg", "build_req", "build_req_raw", "build_req_verbose", "names"]


def _entry_snapshots(d: DecoderBase) -> dict[int, tuple[int, bytes | None]]:
    """The argument of each thread's ioctl in progress as the call found it, by thread: the
    kernel rewrites an _IOC_READ|_IOC_WRITE struct, and strace prints it before and after
    (UFFDIO_API's features => the features the kernel has)."""
    snaps: dict[int, tuple[int, bytes | None]] = vars(d).setdefault("ioctl_entry", {})
    return snaps


def reads_at_entry(arch: str, code: int, addr: int) -> bool:
    """Does the entry half of ioctl(fd, code, addr) read memory the call may rewrite (an
    _IOC_READ|_IOC_WRITE struct, or a command kept as core.SNAPSHOT says)?  Else it prints only
    the descriptor and the command, and may be decoded once the thread runs (late_decode.py)."""
    code &= 0xFFFFFFFF
    if not addr:
        return False
    if code >> 30 == 3:
        return True
    # a family declares the plain-number commands it keeps (core.SNAPSHOT) when imported: the
    # command's own first (SIOCGIFCONF's sock.py, which its first call would import only at exit)
    _family((code >> 8) & 0xFF)
    return code in core.snapshot_codes(arch)


def c_plans(d: DecoderBase, arch: str, name: str) -> list[Any]:
    """The tracer's C lines of ioctl (decode/cformat.py), one per command whose failed call
    prints the descriptor, the command's name and the argument's address (a struct the kernel
    writes on success only: term.py's TCGETS, TIOCGWINSZ...): isatty(3)'s ENOTTY.  A call that
    succeeded is Python's (the struct), and so is every other command; the entries of these
    commands read nothing at entry (reads_at_entry), so they are kept to their exit."""
    from syscope.decode import cformat as c
    from syscope.decode.ioctl import term

    plans = []
    for code in term.failed_address_codes(arch):
        if reads_at_entry(arch, code, 1):
            continue
        request = c.enum_op(fmt.Enum([(code, names.command(arch, code))], ""), 1, c.INT)
        plans.append(c.CPlan(name, (c.fd_op(d, 0), request, c.COp(c.FAILED_PTR, 2)), c.RET_D,
                             (1, c.INT, code)))
    return plans


def _snapshot(d: DecoderBase, ev: SyscallEvent, mem: Memory) -> None:
    code, addr = ev.raw_args[1] & 0xFFFFFFFF, ev.raw_args[2]
    if reads_at_entry(ev.arch, code, addr):
        size = (code >> 16) & 0x3FFF or 64
        _entry_snapshots(d)[mem.tid] = (addr, mem.read(addr, min(size, 4096)))


def build_req(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
        _snapshot(d, ev, mem)
        return names.command(arch, ev.raw_args[i])
    return ioctl_req


def build_req_verbose(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # -X verbose: the number, the names in a comment (the parameters of EVIOCGABS(...) and
    # _IOC(...)'s fields without their unknown-value comments)
    def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
        _snapshot(d, ev, mem)
        code = ev.raw_args[i] & 0xFFFFFFFF
        return f"{fmt.hexnum(code)} /* {names.command(arch, code, verbose=True)} */"
    return ioctl_req


def build_req_raw(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    def ioctl_req(ev: SyscallEvent, mem: Memory) -> str:
        _snapshot(d, ev, mem)
        return fmt.hexnum(ev.raw_args[i] & 0xFFFFFFFF)
    return ioctl_req


def _family(typ: int) -> core.Family | None:
    """The decoder of the commands of _IOC type ``typ``: its module is imported when the first
    such command is seen (kind_index.IOCTL_FAMILIES, tools/gen_kind_index.py), not the ~25
    families (and the socket module sock.py needs) at every trace's first ioctl."""
    module = kind_index.IOCTL_FAMILIES.get(typ)
    if module is not None:
        import_module(module)
    return core.FAMILIES.get(typ)


def build_arg(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    families = core.FAMILIES
    snaps = _entry_snapshots(d)
    rets = _returns(d)

    def ioctl_arg(ev: SyscallEvent, mem: Memory) -> str | None:
        entry = snaps.pop(mem.tid, None)
        typ = (ev.raw_args[1] >> 8) & 0xFF
        fam = families.get(typ) or _family(typ)
        call = core.Call(d, ev, mem, arch, entry)
        got = fam(call) if fam is not None else None
        if call.ret is not None:
            rets[ev.tid] = call.ret
        else:
            rets.pop(ev.tid, None)
        if got is None:
            # a command no decoder knows: the register, in hex (strace's PRINT_VAL_X)
            return fmt.hexnum(ev.raw_args[i])
        return got if got != core.NO_ARG else None
    return ioctl_arg


def _returns(d: DecoderBase) -> dict[int, str]:
    """The return value's text a family decoder chose for each thread's ioctl (Call.ret): the
    argument decodes at exit just before the return value prints."""
    rets: dict[int, str] = vars(d).setdefault("ioctl_ret", {})
    return rets


def build_ret(d: DecoderBase, arch: str) -> RetFn:
    """ioctl's return value: a number, or what the command's family made of it (strace's
    RVAL_FD and RVAL_STR returns of the ioctl decoders)."""
    rets = _returns(d)

    def ioctl_ret(ev: SyscallEvent) -> str:
        got = rets.pop(ev.tid, None)
        return got if got is not None else str(ev.retval)
    return ioctl_ret
