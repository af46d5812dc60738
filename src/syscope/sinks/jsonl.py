"""The JSON-lines sink (``syscope --json``): one ``Event.to_dict()`` object per line.

The one serializer of events is ``to_dict()`` (syscope.events): this sink only frames it, and
syscope.sources.file reads it back.  A syscall appears once, complete: the enter-phase half that a
tracer following ``<unfinished ...>`` calls also yields is left out.  ``json.dumps`` writes ASCII
with ``\\u`` escapes, so a path that is not UTF-8 (kept as surrogate escapes, os.fsdecode) survives
the file and reads back as the same bytes.
"""

from __future__ import annotations

import json
from typing import TextIO

from syscope.events import Event, SyscallEvent
from syscope.proc.secrets import redact_record


def event_line(ev: Event, redact: bool = False) -> str:
    """The line (with its newline) that stands for ``ev`` in a JSON-lines trace; ``redact``:
    values that look like secrets (syscope.proc.secrets) become ****."""
    d = ev.to_dict()
    if redact:
        # only the fields that carry the program's data; the rest is syscope's own vocabulary
        # (names, numbers, errno names), and skipping it keeps --json fast
        d = {k: redact_record(v) if k in _PROGRAM_DATA else v for k, v in d.items()}
    return json.dumps(d) + "\n"


_PROGRAM_DATA = frozenset({"args", "structured_args", "argv", "filename", "text", "siginfo", "extra"})


class JsonLinesSink:
    def __init__(self, out: TextIO, redact: bool = True) -> None:
        self._out = out
        self._redact = redact
        self.count = 0  # lines written

    def handle(self, ev: Event) -> None:
        if isinstance(ev, SyscallEvent) and ev.phase != "exit":
            return
        self._out.write(event_line(ev, self._redact))
        self.count += 1

    def close(self) -> None:
        self._out.flush()


__all__ = ["JsonLinesSink", "event_line"]
