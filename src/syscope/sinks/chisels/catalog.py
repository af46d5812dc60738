"""Every chisel by name (base.py's and more.py's), and building one from the command line."""

from __future__ import annotations

from syscope.context import Context
from syscope.errors import UsageError
from syscope.filters.sysdig import field_type
from syscope.sinks.chisels.base import ALL, Chisel
from syscope.sinks.chisels.more import MORE

REGISTRY: dict[str, type[Chisel]] = {c.name: c for c in (*ALL, *MORE)}
NAMES = tuple(sorted(REGISTRY))


def takes_arg(name: str, word: str) -> bool:
    """sysdig passes a chisel's argument as the word after its name (-c spy_ip 10.0.0.1): does
    this chisel take ``word`` so?  (A *_by chisel only a field name, not a filter.)"""
    cls = REGISTRY.get(name)
    if cls is None or not cls.needs_args:
        return False
    if name.endswith("_by"):
        return field_type(word) is not None and len(word.split()) == 1
    return len(word.split()) == 1


def get(name: str, args: list[str], ctx: Context) -> Chisel:
    cls = REGISTRY.get(name)
    if cls is None:
        raise UsageError(f"unknown chisel '{name}' (known: {', '.join(NAMES)})")
    return cls(args, ctx)
