"""``syscope [strace options] -- CMD`` / ``syscope -p PID``: the strace-compatible tracer."""

from __future__ import annotations

import gc
import os
import sys

from syscope.cli.strace_argv import command_argv
from syscope.cli.trace_fastargs import fast_args
from syscope.cli.trace_options import implied_by_output, open_output, reconcile
from syscope.errors import UsageError, progname
from syscope.filters.trace_spec import TraceSpec, default_archs
from syscope.typenames import TYPE_CHECKING

# Start-up: what runs before the options are checked imports only what checking them needs, as
# strace's syntax tests start the tracer thousands of times with a bad option.  The events, the
# sinks (cli.trace_output), the signal handling, and the tracer with its decoder (most of the
# start-up) are imported once the options are known to be good.
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import TextIO

    from syscope.sinks.summary import SummaryTable

EXAMPLES = """\
examples:
  syscope -- ls -la /etc                      trace a command (lines on stderr)
  syscope -f -o out.txt -- make               follow forks and threads, into a file
  syscope -ff -o out -- sh -c 'ls | wc -l'    one file per process: out.PID
  syscope -p 1234 -p 1250                     attach; ^C detaches, they run on
  syscope -c -- /usr/bin/python3 app.py       strace -c summary: each call's system CPU time
  syscope -cw -- /usr/bin/python3 app.py      by the wall clock, counted in the kernel (eBPF) if it can
  syscope -e trace=%file,connect -e status=failed -- CMD
  syscope -e inject=openat:error=ENOENT:when=3 -- CMD   make the 3rd openat fail
  syscope -tt -T -s 80 -- CMD                 timestamps, durations, longer strings
  syscope --json -- CMD                       one JSON object per event
  syscope --filter 'evt.type=openat and fd.name contains /etc' -- CMD   sysdig filter

Filtered traces (-e trace=... not all) of a launched command with -f install a seccomp-bpf filter in it
so untraced calls run at full speed (strace -f --seccomp-bpf; --no-seccomp-bpf turns it off).
Without -f there is no filter: children inherit it and would need a tracer."""


def build_parser() -> argparse.ArgumentParser:
    # argparse is imported here only: a command line cli/trace_fastargs.py reads whole does
    # without it (start-up); this parser still defines the options, --help and the man page
    import argparse

    from syscope.cli.common import ArgParser, strace_uint
    from syscope.cli.trace_long_options import add_strace_options

    # allow_abbrev=False: main() hands argparse full spellings (cli.strace_argv resolved prefixes)
    p = ArgParser(prog="syscope", add_help=True, allow_abbrev=False, description=(
        "Trace system calls like strace. -c seconds are wall-clock syscall latency (strace -w)."),
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-f", action="count", default=0, help="follow forks, threads; -ff: one file per process with -o")
    p.add_argument("-o", "--output", dest="output", metavar="FILE",
                   help="write the trace to FILE (FILE.PID with -ff); '|CMD' or '!CMD': into the shell command CMD")
    p.add_argument("-p", "--attach", dest="pids", action="append", default=[], metavar="PID",
                   help="attach to PID (repeatable; also 'PID,PID' or 'PID PID'); ^C detaches")
    p.add_argument("-c", "--summary-only", dest="summary", action="store_true",
                   help="count time, calls, errors per syscall")
    p.add_argument("-C", "--summary", dest="summary_too", action="store_true", help="like -c, and print the trace too")
    p.add_argument("-S", "--summary-sort-by", dest="sortby", default="time",
                   help="sort -c table by time|min-time|max-time|avg-time|calls|errors|name|nothing")
    p.add_argument("-U", "--summary-columns", dest="columns", metavar="COLUMNS",
                   help="-c columns: time-percent,total-time,min-time,max-time,avg-time,calls,errors,name")
    p.add_argument("-O", "--summary-syscall-overhead", dest="overhead", metavar="OVERHEAD",
                   help="-c: take OVERHEAD (seconds, or with s/ms/us/ns) off each call's time")
    p.add_argument("-w", "--summary-wall-clock", action="store_true", help="-c: the wall clock, not system CPU time")
    p.add_argument("-e", dest="exprs", action="append", default=[], metavar="EXPR",
                   help="qualifier: trace=SET (names, !name, ?name, /regex, %%class), signal=SET, "
                        "status=SET, quiet=SET, read=FDS, write=FDS, raw=SET, abbrev=SET, verbose=SET, "
                        "inject=SET:error=E|retval=N|signal=S|delay_enter=T|delay_exit=T[:when=EXPR], fault=SET")
    p.add_argument("-z", "--successful-only", dest="successful", action="store_true",
                   help="only successful calls (status=successful)")
    p.add_argument("-Z", "--failed-only", "--failing-only", dest="failed", action="store_true",
                   help="only failed calls (status=failed)")
    p.add_argument("-P", "--trace-path", dest="paths", action="append", default=[], metavar="PATH",
                   help="only calls that access PATH (repeatable)")
    p.add_argument("-s", "--string-limit", dest="strsize", type=strace_uint("-s"), default=32,
                   help="string limit (default 32)")
    p.add_argument("-a", "--columns", dest="align", type=strace_uint("-a"), default=40,
                   help="column of ' = ' (default 40)")
    p.add_argument("-t", dest="timestamps", action="count", default=0, help="-t, -tt, -ttt timestamps")
    p.add_argument("-r", dest="relative", action="store_true", help="relative timestamps")
    p.add_argument("-T", dest="show_time", action="store_true", help="time spent in each call")
    p.add_argument("-i", "--instruction-pointer", dest="show_ip", action="store_true",
                   help="instruction pointer at each call")
    p.add_argument("-n", "--syscall-number", dest="show_nr", action="store_true",
                   help="syscall number before each call")
    p.add_argument("-v", "--no-abbrev", dest="verbose", action="store_true", help="unabbreviated structs")
    p.add_argument("-x", dest="xflag", action="count", default=0, help="-x non-ASCII as hex, -xx all")
    p.add_argument("-X", "--const-print-style", dest="xlat", choices=("raw", "abbrev", "verbose"), default="abbrev",
                   help="constants: raw numbers, abbrev names (default), verbose both")
    p.add_argument("-y", dest="decode_fds", action="count", default=0, help="-y paths of fds, -yy sockets")
    p.add_argument("-q", dest="quiet", action="count", default=0,
                   help="-q no attach/detach messages, -qq no exit status lines either")
    p.add_argument("-E", "--env", dest="env", action="append", default=[], metavar="VAR[=VAL]",
                   help="set VAR=VAL (or remove VAR) in the command's environment")
    p.add_argument("-u", "--user", dest="user", metavar="USER", help="run the command as USER (name or uid)")
    p.add_argument("-V", "--version", dest="version", action="store_true", help="print the version")
    # None: not given (on by default; given, -b says it is off)
    p.add_argument("--seccomp-bpf", dest="seccomp_bpf", action="store_true", default=None,
                   help="filtered traces with -f stop only at traced calls (default)")
    p.add_argument("--no-seccomp-bpf", dest="seccomp_bpf", action="store_false",
                   help="stop at every call and filter in syscope")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour names, errors and signals (auto: when writing to a terminal)")
    p.add_argument("--filter", dest="sysdig_filter", metavar="EXPR",
                   help="keep only events matching a sysdig filter expression")
    p.add_argument("--json", action="store_true", help="one JSON object per event")
    p.add_argument("--timeline", metavar="FILE", help="also write a Chrome/Perfetto trace-event JSON file")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="--json, --timeline: keep values that look like secrets (default: ****; docs/secrets.md)")
    p.add_argument("--backend", choices=("auto", "ptrace", "ebpf"), default="auto",
                   help="ebpf: the trace from BPF hooks, no ptrace stops (docs/trace.md); -c: kernel "
                        "counters via eBPF (auto: for -cw, when available); auto: ptrace otherwise")
    add_strace_options(p)
    p.add_argument("command", nargs=argparse.REMAINDER, help="command to run")
    return p


def _pids(values: list[str]) -> list[int]:
    out = []
    for v in values:
        for item in v.replace(",", " ").split():
            try:
                pid = int(item)
            except ValueError:
                raise UsageError(f"Invalid process id: '{item}'") from None
            if pid <= 0:
                raise UsageError(f"Invalid process id: '{item}'")
            if pid == os.getpid():
                raise UsageError("I'm sorry, I can't let you do that, Dave.")
            out.append(pid)
    return out


def _environ(changes: list[str]) -> dict[str, str] | None:
    if not changes:
        return None
    env = dict(os.environ)
    for c in changes:
        name, eq, value = c.partition("=")
        if eq:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def _user(name: str | None) -> tuple[int, int, str] | None:
    if name is None:
        return None
    import pwd

    try:
        pw = pwd.getpwuid(int(name)) if name.isdigit() else pwd.getpwnam(name)
    except (KeyError, ValueError):
        raise UsageError(f"Cannot find user '{name}'") from None
    return pw.pw_uid, pw.pw_gid, pw.pw_name


def _time_calls_by_cpu(args: argparse.Namespace, tracer: object) -> None:
    """strace -c's "time" is each call's system CPU time (count.c), unless -w: the tracer reads
    the thread's CPU clock at both syscall stops (sources/ptrace/cputime.py)."""
    from syscope.sources.ptrace.engine import Tracer

    if isinstance(tracer, Tracer) and (args.summary or args.summary_too) and not args.summary_wall_clock:
        from syscope.sources.ptrace.cputime import thread_cpu_seconds

        tracer.cpu_clock = thread_cpu_seconds


def _say_what_ptrace_offers(args: argparse.Namespace) -> None:
    """-d: whether PTRACE_GET_SYSCALL_INFO works, checked on a real child at start-up as strace
    does (its debug line; the tracer tells entry from exit by it)."""
    if not args.debug or args.backend == "ebpf":
        return
    from syscope.sources.ptrace.probe import syscall_info_works

    works = "works" if syscall_info_works() else "does not work"
    sys.stderr.write(f"{progname()}: PTRACE_GET_SYSCALL_INFO {works}\n")


def _summary_options(args: argparse.Namespace) -> str:
    """-S, -U and -O, checked with or without -c (as strace checks them); sets args.make_table
    and returns the sort key.  The -c table's module is imported only when a table is made or
    one of them is given: a plain trace's start-up does without it."""
    if not (args.summary or args.summary_too or args.sortby != "time" or args.columns or args.overhead):
        return "time"  # the default, and no table
    from syscope.sinks.summary import DEFAULT_COLUMNS, SummaryTable, parse_columns, parse_overhead, parse_sort_key

    sort_key = parse_sort_key(args.sortby)
    columns = parse_columns(args.columns) if args.columns else DEFAULT_COLUMNS
    overhead = parse_overhead(args.overhead) if args.overhead else 0.0
    args.make_table = lambda: SummaryTable(overhead, columns)
    return sort_key


def _ebpf_summary(cmd: list[str], sort_key: str, required: bool, output: str | None,
                  make_table: Callable[[], SummaryTable], follow: bool, append: bool = False,
                  select: Callable[[str, int], bool] | None = None) -> int | None:
    """strace -c counted in the kernel (syscope.sources.ebpf); None to fall back to ptrace.
    ``select(arch, nr)``: the calls -e trace= keeps (the kernel counts every call; strace's
    table has only the traced ones)."""
    from syscope.command import resolve_command
    from syscope.sources import ebpf

    path = resolve_command(cmd)
    reason = ebpf.unavailable_reason()
    if reason is not None:
        if required:
            raise UsageError(reason)
        return None
    from syscope.sources.ebpf.summary import run_counted_table

    out: TextIO = sys.stderr
    if output is not None:  # opened before the command runs, as strace opens -o
        try:
            out = open_output(output, append)
        except OSError as exc:
            raise UsageError(f"Can't fopen '{output}': {exc.strerror}") from None
    try:
        probe_table = make_table()
        # Every call timed from its own entry stamp (task storage): the sampled clock keeps the
        # entry time per CPU, so a call that sleeps and wakes on another CPU (nanosleep, a
        # blocking read: the calls a wall-clock table is about) would count 0 s. -O is taken off
        # each call in the kernel.
        status, per_arch = run_counted_table(cmd, follow=follow, exact=True, overhead=probe_table.overhead,
                                             path=path)
        for arch, rows in per_arch.items():
            table_ = make_table()
            table_.overhead = 0.0  # already taken off in the kernel
            for r in rows:
                if select is not None and not select(arch, r.nr):
                    continue
                table_.add_counts(r.name, r.calls, r.errors, r.seconds, r.nr, r.shortest, r.longest)
            if arch != "x86_64":  # strace's call_summary(): one table per personality
                out.write("System call usage summary for 32 bit mode:\n")
            out.write(table_.render(sort_key))  # the -c table goes where the trace would (strace)
    finally:
        if out is not sys.stderr:
            out.close()
    return _end_as(status)


def _end_as(st: int) -> int:
    """syscope's exit status for the command's wait status ``st``: its exit code, or, killed by
    a signal, syscope dies of that signal too, as strace does (so that its parent sees why)."""
    if os.WIFSIGNALED(st):
        import signal

        sig = os.WTERMSIG(st)
        # strace re-raises the command's fatal signal so its parent sees the same death.
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
            # a signal blocked when syscope started would stay pending (strace.c: the mask is
            # emptied before the signal is raised again)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [sig])
        sys.stdout.flush()
        os.kill(os.getpid(), sig)
        return 128 + sig
    return os.WEXITSTATUS(st)


def _hold_standard_fds() -> frozenset[int]:
    """Opens a placeholder on each of fds 0-2 that syscope was started without, so that the -o file
    or a socket is never opened as 0, 1 or 2 (and then replaced by _let_go_of_standard_fds); close-on-exec,
    so the command still starts with them closed as it was given (strace.c ensure_standard_fds_opened)."""
    held = []
    while (fd := os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)) <= 2:
        held.append(fd)
    os.close(fd)
    return frozenset(held)


def _let_go_of_standard_fds(held: frozenset[int]) -> None:
    """Once the command runs, syscope's own stdin and stdout become /dev/null: the command may
    be one end of a pipe (``yes | syscope sh -c 'exec <&-; ...'``), and a copy of that pipe kept
    open here would hold it open after the command closed it (no SIGPIPE for the writer, no EOF
    for the reader).  strace.c startup_child -> redirect_standard_fds; fds 0 and 1 are not left
    closed, where a later open would reuse them; a placeholder of _hold_standard_fds stays as it is."""
    null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    try:
        for fd in (0, 1):
            if fd not in held and fd != null:
                os.dup2(null, fd, inheritable=False)
    finally:
        if null > 1:
            os.close(null)


_started = False  # the tracer has done something beyond checking its command line


def refused_before_start() -> bool:
    """Whether the last main() refused its command line before it opened, started or changed
    anything (cli.main then ends the process without the interpreter's teardown)."""
    return not _started


def main(argv: list[str]) -> int:
    # No cyclic GC while the tracer starts: it scanned the decoder's ~10^5 long-lived objects
    # while they were built, and again at exit; the loop runs with them frozen (_main). ~20 ms CPU.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: list[str]) -> int:
    global _started
    _started = False
    # placeholders on closed fds 0-2 (nothing a process's end must undo)
    held_fds = _hold_standard_fds()
    args = fast_args(argv)
    if args is None:  # what the fast path does not read (--help, an error to word): argparse's
        from syscope.cli.strace_argv import canonical_argv

        parser = build_parser()
        args = parser.parse_args(canonical_argv(parser, argv))
    reconcile(args)
    if args.version:
        from syscope import __version__

        print(f"syscope -- version {__version__}")
        return 0
    # the -e expressions are checked first: strace parses each one as getopt meets it, and says
    # what is wrong with it before it looks for a command
    exprs = list(args.exprs)
    if args.successful:
        exprs.append("status=successful")
    if args.failed:
        exprs.append("status=failed")
    if exprs:
        from syscope.filters.strace_expr import parse

        spec = parse(exprs)
    else:  # what parse([]) gives, without the parser and the set language it imports (start-up)
        spec = TraceSpec(default_archs())
    cmd = command_argv(args.command)
    pids = _pids(args.pids)
    if not cmd and not pids:
        raise UsageError("must have PROG [ARGS] or -p PID")
    implied_by_output(args, spec.given, bool(cmd))
    _started = True  # from here on: probes, forks, files, the tracer
    _say_what_ptrace_offers(args)
    sort_key = _summary_options(args)
    predicate = None
    if args.sysdig_filter is not None:
        from syscope.filters.sysdig import event_predicate

        predicate = event_predicate(args.sysdig_filter)
    env = _environ(args.env)
    user = _user(args.user)
    release = None
    if args.daemonize:  # 0 without -D/--daemonize (reconcile checked its word): the module only then
        # -D: this process becomes the command; the tracer goes on as its grandchild, attached
        if pids:
            raise UsageError("-D and -p are mutually exclusive")
        from syscope.cli.daemonize import become_tracee, level_of
        from syscope.command import resolve_command

        target, release = become_tracee(level_of(args.daemonize), resolve_command(cmd), cmd, env)
        cmd, pids, args.command = [], [target], []
    summary_only = args.summary and not args.summary_too
    if (summary_only and cmd and not pids and not spec.inject and not args.paths
            and predicate is None and env is None and user is None and args.backend != "ptrace"
            # the kernel-counted table times calls by the wall clock: -w, or eBPF asked for by name
            and (args.summary_wall_clock or args.backend == "ebpf")):
        code = _ebpf_summary(cmd, sort_key, required=args.backend == "ebpf", output=args.output,
                             make_table=args.make_table, follow=args.f > 0, append=args.append,
                             select=spec.is_traced if spec.trace is not None else None)
        if code is not None:
            return code
    from syscope.cli.trace_output import Output
    from syscope.decode.options import DecodeOptions
    from syscope.events import ProcessEvent
    from syscope.sources.ptrace.engine import Tracer

    base_opts = DecodeOptions(string_limit=args.strsize, xflag=args.xflag, verbose=args.verbose,
                              decode_fds=args.decode_fds, raw_all=args.xlat == "raw",
                              xlat_verbose=args.xlat == "verbose", decode_pids=spec.decode_pids)
    path_match = None
    if args.paths:
        from syscope.filters import pathtrace  # -P only: it imports the decoder (start-up)

        path_match = pathtrace.path_filter(args.paths)
    follow = args.f > 0
    # Entry halves are shown (and can be interrupted) only when lines may interleave; -P looks at
    # a call's fds at entry, while /proc/PID/fd still has them (at close(3)'s exit it has not).
    show_entries = (follow and spec.status is None and not args.json and path_match is None
                    and predicate is None)
    if args.backend == "ebpf":
        from syscope.cli.trace_ebpf import ebpf_tracer

        tracer = ebpf_tracer(args, spec, cmd, pids, spec.decode_options(base_opts))
    else:
        tracer = Tracer(cmd or None, pids, follow_forks=follow, decode=not summary_only or path_match is not None,
                        options=spec.decode_options(base_opts),
                        select=spec.is_traced if spec.trace is not None else None,
                        select_call=spec.is_traced_call if spec.trace is not None else None,
                        entries=show_entries or path_match is not None, env=env,
                        # -n prints each thread's last call made on its signal and exit lines,
                        # an untraced one too: it must stop (strace 6.1 filters in the kernel
                        # only when --seccomp-bpf is given)
                        prefilter=(args.seccomp_bpf is not False and args.detach_on is None
                                   and not (args.show_nr and args.seccomp_bpf is None)),
                        inject=spec.injected if spec.inject else None, user=user, want_ip=args.show_ip,
                        # -P reads /proc/PID/fd and --filter process state while handling a call
                        hold_stops=path_match is not None or predicate is not None or args.stack_traces)
    if show_entries and hasattr(tracer, "interleave_entries"):
        tracer.interleave_entries = True  # only for "<unfinished ...>": lines.py _one_task
    _time_calls_by_cpu(args, tracer)
    output = Output(args, spec, tracer, predicate, path_match, summary_only)
    if isinstance(tracer, Tracer) and spec.status is not None and not (args.summary or args.summary_too
                                                                       or args.timeline):
        # nothing else wants a call -e status= drops: the tracer skips decoding it
        tracer.keep = output.shown_status
    if args.stack_traces:
        if not isinstance(tracer, Tracer):
            raise UsageError("-k needs the ptrace tracer (--backend=ptrace)")
        from syscope.sources.ptrace.unwind import Unwinder

        output.unwinder = Unwinder()
    if isinstance(tracer, Tracer):
        tracer.detach_on_exec = args.detach_on is not None
        tracer.last_calls = args.show_nr
        tracer.on_launched = lambda: _let_go_of_standard_fds(held_fds)
        tracer.on_tamper_failed = output.message  # and poke='s "short write"
        from syscope.sources.ptrace import memory as tracee_memory

        tracee_memory.short_read_warning = output.message  # a string cut by an unmapped page
        if not output.quiet_exit:
            tracer.on_unknown_exit = lambda pid: output.message(f"Exit of unknown pid {pid} ignored")
        if not output.quiet_attach:
            tracer.on_unknown_detach = lambda pid: output.message(f"Detached unknown pid {pid}")
    if args.backend == "ebpf":
        from syscope.cli.trace_ebpf import plain_lines

        plain_lines(tracer, args, output, spec, filtered=predicate is not None or path_match is not None)

    interrupted: list[int] = []
    from syscope.cli.trace_signals import install_handlers

    install_handlers(tracer, interrupted, output, args.interruptible)
    gc.freeze()
    # The loop itself leaves next to no cycles (a traced dd of 20,000 calls: ~6 objects for the
    # collector); what it allocates that lives are the tables each kind of call builds when first
    # seen, which at the default threshold (700) the collector scanned some 25 times: ~2 ms of a
    # short trace's CPU, ~0.5 ms at 10,000 (benchmarks/startup.py, gc.callbacks timings).  At
    # 10,000 the first ioctl's name table (~2,400 numbers) or a tar's first calls still crossed
    # it once (~1 ms each: the python, tar and ls workloads); at 100,000 none of them collects,
    # and a long trace still does, every 100,000 objects that outlive their call (a few MB)
    gc.set_threshold(100_000, *gc.get_threshold()[1:])
    gc.enable()
    output.start()
    try:
        for ev in tracer.events():
            if release is not None and isinstance(ev, ProcessEvent) and ev.what == "attach":
                # -D: attached; what the command's process does up to its execve is ours
                assert isinstance(tracer, Tracer)
                tracer.hide_until_exec(ev.tid)
                release()
                release = None
                continue
            output.handle(ev)
        if isinstance(tracer, Tracer) and tracer.dying:
            output.die_now(interrupted[0])  # -I1: the entry halves of the calls in flight, then death
    finally:
        tracer.detach_all()
        output.close(sort_key)
        if args.backend == "ebpf":
            from syscope.cli.trace_ebpf import report_losses

            report_losses(tracer)
    if args.tips is not None:  # strace's print_totd: last, before syscope exits or dies of the command's signal
        from syscope.cli import tips

        tips.show(args.tips)
    st = tracer.exit_status
    if st is None and interrupted:
        # -p detached on SIGTERM/SIGINT/SIGHUP: strace 6.1 then dies of that signal itself
        # (exit status 143 for SIGTERM), so that its parent sees why it stopped.
        st = interrupted[0]  # a wait status "killed by signal N" is N
    return 0 if st is None else _end_as(st)
