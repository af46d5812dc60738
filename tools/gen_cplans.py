#!/usr/bin/env python3
"""Generate src/syscope/decode/cplans_<arch>.py: the C line formats (decode/cformat.py ``plans``)
of every call under the default DecodeOptions, so that a default trace hands them to the C
extension without importing the decoder (sources/ptrace/lines.py), and which calls' entry
halves may then be decoded late (sources/ptrace/late_decode.py ``LateDecode._entry``), so that
the engine does not import the eBPF capture plan and the signatures to find out.

Nothing is typed in: the plans are cformat.plans' own, made by a Decoder with the default
options, for every call of the arch's syscall table; the late-entry facts are LateDecode's under
the same options.  decode/cplans.py reads the module and says when its facts hold (``serves``):
options other than the default change plans (-v drops the stat and dirents forms, -y adds the
paths, -X/-x turn every form off...), but for -s, which the extension is given on its own
(``_stops.fmt_setup``) and which no plan holds (tests/unit/test_cplans.py checks both).

Rerun after a change to a C form, a kind's ``c=``, a signature or a constant table:
    .venv/bin/python tools/gen_cplans.py [--out DIR]
tests/unit/test_generated_data_modules.py fails when a committed module differs from what this makes.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))
sys.path.insert(0, str(ROOT))

import data_module  # noqa: E402

# the arches the decoder knows: the extension makes lines of the native arch's calls only, and
# each of these is native on some machine
ARCHES = data_module.ARCHES


def _op_words(op: Any, tables: dict[tuple[Any, ...], int]) -> str:
    ids = [tables.setdefault(t, len(tables)) for t in op.tables]
    return ",".join(str(int(v)) for v in (op.op, op.reg, op.param, op.mask, op.aux, *ids))


def _word(text: str) -> str:
    if not text or any(c.isspace() or c in "|," for c in text):
        raise SystemExit(f"gen_cplans: a label the module cannot hold as one word: {text!r}")
    return text


def facts(arch: str) -> dict[str, Any]:
    """The arch's plans (by call, as data_module.cplans packs them), their tables, the calls whose
    entry may be decoded late and ioctl's commands whose entry may be, under DecodeOptions()."""
    from syscope import syscalls
    from syscope.decode import cformat, fmt, ioctl, siginfo
    from syscope.decode.decoder import Decoder
    from syscope.decode.options import DecodeOptions
    from syscope.sources.ptrace.late_decode import LateDecode

    d = Decoder(DecodeOptions())
    if not cformat.options_allow(d):
        raise SystemExit("gen_cplans: the default options allow no C line")
    late = LateDecode(d.opts, lambda: d, ahead=False)
    tables: dict[tuple[Any, ...], int] = {}
    ahead: list[tuple[str, int, int, str]] = []
    late_entry: list[str] = []
    ioctl_late: set[int] = set()
    for info in syscalls.table(arch):
        name = info.name
        late_at_entry = late.entry(arch, name)
        if late_at_entry:
            late_entry.append(name)
        made = []
        plans = cformat.plans(d, arch, name)
        for p in plans:
            if p.name != name:
                raise SystemExit(f"gen_cplans: {name}'s plan is named {p.name}")
            words = [str(p.ret if isinstance(p.ret, int) else p.ret[0]),
                     "-" if p.select is None else ",".join(str(int(v)) for v in p.select), str(int(p.entry_only))]
            if not isinstance(p.ret, int):
                words += [_word(p.ret[1]), str(int(p.ret[2])), _op_words(p.ret[3], tables)]
            words += [_op_words(op, tables) for op in p.ops]
            made.append(" ".join(words))
            if name == "ioctl" and p.select is not None and len(p.select) == 3:
                # the commands whose entries the extension keeps (_stops.fast_call's 2): their
                # entry half reads nothing the call changes (decode/ioctl reads_at_entry)
                reg, mask, value = p.select  # type: ignore[misc]
                if reg != 1 or mask & 0xFFFFFFFF != 0xFFFFFFFF or ioctl.reads_at_entry(arch, value, 1):
                    raise SystemExit(f"gen_cplans: {name}'s command {value:#x} is not late at entry")
                ioctl_late.add(value & 0xFFFFFFFF)
        # how the extension keeps the call's entries once the command runs (_stops.fmt_load's
        # mark, lines.py _keep_from_now's fast_call): those its plans select, every one (an entry
        # half decoded late), or none (a format only: execve's, made at its entry stop)
        # (a value-result length's call too: the extension reads its value at the entry stop,
        # the decoder's entry half, _stops.c slot inlen)
        reads_inlen = any(op.op == cformat.SOCKLEN for p in plans for op in p.ops)
        mark = 2 if name in cformat.SELECTED_ONLY and made else 1 if late_at_entry or reads_inlen else 0
        if mark == 2 and late_at_entry:
            raise SystemExit(f"gen_cplans: {name}'s entries are selected by its plans, yet late whole")
        if made or mark:
            ahead.append((name, info.nr, mark, "|".join(made)))
    # the tables of a signal's line (decode/siginfo.py), as the decoder's formatting has them
    siginfo_tables = {t: fmt.consts(arch).get(t, []) for t in siginfo.TABLES}
    return {"version": cformat.VERSION, "ahead": ahead, "late_entry": late_entry, "siginfo": siginfo_tables,
            "ioctl_late": sorted(ioctl_late), "selected_only": sorted(cformat.SELECTED_ONLY),
            "tables": [t for t, _ in sorted(tables.items(), key=lambda kv: kv[1])]}


def write(out: Path, arches: list[str]) -> dict[str, dict[str, Any]]:
    made = {}
    for arch in arches:
        made[arch] = facts(arch)
        data_module.write(out, f"decode/cplans_{arch}.py", data_module.cplans(arch, made[arch]))
    return made


def main(argv: list[str]) -> None:
    out, rest = data_module.out_option(argv)
    write(out, rest or list(ARCHES))


if __name__ == "__main__":
    main(sys.argv[1:])
