"""Security interfaces: landlock(7) rulesets and rules."""

from __future__ import annotations

import struct

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import ptr as _ptr
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
