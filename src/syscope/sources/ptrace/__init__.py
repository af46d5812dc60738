"""The ptrace event source."""

from syscope.sources.ptrace.engine import Tracer, trace

__all__ = ["Tracer", "trace"]
