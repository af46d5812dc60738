"""What the subcommands' command lines share."""

from __future__ import annotations

import argparse
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
