"""``syscope report``: one self-contained HTML page summarising a recorded trace."""

from __future__ import annotations

import argparse
import os
import sys

from syscope.cli.common import ArgParser
from syscope.errors import SyscopeError
from syscope.sinks.report import ReportSink
from syscope.sources.file import read_events

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
    p = ArgParser(prog="syscope report", description="Write a self-contained HTML report of a recorded "
                  "JSON-lines trace.", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("trace", metavar="TRACE.jsonl",
                   help="recorded trace, one JSON event per line (- for stdin)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="HTML file to write")
    p.add_argument("--title", help="page title (default: the trace file's name)")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep values that look like secrets (default: written as ****; see docs/secrets.md)")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.trace != "-" and not os.path.exists(args.trace):
        raise SyscopeError(f"no such trace file: {args.trace}")
    title = args.title or f"syscope report: {os.path.basename(args.trace) if args.trace != '-' else 'stdin'}"
    existed = os.path.exists(args.output)
    sink = ReportSink(args.output, title=title, redact=args.redact)
    try:
        for ev in read_events(args.trace):
            sink.handle(ev)
    except SyscopeError:
        if not existed:
            try:
                os.unlink(args.output)  # ReportSink created it to check it is writable
            except OSError:
                pass
        raise
    sink.close()
    print(f"syscope: wrote report of {sink.events} events to {args.output}", file=sys.stderr)
    return 0
