"""Opening the files sinks write (JSON traces, timelines, reports): owner-only.

Those files carry what the traced programs read, wrote and were given (paths, arguments,
environment entries with -v, the first bytes of every read and write); redaction catches values
that look like secrets, not everything private, so the file is created 0600 and a regular file
that already exists is made 0600 before anything is written to it (open(2) keeps an existing
file's mode).  Devices and pipes (``-o /dev/stdout``) are left as they are."""

from __future__ import annotations

import os
import stat

from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TextIO


def open_private(path: str | os.PathLike[str], mode: str = "w", errors: str | None = None) -> TextIO:
    """``open(path, mode)`` for text ("w" or "a"), created 0600 and restricted to 0600 if it existed.
    Raises OSError as open() does."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.fchmod(fd, 0o600)
        if mode == "a":
            return open(fd, "a", encoding="utf-8", errors=errors)
        return open(fd, "w", encoding="utf-8", errors=errors)
    except BaseException:
        os.close(fd)
        raise


__all__ = ["open_private"]
