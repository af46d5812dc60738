"""``syscope trace --backend ebpf``: the strace options the eBPF tracer serves, and the ones that
stay with ptrace (they need a stopped thread), said in one line."""

from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING, Any

from syscope.decode import DecodeOptions
from syscope.errors import UsageError
from syscope.filters.trace_spec import TraceSpec
from syscope.sinks.strace_text import StraceTextSink

if TYPE_CHECKING:
    from collections.abc import Callable


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
                      select=spec.is_traced if spec.trace is not None else None,
                      select_call=_select_call(spec) if spec.trace is not None else None)


def _select_call(spec: TraceSpec) -> Callable[[str, int, int], bool]:
    """-e trace='s choice of a recorded call: an i386 socketcall/ipc is selected in the kernel
    when any call it stands for is; which one is, the call's own name decides (filters/
    subcalls.py), as the ptrace engine asks at its entry."""
    from syscope.filters import subcalls

    def selected(arch: str, nr: int, arg0: int) -> bool:
        return spec.is_traced(arch, nr) and (nr not in subcalls.multiplexers(arch)
                                             or spec.is_traced_call(arch, nr, arg0))
    return selected


def report_losses(tracer: Any) -> None:
    """What the eBPF trace could not show, on stderr after it: records the ring had no room for,
    and lines printed without memory the capture plan does not copy (addresses instead)."""
    if tracer.dropped:
        sys.stderr.write(f"syscope: {tracer.dropped} calls lost: the ring buffer was full\n")
    if tracer.partial_calls:
        sys.stderr.write(f"syscope: {tracer.partial_calls} calls printed with arguments the eBPF "
                         "capture plan does not copy (shown as addresses; --backend ptrace reads them)\n")


def plain_lines(tracer: Any, args: argparse.Namespace, output: Any, spec: TraceSpec, filtered: bool) -> None:
    """For a plain trace (strace text, no timestamps, no filter or table that looks at each
    event), let the eBPF tracer write the call lines itself (``EbpfTracer.write_lines``): each
    distinct call is rendered once by the strace text sink, with the session's sink options."""
    if (filtered or args.json or args.summary or args.summary_too or args.timeline or spec.status is not None
            or output.per_pid or args.timestamps or args.relative or args.show_time or args.show_nr or args.show_ip
            or output.main_sink.pid_prefix == "bracket" or args.decode_fds):
        return
    buf = io.StringIO()
    sink = StraceTextSink(buf, pid_prefix=output.main_sink.pid_prefix, align=args.align,
                          exit_args_follow=tracer.decoder.exit_args_follow)

    def render(ev: Any) -> str:
        sink.handle(ev)
        line = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return line

    tracer.write_lines(output.main_sink.out, render)
