"""Capture files: gzip-compressed JSON lines, versioned, readable with ``zcat | jq``.

Line 1 is the header ``{"format": "syscope-capture", "version": [MAJOR, MINOR], ...}``; every other
line is one record: ``{"rec": "proc", ...ProcInfo}`` (process facts, written before the first event
of that process and again after an exec), ``{"rec": "fd", "pid", "fd", "name"}`` (an fd's name as
known when first used, for fds opened before the capture began) or ``{"rec": "event",
...Event.to_dict(), "comm", "ppid", "uid", "cpu", "paths"}``.  A reader accepts any minor version
of its major (skipping record kinds it does not know) and refuses a newer major.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from syscope.errors import SyscopeError, UsageError
from syscope.events import Event, SyscallEvent, event_from_dict
from syscope.filters.sysdig import Context, ProcInfo, fd_num, track_fds

FORMAT = "syscope-capture"
VERSION = (1, 0)


class CaptureWriter:
    def __init__(self, path: Path, ctx: Context) -> None:
        try:
            self._f: IO[str] = gzip.open(path, "wt", encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror}") from None
        self._ctx = ctx
        self._seen: dict[int, ProcInfo] = {}
        self._fds: dict[tuple[int, int], str] = {}
        self._f.write(json.dumps({"format": FORMAT, "version": list(VERSION)}) + "\n")

    def handle(self, ev: Event) -> None:
        p = self._ctx.procs.get(ev.pid)
        if p is not None and self._seen.get(ev.pid) is not p:
            d = dataclasses.asdict(p)
            d["rec"] = "proc"
            self._f.write(json.dumps(d) + "\n")
            self._seen[ev.pid] = p
        if isinstance(ev, SyscallEvent):
            # fds opened before the capture began are known only from /proc now: record the name
            # so a replay resolves fd.name as the live session did
            n = fd_num(ev)
            if n is not None and n >= 0:
                name = self._ctx.fds.get((ev.pid, n))
                if name is not None and self._fds.get((ev.pid, n)) != name:
                    self._fds[(ev.pid, n)] = name
                    self._f.write(json.dumps({"rec": "fd", "pid": ev.pid, "fd": n, "name": name}) + "\n")
        d = ev.to_dict()
        d["rec"] = "event"
        if isinstance(ev, SyscallEvent):
            d.update(comm=ev.comm, ppid=ev.ppid, uid=ev.uid, cpu=ev.cpu, paths=list(ev.paths))
        self._f.write(json.dumps(d) + "\n")

    def close(self) -> None:
        self._f.close()


def read_capture(path: Path, ctx: Context) -> Iterator[Event]:
    """Events of a capture file; fills ``ctx`` (set ``ctx.live = False``) with its process facts."""
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
