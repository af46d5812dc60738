"""Security interfaces: landlock(7) rulesets and rules, seccomp(2)."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.kinds.bpf_filter import fprog_printer
from syscope.decode.registry import ArgFn, Memory, RetFn, read_struct, register, returns
from syscope.events import SyscallEvent

# struct landlock_ruleset_attr (linux/landlock.h): __u64 handled_access_fs, the only field
# strace knows; struct landlock_path_beneath_attr: __u64 allowed_access, __s32 parent_fd (packed)
_RULESET_ATTR = struct.Struct("<Q")
_PATH_BENEATH = struct.Struct("<Qi")


@register("landlock_ruleset_attr")
def build_landlock_ruleset_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    access = fmt.flags(arch, "landlock_access_fs", d.xs)

    # strace print_landlock_ruleset_attr: a size below the known field is the address; a larger
    # one ends the struct with "..." (src/landlock.c)
    def ruleset_attr(ev: SyscallEvent, mem: Memory) -> str:
        addr, size = ev.raw_args[i], ev.raw_args[i + 1]
        if size < _RULESET_ATTR.size:
            return _ptr(addr)
        got = read_struct(mem, addr, _RULESET_ATTR)
        if got is None:
            return _ptr(addr)
        more = ", ..." if size > _RULESET_ATTR.size else ""
        return f"{{handled_access_fs={access(got[0])}{more}}}"
    return ruleset_attr


@register("landlock_rule_attr")
def build_landlock_rule_attr(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    access = fmt.flags(arch, "landlock_access_fs", d.xs)
    types = {n: v for v, n in fmt.consts(arch).get("landlock_rule_types", [])}
    path_beneath = types.get("LANDLOCK_RULE_PATH_BENEATH")

    # the rule's struct is known by its type (the previous argument); others are an address
    def rule_attr(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.raw_args[i - 1] & 0xFFFFFFFF != path_beneath:
            return _ptr(addr)
        got = read_struct(mem, addr, _PATH_BENEATH)
        if got is None:
            return _ptr(addr)
        return f"{{allowed_access={access(got[0])}, parent_fd={d.fd_or_num(ev, got[1])}}}"
    return rule_attr


@returns("landlock_ruleset")
def ret_landlock_ruleset(d: DecoderBase, arch: str) -> RetFn:
    flags = {n: v for v, n in fmt.consts(arch).get("landlock_create_ruleset_flags", [])}
    version = flags.get("LANDLOCK_CREATE_RULESET_VERSION", 1)

    # with LANDLOCK_CREATE_RULESET_VERSION the call returns the ABI version, not a descriptor
    def ruleset(ev: SyscallEvent) -> str:
        if ev.raw_args[2] & version or not d.opts.decode_fds:
            return str(ev.retval)
        return d.fd(ev, ev.retval or 0)
    return ruleset


# seccomp(2) --------------------------------------------------------------------------------------

def _seccomp_ops(arch: str) -> dict[str, int]:
    return {n: v for v, n in fmt.consts(arch).get("seccomp_ops", [])}


@register("seccomp_flags", scalar=True)
def build_seccomp_flags(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ops = _seccomp_ops(arch)
    set_filter = ops.get("SECCOMP_SET_MODE_FILTER")
    flags = fmt.flags(arch, "seccomp_filter_flags", d.xs)

    # SECCOMP_SET_MODE_FILTER's flags are SECCOMP_FILTER_FLAG_*; other operations' a number
    # (strace src/seccomp.c)
    def seccomp_flags(ev: SyscallEvent, mem: Memory) -> str:
        v = ev.raw_args[i] & 0xFFFFFFFF
        return flags(v) if ev.raw_args[0] & 0xFFFFFFFF == set_filter else fmt.hexnum(v)
    return seccomp_flags


@register("seccomp_args", out=True)
def build_out_seccomp_args(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    ops = _seccomp_ops(arch)
    actions = fmt.enum(arch, "seccomp_ret_action", d.xs)
    # the filter program as strace's decode_seccomp_fprog (kinds/bpf_filter.py)
    prog = fprog_printer(d, arch, "seccomp")

    # the third argument by operation (strace src/seccomp.c): the action whose availability is
    # asked, the sizes the kernel wrote, the filter program (its address unless -v), an address
    def seccomp_args(ev: SyscallEvent, mem: Memory) -> str:
        op, addr = ev.raw_args[0] & 0xFFFFFFFF, ev.raw_args[i]
        if op == ops.get("SECCOMP_GET_ACTION_AVAIL"):
            got = read_struct(mem, addr, "<I")
            return _ptr(addr) if got is None else f"[{actions(got[0])}]"
        if op == ops.get("SECCOMP_GET_NOTIF_SIZES"):
            got = read_struct(mem, addr, "<HHH") if ev.errno is None else None
            if got is None:
                return _ptr(addr)
            return f"{{seccomp_notif={got[0]}, seccomp_notif_resp={got[1]}, seccomp_data={got[2]}}}"
        if op == ops.get("SECCOMP_SET_MODE_FILTER"):
            return prog(mem, addr)
        return _ptr(addr)
    return seccomp_args
