"""The C forms (decode/cformat.py) of clone(2) and clone3(2)'s struct clone_args, next to their
Python decoders in kinds/process.py (clone_plan, build_out_clone_args)."""

from __future__ import annotations

from syscope.decode import cformat, fmt, structs
from syscope.decode.registry import word_size
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from syscope.decode.base import DecoderBase


def clone_c_aux(arch: str) -> int:
    """The clone flags the C forms (FOP_CLONE, FOP_CLONE_ARGS) print fields by, one bit number a
    byte from the lowest: CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_CHILD_SETTID,
    CLONE_CHILD_CLEARTID, CLONE_SETTLS, CLONE_INTO_CGROUP (linux/sched.h, as the tables name them)."""
    consts = fmt.consts(arch)
    cf = {n: v for v, n in consts.get("clone_flags", []) + consts.get("clone3_flags", [])}
    aux = 0
    for k, name in enumerate(("CLONE_PARENT_SETTID", "CLONE_PIDFD", "CLONE_CHILD_SETTID", "CLONE_CHILD_CLEARTID",
                              "CLONE_SETTLS", "CLONE_INTO_CGROUP")):
        aux |= (cf[name].bit_length() - 1) << 8 * k
    return aux


def clone_c_plans(d: DecoderBase, arch: str, name: str) -> list[cformat.CPlan]:
    """clone's C form (FOP_CLONE, whole-call: clone_plan's line) on 64-bit ABIs whose tls is a
    pointer; the tid it stores and the result plain numbers (no --decode-pids, -y: the pidfd)."""
    ret = cformat.return_form(d, arch, "tid")
    if arch == "i386" or d.opts.decode_fds or ret is None:
        return []
    tables = (cformat.flags_table(fmt.flags(arch, "clone_flags"), ""), cformat.signals_table(fmt.signame))
    op = cformat.COp(cformat.CLONE, 0, 4 if arch == "aarch64" else 3, aux=clone_c_aux(arch), tables=tables)
    return [cformat.CPlan(name, (op,), ret)]


def clone_args_op(d: DecoderBase, i: int, arch: str) -> cformat.COp | None:
    """clone_args' C form (FOP_CLONE_ARGS): struct clone_args as the C code reads it (11 u64s),
    the tids it stores plain numbers (no --decode-pids, -y: the pidfd)."""
    lay = structs.layout("clone_args", arch)
    if word_size(arch) != 8 or lay.size != 88 or d.opts.decode_fds or d.pidns is not None:
        return None
    consts = fmt.consts(arch)
    rows = consts.get("clone_flags", []) + consts.get("clone3_flags", [])
    return cformat.COp(cformat.CLONE_ARGS, i, 1, aux=clone_c_aux(arch),
                       tables=(cformat.flags_table(fmt.Flags(rows, 0, "CLONE_")), cformat.signals_table(fmt.signame)))
