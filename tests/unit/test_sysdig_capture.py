"""Capture files round-trip the process and fd state that sysdig fields need on replay."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from syscope.context import Context, ProcInfo
from syscope.events import ExitEvent, SyscallEvent
from syscope.filters.sysdig import compile_filter, field_value
from syscope.sinks.capture import CaptureWriter
from syscope.sources.file import read_capture


def test_roundtrip_keeps_fd_and_process_state(tmp_path: Path) -> None:
    live = Context(live=False)
    live.procs[10] = ProcInfo(pid=10, name="app", exe="/usr/bin/app", cmdline=("app", "-v"), ppid=1,
                              uid=0, container="0123456789ab")
    live.fds[(10, 5)] = "/var/log/app.log"  # opened before the capture began
    ev = SyscallEvent(pid=10, tid=11, arch="x86_64", nr=1, name="write", raw_args=(5, 0, 9, 0, 0, 0),
                      ts_enter=5.0, phase="exit", args=["5", '"hello"', "9"], retval=9, ts_exit=5.5,
                      comm="app", ppid=1, uid=0, cpu=1)
    cap = tmp_path / "c.syscope"
    w = CaptureWriter(cap, live)
    w.handle(ev)
    w.handle(ExitEvent(pid=10, tid=10, ts=6.0, exit_code=0))
    w.close()
    with gzip.open(cap, "rt") as f:
        kinds = [json.loads(line).get("rec", "header") for line in f]
    assert kinds == ["header", "proc", "fd", "event", "event"]
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
