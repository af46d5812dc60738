"""The eBPF event source: kernel-counted summaries (``summary.run_counted``), live events
(``stream.watch_events``), capture files, chisels and rules.  ``unavailable_reason()`` says in one
line why eBPF cannot run here (None when it can), so callers can fall back to ptrace."""

from __future__ import annotations

import os

from syscope.errors import SyscopeError


def unavailable_reason() -> str | None:
    """None when the shipped BPF object loads and attaches here; else the one-line reason."""
    from syscope.sources.ebpf.source import MODE_COUNT, Probe

    if not os.path.exists(os.path.join(os.path.dirname(__file__), "syscope.bpf.o")):
        return "eBPF unavailable: the compiled BPF object is missing from the installation"
    try:
        Probe(mode=MODE_COUNT, scoped=True).close()
    except SyscopeError as exc:
        return str(exc)
    return None
