"""The C line formats of a default trace, made ahead (tools/gen_cplans.py, decode/cplans_<arch>.py).

decode/cformat.py compiles a call's format from the decoder's own knowledge (signatures, argument
kinds, constant tables): that takes the decoder, its kinds and tables, ~30 modules whose import
was a third of what a traced /bin/true costs syscope.  Under the default options the formats are
always the same, so the generator writes them, and which calls' entry halves may be decoded after
the thread resumed (sources/ptrace/late_decode.py), into one module per arch; the tracer reads
them here and imports the decoder only when a call without a C form shows up.

``serves(opts)``: the facts hold for these options.  Every DecodeOptions field but -s changes some
format or late-entry fact (-v and -e abbrev=none: stat's and getdents64's forms; -y: the paths;
-x, -X, -e raw=/verbose=/abbrev=/read=/write=, --decode-pids: every form; -e kvm=vcpu: ioctl's);
-s is handed to the extension apart (``_stops.fmt_setup``) and no format holds it, nor does a
late-entry fact depend on it (tests/unit/test_cplans.py compares both with the decoder's under
other -s values).
"""

from __future__ import annotations

from syscope.decode.options import DecodeOptions
from syscope.decode.plain import pairs
from syscope.lean import import_module
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

# the -s range the extension takes (cformat.options_allow)
_STRING_LIMIT_MAX = 8192
_DEFAULT = DecodeOptions()

# a plan as lines.py hands it to the extension: ops (op, reg, param, mask, aux, table indices),
# the return form (an int, or (RET_NAMED, label, zero_bare, op)), select or None, entry_only
# (cformat.CPlan's fields)
Op = tuple[int, int, int, int, int, tuple[int, ...]]
Plan = tuple[tuple[Op, ...], "int | tuple[int, str, bool, Op]", "tuple[int, ...] | None", bool]

_modules: dict[str, ModuleType] = {}
_plans: dict[tuple[str, str], list[Plan]] = {}
_late_prctl: dict[str, frozenset[int]] = {}
_tables: dict[tuple[str, int], tuple[tuple[tuple[int, str], ...], str | None]] = {}


def serves(opts: DecodeOptions) -> bool:
    """Do the generated facts hold under these options (all but -s the default)?"""
    return (opts.string_limit <= _STRING_LIMIT_MAX
            and (opts is _DEFAULT or opts._replace(string_limit=_DEFAULT.string_limit) == _DEFAULT))


def module(arch: str) -> ModuleType:
    got = _modules.get(arch)
    if got is None:
        got = _modules[arch] = import_module(f"syscope.decode.cplans_{arch}")
    return got


def _op(words: str) -> Op:
    v = [int(w) for w in words.split(",")]
    return v[0], v[1], v[2], v[3], v[4], tuple(v[5:])


def _plan(text: str) -> Plan:
    words = text.split(" ")
    ret: int | tuple[int, str, bool, Op] = int(words[0])
    select = None if words[1] == "-" else tuple(int(w) for w in words[1].split(","))
    ops = words[3:]
    if len(words) > 3 and "," not in words[3]:  # a named return: LABEL ZERO_BARE RETOP
        ret = (int(words[0]), words[3], words[4] == "1", _op(words[5]))
        ops = words[6:]
    return tuple(_op(w) for w in ops), ret, select, words[2] == "1"


def plans(arch: str, name: str) -> list[Plan]:
    """A call's C formats under the default options (cformat.plans'), parsed when first asked for."""
    got = _plans.get((arch, name))
    if got is None:
        ahead = module(arch).AHEAD
        at = ahead.find(f"\n{name} ")
        text = ahead[at + 1:ahead.find("\n", at + 1)].split(" ", 3)[3:] if at >= 0 else []
        got = _plans[arch, name] = [_plan(p) for p in text[0].split("|")] if text else []
    return got


def table(arch: str, index: int) -> tuple[tuple[tuple[int, str], ...], str | None]:
    """A table the plans refer to: (its (value, name) rows, its zero text or None: an enum)."""
    got = _tables.get((arch, index))
    if got is None:
        zero, packed = module(arch).TABLES[index]
        got = _tables[arch, index] = (tuple(pairs(packed)), zero)
    return got


def late_entry(arch: str, name: str) -> bool:
    """Is this call's entry half one that may be decoded after its thread resumed (LateDecode's
    answer under the default options)?  False: not known here (the decoder's knowledge decides)."""
    return f" {name} " in module(arch).LATE_ENTRY


def late_ioctl(arch: str, code: int) -> bool:
    """Is an ioctl's entry half with this command one that may be decoded late (it reads nothing,
    decode/ioctl reads_at_entry)?  The commands the extension prints are; False: not known here."""
    return (code & 0xFFFFFFFF) in module(arch).IOCTL_LATE


def late_prctl(arch: str, option: int) -> bool:
    """Is a prctl's entry half with this option one that may be decoded late?  The options given
    a C line are (their entry prints registers only, kinds/prctl.py prctl_c_plans)."""
    got = _late_prctl.get(arch)
    if got is None:
        got = _late_prctl[arch] = frozenset(p[2][2] for p in plans(arch, "prctl") if p[2] is not None)
    return (option & 0xFFFFFFFF) in got
