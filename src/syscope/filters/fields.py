"""Looking up sysdig's fields by the name a filter or format uses (``proc.aname[2]``,
``evt.arg.flags``): every field module is imported here, so the registry is complete."""

from __future__ import annotations

import re

from syscope.context import Context
from syscope.filters import fields_container, fields_evt, fields_fd, fields_proc  # noqa: F401 - they register
from syscope.filters.registry import REGISTRY, FieldDef, Getter

_ARG_RE = re.compile(r"^([a-z0-9_.]+?)(?:\[([^\]]*)\]|\.([A-Za-z0-9_]+))$")


def resolve(text: str) -> tuple[FieldDef, str | None] | None:
    """The field a filter names and its argument, or None when syscope has no such field."""
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


def all_fields() -> list[FieldDef]:
    return sorted(REGISTRY.values(), key=lambda d: d.name)


__all__ = ["FieldDef", "REGISTRY", "resolve", "field_type", "getter", "all_fields"]
