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


def event_line(ev: Event) -> str:
    """The line (with its newline) that stands for ``ev`` in a JSON-lines trace."""
    return json.dumps(ev.to_dict()) + "\n"


class JsonLinesSink:
    def __init__(self, out: TextIO) -> None:
        self._out = out
        self.count = 0  # lines written

    def handle(self, ev: Event) -> None:
        if isinstance(ev, SyscallEvent) and ev.phase != "exit":
            return
        self._out.write(event_line(ev))
        self.count += 1

    def close(self) -> None:
        self._out.flush()


__all__ = ["JsonLinesSink", "event_line"]
