"""The one reader of recorded events: capture files (``syscope watch -w``) and JSON-lines traces
(``syscope trace -j``), for replay, ``report``, ``timeline`` and ``profile check``.

Capture files: gzip-compressed JSON lines, versioned, readable with ``zcat | jq``.

Line 1 is the header ``{"format": "syscope-capture", "version": [MAJOR, MINOR], ...}``; every other
line is one record: ``{"rec": "proc", ...ProcInfo}`` (process facts, written before the first event
of that process and again after an exec), ``{"rec": "fd", "pid", "fd", "name"}`` (an fd's name as
known when first used, for fds opened before the capture began) or ``{"rec": "event",
...Event.to_dict(), "comm", "ppid", "uid", "cpu", "paths"}``.  A reader accepts any minor version
of its major (skipping record kinds it does not know) and refuses a newer major.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from syscope.context.fds import track_fds
from syscope.context.process import Context, ProcInfo
from syscope.errors import SyscopeError, UsageError
from syscope.events import Event, SyscallEvent, event_from_dict

FORMAT = "syscope-capture"
VERSION = (1, 0)


def read_capture(path: Path, ctx: Context) -> Iterator[Event]:
    """Events of a capture file; fills ``ctx`` (set ``ctx.live = False``) with its process facts."""
    from syscope.sources.capture import is_v2, read_capture_v2

    if is_v2(path):  # raw ring records in compressed blocks (syscope.sources.capture)
        yield from read_capture_v2(path, ctx)
        return
    try:
        f = gzip.open(path, "rt", encoding="utf-8")
        header = json.loads(f.readline() or "{}")
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a syscope capture file ({exc})") from None
    if header.get("format") != FORMAT:
        raise UsageError(f"{path}: not a syscope capture file")
    major = int(header.get("version", [0])[0])
    if major > VERSION[0]:
        raise SyscopeError(f"{path}: capture format version {major}.x is newer than this syscope "
                           f"reads ({VERSION[0]}.x); upgrade syscope")
    ctx.live = False
    with f:
        for line in f:
            d: dict[str, Any] = json.loads(line)
            rec = d.pop("rec", "event")
            if rec == "proc":
                d["cmdline"] = tuple(d.get("cmdline", ()))
                fields = {k: v for k, v in d.items() if k in ProcInfo.__slots__}
                ctx.procs[d["pid"]] = ProcInfo(**fields)
                continue
            if rec == "fd":
                ctx.fds[(int(d["pid"]), int(d["fd"]))] = str(d["name"])
                continue
            if rec != "event":
                continue  # record kinds of a newer minor version
            ev = event_from_dict(d)
            if isinstance(ev, SyscallEvent):
                ev.comm, ev.ppid, ev.uid, ev.cpu = d.get("comm"), d.get("ppid"), d.get("uid"), d.get("cpu")
                ev.paths = tuple(d.get("paths", ()))
            yield ev
            if isinstance(ev, SyscallEvent) and ev.arch == "x86_64":
                # after the consumer saw it, as the live source does (a close still names its fd)
                track_fds(ev, ctx)


def read_events(source: str | os.PathLike[str] | IO[str]) -> Iterator[Event]:
    """Events from a recorded JSON-lines trace (one ``Event.to_dict()`` object per line), or
    from a capture file that ``syscope watch -w`` wrote.

    Lines that are not such objects raise UsageError naming the file and line; events of the
    enter phase (a trace recorded with entries) are skipped, as each call appears again complete.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if name == "-":
            import sys

            yield from read_events(sys.stdin)
            return
        try:
            with open(name, "rb") as raw:
                magic = raw.read(2)
            f: IO[str] = open(name, encoding="utf-8", errors="surrogateescape")
        except OSError as exc:
            raise UsageError(f"cannot read trace {name}: {exc.strerror}") from None
        if magic == b"SY":
            from syscope.sources.capture import is_v2

            if is_v2(Path(name)):
                f.close()
                yield from read_capture(Path(name), Context())
                return
        if magic == b"\x1f\x8b":
            # gzip (RFC 1952 magic): a capture file of `syscope watch -w`, read by its own reader.
            f.close()
            yield from read_capture(Path(name), Context())
            return
        with f:
            yield from _read_lines(f, name)
    else:
        yield from _read_lines(source, getattr(source, "name", "<stream>"))


_EVENT_TYPES = frozenset({"syscall", "signal", "exit", "process"})


def _read_lines(f: Iterable[str], name: str) -> Iterator[Event]:
    for lineno, line in enumerate(f, 1):
        line = line.strip()
        if not line:
            continue
        try:
            d = json.loads(line)
            if not isinstance(d, dict):
                raise ValueError("not an object")
            if d.get("phase") == "enter":
                continue
            if "type" not in d:
                raise ValueError("no event type")
            if d["type"] not in _EVENT_TYPES:
                # A kind of record this reader does not know (a header, a newer source's event):
                # not an error in the trace, just nothing a timeline or report can draw.
                continue
            ev = event_from_dict(d)
            if isinstance(ev, SyscallEvent):
                # Context that to_dict() leaves out but sources with more to say (the eBPF
                # watcher's paths and socket addresses read in the kernel) may record.
                if isinstance(d.get("comm"), str):
                    ev.comm = d["comm"]
                if isinstance(d.get("paths"), list):
                    ev.paths = tuple(str(p) for p in d["paths"])
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{name}:{lineno}: not a syscope JSON trace line ({exc})") from None
        yield ev


__all__ = ["FORMAT", "VERSION", "read_capture", "read_events"]
