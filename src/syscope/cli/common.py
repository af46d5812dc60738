"""What the subcommands' command lines share."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator

# command_argv lives with the tracer's argparse-free scanner (start-up); the subcommands take it from here
from syscope.cli.strace_argv import command_argv as command_argv
from syscope.cli.strace_argv import uint_value
from syscope.errors import SyscopeError, UsageError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, NoReturn

    from syscope.events import Event


class ArgParser(argparse.ArgumentParser):
    """argparse that reports bad options as one UsageError line instead of usage + exit 2.

    cli/main.py prints it as ``syscope: <subcommand>: <message>`` (``prog`` without its leading
    "syscope"); the tracer, whose prog is plain "syscope", as ``syscope: <message>``."""

    def error(self, message: str) -> NoReturn:
        label = self.prog.removeprefix("syscope").strip()
        raise UsageError(f"{label}: {message}" if label else message)

    # argparse's add_argument builds a help formatter only to check that the metavar fits nargs
    # (_format_args), and a formatter asks for the terminal's width (shutil.get_terminal_size,
    # importing shutil): the tracer's ~70 options did that ~70 times on every command line, a bad
    # one included.  While an argument is added, the formatter gets a fixed width, which that
    # check does not read; help text is formatted at the terminal's width as before.
    _adding = False

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        self._adding = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            self._adding = False

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self._adding:
            # one for all the checks: _format_args keeps no state in the formatter
            checker = self.__dict__.get("_checker")
            if checker is None:
                checker = self._checker = self.formatter_class(prog=self.prog, width=80)  # type: ignore[call-arg]
            return checker
        return super()._get_formatter()


def strace_uint(option: str, upto: int = 2**31 - 1) -> Callable[[str], int]:
    """An argparse type for a numeric strace option: strace 6.1 reads them with
    string_to_uint_upto(optarg, INT_MAX) (src/util.c), a decimal 0..INT_MAX, and says
    ``invalid -a argument: '...'`` for anything else (a huge number too)."""
    def convert(text: str) -> int:
        value = uint_value(text, upto)
        if value is None:
            raise argparse.ArgumentTypeError(f"invalid {option} argument: '{text}'")
        return value

    convert.__name__ = option
    return convert


def recorded_trace_parser(prog: str, description: str, epilog: str, output_help: str) -> ArgParser:
    """The command line the commands that turn a recorded JSON-lines trace into a file share
    (report, timeline): the trace and ``-o FILE``; each adds its own options, then
    ``add_no_redact``."""
    p = ArgParser(prog=prog, description=description, epilog=epilog,
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("trace", metavar="TRACE.jsonl",
                   help="recorded trace, one JSON event per line (- for stdin)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help=output_help)
    return p


def add_no_redact(p: ArgParser) -> None:
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep values that look like secrets (default: written as ****; see docs/secrets.md)")


def recorded_events(path: str) -> Iterator[Event]:
    """The events of a recorded trace (``-`` stdin); a missing file is a one-line error before
    the output is created."""
    from syscope.sources.file import read_events

    if path != "-" and not os.path.exists(path):
        raise SyscopeError(f"no such trace file: {path}")
    return read_events(path)


def remove_output(path: str) -> None:
    """Leave no half-written output behind when the input turned out bad."""
    try:
        os.unlink(path)
    except OSError:
        pass
