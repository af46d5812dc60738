"""The kernel key management calls: add_key(2), request_key(2) (strace src/keyctl.c)."""

from __future__ import annotations

from syscope.decode import fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import s32 as _s32
from syscope.decode.registry import ArgFn, Memory, register
from syscope.events import SyscallEvent


def key_serial(d: DecoderBase, arch: str) -> fmt.Enum:
    return fmt.enum(arch, "key_spec")


def key_serial_text(d: DecoderBase, spec: fmt.Enum, v: int) -> str:
    # printxval_d(key_spec, id, NULL): a special keyring by name, any other serial in decimal
    # with no comment; -X verbose: -1 /* KEY_SPEC_THREAD_KEYRING */, -X raw: the number
    name = spec.get(v)
    if name is None or d.xs == 2:
        return str(v)
    return f"{v} /* {name} */" if d.xs == 1 else name


@register("key_serial", scalar=True)
def build_key_serial(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    spec = key_serial(d, arch)

    def serial(ev: SyscallEvent, mem: Memory) -> str:
        return key_serial_text(d, spec, _s32(ev.raw_args[i]))
    return serial
