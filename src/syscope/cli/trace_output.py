"""Where the tracer's events go (cli.trace_cmd's ``_Output``): strace text, one stream or a file
per process, JSON lines, the -c table, a timeline; and which are shown.  Imported by trace_cmd
only once its options are checked: the sinks, the events and their imports are no part of the
start-up of a command line that is refused."""

from __future__ import annotations

import io
import os
import sys

from syscope.cli.strace_argv import command_argv
from syscope.cli.trace_options import open_output
from syscope.errors import UsageError, progname
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.sinks.files import open_private
from syscope.syscalls import native_arch
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    import signal
    from collections.abc import Callable
    from typing import TextIO

    from syscope.filters.trace_spec import TraceSpec
    from syscope.sinks.strace_text import StraceTextSink
    from syscope.sources.ptrace.engine import Tracer
    from syscope.sources.ptrace.unwind import Unwinder
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal


def status_kind(ev: SyscallEvent) -> str:
    """The -e status= class of a call: detached (syscope let go of it, interrupted), unfinished
    (it never returned), failed or successful."""
    if ev.detached:
        return "detached"
    if ev.unfinished:
        return "unfinished"
    return "failed" if ev.errno is not None else "successful"


class _Color:
    """--color: names bold, errors red, signals yellow, exits dim (ANSI SGR)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, s: str) -> int:
        if " = -1 " in s:
            head, _, tail = s.partition(" = -1 ")
            s = f"{head} = \x1b[31m-1 {tail.rstrip(chr(10))}\x1b[0m" + ("\n" if s.endswith("\n") else "")
        elif s.startswith("---"):
            s = f"\x1b[33m{s.rstrip(chr(10))}\x1b[0m" + ("\n" if s.endswith("\n") else "")
        elif s.startswith("+++"):
            s = f"\x1b[2m{s.rstrip(chr(10))}\x1b[0m" + ("\n" if s.endswith("\n") else "")
        return self.out.write(s)

    def flush(self) -> None:
        self.out.flush()


class Output:
    """Where the events of one session go: strace text (one stream, or a file per thread with
    -ff), JSON lines, the -c table, a timeline; and which of them are shown (-e status/signal,
    -P, --filter, quiet=).  One instance per session; ``close()`` flushes everything."""

    def __init__(self, args: argparse.Namespace, spec: TraceSpec, tracer: Tracer,
                 predicate: Callable[[Event], bool] | None, path_match: Callable[[SyscallEvent], bool] | None,
                 summary_only: bool) -> None:
        from syscope.sinks.strace_text import StraceTextSink

        self.args, self.spec, self.tracer = args, spec, tracer
        self.predicate, self.path_match, self.summary_only = predicate, path_match, summary_only
        self.summary = args.make_table() if (args.summary or args.summary_too) else None
        self.timeline = None
        if args.timeline:
            from syscope.sinks.timeline import TimelineSink

            self.timeline = TimelineSink(args.timeline, redact=args.redact)
        self.per_pid = bool(args.per_process and args.output)
        if self.per_pid:
            _check_per_pid_output(args.output)
        self.base: TextIO = sys.stderr
        if args.output and not self.per_pid:
            try:
                # -A appends; a JSON trace holds what strace text shows and more: owner-only
                self.base = (open_private(args.output, "a" if args.append else "w") if args.json
                             else open_output(args.output, args.append))
            except OSError as exc:
                raise UsageError(f"Can't fopen '{args.output}': {exc.strerror}") from None
        self.jsonl = None
        if args.json:
            # imported only here: its redaction pulls in syscope.proc (psutil, tomllib, container
            # facts): 10-30 ms of start-up a plain trace does not need
            from syscope.sinks.jsonl import JsonLinesSink

            self.jsonl = JsonLinesSink(self.base, redact=args.redact)
        colored = args.color == "always" or (args.color == "auto" and self.on_stderr and sys.stderr.isatty())
        out: TextIO = _Color(self.base) if colored else self.base  # type: ignore[assignment]
        # strace.c: pid prefixes when following forks or tracing more than one process from the
        # start (-p PID and a command are two)
        multi = args.f > 0 or len(tracer.pids) + bool(command_argv(args.command)) > 1
        prefix = "file" if (multi and args.output and not self.per_pid) else ("bracket" if multi else "none")
        self.quiet_exit = args.quiet >= 2 or "exit" in spec.quiet
        self.quiet_attach = args.quiet >= 1 or "attach" in spec.quiet
        self._attached_threads: dict[int, int] = {}  # -f -p: threads attached before their process
        self.task_names = None
        if "comm" in spec.decode_pids:  # -Y: decode.pidns imported only then (start-up)
            from syscope.decode import pidns

            self.task_names = pidns.TaskNames(pidns.shared())
        self.announce_personality = (self.on_stderr and not args.json and not summary_only
                                     and args.quiet == 0 and "personality" not in spec.quiet)
        self._sink_opts = dict(timestamps=args.timestamps, relative=args.relative, show_time=args.show_time,
                               ts_digits=args.ts_digits, relative_digits=args.relative_digits,
                               duration_digits=args.duration_digits,
                               align=args.align, show_ip=args.show_ip, show_nr=args.show_nr,
                               exit_args_follow=self._exit_args_follow if tracer.decoding else None,
                               quiet_superseded=args.quiet >= 3 or "thread-execve" in spec.quiet,  # -qqq: all
                               comm=self.task_names.suffix if self.task_names is not None else None)
        # "[pid N]" while more than one task is traced (silent tasks exist only without -f)
        self.main_sink = StraceTextSink(out, pid_prefix=prefix, nprocs=lambda: len(tracer.tasks),
                                        **self._sink_opts)
        self.files: dict[int, TextIO] = {}
        self.sinks: dict[int, StraceTextSink] = {}
        self.path_hits: set[int] = set()
        self.personality: dict[int, str] = {}
        self.native = native_arch()
        self.unwinder: Unwinder | None = None  # -k: each call's and signal's stack after its line

    def _exit_args_follow(self, ev: SyscallEvent) -> bool:
        """The decoder's (``Decoder.exit_args_follow``), asked of a call cut "<unfinished ...>"
        only: the tracer makes its decoder when a call first needs Python (engine.Tracer.decoder)."""
        decoder = self.tracer.decoder
        return decoder is not None and decoder.exit_args_follow(ev)

    @property
    def on_stderr(self) -> bool:
        return self.base is sys.stderr

    def sink_for(self, pid: int) -> StraceTextSink:
        if not self.per_pid:
            return self.main_sink
        s = self.sinks.get(pid)
        if s is None:
            name = f"{self.args.output}.{pid}"
            try:
                f = self.files[pid] = open(name, "a" if self.args.append else "w")
            except OSError as exc:
                raise UsageError(f"Can't fopen '{name}': {exc.strerror}") from None
            from syscope.sinks.strace_text import StraceTextSink

            s = self.sinks[pid] = StraceTextSink(f, **self._sink_opts)
        return s

    def die_now(self, signo: int) -> None:
        """Die of ``signo`` (-I1), once the tracer's loop has ended at a safe point
        (request_stop(die=True)).  strace prints a call's entry half when the call starts
        and would leave it cut there; syscope writes each call's line at its exit, so the entry
        halves of the calls in flight are written (and everything flushed) first.  Not under
        -e status=, whose lines strace holds back until it knows the outcome."""
        try:
            if self.jsonl is None and self.spec.status is None and not self.summary_only:
                for ev in self.tracer.calls_in_flight():  # the loop has ended: its state is whole
                    if self._keep_call(ev):
                        self.sink_for(ev.tid if self.per_pid else ev.pid).entry_half(ev)
            for f in (*self.files.values(), self.base):
                f.flush()
        except (OSError, ValueError):
            pass  # the output is gone: die all the same
        finally:
            signal.signal(signo, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [signo])
            os.kill(os.getpid(), signo)

    def message(self, text: str) -> None:
        if self.on_stderr:
            self.main_sink.flush_partial()
        sys.stderr.write(f"{progname()}: {text}\n")

    def start(self) -> None:
        """Called once the session is wired, before the first event: whether a finished call
        goes straight to the one strace text sink (the usual trace: nothing else looks at it)."""
        self.plain_calls = (self.timeline is None and self.task_names is None and self.path_match is None
                            and self.predicate is None and self.summary is None and not self.summary_only
                            and self.jsonl is None and not self.per_pid and self.unwinder is None
                            and self.spec.status is None)
        tracer = self.tracer
        # stderr as Python opens it: unbuffered (write_through over a raw FileIO), each write out
        # at once; or line-buffered (a reconfigured one)
        live = self.on_stderr and (getattr(self.base, "line_buffering", False) or (
            getattr(self.base, "write_through", False) and isinstance(getattr(self.base, "buffer", None), io.FileIO)))
        form = self.main_sink.c_line_form
        if (self.plain_calls and (live or not self.on_stderr) and self.main_sink.out is self.base
                and form is not None and hasattr(tracer, "line_out")):
            # the extension may make the lines of simple calls itself (sources/ptrace/lines.py):
            # they are this sink's plain lines, written to a file, or to stderr before the tracer
            # waits (each of our lines there is out whole before it waits)
            tracer.line_out = self.base.write
            tracer.line_align = self.args.align
            tracer.line_form = form
            if form[5]:  # -r: the sink's last line time is the extension's (none yet)
                tracer.line_last(None)
                self.main_sink.last_store = tracer.line_last
            tracer.line_fd = self.base.fileno() if live else -1
            # -f: the extension makes lines with more than one task too, cutting the sink's open
            # line as strace does ("<unfinished ...>"), and the sink learns of it
            tracer.line_cuts = True
            self.main_sink.open_store = tracer.line_open
            self.main_sink.open_flush = live

    plain_calls = False

    def handle(self, ev: Event) -> None:
        if self.plain_calls and isinstance(ev, SyscallEvent) and ev.phase == "exit":
            # the hot path of a full trace: of _keep_call's checks only the personality's can
            # say anything here
            if self.personality.get(ev.pid) != ev.arch:
                self._keep_call(ev)
            self.main_sink.finished_call(ev)
            return
        if isinstance(ev, ProcessEvent):
            self._process(ev)
            return
        if isinstance(ev, ExitEvent) and self.spec.decode_pids:
            from syscope.decode import pidns

            pidns.shared().forget(ev.tid)  # its pid may name another task next
        if self.timeline is not None and (not isinstance(ev, SyscallEvent) or ev.phase == "exit"):
            self.timeline.handle(ev)
        if isinstance(ev, SyscallEvent):
            if self.task_names is not None and ev.phase == "exit":
                self.task_names.after_call(ev.tid, ev.name, ev.raw_args[0], ev.errno is not None)
            if not self._keep_call(ev):
                return
        elif self.summary_only:
            return
        elif isinstance(ev, SignalEvent):
            if self.spec.signals is not None and ev.signo not in self.spec.signals:
                return
            if self.predicate is not None and not self.predicate(ev):
                return
        elif isinstance(ev, ExitEvent):
            # strace.c: "+++ killed by SIG +++" is shown by -e signal= (print_signalled tests
            # signal_set) and not hidden by -qq/quiet=exit, which is print_exited's alone
            if ev.signo is not None:
                if self.spec.signals is not None and ev.signo not in self.spec.signals:
                    return
            elif self.quiet_exit:
                return
        if self.jsonl is not None:
            self.jsonl.handle(ev)
            return
        sink = self.sink_for(ev.tid if self.per_pid else ev.pid)
        sink.handle(ev)
        if self.unwinder is not None:
            self._stack(sink, ev)

    def _stack(self, sink: StraceTextSink, ev: Event) -> None:
        """-k: the stack of the thread, still stopped (hold_stops), after its call or signal."""
        assert self.unwinder is not None
        if isinstance(ev, SignalEvent) or (isinstance(ev, SyscallEvent) and ev.phase == "exit"):
            for line in self.unwinder.stack(ev.pid, ev.tid):
                sink.out.write(line + "\n")
        elif isinstance(ev, ExitEvent) and ev.pid == ev.tid:
            self.unwinder.forget(ev.pid)

    def _process(self, ev: ProcessEvent) -> None:
        if self.predicate is not None:
            self.predicate(ev)  # keeps the filter's process facts current (exec renames)
        if self.task_names is not None and ev.what in ("attach", "spawn", "exec"):
            self.task_names.suffix(ev.tid)  # named while it lives (and as exec renamed it): its exit line needs it
        if ev.what == "attach" and ev.is_thread:
            # -f -p: strace's attach_tcb says once "Process P attached with N threads"
            self._attached_threads[ev.pid] = self._attached_threads.get(ev.pid, 0) + 1
        elif ev.what == "attach" and not self.quiet_attach:
            threads = self._attached_threads.pop(ev.tid, 0)
            self.message(f"Process {ev.tid} attached" + (f" with {threads + 1} threads" if threads else ""))
        elif ev.what == "spawn" and not self.quiet_attach and self.on_stderr and not self.per_pid:
            # strace announces followed children only when the trace itself is on stderr
            self.message(f"Process {ev.tid} attached")
        if self.timeline is not None:
            self.timeline.handle(ev)
        if ev.what == "exec" and ev.old_tid not in (None, ev.tid) and not self.summary_only and not self.args.json:
            if self.per_pid and ev.old_tid is not None:
                self.sink_for(ev.old_tid).pid_changed(ev)  # its execve line: "<pid changed to L ...>"
            self.sink_for(ev.tid if self.per_pid else ev.pid).handle(ev)  # "+++ superseded by execve"

    def _keep_call(self, ev: SyscallEvent) -> bool:
        """Filters and counts a syscall event; False when its line is not shown."""
        if ev.arch != self.personality.get(ev.pid, self.native) and self.announce_personality:
            # strace tells, on its stderr trace only, when a process changes ABI
            self.main_sink.flush_partial()
            sys.stderr.write(f"[ Process PID={ev.pid} runs in {32 if ev.arch == 'i386' else 64} bit mode. ]\n")
        self.personality[ev.pid] = ev.arch
        if ev.phase == "enter":
            if self.path_match is not None:
                if self.path_match(ev):
                    self.path_hits.add(id(ev))
                return False
            return not self.summary_only
        if self.path_match is not None:
            if id(ev) not in self.path_hits and not self.path_match(ev):
                return False
            self.path_hits.discard(id(ev))
        if self.predicate is not None and not self.predicate(ev):
            return False
        if self.summary is not None:
            self.summary.handle(ev)
        if self.summary_only:
            return False
        return self.shown_status(ev)

    def shown_status(self, ev: SyscallEvent) -> bool:
        """-e status='s verdict on a call at its exit (also the tracer's ``keep``, which skips
        decoding what it drops).  A traced call whose line it hides still ends strace's reprint
        after a pid change (syscall.c print_syscall_resume runs, into the staged output it
        discards): the sink is told."""
        if self.spec.shows_status(status_kind(ev)):
            return True
        sink = self.sinks.get(ev.tid) if self.per_pid else self.main_sink
        if sink is not None and self.jsonl is None:
            sink.hidden_exit(ev)
        return False

    def close(self, sort_key: str) -> None:
        self.main_sink.close()
        if not self.quiet_attach:
            for tid in self.tracer.detached:
                sys.stderr.write(f"{progname()}: Process {tid} detached\n")
        if self.timeline is not None:
            self.timeline.close()
        if self.jsonl is not None:
            self.jsonl.close()
        for s in self.sinks.values():
            s.close()
        for f in self.files.values():
            f.close()
        if self.summary is not None:
            # strace writes the table where the trace goes: the -o file, else stderr (also with -ff)
            self.base.write(self.summary.render(sort_key))
        if not self.on_stderr:
            self.base.close()


def _check_per_pid_output(output: str) -> None:
    """-ff -o FILE opens FILE.PID as each process appears (strace: "Can't fopen"): a directory
    that is missing or not writable is said before the command starts, not in the middle."""
    folder = os.path.dirname(output) or "."
    if not os.path.isdir(folder):
        raise UsageError(f"Can't fopen '{output}.PID': No such file or directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"Can't fopen '{output}.PID': Permission denied")
