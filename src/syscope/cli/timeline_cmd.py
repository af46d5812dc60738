"""``syscope timeline``: convert a recorded JSON-lines trace into a Chrome/Perfetto timeline."""

from __future__ import annotations

import argparse
import os
import sys

from syscope.cli.common import ArgParser
from syscope.errors import SyscopeError
from syscope.sinks.timeline import write_timeline
from syscope.sources.file import read_events

EXAMPLES = """\
The input is what `syscope --json -o trace.jsonl -- CMD` records: one event
object per line. The output is the trace-event JSON that ui.perfetto.dev and
chrome://tracing open unchanged: a track per thread grouped by process, a slice
per syscall with its decoded arguments and result, and instant events for
signals, process and thread start, exec and exit.

examples:
  syscope --json -o trace.jsonl -f -- make -j2
  syscope timeline trace.jsonl -o trace.json   (open it in ui.perfetto.dev)
  syscope timeline - -o trace.json < trace.jsonl
"""


def build_parser() -> ArgParser:
    p = ArgParser(prog="syscope timeline", description="Convert a recorded JSON-lines trace into a "
                  "Chrome/Perfetto trace-event timeline.", epilog=EXAMPLES,
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("trace", metavar="TRACE.jsonl",
                   help="recorded trace, one JSON event per line (- for stdin)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="timeline file to write (.json)")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep values that look like secrets (default: written as ****; see docs/secrets.md)")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.trace != "-" and not os.path.exists(args.trace):
        raise SyscopeError(f"no such trace file: {args.trace}")
    try:
        n = write_timeline(read_events(args.trace), args.output, redact=args.redact)
    except SyscopeError:
        # Leave no half-written timeline behind for a bad input line.
        try:
            os.unlink(args.output)
        except OSError:
            pass
        raise
    print(f"syscope: wrote {n} events to {args.output}", file=sys.stderr)
    return 0
