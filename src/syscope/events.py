"""Typed events: the one stream every source produces and every sink consumes.

Sources (the ptrace tracer, the eBPF watcher, a capture file) yield these objects; filters,
sinks, profile builders, chisels and rules only ever read them.  A syscall is one object that
is yielded twice by the ptrace source when ``entries=True`` (once at entry with ``phase ==
"enter"``, once at exit with ``phase == "exit"``) so that the strace text sink can print
``<unfinished ...>`` / ``<... resumed>`` exactly as strace does; every other consumer only
looks at exit-phase (complete) events.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

Phase = Literal["enter", "exit"]


@dataclass(slots=True, eq=False)
class SyscallEvent:
    """One system call made by one thread.

    ``args`` holds each argument as strace would print it (decoded text), filled at entry for
    the arguments the kernel reads and at exit for the ones it writes; ``n_entry_args`` says
    how many of them were known at entry.  ``raw_args`` always holds the six register values.
    ``retval`` is None while the call is in flight and for calls that never returned (strace's
    `` = ?``).  ``errno`` is set when the kernel returned -errno (1..4095).
    """

    pid: int  # thread-group id (what ps shows as PID)
    tid: int  # the thread that made the call
    arch: str  # "x86_64", "i386", "aarch64": which syscall table ``nr`` belongs to
    nr: int
    name: str
    raw_args: tuple[int, ...]
    ts_enter: float  # time.time() when the entry stop was seen
    phase: Phase = "enter"
    args: list[str] = field(default_factory=list)
    n_entry_args: int = 0
    retval: int | None = None
    errno: int | None = None
    ret_text: str | None = None  # the decoded return value, e.g. "3", "-1 ENOENT (No such ...)"
    ts_exit: float | None = None
    unfinished: bool = False  # the thread vanished (exit, exec, kill) before the call returned
    injected: bool = False  # the result was changed by -e inject/fault
    delayed: bool = False  # -e inject=...:delay_enter=/delay_exit= held the call back
    extra: list[str] = field(default_factory=list)  # lines printed after the call (-e read= dumps)
    ip: int | None = None  # instruction pointer at entry (-i)
    # Context that the eBPF source fills in the kernel; the tracer fills what it knows.
    comm: str | None = None
    ppid: int | None = None
    uid: int | None = None
    cpu: int | None = None
    paths: tuple[str, ...] = ()  # strings the source read itself (eBPF path arguments)

    @property
    def failed(self) -> bool:
        return self.errno is not None

    @property
    def duration(self) -> float | None:
        """Wall-clock seconds from entry to exit, as strace -T / -w measure it."""
        if self.ts_exit is None:
            return None
        return self.ts_exit - self.ts_enter

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "syscall",
            "pid": self.pid,
            "tid": self.tid,
            "arch": self.arch,
            "nr": self.nr,
            "name": self.name,
            "args": list(self.args),
            "raw_args": list(self.raw_args),
            "retval": self.retval,
            "errno": self.errno,
            "errno_name": _errno_name(self.errno),
            "ret": self.ret_text,
            "ts_enter": self.ts_enter,
            "ts_exit": self.ts_exit,
            "duration": self.duration,
            "unfinished": self.unfinished,
            "injected": self.injected, "delayed": self.delayed,
        }


@dataclass(slots=True, eq=False)
class SignalEvent:
    """A signal delivered to a thread (strace's ``--- SIGCHLD {...} ---`` line)."""

    pid: int
    tid: int
    signo: int
    ts: float
    siginfo: dict[str, Any] = field(default_factory=dict)  # si_code, si_pid, si_uid, si_status...
    text: str = ""  # the decoded siginfo, e.g. "{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}"
    stopped: bool = False  # a group-stop (strace's ``--- stopped by SIGSTOP ---``)
    ip: int | None = None  # instruction pointer when the signal arrived (-i)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "signal", "pid": self.pid, "tid": self.tid, "signo": self.signo,
                "signal": _signal_name(self.signo), "ts": self.ts, "siginfo": dict(self.siginfo),
                "text": self.text, "stopped": self.stopped}


@dataclass(slots=True, eq=False)
class ExitEvent:
    """A thread or process ended: ``+++ exited with N +++`` / ``+++ killed by SIG +++``."""

    pid: int
    tid: int
    ts: float
    exit_code: int | None = None
    signo: int | None = None  # set when killed by a signal
    core_dumped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"type": "exit", "pid": self.pid, "tid": self.tid, "ts": self.ts,
                "exit_code": self.exit_code, "signo": self.signo,
                "signal": _signal_name(self.signo) if self.signo else None,
                "core_dumped": self.core_dumped}


@dataclass(slots=True, eq=False)
class ProcessEvent:
    """Lifecycle facts that are not a syscall line: a new task, an exec, an attach or detach.

    ``what`` is one of "spawn" (a new process or thread appeared; ``parent`` is its creator),
    "exec" (``filename``/``argv`` ran; ``old_tid`` is the thread that called execve when it was
    not the leader), "attach", "detach".
    """

    what: Literal["spawn", "exec", "attach", "detach"]
    pid: int
    tid: int
    ts: float
    parent: int | None = None
    is_thread: bool = False
    filename: str | None = None
    argv: tuple[str, ...] = ()
    old_tid: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["argv"] = list(self.argv)
        d["type"] = "process"
        return d


Event = SyscallEvent | SignalEvent | ExitEvent | ProcessEvent


def event_from_dict(d: dict[str, Any]) -> Event:
    """Rebuild an event from ``to_dict()`` output (JSON lines, capture files)."""
    kind = d.get("type")
    if kind == "syscall":
        ev = SyscallEvent(pid=d["pid"], tid=d["tid"], arch=d["arch"], nr=d["nr"], name=d["name"],
                          raw_args=tuple(d.get("raw_args", ())), ts_enter=d["ts_enter"], phase="exit",
                          args=list(d.get("args", ())), retval=d.get("retval"), errno=d.get("errno"),
                          ret_text=d.get("ret"), ts_exit=d.get("ts_exit"),
                          unfinished=bool(d.get("unfinished")), injected=bool(d.get("injected")),
                          delayed=bool(d.get("delayed")))
        ev.n_entry_args = len(ev.args)
        return ev
    if kind == "signal":
        return SignalEvent(pid=d["pid"], tid=d["tid"], signo=d["signo"], ts=d["ts"],
                           siginfo=dict(d.get("siginfo", {})), text=d.get("text", ""),
                           stopped=bool(d.get("stopped")))
    if kind == "exit":
        return ExitEvent(pid=d["pid"], tid=d["tid"], ts=d["ts"], exit_code=d.get("exit_code"),
                         signo=d.get("signo"), core_dumped=bool(d.get("core_dumped")))
    if kind == "process":
        return ProcessEvent(what=d["what"], pid=d["pid"], tid=d["tid"], ts=d["ts"],
                            parent=d.get("parent"), is_thread=bool(d.get("is_thread")),
                            filename=d.get("filename"), argv=tuple(d.get("argv", ())),
                            old_tid=d.get("old_tid"))
    raise ValueError(f"unknown event type {kind!r}")


def _errno_name(err: int | None) -> str | None:
    if err is None:
        return None
    import errno as _errno

    return _errno.errorcode.get(err)


def _signal_name(signo: int | None) -> str | None:
    """The name strace prints (syscope.decode's table: kernel numbering, SIGRT_N above SIGRTMIN 32)."""
    if not signo:
        return None
    from syscope.decode.fmt import signame  # here: syscope.decode imports this module

    return signame(signo)
