"""The eBPF event source: kernel-counted summaries (``summary.run_counted``), live events
(``stream.watch_events``), capture files, chisels and rules.  ``unavailable_reason()`` says in one
line why eBPF cannot run here (None when it can), so callers can fall back to ptrace."""

from __future__ import annotations

from pathlib import Path

from syscope.errors import SyscopeError


def unavailable_reason() -> str | None:
    """None when the shipped BPF object loads and attaches here; else the one-line reason."""
    from syscope.sources.ebpf.source import MODE_COUNT, Probe

    if not Path(__file__).with_name("syscope.bpf.o").exists():
        return "eBPF unavailable: the compiled BPF object is missing from the installation"
    try:
        Probe(mode=MODE_COUNT, scoped=True).close()
    except SyscopeError as exc:
        return str(exc)
    return None
