"""Timelines in the Chrome/Perfetto trace-event format.

The format (the "Trace Event Format" document that chrome://tracing and ui.perfetto.dev
import): a JSON array of events, each with ``ph`` (phase), ``name``, ``pid``, ``tid``, ``ts``
in microseconds.  Used here:

- ``X`` (complete event) with ``dur``: one per syscall, on the track of the thread that made it;
  its ``args`` carry the decoded arguments and the result.
- ``i`` (instant event) with ``s: "t"`` (thread scope): signals, process/thread start, exec, exit.
- ``M`` (metadata): ``process_name`` / ``thread_name`` name the tracks; ``process_sort_index``
  keeps processes in the order they appeared.  A track per ``tid`` grouped under its ``pid``
  is what the viewers draw from ``pid``/``tid`` alone.

The JSON Array form is written (not the object form) because its closing ``]`` is optional:
a trace cut short by a crash or a kill still opens.  Events are streamed as they come; the
names, known only once exec and spawn events are seen, are written as metadata at the end.
Timestamps are absolute (microseconds since the epoch, what ``time.time()`` gives the sources):
a double keeps 0.25 us at today's epoch, finer than ``time.time()`` resolves.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from typing import IO, Any

from syscope.errors import SyscopeError
from syscope.events import (
    Event,
    ExitEvent,
    ProcessEvent,
    SignalEvent,
    SyscallEvent,
    _errno_name,
    _signal_name,
)
from syscope.proc.secrets import redact_record
from syscope.sinks.files import open_private
from syscope.syscalls.roles import roles


def _us(seconds: float) -> float:
    return round(seconds * 1e6, 3)


class TimelineSink:
    """Writes events as a Chrome/Perfetto trace-event JSON file.

    ``TimelineSink(out)`` where ``out`` is a path or a writable text file; ``handle(ev)`` for each
    event (enter-phase syscalls are ignored: each syscall becomes one slice when it completes);
    ``close()`` writes the track names and ends the array.

    ``label_containers=True`` is for live sources: each process is looked up in /proc when it
    first appears and its container (``docker:1a83cf2c10b3``) becomes a process label.  A
    recorded trace must not do that, since its pids may belong to other processes by now.
    """

    def __init__(self, out: str | os.PathLike[str] | IO[str], label_containers: bool = False,
                 redact: bool = True) -> None:
        # redact: values that look like secrets (syscope.proc.secrets) become **** in the file
        self._redact = redact
        if isinstance(out, (str, os.PathLike)):
            try:
                self._f: IO[str] = open_private(out, "w")
            except OSError as exc:
                raise SyscopeError(f"cannot write timeline {os.fspath(out)}: {exc.strerror}") from None
            self._owns = True
        else:
            self._f = out
            self._owns = False
        self._first = True
        self._closed = False
        self._proc_names: dict[int, str] = {}
        self._thread_names: dict[tuple[int, int], str] = {}
        self._proc_order: dict[int, int] = {}
        self._tid_pid: dict[int, int] = {}
        self._labels: dict[int, str] = {}
        self._label_containers = label_containers
        self.count = 0  # events written, metadata excluded
        self._f.write("[\n")

    # -- writing -------------------------------------------------------------------------------
    def _emit(self, obj: dict[str, Any]) -> None:
        if not self._first:
            self._f.write(",\n")
        self._first = False
        # ASCII with \u escapes: argv and comm may hold undecodable bytes (surrogate escapes)
        # that a UTF-8 file cannot take, and JSON's \u form carries them to the viewer unharmed.
        if self._redact:
            obj = redact_record(obj)  # type: ignore[assignment]
        self._f.write(json.dumps(obj, separators=(",", ":"), ensure_ascii=True))

    def _seen(self, pid: int, tid: int, comm: str | None = None) -> None:
        if pid not in self._proc_order:
            self._proc_order[pid] = len(self._proc_order)
            if self._label_containers:
                from syscope.errors import KernelError
                from syscope.proc.cgroup import container_info

                try:
                    info = container_info(pid)
                except KernelError:
                    info = None  # gone already: the process simply carries no label
                if info is not None and info.id is not None:
                    self._labels[pid] = f"container {info.label()}"
        self._tid_pid[tid] = pid
        if comm:
            self._proc_names.setdefault(pid, comm)
            self._thread_names.setdefault((pid, tid), comm)

    def _instant(self, name: str, cat: str, pid: int, tid: int, ts: float, args: dict[str, Any]) -> None:
        self._emit({"name": name, "cat": cat, "ph": "i", "s": "t", "pid": pid, "tid": tid,
                    "ts": _us(ts), "args": args})
        self.count += 1

    # -- the sink interface --------------------------------------------------------------------
    def handle(self, ev: Event) -> None:
        if self._closed:
            raise SyscopeError("timeline already closed")
        if isinstance(ev, SyscallEvent):
            self._syscall(ev)
        elif isinstance(ev, SignalEvent):
            self._seen(ev.pid, ev.tid)
            name = _signal_name(ev.signo) or f"signal {ev.signo}"
            if ev.stopped:
                name = f"stopped by {name}"
            self._instant(name, "signal", ev.pid, ev.tid, ev.ts,
                          {"signo": ev.signo, "siginfo": ev.text or dict(ev.siginfo)})
        elif isinstance(ev, ExitEvent):
            self._seen(ev.pid, ev.tid)
            if ev.signo:
                what = f"killed by {_signal_name(ev.signo) or ev.signo}"
                if ev.core_dumped:
                    what += " (core dumped)"
            else:
                what = f"exited with {ev.exit_code}"
            self._instant(what, "process", ev.pid, ev.tid, ev.ts,
                          {"exit_code": ev.exit_code, "signo": ev.signo, "core_dumped": ev.core_dumped})
        elif isinstance(ev, ProcessEvent):
            self._process(ev)

    def _syscall(self, ev: SyscallEvent) -> None:
        if ev.phase != "exit":
            return
        self._seen(ev.pid, ev.tid, ev.comm)
        end = ev.ts_exit if ev.ts_exit is not None else ev.ts_enter
        args: dict[str, Any] = {"call": f"{ev.name}({', '.join(ev.args)})"}
        for i, a in enumerate(ev.args):
            args[f"arg{i}"] = a
        if ev.unfinished or ev.ts_exit is None:
            args["result"] = "? (unfinished: the thread went away before the call returned)"
        else:
            args["result"] = ev.ret_text if ev.ret_text is not None else str(ev.retval)
        if ev.errno is not None:
            args["errno"] = _errno_name(ev.errno) or ev.errno
        if ev.injected:
            args["injected"] = True
        cat = "syscall,error" if ev.failed else "syscall"
        self._emit({"name": ev.name, "cat": cat, "ph": "X", "pid": ev.pid, "tid": ev.tid,
                    "ts": _us(ev.ts_enter), "dur": max(0.0, round(_us(end) - _us(ev.ts_enter), 3)),
                    "args": args})
        self.count += 1
        if ev.name in ("execve", "execveat") and ev.retval == 0:
            # A successful exec renames the process (when no ProcessEvent said so already).
            paths = roles(ev.name).paths
            sargs = ev.structured_args
            path = sargs[paths[0]].value if paths and paths[0] < len(sargs) else None
            if isinstance(path, str) and path:
                self._proc_names[ev.pid] = os.path.basename(path) or path
                self._thread_names[(ev.pid, ev.tid)] = os.path.basename(path) or path

    def _process(self, ev: ProcessEvent) -> None:
        self._seen(ev.pid, ev.tid)
        if ev.what == "exec":
            prog = ev.filename or (ev.argv[0] if ev.argv else "?")
            base = os.path.basename(prog) or prog
            self._proc_names[ev.pid] = base
            self._thread_names[(ev.pid, ev.tid)] = base
            self._instant(f"exec {prog}", "process", ev.pid, ev.tid, ev.ts,
                          {"filename": ev.filename, "argv": list(ev.argv), "old_tid": ev.old_tid})
        elif ev.what == "spawn":
            kind = "thread start" if ev.is_thread else "process start"
            if ev.parent is not None:
                parent_pid = self._tid_pid.get(ev.parent, ev.parent)
                parent_name = self._proc_names.get(parent_pid)
                if parent_name:
                    # A new process runs its parent's program until it execs; a thread always.
                    self._proc_names.setdefault(ev.pid, parent_name)
                    self._thread_names.setdefault((ev.pid, ev.tid), parent_name)
            self._instant(kind, "process", ev.pid, ev.tid, ev.ts, {"parent": ev.parent})
        else:
            self._instant(ev.what, "process", ev.pid, ev.tid, ev.ts, {})

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for pid, order in self._proc_order.items():
            name = self._proc_names.get(pid, f"pid {pid}")
            self._emit({"name": "process_name", "ph": "M", "pid": pid, "tid": pid, "args": {"name": name}})
            self._emit({"name": "process_sort_index", "ph": "M", "pid": pid, "tid": pid,
                        "args": {"sort_index": order}})
            if pid in self._labels:
                self._emit({"name": "process_labels", "ph": "M", "pid": pid, "tid": pid,
                            "args": {"labels": self._labels[pid]}})
        for tid, pid in self._tid_pid.items():
            tname = self._thread_names.get((pid, tid), self._proc_names.get(pid, f"tid {tid}"))
            self._emit({"name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": tname}})
            # The thread-group leader first, then the other threads by tid.
            self._emit({"name": "thread_sort_index", "ph": "M", "pid": pid, "tid": tid,
                        "args": {"sort_index": -1 if tid == pid else tid}})
        self._f.write("\n]\n")
        self._f.flush()
        if self._owns:
            self._f.close()

    def __enter__(self) -> TimelineSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_timeline(events: Iterable[Event], out: str | os.PathLike[str] | IO[str], redact: bool = True) -> int:
    """Convert events into a timeline file; returns how many trace events were written."""
    sink = TimelineSink(out, redact=redact)
    try:
        for ev in events:
            sink.handle(ev)
    finally:
        sink.close()
    return sink.count


def timeline_json(events: Iterable[Event]) -> list[dict[str, Any]]:
    """The timeline as Python objects (for tests and for embedding)."""
    buf = io.StringIO()
    write_timeline(events, buf)
    result: list[dict[str, Any]] = json.loads(buf.getvalue())
    return result


__all__ = ["TimelineSink", "timeline_json", "write_timeline"]
