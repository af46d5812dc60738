"""The ptrace event source."""

from syscope.trace.engine import Tracer, trace

__all__ = ["Tracer", "trace"]
