"""``syscope trace --backend ebpf``: the strace options the eBPF tracer serves, and the ones that
stay with ptrace (they need a stopped thread), said in one line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from syscope.decode import DecodeOptions
from syscope.errors import UsageError
from syscope.filters.strace_expr import TraceSpec


def ebpf_tracer(args: argparse.Namespace, spec: TraceSpec, cmd: list[str], pids: list[int],
                options: DecodeOptions) -> Any:
    """An ``EbpfTracer`` for this session (the trace command drives it as it drives ptrace's
    ``Tracer``), or a UsageError naming what needs ptrace."""
    from syscope.sources.ebpf.trace_source import EbpfTracer, check_supported

    why = check_supported(inject=bool(spec.inject), stack=bool(getattr(args, "stack_traces", False)),
                          argv=cmd or None)
    if why is None and (args.env or args.user):
        why = "-E/-u start the command through ptrace's set-up"
    if why is None and args.show_ip:
        why = "-i needs the ptrace backend (it reads the stopped thread's instruction pointer)"
    if why is not None:
        raise UsageError(f"--backend ebpf: {why}; use --backend ptrace")
    return EbpfTracer(cmd or None, pids, follow_forks=args.f > 0, options=options,
                      select=spec.is_traced if spec.trace is not None else None)


def report_losses(tracer: Any) -> None:
    """What the eBPF trace could not show, on stderr after it: records the ring had no room for,
    and lines printed without memory the capture plan does not copy (addresses instead)."""
    if tracer.dropped:
        sys.stderr.write(f"syscope: {tracer.dropped} calls lost: the ring buffer was full\n")
    if tracer.partial_calls:
        sys.stderr.write(f"syscope: {tracer.partial_calls} calls printed with arguments the eBPF "
                         "capture plan does not copy (shown as addresses; --backend ptrace reads them)\n")
