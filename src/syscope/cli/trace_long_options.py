"""The argparse side of strace's long options (cli/trace_options.py): ``--trace=SET`` and the other
long qualifiers as an action, and the options of ``strace --help`` beyond the tracer's core ones
added to its parser (cli/trace_cmd.py build_parser).

Apart from trace_options.py, which a traced run imports, so that the tracer's start-up does
without argparse when its command line needs no more than cli/trace_fastargs.py does.
"""

from __future__ import annotations

import argparse

from syscope.cli.trace_options import QUALIFIER_OPTIONS
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


class _Qualifier(argparse.Action):
    """``--trace=SET`` and the other long qualifiers: appended to -e's list as ``trace=SET``, in
    command-line order with the -e ones (a later qualifier of the same kind replaces an earlier)."""

    def __init__(self, option_strings: Sequence[str], dest: str, qualifier: str = "trace",
                 **kwargs: Any) -> None:
        super().__init__(option_strings, dest, **kwargs)
        self.qualifier = qualifier

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        items = list(getattr(namespace, self.dest) or [])
        items.append(f"{self.qualifier}={values}")
        setattr(namespace, self.dest, items)
        if self.qualifier == "decode-fds":
            namespace.decode_fds_long = True


def add_strace_options(p: argparse.ArgumentParser) -> None:
    """The options of ``strace --help`` that the tracer's core arguments do not already define."""
    for option, qualifier, bare in QUALIFIER_OPTIONS:
        kwargs: dict[str, Any] = {"nargs": "?", "const": bare} if bare is not None else {}
        p.add_argument(option, dest="exprs", action=_Qualifier, qualifier=qualifier, metavar="SET",
                       help=f"-e {qualifier}=SET" + (f" (bare: {bare})" if bare else ""), **kwargs)
    p.add_argument("--follow-forks", action="store_true", help="follow forks and threads (-f)")
    p.add_argument("--output-separately", action="store_true", help="with -o FILE: one FILE.PID per process")
    p.add_argument("--absolute-timestamps", "--timestamps", dest="timestamps_long", nargs="?", action="append",
                   const="format:time", metavar="[format:]FORMAT,[precision:]PRECISION",
                   help="time of day: FORMAT none|time|unix, PRECISION s|ms|us|ns (-t, -tt, -ttt)")
    p.add_argument("--relative-timestamps", dest="relative_long", nargs="?", const="us", metavar="PRECISION",
                   help="-r, with PRECISION s|ms|us|ns")
    p.add_argument("--syscall-times", dest="show_time_long", nargs="?", const="us", metavar="PRECISION",
                   help="-T, with PRECISION s|ms|us|ns")
    p.add_argument("--strings-in-hex", dest="xflag_long", nargs="?", const="all", metavar="WHICH",
                   help="none, non-ascii (-x), all (-xx, the default), non-ascii-chars (each byte)")
    p.add_argument("--pidns-translation", dest="exprs", action="append_const", const="decode-pids=pidns",
                   help="--decode-pids=pidns")
    p.add_argument("-Y", dest="exprs", action="append_const", const="decode-pids=comm",
                   help="--decode-pids=comm: command names after PIDs")
    p.add_argument("-A", "--output-append-mode", dest="append", action="store_true",
                   help="append to the -o file instead of truncating it")
    p.add_argument("-I", "--interruptible", dest="interruptible", metavar="WHEN",
                   help="1/anywhere, 2/waiting (default): ^C stops the trace and detaches; 3/never: "
                        "fatal signals (INT, TERM, HUP, QUIT, PIPE) do not stop syscope; 4/never_tstp: nor ^Z")
    p.add_argument("-d", "--debug", action="store_true",
                   help="say whether the kernel's PTRACE_GET_SYSCALL_INFO works (strace's first debug line)")
    p.add_argument("-F", dest="deprecated_f", action="store_true", help="deprecated spelling of -f")
    p.add_argument("-b", "--detach-on", dest="detach_on", metavar="execve",
                   help="execve: detach from each process when it calls execve (not the command's first)")
    p.add_argument("-D", dest="daemonize", action="count", default=0,
                   help="run the tracer as a detached grandchild of the command (-DD: in its own process "
                        "group, -DDD: its own session)")
    p.add_argument("--daemonize", "--daemonised", "--daemonized", dest="daemonize", nargs="?",
                   const="grandchild", metavar="grandchild|pgroup|session", help="-D, -DD, -DDD")
    p.add_argument("-k", "--stack-traces", dest="stack_traces", action="store_true",
                   help="print the stack of the thread after each call and signal (elfutils' libdw)")
    p.add_argument("--secontext", nargs="?", const="!full,mismatch", metavar="FORMAT", help="not supported yet")
    p.add_argument("--tips", nargs="?", const="", action="append", metavar="[[id:]ID][,[format:]FORMAT]",
                   help="a tip on exit: ID a number or random, FORMAT none, compact or full")
    p.set_defaults(decode_fds_long=False)
