"""Resolving the command a user asked syscope to run (tracer, `run`, `profile`, eBPF `-c`)."""

from __future__ import annotations

import os
import stat

from syscope.errors import SyscopeError, UsageError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import signal
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal


def resolve_command(argv: list[str]) -> str:
    """PATH lookup before fork, so a missing program fails in the parent with strace's wording
    (strace.c: "Can't stat '%s'") rather than as a failed execve inside a traced child."""
    if not argv:
        raise UsageError("must have PROG [ARGS] or -p PID")
    prog = argv[0]
    path = prog if "/" in prog else _search_path(prog)
    if path is None or not os.path.exists(path):
        raise SyscopeError(f"Can't stat '{prog}': No such file or directory")
    return path


def _search_path(prog: str) -> str | None:
    """strace.c startup_child's search: each $PATH entry in order (an empty one is the current
    directory), the first regular file there with an execute bit set; none without $PATH.  (Not
    shutil.which: importing shutil, with re, fnmatch, bz2 and lzma, cost every traced run given
    a bare command name ~20 M instructions, a third of a traced /bin/true's.)"""
    search = os.environ.get("PATH")
    for entry in search.split(":") if search else ():
        try:
            st = os.stat(candidate := os.path.join(entry or os.getcwd(), prog))
        except (OSError, ValueError):  # (gone, not there; a NUL in $PATH, which no execve takes)
            continue
        if stat.S_ISREG(st.st_mode) and st.st_mode & 0o111:
            return candidate
    return None


# CPython ignores these itself at start-up, before any Python code runs (signal_install_handlers
# in Modules/signalmodule.c): what syscope was given for them cannot be known
_PYTHON_IGNORES: frozenset[int] = frozenset({signal.SIGPIPE, signal.SIGXFSZ})


def _ignored_now() -> frozenset[int]:
    ignored: set[int] = set()
    for signo in signal.valid_signals():
        try:
            if signal.getsignal(signo) == signal.SIG_IGN:
                ignored.add(signo)
        except (OSError, ValueError):
            pass
    return frozenset(ignored - _PYTHON_IGNORES)


# The signals syscope's process was started with ignored, read when this module is first
# imported, before syscope sets handlers of its own (the tracer's SIGINT/SIGTERM/SIGHUP): a caught
# signal is reset to its default by execve, an ignored one stays ignored (signal(7)), so a
# command started after the handlers were set would lose an ignored disposition it inherits
# through syscope (strace passes them on unchanged: its sigign.test, nohup).
_IGNORED_AT_START = _ignored_now()


def ignored_at_start() -> frozenset[int]:
    """The signals syscope's process was started with ignored (SIGPIPE and SIGXFSZ unknown):
    whoever sets a handler imports this module first, so they are read before it does."""
    return _IGNORED_AT_START


def restore_signals() -> None:
    """In a forked child, before execve: the dispositions syscope's process was given.  SIGPIPE
    and SIGXFSZ get their defaults (as subprocess's restore_signals does: CPython ignores them,
    or `... -- yes | head -1` would never die of SIGPIPE); a signal that was ignored when syscope
    started is ignored again, whatever handler syscope set since."""
    for signo in _PYTHON_IGNORES:
        signal.signal(signo, signal.SIG_DFL)
    for signo in _IGNORED_AT_START:
        try:
            signal.signal(signo, signal.SIG_IGN)
        except (OSError, ValueError):
            pass  # one Python may not set (SIGKILL, SIGSTOP are never ignored)
