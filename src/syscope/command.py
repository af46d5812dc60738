"""Resolving the command a user asked syscope to run (tracer, `run`, `profile`, eBPF `-c`)."""

from __future__ import annotations

import os
import signal

from syscope.errors import SyscopeError, UsageError


def resolve_command(argv: list[str]) -> str:
    """PATH lookup before fork, so a missing program fails in the parent with strace's wording
    (strace.c: "Can't stat '%s'") rather than as a failed execve inside a traced child."""
    if not argv:
        raise UsageError("must have PROG [ARGS] or -p PID")
    prog = argv[0]
    if "/" in prog:
        path: str | None = prog
    else:
        import shutil  # here: the tracer's start-up is part of every traced run

        path = shutil.which(prog)
    if path is None or not os.path.exists(path):
        raise SyscopeError(f"Can't stat '{prog}': No such file or directory")
    return path


def restore_signals() -> None:
    """In a forked child, before execve: CPython ignores SIGPIPE and SIGXFSZ, and ignored
    dispositions survive execve (signal(7)); give the command the defaults it would have had (as
    subprocess's restore_signals does), or `... -- yes | head -1` would never die of SIGPIPE."""
    for signo in (signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(signo, signal.SIG_DFL)
