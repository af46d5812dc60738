"""The registry of sysdig's filter fields: name, type, description and a getter factory.

A field is compiled once per filter into a getter closed over the ``Context`` (``make(ctx, arg)``),
so evaluating a condition is a chain of closures, not a lookup by name per event.  Field names
and meanings are libsinsp's (userspace/libsinsp/sinsp_filtercheck_*.cpp); ``arg`` says whether a
field takes an argument: ``[N]`` (``proc.aname[2]``), ``.NAME`` / ``[NAME]`` (``evt.arg.flags``,
``proc.env[HOME]``), optional or required.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from syscope.context import Context
from syscope.events import Event

Getter = Callable[[Event], Any]
Maker = Callable[[Context, "str | None"], Getter]

# types: "str", "int", "bool", "ip" (an address), "ipnet" (an address compared with networks),
# "list" (several strings: a comparison holds when it holds for one of them)
TYPES = ("str", "int", "bool", "ip", "ipnet", "list")


@dataclass(frozen=True, slots=True)
class FieldDef:
    name: str
    type: str
    desc: str
    make: Maker
    arg: str = ""  # "" none; "index" [N] optional; "index!" required; "name" .NAME/[NAME] required


REGISTRY: dict[str, FieldDef] = {}


def field(name: str, ftype: str, desc: str, arg: str = "") -> Callable[[Maker], Maker]:
    """Register the decorated getter factory as field ``name``."""
    assert ftype in TYPES, ftype

    def deco(make: Maker) -> Maker:
        REGISTRY[name] = FieldDef(name, ftype, desc, make, arg)
        return make

    return deco


def simple(name: str, ftype: str, desc: str, get: Getter) -> None:
    """A field whose getter needs neither the context nor an argument."""
    REGISTRY[name] = FieldDef(name, ftype, desc, lambda _ctx, _arg: get)


_ARG_RE = re.compile(r"^([a-z0-9_.]+?)(?:\[([^\]]*)\]|\.([A-Za-z0-9_]+))$")


def resolve(text: str) -> tuple[FieldDef, str | None] | None:
    """The field a filter names and its argument, or None when syscope has no such field."""
    _load()
    d = REGISTRY.get(text)
    if d is not None:
        if d.arg in ("index!", "name"):
            return None
        return d, None
    m = _ARG_RE.match(text)
    if m is None:
        return None
    d = REGISTRY.get(m.group(1))
    if d is None or not d.arg:
        return None
    arg = m.group(2) if m.group(2) is not None else m.group(3)
    if d.arg.startswith("index"):
        if m.group(2) is None or not arg.isdigit():
            return None
    return d, arg


def field_type(text: str) -> str | None:
    r = resolve(text)
    return None if r is None else r[0].type


def getter(text: str, ctx: Context) -> Getter | None:
    r = resolve(text)
    if r is None:
        return None
    return r[0].make(ctx, r[1])


_loaded = False


def _load() -> None:
    # the field modules register themselves on import; imported here, not at the top, because
    # they import this module
    global _loaded
    if not _loaded:
        _loaded = True
        from syscope.filters import fields_evt, fields_fd, fields_proc  # noqa: F401


def all_fields() -> list[FieldDef]:
    _load()
    return sorted(REGISTRY.values(), key=lambda d: d.name)


__all__ = ["FieldDef", "REGISTRY", "field", "simple", "resolve", "field_type", "getter", "all_fields"]
