"""What the subcommands' command lines share."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn

from syscope.errors import UsageError


class ArgParser(argparse.ArgumentParser):
    """argparse that reports bad options as one UsageError line instead of usage + exit 2.

    cli/main.py prints it as ``syscope: <subcommand>: <message>`` (``prog`` without its leading
    "syscope"); the tracer, whose prog is plain "syscope", as ``syscope: <message>``."""

    def error(self, message: str) -> NoReturn:
        label = self.prog.removeprefix("syscope").strip()
        raise UsageError(f"{label}: {message}" if label else message)


def command_argv(rest: list[str]) -> list[str]:
    """The command after the options (an ``argparse.REMAINDER``), without the ``--`` ending them."""
    return rest[1:] if rest and rest[0] == "--" else rest


def strace_uint(option: str, upto: int = 2**31 - 1) -> Callable[[str], int]:
    """An argparse type for a numeric strace option: strace 6.1 reads them with
    string_to_uint_upto(optarg, INT_MAX) (src/util.c), a decimal 0..INT_MAX, and says
    ``invalid -a argument: '...'`` for anything else (a huge number too)."""
    def convert(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = -1
        if not 0 <= value <= upto:
            raise argparse.ArgumentTypeError(f"invalid {option} argument: '{text}'")
        return value

    convert.__name__ = option
    return convert
