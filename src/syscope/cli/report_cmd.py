"""``syscope report``: one self-contained HTML page summarising a recorded trace."""

from __future__ import annotations

import os
import sys

from syscope.cli.common import ArgParser, add_no_redact, recorded_events, recorded_trace_parser, remove_output
from syscope.errors import SyscopeError
from syscope.sinks.report import ReportSink

EXAMPLES = """\
The page holds syscalls by count and by time, a latency histogram per syscall,
the errors with examples, the files and sockets touched (with bytes read and
written), and the processes as a tree. It embeds its data, style and script:
it opens offline, loads nothing, and can be attached to a ticket.

examples:
  syscope --json -o trace.jsonl -f -- curl -s http://localhost:8080/
  syscope report trace.jsonl -o report.html
  syscope report trace.jsonl -o report.html --title "curl vs test server"
"""


def build_parser() -> ArgParser:
    p = recorded_trace_parser("syscope report", "Write a self-contained HTML report of a recorded JSON-lines "
                              "trace.", EXAMPLES, "HTML file to write")
    p.add_argument("--title", help="page title (default: the trace file's name)")
    add_no_redact(p)
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    events = recorded_events(args.trace)
    title = args.title or f"syscope report: {os.path.basename(args.trace) if args.trace != '-' else 'stdin'}"
    existed = os.path.exists(args.output)
    sink = ReportSink(args.output, title=title, redact=args.redact)
    try:
        for ev in events:
            sink.handle(ev)
    except SyscopeError:
        if not existed:
            remove_output(args.output)  # ReportSink created it to check it is writable
        raise
    sink.close()
    print(f"syscope: wrote report of {sink.events} events to {args.output}", file=sys.stderr)
    return 0
