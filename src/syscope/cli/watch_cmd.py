"""``syscope watch``: eBPF events with sysdig's filter language, formats, chisels, captures, rules."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from syscope.cli.common import ArgParser
from syscope.context import Context
from syscope.errors import UsageError
from syscope.events import Event, ExitEvent, ProcessEvent

if TYPE_CHECKING:
    from syscope.sources.ebpf.stream import WatchStats
from syscope.filters.sysdig import (
    DEFAULT_FORMAT,
    JSON_FIELDS,
    compile_filter,
    compile_format,
    event_json,
    format_fields,
)

EPILOG = """\
examples:
  syscope watch                          every syscall on the machine
  syscope watch 'evt.type=openat and fd.name contains /etc'
  syscope watch -j 'evt.type in (connect, accept4) and fd.sip != 127.0.0.1'
  syscope watch -p '%evt.time %proc.name %evt.type %fd.name' 'evt.failed=true'
  syscope watch -- make -j2              only this command's process tree
  syscope watch -w cap.syscope --duration 10
  syscope watch -r cap.syscope -c topfiles_bytes
  syscope watch -c fdbytes_by proc.name  chisels: see docs/watch.md
  syscope watch --rules rules.yaml       Falco-style rules (alone: built-in)
  syscope watch --timeline t.json -- cat /etc/hostname
                                         Chrome/Perfetto timeline of the matching events
  syscope watch -r cap.syscope --timeline t.json 'proc.name=cat'

Kernel-side selection: what the filter (and --rules, when nothing is written)
decides on evt.type (and evt.is_io, evt.is_io_read, evt.is_io_write, evt.dir),
proc.pid, proc.name and user.uid is checked in the BPF hooks before anything is
copied; the filter still runs on what arrives, so results are the same, at less
cost.  See docs/watch.md.

Drops (kernel ring buffer full) are reported on stderr while running and at
exit.  With -- CMD, watch exits with the command's exit status.

Needs root (or CAP_BPF+CAP_PERFMON) and a kernel with BTF;
otherwise it says why in one line.
"""


def build_parser() -> argparse.ArgumentParser:
    p = ArgParser(prog="syscope watch", epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter,
                description="Watch system calls through eBPF, sysdig-style: filters,\n"
                            "formats, chisels, capture files and rules.")
    p.add_argument("filter", nargs="*",
                   help="sysdig filter, e.g. 'evt.type=openat and fd.name contains /etc'")
    p.add_argument("-j", "--json", action="store_true", help="JSON lines with typed values")
    p.add_argument("-p", "--format", dest="fmt", metavar="FMT",
                   help="output format with %%field, e.g. '%%proc.name %%evt.type'")
    p.add_argument("-w", "--write", type=Path, metavar="FILE",
                   help="record events to a capture file")
    p.add_argument("-r", "--read", type=Path, metavar="FILE",
                   help="replay a capture file instead of watching live")
    p.add_argument("-c", "--chisel", metavar="NAME",
                   help="run a chisel (echo_fds, topfiles_bytes, topscalls, ...)")
    p.add_argument("--chisel-arg", action="append", default=[], metavar="ARG",
                   help="argument for the chisel (fdbytes_by/fdcount_by take a field)")
    p.add_argument("--rules", type=Path, nargs="?", const="default", action="append", metavar="FILE",
                   help="Falco rules YAML, repeatable, loaded in order (no value: the built-in rules)")
    p.add_argument("--disable-tag", action="append", default=[], metavar="TAG",
                   help="do not run rules with this tag (Falco's -T)")
    p.add_argument("--enable-tag", action="append", default=[], metavar="TAG",
                   help="run only rules with this tag (Falco's -t)")
    p.add_argument("--disable-rule", action="append", default=[], metavar="NAME",
                   help="do not run this rule (a name or a glob; Falco's -D)")
    p.add_argument("--enable-rule", action="append", default=[], metavar="NAME",
                   help="run this rule even if its file or a tag disables it (a name or a glob)")
    p.add_argument("--min-priority", metavar="PRIORITY",
                   help="run only rules of this priority or above (Falco's priority)")
    p.add_argument("--json-output", action="store_true",
                   help="alerts as Falco's JSON (Falco's json_output; -j with --rules does the same)")
    p.add_argument("--timeline", type=Path, metavar="FILE",
                   help="also write the matching events as a Chrome/Perfetto trace-event JSON file")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="--timeline: keep values that look like secrets (default: ****; docs/secrets.md)")
    p.add_argument("--duration", type=float, metavar="SECONDS", help="stop after this long")
    p.add_argument("--ring-size", type=int, metavar="BYTES",
                   help="kernel ring buffer size (power of 2; default 16 MiB, 64 MiB with -- CMD)")
    p.add_argument("-n", "--count", type=int, metavar="N", help="stop after N matching events")
    p.add_argument("-l", "--list-fields", action="store_true",
                   help="list the filter fields with their types and descriptions (sysdig -l)")
    return p


def main(argv: list[str]) -> int:
    argv, cmd = _split_command(argv)
    a = build_parser().parse_args(argv)
    if a.list_fields:
        return _list_fields()
    if a.read and (cmd or a.write):
        raise UsageError("watch: -r replays a capture; it cannot be combined with a command or -w")
    # `-c fdbytes_by proc.name`, `-c spy_ip 10.0.0.1`: sysdig passes the chisel's argument as the
    # next word; accept it when the chisel takes one (a *_by chisel: a field name, not a filter).
    from syscope.sinks.chisels import takes_arg

    if a.chisel and not a.chisel_arg and a.filter and takes_arg(a.chisel, a.filter[0]):
        a.chisel_arg.append(a.filter.pop(0))
    ctx = Context()
    out = sys.stdout
    text = " ".join(a.filter).strip()
    pred = compile_filter(text, ctx) if text else None
    render = compile_format(a.fmt or DEFAULT_FORMAT, ctx)
    # -j -p FMT: the format's fields, typed, as sysdig -j prints them
    json_fields = format_fields(a.fmt) if a.fmt else JSON_FIELDS
    chisel = None
    if a.chisel:
        from syscope.sinks.chisels import get

        chisel = get(a.chisel, a.chisel_arg, ctx)
    rules, alerts = _rules_and_alerts(a, ctx, out) if a.rules is not None else (None, None)
    writer = None
    timeline = None
    stats = None
    stopping = threading.Event()  # set by SIGINT/SIGTERM/SIGHUP while watching live
    clock = [time.monotonic()]  # when the live chisel last printed its table
    # only the records: no event is needed in user space while the capture is written
    raw_capture = bool(a.write) and not (text or a.json or a.fmt or chisel or rules is not None
                                         or a.timeline is not None or a.count is not None)
    if a.read:
        from syscope.sources.file import read_capture

        events = read_capture(a.read, ctx)
        live = False
    else:
        from syscope.filters.pushdown import kernel_selection
        from syscope.sources.ebpf.stream import WatchStats, watch_events

        conditions = [text]
        if rules is not None and not a.write and a.timeline is None:
            # alerts are all that is shown: an event no rule can match is not needed
            conditions.append(" or ".join(f"({r.condition})" for r in rules) or "evt.num<0")
        selection = kernel_selection(conditions)
        stats = WatchStats()
        if a.write:
            from syscope.sinks.capture import CaptureWriter

            writer = CaptureWriter(a.write, ctx)
        drops = _DropReporter(stats)

        def tick() -> None:
            drops.maybe_report()
            if writer is not None:
                writer.flush_if_due()
            if chisel is not None:
                _maybe_report(chisel, out, clock)

        events = watch_events(cmd, a.duration, ctx, stats, a.ring_size, tick=tick, stop=stopping.is_set,
                              selection=selection,
                              raw_sink=writer.write_records if raw_capture and writer else None,
                              events=not raw_capture, keep_records=writer is not None,
                              started=writer.seed if writer is not None else None)
        live = True
    if a.timeline is not None:
        from syscope.sinks.timeline import TimelineSink

        try:
            # a live session labels each process with its container; a replay must not look its
            # (long gone, maybe reused) pids up in today's /proc
            timeline = TimelineSink(a.timeline, label_containers=live, redact=a.redact)
        except BaseException:
            if writer is not None:
                writer.close()
            close_events = getattr(events, "close", None)
            if close_events is not None:
                close_events()
            raise
    num = 0
    shown = 0
    _stop_on_signals(stopping if live else None)
    try:
        for ev in events:
            num += 1
            ctx.num = num
            if pred is not None and not pred(ev):
                if writer is not None and stats is not None and isinstance(ev, (ProcessEvent, ExitEvent)):
                    # not saved as an event, but the replay's process table needs it
                    writer.write_record(stats.record, state_only=True)
                continue
            if writer is not None and stats is not None:
                # as sysdig -w: with a filter, only the matching events are saved
                writer.note_fd(ev)
                writer.write_record(stats.record)
            if timeline is not None:
                timeline.handle(ev)
            shown += 1
            if alerts is not None:
                alerts.handle(ev)
            elif chisel is not None:
                # a live chisel's table is printed from watch_events' tick, once a ring drain
                chisel.handle(ev)
            elif (writer is None and timeline is None) or a.json or a.fmt:
                # an output file (-w, --timeline) replaces the lines, as sysdig -w does, unless
                # a format (-j, -p) asks for them too
                if a.json:
                    out.write(json.dumps(_json(ev, ctx, json_fields)) + "\n")
                else:
                    out.write(render(ev) + "\n")
            if a.count is not None and shown >= a.count:
                break
    except KeyboardInterrupt:
        pass
    finally:
        close = getattr(events, "close", None)
        if close is not None:
            close()
        if writer is not None:
            writer.close()
        if timeline is not None:
            timeline.close()
    if chisel is not None:
        _report(chisel, out, reset=False)
    out.flush()
    return _finish(a, cmd, stats, writer, timeline)


def _split_command(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """watch's own arguments, and the command after ``--`` (None without one)."""
    if "--" not in argv:
        return argv, None
    i = argv.index("--")
    if i + 1 == len(argv):
        raise UsageError("watch: -- needs a command")
    return argv[:i], argv[i + 1:]


def _rules_and_alerts(a: argparse.Namespace, ctx: Context, out: TextIO) -> tuple[Any, Any]:
    """The rules files of ``-r``/``--rules`` loaded (the summary line on stderr) and their sink."""
    from syscope.filters.rules import DEFAULT_RULES, Selection, load_rules, parse_priority, stderr_warn
    from syscope.sinks.alerts import AlertSink

    sel = Selection(a.disable_tag, a.enable_tag, a.disable_rule, a.enable_rule,
                    parse_priority(a.min_priority) if a.min_priority else None)
    rules = load_rules([DEFAULT_RULES if str(r) == "default" else r for r in a.rules], ctx, sel,
                       stderr_warn)
    print(rules.summary(), file=sys.stderr)
    if not len(rules):
        raise UsageError("watch: no rule to run (every rule was skipped or disabled)")
    return rules, AlertSink(rules, ctx, out, json_output=a.json_output or a.json)


def _finish(a: argparse.Namespace, cmd: list[str] | None, stats: Any, writer: Any, timeline: Any) -> int:
    """The closing lines on stderr (drops, what was written) and watch's exit status."""
    if stats is not None:
        if stats.dropped:
            print(f"syscope: {stats.dropped} events dropped by the kernel (ring buffer full)",
                  file=sys.stderr)
        if writer is not None:
            print(f"syscope: {writer.records} events written to {a.write}, {stats.dropped} dropped",
                  file=sys.stderr)
    if timeline is not None:
        print(f"syscope: wrote {timeline.count} events to {a.timeline}", file=sys.stderr)
    if stats is not None and cmd is not None and stats.exit_status is not None:
        # as the shell reports it: 128 + N for a command killed by signal N
        st = stats.exit_status
        return st if st >= 0 else 128 - st
    return 0


class _DropReporter:
    """A line on stderr when the kernel's drop count has grown, at most once a second."""

    def __init__(self, stats: WatchStats) -> None:
        self.stats = stats
        self.shown = 0
        self.at = 0.0

    def maybe_report(self) -> None:
        n = self.stats.dropped
        now = time.monotonic()
        if n > self.shown and now - self.at >= 1.0:
            print(f"syscope: {n} events dropped so far (ring buffer full)", file=sys.stderr, flush=True)
            self.shown, self.at = n, now


def _stop_on_signals(flag: threading.Event | None) -> None:
    """SIGINT, SIGTERM and SIGHUP stop watch: live, by setting ``flag``, which the source checks
    after each drain of the ring (so the stop never lands in the middle of a capture block's
    write; the last records are drained, the capture closed, the drops reported); a replay, as
    ^C does (KeyboardInterrupt)."""
    import signal

    def stop(signo: int, _frame: object) -> None:
        if flag is None or flag.is_set():
            raise KeyboardInterrupt  # a second signal: stop now
        flag.set()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def _list_fields() -> int:
    """sysdig -l: every field, its type and what it is."""
    from syscope.filters.fields import all_fields

    for f in all_fields():
        arg = {"index": "[N]", "index!": "[N]", "name": ".NAME", "name?": "[NAME]"}.get(f.arg, "")
        sys.stdout.write(f"{f.name + arg:<40} {f.type:<6} {f.desc}\n")
    return 0


def _maybe_report(chisel: object, out: object, clock: list[float]) -> None:
    """A live chisel prints (and resets) its table once a second, as sysdig's do."""
    now = time.monotonic()
    if now - clock[0] >= 1.0:
        _report(chisel, out, reset=True)
        out.flush()  # type: ignore[attr-defined]
        clock[0] = now


def _report(chisel: object, out: object, reset: bool) -> None:
    text = chisel.report()  # type: ignore[attr-defined]
    if text:
        out.write(text)  # type: ignore[attr-defined]
        out.flush()  # type: ignore[attr-defined]
    if reset:
        chisel.reset()  # type: ignore[attr-defined]


def _json(ev: Event, ctx: Context, fields: list[str] = JSON_FIELDS) -> dict[str, object]:
    return event_json(ev, fields, ctx)
