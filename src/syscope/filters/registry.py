"""The registry of sysdig's filter fields: name, type, description and a getter factory.
The field modules (fields_evt, fields_fd, fields_proc) register into it; ``syscope.filters.fields``
looks names up once they all have.

A field is compiled once per filter into a getter closed over the ``Context`` (``make(ctx, arg)``),
so evaluating a condition is a chain of closures, not a lookup by name per event.  Field names
and meanings are libsinsp's (userspace/libsinsp/sinsp_filtercheck_*.cpp); ``arg`` says whether a
field takes an argument: ``[N]`` (``proc.aname[2]``), ``.NAME`` / ``[NAME]`` (``evt.arg.flags``,
``proc.env[HOME]``), optional or required.
"""

from __future__ import annotations

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


__all__ = ["FieldDef", "REGISTRY", "field", "simple", "Getter", "Maker", "TYPES"]
