"""Domain errors.  Every error a user can cause is a ``SyscopeError`` carrying its exit code;
the CLI prints ``syscope: <message>`` on one line and exits with that code, never a traceback.

The kernel bindings in ``syscope._kernel`` translate errno into these at that one boundary
(the way psutil's ``wrap_exceptions`` maps errno to NoSuchProcess / AccessDenied)."""

from __future__ import annotations

import os
import sys


def progname() -> str:
    """The name messages start with: the program's path as it was run (argv[0], as strace's
    ``progname``: a tracer run as /usr/local/bin/syscope or through a launcher says so), and
    "syscope" under ``python -m syscope``, whose argv[0] is the package's __main__.py."""
    argv0 = sys.argv[0] if sys.argv else ""
    if not argv0 or argv0 in ("-c", "-m") or os.path.basename(argv0) == "__main__.py":
        return "syscope"
    return argv0


class SyscopeError(Exception):
    """A failure explained to the user in one line."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(one_line(message))
        if exit_code is not None:
            self.exit_code = exit_code


def one_line(text: str) -> str:
    """``text`` with newlines and other control characters escaped as Python writes them (``\\n``,
    ``\\x1b``): messages quote what the user gave (a filter, a value read from a file), and a
    newline or a terminal escape sequence in it would break the one-line contract or drive the
    user's terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class UsageError(SyscopeError):
    """Bad command-line options or arguments (strace exits 1 for these too)."""


class FilterError(UsageError):
    """A filter expression (-e, sysdig filter) that does not parse; the message says where."""


class KernelError(SyscopeError):
    """A kernel interface refused: carries the errno and the call that failed."""

    def __init__(self, message: str, errno: int = 0) -> None:
        super().__init__(message)
        self.errno = errno


class NoSuchProcess(KernelError):
    """The process or thread is gone (ESRCH)."""


class AccessDenied(KernelError):
    """The kernel said EPERM/EACCES."""


class UnsupportedError(SyscopeError):
    """This kernel or machine lacks what a feature needs (no BTF, no libbpf, old kernel)."""


class ProfileError(SyscopeError):
    """A seccomp profile that is malformed or cannot be loaded; the message names the JSON path."""
