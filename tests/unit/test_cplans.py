"""The C line formats made ahead (decode/cplans.py, tools/gen_cplans.py) are the decoder's own
(decode/cformat.py plans) whenever the tracer uses them, and late_decode.py's entry facts too:
under the default options with any -s (which the extension is given apart), and never under
another option (each DecodeOptions field is tried: a new field is not served until it is
considered here).  tests/unit/test_generated_data_modules.py checks that the committed modules
are what the generator makes now."""

from __future__ import annotations

from typing import Any

import pytest

from syscope import syscalls
from syscope.decode import cformat, cplans
from syscope.decode.decoder import Decoder
from syscope.decode.options import DecodeOptions
from syscope.sources.ptrace.late_decode import LateDecode

# -s values the formats are used under: none of them may change a format or a late-entry fact
_STRING_LIMITS = (0, 5, 32, 4096, 8192)


def _as_made_ahead(plan: cformat.CPlan) -> tuple[Any, ...]:
    """cformat's plan with its tables inline, and cplans' with its table indices resolved."""
    def op(o: cformat.COp) -> tuple[Any, ...]:
        return (o.op, o.reg, o.param, o.mask, o.aux, tuple((tuple(rows), zero) for rows, zero in o.tables))

    ret = plan.ret if isinstance(plan.ret, int) else (*plan.ret[:3], op(plan.ret[3]))
    return tuple(op(o) for o in plan.ops), ret, plan.select, plan.entry_only


def _ahead(arch: str, name: str) -> list[tuple[Any, ...]]:
    def op(o: cplans.Op) -> tuple[Any, ...]:
        return (*o[:5], tuple(cplans.table(arch, i) for i in o[5]))

    return [(tuple(op(o) for o in ops), ret if isinstance(ret, int) else (*ret[:3], op(ret[3])), select, entry_only)
            for ops, ret, select, entry_only in cplans.plans(arch, name)]


@pytest.mark.parametrize("arch", syscalls.ARCHES)
def test_the_formats_made_ahead_are_the_decoders_under_any_string_limit(arch: str) -> None:
    names = [info.name for info in syscalls.table(arch)]
    assert sum(bool(cplans.plans(arch, n)) for n in names) > 100  # (the module is not empty)
    for limit in _STRING_LIMITS:
        opts = DecodeOptions(string_limit=limit)
        assert cplans.serves(opts)
        d = Decoder(opts)
        for name in names:
            assert _ahead(arch, name) == [_as_made_ahead(p) for p in cformat.plans(d, arch, name)], (limit, name)


@pytest.mark.parametrize("arch", syscalls.ARCHES)
def test_the_late_entries_made_ahead_are_late_decodes_under_any_string_limit(arch: str) -> None:
    names = [info.name for info in syscalls.table(arch)]
    for limit in _STRING_LIMITS:
        opts = DecodeOptions(string_limit=limit)
        late = LateDecode(opts, lambda: None, ahead=False)  # (an entry's facts need no decoder)
        late_names = {n for n in names if late.entry(arch, n)}
        assert late_names == {n for n in names if cplans.late_entry(arch, n)}, limit
    assert "read" in late_names and "execve" not in late_names
    # ioctl's: by its command, the ones whose failed calls the extension prints (TCGETS, isatty(3)),
    # never one whose struct the kernel reads and rewrites (an _IOWR)
    from syscope.decode.ioctl import reads_at_entry

    assert cplans.late_ioctl(arch, 0x5401) and not cplans.late_ioctl(arch, 0xC0105512)
    for code in cplans.module(arch).IOCTL_LATE:
        assert not reads_at_entry(arch, code, 0x1000)


# a value other than the default of every DecodeOptions field
_OTHER = {"string_limit": 100, "xflag": 1, "verbose": True, "decode_fds": 1, "raw": frozenset({"read"}),
          "raw_all": True, "xlat_verbose": True, "abbrev": False, "no_abbrev": frozenset({"ioctl"}),
          "no_verbose": frozenset({"newfstatat"}), "read_fds": frozenset({0}), "write_fds": frozenset({1}),
          "decode_pids": frozenset({"comm"}), "fd_kinds": frozenset({"path"}), "kvm_vcpu": True}


def test_only_string_limit_keeps_the_formats_made_ahead() -> None:
    assert set(_OTHER) == set(DecodeOptions._fields), "a new option: does it change a C format?"
    assert cplans.serves(DecodeOptions())
    for field, value in _OTHER.items():
        assert cplans.serves(DecodeOptions(**{field: value})) == (field == "string_limit"), field
    assert not cplans.serves(DecodeOptions(string_limit=8193))  # more than the extension takes


def test_options_that_change_a_format_are_not_served() -> None:
    """-v and -y change newfstatat's format (its stat whole: Python's; its descriptor's path):
    the ones made ahead would print them wrong, so those options get the decoder's."""
    ahead = _ahead("x86_64", "newfstatat")
    for opts in (DecodeOptions(verbose=True), DecodeOptions(decode_fds=1)):
        assert [_as_made_ahead(p) for p in cformat.plans(Decoder(opts), "x86_64", "newfstatat")] != ahead
        assert not cplans.serves(opts)
