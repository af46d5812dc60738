"""``syscope [strace options] -- CMD`` / ``syscope -p PID``: the strace-compatible tracer."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from typing import TextIO

from syscope.decode import DecodeOptions
from syscope.errors import FilterError, UsageError
from syscope.events import ProcessEvent, SyscallEvent
from syscope.sinks.strace_text import StraceTextSink
from syscope.sinks.summary import SummaryTable, parse_sort_key
from syscope.syscalls import native_arch, table
from syscope.trace.engine import Tracer


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="syscope", add_help=True, description=(
        "Trace system calls like strace. -c seconds are wall-clock syscall latency (strace -w)."),
        epilog="examples:\n  syscope -- ls -la /etc\n  syscope -f -o out.txt -- make\n"
               "  syscope -c -- /usr/bin/python3 app.py\n  syscope -p 1234\n"
               "  syscope -e trace=%file,connect -- CMD\n  syscope --json -- CMD",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-f", action="count", default=0, help="follow forks, threads; -ff: one file per process with -o")
    p.add_argument("-o", dest="output", metavar="FILE", help="write the trace to FILE (FILE.PID with -ff)")
    p.add_argument("-p", dest="pids", action="append", type=int, default=[], metavar="PID",
                   help="attach to PID (repeatable); ^C detaches")
    p.add_argument("-c", dest="summary", action="store_true", help="count time, calls, errors per syscall")
    p.add_argument("-C", dest="summary_too", action="store_true", help="like -c, and print the trace too")
    p.add_argument("-S", dest="sortby", default="time", help="sort -c table by time|calls|errors|name|nothing")
    p.add_argument("-w", action="store_true", help="wall-clock latency in -c (always on here)")
    p.add_argument("-e", dest="exprs", action="append", default=[], metavar="EXPR",
                   help="qualifier: trace=SET (names, !name, %%class), status=SET")
    p.add_argument("-s", dest="strsize", type=int, default=32, help="string limit (default 32)")
    p.add_argument("-a", dest="align", type=int, default=40, help="column of ' = ' (default 40)")
    p.add_argument("-t", dest="timestamps", action="count", default=0, help="-t, -tt, -ttt timestamps")
    p.add_argument("-r", dest="relative", action="store_true", help="relative timestamps")
    p.add_argument("-T", dest="show_time", action="store_true", help="time spent in each call")
    p.add_argument("-v", dest="verbose", action="store_true", help="unabbreviated structs")
    p.add_argument("-x", dest="xflag", action="count", default=0, help="-x non-ASCII as hex, -xx all")
    p.add_argument("-y", dest="decode_fds", action="count", default=0, help="-y paths of fds, -yy sockets")
    p.add_argument("-q", dest="quiet", action="count", default=0, help="suppress attach/detach messages")
    p.add_argument("--json", action="store_true", help="one JSON object per event")
    p.add_argument("--timeline", metavar="FILE", help="also write a Chrome/Perfetto trace-event JSON file")
    p.add_argument("--backend", choices=("auto", "ptrace", "ebpf"), default="auto",
                   help="-c source: kernel counters via eBPF (auto when available) or ptrace")
    p.add_argument("command", nargs=argparse.REMAINDER, help="command to run")
    return p


def _selection(exprs: list[str]) -> tuple[set[tuple[str, int]] | None, set[str]]:
    """-e trace=... (names, !names, %class) and status=...  -> (selected (arch,nr) or None, statuses)."""
    arch = native_arch()
    t = table(arch)
    chosen: set[int] | None = None
    status: set[str] = set()
    for expr in exprs:
        key, _, value = expr.partition("=") if "=" in expr else ("trace", "", expr)
        if key == "status":
            for s in value.split(","):
                if s not in ("successful", "failed", "unfinished", "unavailable", "detached", "all"):
                    raise FilterError(f"invalid status '{s}'")
                status.add(s)
            continue
        if key not in ("trace", "t"):
            raise FilterError(f"invalid -e qualifier '{key}'")
        negate = value.startswith("!")
        if negate:
            value = value[1:]
        nrs: set[int] = set()
        for item in value.split(","):
            optional = item.startswith("?")
            item = item.lstrip("?")
            if item == "all":
                nrs |= {i.nr for i in t}
            elif item.startswith("%"):
                cls = {"%net": "network", "%%stat": "stat_like", "%%statfs": "statfs_like"}.get(
                    item, item[1:])
                try:
                    nrs |= {t.by_name(n).nr for n in t.names_in_class(cls)}  # type: ignore[union-attr]
                except Exception:
                    raise FilterError(f"invalid system call '{item}'") from None
            else:
                info = t.by_name(item)
                if info is None:
                    if optional:
                        continue
                    raise FilterError(f"invalid system call '{item}'")
                nrs.add(info.nr)
        if negate:
            nrs = {i.nr for i in t} - nrs
        chosen = nrs if chosen is None else chosen | nrs
    if chosen is None:
        return None, status
    return {(arch, n) for n in chosen}, status


def _ebpf_summary(cmd: list[str], sort_key: str, required: bool) -> int | None:
    """strace -c counted in the kernel (syscope.ebpf); None to fall back to ptrace."""
    from syscope import ebpf
    from syscope.command import resolve_command

    path = resolve_command(cmd)
    reason = ebpf.unavailable_reason()
    if reason is not None:
        if required:
            raise UsageError(reason)
        return None
    from syscope.ebpf.summary import run_counted

    status, rows = run_counted([path, *cmd[1:]])
    table_ = SummaryTable()
    for name, calls, errors, seconds in rows:
        table_.add_counts(name, calls, errors, seconds)
    sys.stderr.write(table_.render(sort_key))
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
        args = build_parser().parse_args(["--", *argv])
    else:
        args = build_parser().parse_args(argv)
    cmd = [a for a in args.command if a != "--"] if args.command[:1] == ["--"] else args.command
    if not cmd and not args.pids:
        raise UsageError("must have PROG [ARGS] or -p PID")
    sort_key = parse_sort_key(args.sortby)
    selected, status = _selection(args.exprs)
    select = (lambda arch, nr: (arch, nr) in selected) if selected is not None else None
    summary_only = args.summary and not args.summary_too
    opts = DecodeOptions(string_limit=args.strsize, xflag=args.xflag, verbose=args.verbose,
                         decode_fds=args.decode_fds)
    follow = args.f > 0
    if summary_only and cmd and not args.pids and not args.exprs and args.backend != "ptrace":
        code = _ebpf_summary(cmd, sort_key, required=args.backend == "ebpf")
        if code is not None:
            return code
    tracer = Tracer(cmd or None, args.pids, follow_forks=follow, decode=not summary_only,
                    options=opts, select=select, entries=follow and not status and not args.json)
    summary = SummaryTable() if (args.summary or args.summary_too) else None
    timeline = None
    if args.timeline:
        from syscope.sinks.timeline import TimelineSink

        timeline = TimelineSink(args.timeline)
    files: dict[int, TextIO] = {}
    sinks: dict[int, StraceTextSink] = {}
    per_pid = args.f >= 2 and args.output
    base: TextIO = sys.stderr
    if args.output and not per_pid:
        base = open(args.output, "w")
    multi = follow or len(args.pids) > 1
    prefix = "file" if (multi and args.output and not per_pid) else ("bracket" if multi else "none")
    main_sink = StraceTextSink(base, pid_prefix=prefix, timestamps=args.timestamps,
                               relative=args.relative, show_time=args.show_time, align=args.align,
                               main_pid=tracer.child)

    def sink_for(pid: int) -> StraceTextSink:
        if not per_pid:
            return main_sink
        s = sinks.get(pid)
        if s is None:
            f = files[pid] = open(f"{args.output}.{pid}", "w")
            s = sinks[pid] = StraceTextSink(f, timestamps=args.timestamps, relative=args.relative,
                                            show_time=args.show_time, align=args.align)
        return s

    def on_signal(signo: int, _frame: object) -> None:
        tracer.request_stop()
        if tracer.child is not None:
            try:
                os.kill(tracer.child, signo)
            except OSError:
                pass

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    try:
        for ev in tracer.events():
            if timeline is not None and (not isinstance(ev, SyscallEvent) or ev.phase == "exit"):
                timeline.handle(ev)
            if isinstance(ev, SyscallEvent):
                if summary is not None and ev.phase == "exit":
                    summary.handle(ev)
                if summary_only:
                    continue
                if status and ev.phase == "exit":
                    ok = (("failed" in status and ev.errno is not None)
                          or ("successful" in status and ev.errno is None and not ev.unfinished)
                          or ("unfinished" in status and ev.unfinished) or "all" in status)
                    if not ok:
                        continue
            elif summary_only:
                continue
            if args.json:
                if not isinstance(ev, SyscallEvent) or ev.phase == "exit":
                    base.write(json.dumps(ev.to_dict()) + "\n")
                continue
            if not isinstance(ev, ProcessEvent):
                main_sink.main_pid = tracer.child
                sink_for(ev.tid if per_pid else ev.pid).handle(ev)
    finally:
        tracer.detach_all()
        main_sink.close()
        if timeline is not None:
            timeline.close()
        for s2 in sinks.values():
            s2.close()
        for f in files.values():
            f.close()
        if summary is not None:
            sys.stderr.write(summary.render(sort_key))
        if base is not sys.stderr:
            base.close()
    st = tracer.exit_status
    if st is None:
        return 0
    if os.WIFSIGNALED(st):
        sig = os.WTERMSIG(st)
        # strace re-raises the command's fatal signal so its parent sees the same death.
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
        sys.stdout.flush()
        os.kill(os.getpid(), sig)
        return 128 + sig
    return os.WEXITSTATUS(st)
