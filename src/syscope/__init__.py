"""syscope: Linux system-call tracing and hardening.

>>> import syscope
>>> for ev in syscope.trace(["/bin/true"]):
...     pass
"""

from __future__ import annotations

from syscope import bytecode

bytecode.install()  # syscope's modules from one file (bytecode.py), from the next import on

from syscope.lean import import_module  # noqa: E402

# typing is not imported for this: it is not needed at run time (mypy knows the name)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
    from syscope.sources.ptrace import Tracer, trace

__all__ = ["trace", "Tracer", "Event", "SyscallEvent", "SignalEvent", "ExitEvent", "ProcessEvent"]
__version__ = "0.1.0"

# The names above are imported when first used (PEP 562), not when the package is: every
# `syscope ...` command line imports this package first, and the tracer and its decoder are most of
# syscope's start-up time — a bad option, `syscope ps` or `syscope profile` need none of them.
_LAZY = {"trace": "syscope.sources.ptrace", "Tracer": "syscope.sources.ptrace",
         "Event": "syscope.events", "SyscallEvent": "syscope.events", "SignalEvent": "syscope.events",
         "ExitEvent": "syscope.events", "ProcessEvent": "syscope.events"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'syscope' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
