"""fsconfig(2) of the new mount API: the key, value and aux arguments by command, as strace's
src/fsconfig.c prints them."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.fmt import s32 as _s32
from syscope.decode.kinds.memfd import bounded_cstr
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent

_KEY_MAX = 256  # strace prints the key and a string value as printstr_ex(..., 256, ...)
_BINARY_MAX = 1024 * 1024  # a binary value longer than this is its address
_AT_FDCWD = -100


@register("fsconfig_args", scalar=True)
def build_fsconfig_args(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    c = {n: v for v, n in fmt.consts(arch).get("fsconfig_cmds", [])}
    keyed = {c.get(n) for n in ("FSCONFIG_SET_FLAG", "FSCONFIG_SET_STRING", "FSCONFIG_SET_BINARY",
                                "FSCONFIG_SET_PATH", "FSCONFIG_SET_PATH_EMPTY", "FSCONFIG_SET_FD")}
    paths = {c.get("FSCONFIG_SET_PATH"), c.get("FSCONFIG_SET_PATH_EMPTY")}

    def value(ev: SyscallEvent, mem: Memory, cmd: int, addr: int, aux: int) -> str:
        if cmd == c.get("FSCONFIG_SET_STRING"):
            return bounded_cstr(d, mem, addr, _KEY_MAX)
        if cmd in paths:
            # the path is the value argument's structured value (-P matches it: pathtrace.c)
            return d.cstr(mem, addr, 4095, ev, i + 1, whole=True)
        if cmd == c.get("FSCONFIG_SET_BINARY") and 0 <= aux <= _BINARY_MAX:
            # printstr_ex(value, aux, QUOTE_FORCE_HEX)
            if not addr:
                return "NULL"
            n = min(d.opts.string_limit + 1, aux)
            data = mem.read(addr, n) if n else b""
            if data is None or len(data) < n:
                return _ptr(addr)
            shown = data[: d.opts.string_limit]
            return '"' + "".join(f"\\x{b:02x}" for b in shown) + '"' + ("..." if aux > d.opts.string_limit else "")
        return _ptr(addr)

    def aux_text(ev: SyscallEvent, cmd: int, aux: int) -> str:
        if cmd in paths:
            if aux == _AT_FDCWD and not d.opts.raw_all:
                return "AT_FDCWD" + (d.cwd_link(ev) if d.opts.decode_fds else "")
            return d.fd_or_num(ev, aux)
        if cmd == c.get("FSCONFIG_SET_FD"):
            return d.fd_or_num(ev, aux)
        return str(aux)

    # key, value and aux (the three arguments after the command)
    def fsconfig_args(ev: SyscallEvent, mem: Memory) -> str:
        cmd, key, addr = ev.raw_args[i - 1] & 0xFFFFFFFF, ev.raw_args[i], ev.raw_args[i + 1]
        aux = _s32(ev.raw_args[i + 2])
        key_text = bounded_cstr(d, mem, key, _KEY_MAX) if cmd in keyed else _ptr(key)
        return f"{key_text}, {value(ev, mem, cmd, addr, aux)}, {aux_text(ev, cmd, aux)}"
    return fsconfig_args
