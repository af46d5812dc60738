"""The ptrace event source."""

from __future__ import annotations

from syscope.lean import import_module

TYPE_CHECKING = False  # typing is not imported for this (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

    from syscope.sources.ptrace.engine import Tracer, trace

__all__ = ["Tracer", "trace"]


def __getattr__(name: str) -> Any:
    # The engine (and with it the decoder) is imported when first used (PEP 562): the -e parser
    # imports sources.ptrace.inject, which must not pull in the tracer.
    if name not in __all__:
        raise AttributeError(f"module 'syscope.sources.ptrace' has no attribute {name!r}")
    value = getattr(import_module("syscope.sources.ptrace.engine"), name)
    globals()[name] = value
    return value
