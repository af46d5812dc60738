"""strace 6.1's options beyond the tracer's core ones: the long spellings of ``-e QUALIFIER=SET``,
the options that come as a short and a long form with different arguments (``-t`` and
``--absolute-timestamps=FORMAT,PRECISION``, ``-x`` and ``--strings-in-hex=WHICH``, ``-y`` and
``--decode-fds=SET``, ``-f`` and ``--follow-forks``), ``-A``, ``-I``, ``-d``, ``-F``, and the ones
syscope does not do yet (rejected by name, never silently ignored).

The option set and the rules that combine them are strace.c's (``longopts`` and the checks after
its getopt loop); the tracer scans its command line with cli.strace_argv first, so that these
parse as getopt_long parses them.
"""

from __future__ import annotations

import io
import sys

from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    import signal
    from typing import Any, TextIO
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal

from syscope.errors import UsageError, progname

# strace.c: str2timescale_optarg(); digits after the point
PRECISION_DIGITS = {"s": 0, "ms": 3, "us": 6, "ns": 9}
# strace.c: parse_interruptible_arg(), -I values
INTERRUPTIBLE = {"anywhere": 1, "always": 1, "waiting": 2, "never": 3, "never_tstp": 4}
# strace.c: xflag_str, --strings-in-hex values as DecodeOptions.xflag
STRINGS_IN_HEX = {"none": 0, "non-ascii": 1, "all": 2, "non-ascii-chars": 3}
# (long option, qualifier, optional argument's value when given bare); strace.c longopts
QUALIFIER_OPTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("--trace", "trace", None), ("--abbrev", "abbrev", None), ("--verbose", "verbose", None),
    ("--raw", "raw", None), ("--signals", "signal", None), ("--status", "status", None),
    ("--read", "read", None), ("--write", "write", None), ("--fault", "fault", None),
    ("--inject", "inject", None), ("--kvm", "kvm", None), ("--decode-pids", "decode-pids", None),
    ("--quiet", "quiet", "attach,personality"), ("--silent", "quiet", "attach,personality"),
    ("--silence", "quiet", "attach,personality"), ("--decode-fds", "decode-fds", "path"),
)
# options syscope does not implement yet: rejected with this reason when given
NOT_YET = {
    "secontext": "--secontext (SELinux contexts)",
}


def _digits(value: str, option: str) -> int:
    if value not in PRECISION_DIGITS:
        raise UsageError(f"invalid {option} argument: '{value}'")
    return PRECISION_DIGITS[value]


def _absolute(specs: list[str]) -> tuple[int, int]:
    """--absolute-timestamps=[[format:]FORMAT][,[precision:]PRECISION], each given in turn:
    (-t level, digits).  strace.c parse_ts_arg(): tokens are case-insensitive, a bare one is a
    format if it names one, else a precision; each option changes only what it names, so
    ``--timestamps=precision:ms --timestamps=format:unix`` is unix time in ms; the format
    defaults to time of day, the precision to seconds.  Level 0: none; 1: time; 3: unix."""
    fmt, digits = "", 0
    for spec in specs:
        for token in spec.lower().split(","):
            key, colon, value = token.partition(":")
            if not colon or key not in ("format", "precision"):
                key, value = ("format", token) if token in ("none", "time", "unix") else ("precision", token)
            if key == "format" and value in ("none", "time", "unix"):
                fmt = value
            elif key == "precision" and value in PRECISION_DIGITS:
                digits = PRECISION_DIGITS[value]
            else:
                raise UsageError(f"invalid --absolute-timestamps argument: '{spec}'")
    return {"none": 0, "time": 1, "unix": 3}[fmt or "time"], digits


def reconcile(args: argparse.Namespace) -> None:
    """Resolves the short/long pairs into the fields the tracer reads (args.f, args.timestamps,
    args.ts_digits, args.relative, args.relative_digits, args.show_time, args.duration_digits,
    args.xflag, args.per_process), with strace's errors when both forms are given."""
    if args.detach_on is not None and args.detach_on != "execve":
        raise UsageError(f"Syscall '{args.detach_on}' for -b isn't supported")
    if args.detach_on is not None and args.seccomp_bpf:
        # strace.c: a filter inherited across the execve would stop a task nobody traces
        sys.stderr.write(f"{progname()}: --seccomp-bpf is not enabled because it is not compatible with -b\n")
        args.seccomp_bpf = False
    for dest, what in NOT_YET.items():
        if getattr(args, dest, None) is not None:  # a bare --secontext is given all the same
            raise UsageError(f"{what} is not supported by syscope yet")
    if args.daemonize not in (0, None):  # cli.daemonize only with -D/--daemonize[=WORD] (start-up)
        from syscope.cli.daemonize import level_of

        level_of(args.daemonize)  # --daemonize=WORD checked with the other options
    if args.tips:  # cli.tips only with --tips (start-up); parse([]) is None
        from syscope.cli import tips

        args.tips = tips.parse(args.tips)
    else:
        args.tips = None
    if args.deprecated_f:
        args.f = max(args.f, 1)  # strace.c: "option -F is deprecated, please use -f" (then -f)
    if args.f and args.follow_forks:
        raise UsageError("-f and --follow-forks cannot be provided simultaneously")
    if args.f >= 2 and args.output_separately:
        raise UsageError("-ff and --output-separately cannot be provided simultaneously")
    args.per_process = args.f >= 2 or args.output_separately
    _summary_options_need_a_table(args)
    if args.follow_forks:
        args.f = 1
    args.ts_digits = {0: 0, 1: 0, 2: 6}.get(args.timestamps, 6)
    if args.timestamps_long is not None:
        if args.timestamps:
            raise UsageError("-t and --absolute-timestamps cannot be provided simultaneously")
        args.timestamps, args.ts_digits = _absolute(args.timestamps_long)
        if args.timestamps == 1 and args.ts_digits:
            args.timestamps = 2  # time of day with a fraction
    args.relative_digits = 6
    if args.relative_long is not None:
        args.relative, args.relative_digits = True, _digits(args.relative_long, "--relative-timestamps")
    args.duration_digits = 6
    if args.show_time_long is not None:
        args.show_time, args.duration_digits = True, _digits(args.show_time_long, "--syscall-times")
    if args.xflag_long is not None:
        if args.xflag:
            raise UsageError("-x and --strings-in-hex cannot be provided simultaneously")
        if args.xflag_long not in STRINGS_IN_HEX:
            raise UsageError(f"invalid --strings-in-hex argument: '{args.xflag_long}'")
        args.xflag = STRINGS_IN_HEX[args.xflag_long]
    if args.output and args.output[:1] in ("|", "!") and args.per_process:
        raise UsageError("piping the output and -ff/--output-separately are mutually exclusive")
    if args.decode_fds and args.decode_fds_long:
        raise UsageError("-y and --decode-fds cannot be provided simultaneously")
    if args.interruptible is not None:
        value = args.interruptible
        level = INTERRUPTIBLE.get(value, int(value) if value.isdigit() else 0)
        if not 1 <= level <= 4:
            raise UsageError(f"invalid -I/--interruptible argument: '{value}'")
        args.interruptible = level


def _summary_options_need_a_table(args: argparse.Namespace) -> None:
    """strace.c init(), in its order: what -ff, -w, -U and -S make of a missing or present -c/-C
    (refused, or said to have no effect), and the line options -c alone makes moot (said, not
    refused: strace's error_msg)."""
    table = args.summary or args.summary_too
    if args.summary and args.summary_too:  # (getopt's 'c' and 'C' there)
        raise UsageError("-c/--summary-only and -C/--summary are mutually exclusive")
    if args.per_process and table:
        raise UsageError("(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually exclusive")
    if args.summary_wall_clock and not table:
        raise UsageError("-w/--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)")
    if args.columns and not table:
        raise UsageError("-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)")
    moot = []
    if args.sortby != "time" and not table:
        moot.append("-S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)")
    if args.summary and not args.summary_too:
        for given, what in ((args.show_ip, "-i/--instruction-pointer"), (args.stack_traces, "-k/--stack-traces"),
                            (args.show_nr, "-n/--syscall-number"), (args.relative, "-r/--relative-timestamps"),
                            (args.timestamps, "-t/--absolute-timestamps"), (args.show_time, "-T/--syscall-times"),
                            (args.decode_fds or args.decode_fds_long, "-y/--decode-fds")):
            if given:
                moot.append(f"{what} has no effect with -c/--summary-only")
    for text in moot:
        sys.stderr.write(f"{progname()}: {text}\n")


def implied_by_output(args: argparse.Namespace, qualifiers_given: frozenset[str], command: bool) -> None:
    """What strace.c's init() makes of the options it was not given: -I's default is never_tstp
    (4) under -D, and never (3) with -o FILE and a command -- ^C reaches the command through the
    terminal and the trace runs on to its end (strace(1), -I) --; -o FILE with a command also
    implies -q unless -q or -e quiet= is given ("Process N detached" and the personality notes
    stay out of the terminal).  Otherwise -I is waiting (2), which ``None`` stands for."""
    if args.interruptible is None and args.daemonize:  # -D (reconcile checked its word)
        args.interruptible = 4
    if args.output and command:
        if args.interruptible is None:
            args.interruptible = 3
        if not args.quiet and "quiet" not in qualifiers_given:
            args.quiet = 1


def blocked_signals(level: int | None) -> tuple[int, ...]:
    """The signals -I makes the tracer sit out (strace.c: INTR_NEVER blocks the fatal ones, and
    INTR_BLOCK_TSTP_TOO SIGTSTP as well)."""
    if level is None or level < 3:
        return ()
    fatal = (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE, signal.SIGTERM)
    return fatal + ((signal.SIGTSTP,) if level == 4 else ())


class _PipedOutput(io.TextIOWrapper):
    """The trace written into ``sh -c COMMAND``'s stdin; closing it waits for the command, so its
    output is complete when syscope exits (strace.c strace_popen and its pclose at exit)."""

    def __init__(self, command: str) -> None:
        import subprocess  # only for -o '|CMD': not on every trace's start-up

        self.proc = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.PIPE)
        assert self.proc.stdin is not None
        super().__init__(self.proc.stdin)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.proc.wait()


class _TraceFile(io.TextIOWrapper):
    """The -o file.  A write that fails (ENOSPC on -o /dev/full, EIO) is said once as
    ``syscope: FILE: strerror`` and the trace goes on without its output, as strace goes on after
    a failed fflush of its output (strace.c flush_tcp_output -> outf_perror); the command is
    neither stopped nor killed because its trace cannot be written.

    The failure is caught where the bytes reach the file (``_GuardedFile``, once per buffer of
    8 KiB), not in an override of ``write``: the line of every traced call goes through
    TextIOWrapper.write, which then stays C code on the hot path."""

    def __init__(self, path: str, append: bool) -> None:
        self.raw_file = _GuardedFile(path, append)
        super().__init__(io.BufferedWriter(self.raw_file))
        self.path = path

    @property
    def failed(self) -> bool:
        return self.raw_file.failed


class _GuardedFile(io.FileIO):
    """The file under the -o trace: a failed write is said once and the rest dropped."""

    def __init__(self, path: str, append: bool) -> None:
        super().__init__(path, "ab" if append else "wb")
        self.path = path
        self.failed = False

    def write(self, data: Any) -> int:
        if not self.failed:
            try:
                return super().write(data)
            except OSError as exc:
                self.failed = True
                sys.stderr.write(f"{progname()}: {self.path}: {exc.strerror}\n")
        return len(data)


def open_output(path: str, append: bool) -> TextIO:
    """-o FILE (-A: appended to), or -o '|COMMAND' / -o '!COMMAND': the trace piped into a shell
    command, as strace(1) documents for -o."""
    if path[:1] in ("|", "!"):
        return _PipedOutput(path[1:])
    return _TraceFile(path, append)
