"""``syscope timeline``: convert a recorded JSON-lines trace into a Chrome/Perfetto timeline."""

from __future__ import annotations

import sys

from syscope.cli.common import ArgParser, add_no_redact, recorded_events, recorded_trace_parser, remove_output
from syscope.errors import SyscopeError
from syscope.sinks.timeline import write_timeline

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
    p = recorded_trace_parser("syscope timeline", "Convert a recorded JSON-lines trace into a "
                              "Chrome/Perfetto trace-event timeline.", EXAMPLES, "timeline file to write (.json)")
    add_no_redact(p)
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    events = recorded_events(args.trace)
    try:
        n = write_timeline(events, args.output, redact=args.redact)
    except SyscopeError:
        remove_output(args.output)  # leave no half-written timeline behind for a bad input line
        raise
    print(f"syscope: wrote {n} events to {args.output}", file=sys.stderr)
    return 0
