"""The result texts of failed calls below the kernel's restart codes, without the decoder.

fmt.errno_text prints every errno; the tracer's C extension is handed the texts of these
(decode/cformat.py, sources/ptrace/lines.py) before any call is decoded, which must not import
fmt and the decoder with it (decode/cplans.py)."""

from __future__ import annotations

import os
from errno import errorcode

# Aliases that share a number: strace names the first one the kernel defines.
ERRNO_PREFERRED = {11: "EAGAIN", 35: "EDEADLK", 95: "EOPNOTSUPP"}
# errno texts handed to C: the range the kernel returns as errors below the restart codes
# (512..516 print "? ERESTART..." and come with signals: Python's, fmt._KERNEL_ERRNO)
ERRNO_LIMIT = 512


def failed_text(err: int) -> str:
    """``-1 ENOENT (No such file or directory)`` of an errno below ERRNO_LIMIT (fmt.errno_text)."""
    name = ERRNO_PREFERRED.get(err) or errorcode.get(err)
    if name is None:
        return f"-1 {err} (errno {err})"
    return f"-1 {name} ({os.strerror(err)})"


def errno_texts() -> tuple[str | None, ...]:
    """The result text of a call failed with each errno below ERRNO_LIMIT that has a name (the C
    library's, errno.errorcode: ~130 of them); None for the others, whose "-1 N (errno N)" the
    C code leaves to Python (fmt.errno_text), as it leaves index 0.  The ~380 texts of numbers no
    call returns in practice were made at every tracer start-up (~0.3 ms)."""
    texts: list[str | None] = [None] * ERRNO_LIMIT
    for e in errorcode:
        if 0 < e < ERRNO_LIMIT:
            texts[e] = failed_text(e)
    return tuple(texts)
