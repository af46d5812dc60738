"""The ioctl decoders' generated tables (tables_<arch>.py, tools/gen_ioctl.py) as the
formatters of decode.fmt: each table one string, split when first used, as fmt.consts reads its
own (parsing the tables whole, as JSON, at the first ioctl cost a trace ~2 ms)."""

from __future__ import annotations

import os

from syscope.decode import fmt
from syscope.decode.consts_spec import NULL_DEFAULT
from syscope.decode.ioctl.tables_spec import BY_VALUE, DECLARED, ORDER, UNKNOWN, WIDE_FIRST
from syscope.lean import cache, import_module

_HERE = os.path.dirname(os.path.abspath(__file__))


@cache
def _load(arch: str) -> fmt.PackedTables:
    name = arch if os.path.exists(os.path.join(_HERE, f"tables_{arch}.py")) else "x86_64"
    return fmt.PackedTables(import_module(f"syscope.decode.ioctl.tables_{name}").TABLES)


def rows(arch: str, table: str) -> list[tuple[int, str]]:
    got = _load(arch).get(table)
    more = DECLARED.get(table)
    if got is not None and more is not None:
        # a table the headers export in part: the declared rest joins it, in value order
        # (or in strace's order when spec.ORDER gives it)
        order = {n: k for k, n in enumerate(ORDER.get(table, []))}
        return sorted(set(got) | set(more), key=lambda r: (order.get(r[1], len(order)), r[0]))
    got = got if got is not None else more
    return got if got is not None else fmt.consts(arch).get(table, [])


def plain_words(arch: str, table: str) -> tuple[list[str], list[tuple[int, str]]] | None:
    """What ``rows`` merges, unconverted: the generated table's words (value, name...) and
    spec.DECLARED's rows; None when rows() would not merge them in value order."""
    got = _load(arch).words(table)
    if got is None or table in ORDER:
        return None
    return got, DECLARED.get(table, [])


def unknown(table: str, found: list[tuple[int, str]]) -> str:
    return UNKNOWN.get(table) or fmt.unknown_prefix(table, found)


@cache
def enum(arch: str, table: str, style: int = 0) -> fmt.Enum:
    """style: the -X style, 0 abbrev, 1 verbose, 2 raw."""
    found = rows(arch, table)
    return fmt.Enum(found, unknown(table, found), style)


@cache
def flags(arch: str, table: str, style: int = 0) -> fmt.Flags:
    found = rows(arch, table)
    if table in BY_VALUE:
        found = sorted(found)
    if table in WIDE_FIRST:
        found = sorted(found, key=lambda r: r[0].bit_count() < 2)
    return fmt.Flags(found, style, unknown(table, found), table in NULL_DEFAULT)


@cache
def bits(arch: str, table: str, style: int = 0, shift: str = " << ") -> fmt.Flags:
    """A flag set whose table names bit numbers (``1 << IDE_NICE_1``, ``1<<RTC_FEATURE_ALARM``)."""
    found = [(1 << v, f"1{shift}{n}") for v, n in rows(arch, table)]
    return fmt.Flags(found, style, UNKNOWN.get(table) or unknown(table, found))


def value(arch: str, table: str, name: str) -> int | None:
    """The value of one name of a table."""
    return next((v for v, n in rows(arch, table) if n == name), None)
