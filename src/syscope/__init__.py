"""syscope: Linux system-call tracing and hardening.

>>> import syscope
>>> for ev in syscope.trace(["/bin/true"]):
...     pass
"""

from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.sources.ptrace import Tracer, trace

__all__ = ["trace", "Tracer", "Event", "SyscallEvent", "SignalEvent", "ExitEvent", "ProcessEvent"]
__version__ = "0.1.0"
