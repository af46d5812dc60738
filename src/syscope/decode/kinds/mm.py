"""Memory policy: NUMA modes and node masks (mbind(2), set_mempolicy(2), get_mempolicy(2))."""

from __future__ import annotations

from syscope.decode import cformat, fmt
from syscope.decode.base import DecoderBase
from syscope.decode.fmt import hexnum as _hex
from syscope.decode.fmt import ptr as _ptr
from syscope.decode.registry import ArgFn, Memory, register, word_size
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def _mode_printer(d: DecoderBase, arch: str) -> Callable[[int], str]:
    modes = fmt.enum(arch, "mpol_modes", d.xs)
    flags = fmt.flags(arch, "mpol_mode_flags")
    verbose_flags = fmt.flags(arch, "mpol_mode_flags", d.xs)
    mask = 0
    for v, _n in fmt.consts(arch).get("mpol_mode_flags", []):
        mask |= v

    # strace print_mode (src/numa.c): the mode's name, then |the mode flags; a value whose mode
    # has no name is all flags; -X verbose comments the whole, -X raw is the number alone
    def mode_text(v: int) -> str:
        mode, fl = v & ~mask, v & mask
        if not fl:
            return modes(mode)
        name = modes.get(mode)
        if name is None:
            return verbose_flags(v)
        text = f"{name}|{flags(fl)}"
        if d.xs == 2:
            return _hex(v)
        return f"{_hex(v)} /* {text} */" if d.xs == 1 else text

    return mode_text


def _c_mode(d: DecoderBase, i: int, arch: str, kind: str) -> cformat.COp:
    """mode_text's C form (FOP_FIELD_FLAGS): the mode by name, then |the mode flags (an unnamed
    mode or flag: Python's)."""
    bits = 32 if kind.endswith(":32") else 8 * word_size(arch)
    flag_bits = 0
    for v, _n in fmt.consts(arch).get("mpol_mode_flags", []):
        flag_bits |= v
    cut = (1 << bits) - 1
    op = cformat.field_flags_op(fmt.enum(arch, "mpol_modes"), fmt.flags(arch, "mpol_mode_flags"), i, ~flag_bits & cut)
    return op._replace(mask=cut)


def _c_nodemask(out: bool) -> Callable[[DecoderBase, int, str, str], cformat.COp | None]:
    """_nodemask's C form (FOP_NODEMASK) on 64-bit ABIs, print_array's -s cut (-v: Python's): the
    maxnode register; an output's address when the call failed (aux)."""
    return lambda d, i, arch, kind: cformat.COp(cformat.NODEMASK, i, int(kind.split(":", 1)[1]), aux=int(out)) \
        if word_size(arch) == 8 and d.abbrev else None


@register("mpol_mode", scalar=True, c=_c_mode)
def build_mpol_mode(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # set_mempolicy(2) passes its mode as an int (strace casts it so), mbind(2) as a long
    bits = 32 if kind.endswith(":32") else 8 * word_size(arch)
    cut = (1 << bits) - 1
    text = _mode_printer(d, arch)
    return lambda ev, mem: text(ev.raw_args[i] & cut)


def _nodemask(d: DecoderBase, mem: Memory, addr: int, maxnode: int, word: int) -> str:
    # strace print_nodemask: (maxnode - 1) bits in longs, each printed in hex (src/numa.c)
    bits = 8 * word
    nmemb = (maxnode + bits - 2) // bits
    if nmemb < maxnode // bits or (maxnode and not nmemb):
        return _ptr(addr)

    def node(chunk: bytes) -> str:
        v = int.from_bytes(chunk, "little")
        # C's "%#0*llx" with a width of 2 * sizeof(long): the width counts the 0x, and zero
        # has no 0x at all
        return f"{v:#0{2 * word}x}" if v else "0" * (2 * word)
    return d.array(mem, addr, nmemb, word, node)


@register("nodemask", c=_c_nodemask(False))
def build_nodemask(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    n = int(kind.split(":", 1)[1])
    word = word_size(arch)
    mask = (1 << 8 * word) - 1
    return lambda ev, mem: _nodemask(d, mem, ev.raw_args[i], ev.raw_args[n] & mask, word)


@register("mpol_out", out=True, c=lambda d, i, arch, kind: cformat.COp(
    cformat.MPOL_OUT, i, tables=(cformat.enum_table(fmt.enum(arch, "mpol_modes")),)))
def build_out_mpol(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    modes = fmt.enum(arch, "mpol_modes", d.xs)

    # get_mempolicy(2)'s policy: an int the kernel writes, printed [NAME] (strace src/numa.c)
    def mpol(ev: SyscallEvent, mem: Memory) -> str:
        addr = ev.raw_args[i]
        if ev.errno is not None or not addr:
            return _ptr(addr)
        data = mem.read(addr, 4)
        if data is None or len(data) < 4:
            return _ptr(addr)
        return f"[{modes(int.from_bytes(data, 'little', signed=True) & 0xFFFFFFFF)}]"
    return mpol


@register("nodemask", out=True, c=_c_nodemask(True))
def build_out_nodemask(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    # at exit strace's print_array fetches nothing from a failed call (tfetch_mem): the address
    return d.failed_addr(i, build_nodemask(d, i, arch, kind))
