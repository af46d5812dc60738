"""The capture writer (``syscope watch -w``); the format and its reader are in syscope.sources.file."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path
from typing import IO

from syscope.context.fds import fd_num
from syscope.context.process import Context, ProcInfo
from syscope.errors import UsageError
from syscope.events import Event, SyscallEvent
from syscope.sources.file import FORMAT, VERSION


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


__all__ = ["CaptureWriter"]
