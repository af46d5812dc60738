"""Version-1 capture files (gzip JSON lines, written by syscope before the raw format) stay
readable, with the process and fd state that sysdig fields need on replay."""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

from syscope.context import Context, ProcInfo
from syscope.events import ExitEvent, SyscallEvent
from syscope.filters.sysdig import compile_filter, field_value
from syscope.sources.file import read_capture


def _write_v1(path: Path, proc: ProcInfo, fds: dict[tuple[int, int], str],
              events: list[SyscallEvent | ExitEvent]) -> None:
    """A file as the version-1 writer laid it out: header, proc, fd, then event lines."""
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"format": "syscope-capture", "version": [1, 0]}) + "\n")
        f.write(json.dumps({**dataclasses.asdict(proc), "rec": "proc"}) + "\n")
        for (pid, fd), name in fds.items():
            f.write(json.dumps({"rec": "fd", "pid": pid, "fd": fd, "name": name}) + "\n")
        for ev in events:
            d = ev.to_dict()
            d["rec"] = "event"
            if isinstance(ev, SyscallEvent):
                d.update(comm=ev.comm, ppid=ev.ppid, uid=ev.uid, cpu=ev.cpu, paths=list(ev.paths))
            f.write(json.dumps(d) + "\n")


def test_v1_file_keeps_fd_and_process_state(tmp_path: Path) -> None:
    proc = ProcInfo(pid=10, name="app", exe="/usr/bin/app", cmdline=("app", "-v"), ppid=1,
                    uid=0, container="0123456789ab")
    ev = SyscallEvent(pid=10, tid=11, arch="x86_64", nr=1, name="write", raw_args=(5, 0, 9, 0, 0, 0),
                      ts_enter=5.0, phase="exit", args=["5", '"hello"', "9"], retval=9, ts_exit=5.5,
                      comm="app", ppid=1, uid=0, cpu=1)
    cap = tmp_path / "c.syscope"
    _write_v1(cap, proc, {(10, 5): "/var/log/app.log"}, [ev, ExitEvent(pid=10, tid=10, ts=6.0, exit_code=0)])
    ctx = Context()
    evs = list(read_capture(cap, ctx))
    assert ctx.live is False and len(evs) == 2
    got = evs[0]
    assert isinstance(got, SyscallEvent) and got.cpu == 1 and got.comm == "app"
    assert field_value("fd.name", got, ctx) == "/var/log/app.log"
    assert field_value("proc.cmdline", got, ctx) == "app -v"
    assert field_value("container.id", got, ctx) == "0123456789ab"
    assert compile_filter("evt.is_io_write=true and evt.buflen=9 and proc.exepath=/usr/bin/app", ctx)(got)
    assert field_value("evt.type", evs[1], ctx) == "procexit"
