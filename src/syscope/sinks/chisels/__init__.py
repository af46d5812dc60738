"""Chisels: small Python plugins that summarise or print a stream of events.

Interface: a chisel is a class with ``name``, ``__init__(self, args: list[str], ctx: Context)``,
``handle(self, ev: Event) -> None`` (every event that passed the user's filter), ``report(self) ->
str`` (the current table; live watches print it each second and reset with ``reset()``; on a capture
it is printed once at the end).  Echo-style chisels print from ``handle`` and return "" from report.
``get(name, args, ctx)`` builds one; ``NAMES`` lists them.
"""

from __future__ import annotations

from syscope.sinks.chisels.base import Chisel
from syscope.sinks.chisels.catalog import NAMES, get, takes_arg

__all__ = ["Chisel", "NAMES", "get", "takes_arg"]
