"""Typed events: the one stream every source produces and every sink consumes.

Sources (the ptrace tracer, the eBPF watcher, a capture file) yield these objects; filters,
sinks, profile builders, chisels and rules only ever read them.  A syscall is one object that
is yielded twice by the ptrace source when ``entries=True`` (once at entry with ``phase ==
"enter"``, once at exit with ``phase == "exit"``) so that the strace text sink can print
``<unfinished ...>`` / ``<... resumed>`` exactly as strace does; every other consumer only
looks at exit-phase (complete) events.
"""

from __future__ import annotations

from syscope.typenames import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable

    # typing's names for the checker only: a traced run does not import typing (typenames.py)
    from typing import Any, Literal

    Phase = Literal["enter", "exit"]

# The event classes are written out (slots, __init__, __repr__) rather than made by @dataclass:
# every process that reads events imports this module, the tracer's start-up among them, and
# dataclasses imports inspect (and with it ast, dis, tokenize) and compiles each class's methods
# from source when the class is made: ~12 ms CPU of a ~70 ms start-up (benchmarks/startup.py).


def _repr(obj: object, names: tuple[str, ...]) -> str:
    return f"{type(obj).__name__}({', '.join(f'{n}={getattr(obj, n)!r}' for n in names)})"


class SockAddr:
    """A decoded socket address: ``family`` by name (``AF_INET``, ``AF_INET6``, ``AF_UNIX``, or
    the number as text when it has none); ``address`` the IP in text form or the unix socket path
    (an abstract socket as ``@name``, unix(7)); ``port`` for AF_INET/AF_INET6.  Immutable,
    compared and hashed by value."""

    __slots__ = ("family", "address", "port")
    family: str
    address: str | None
    port: int | None

    def __init__(self, family: str, address: str | None = None, port: int | None = None) -> None:
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "address", address)
        object.__setattr__(self, "port", port)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def _key(self) -> tuple[str, str | None, int | None]:
        return (self.family, self.address, self.port)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, SockAddr)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return _repr(self, self.__slots__)


class Arg(NamedTuple):
    """One argument of a syscall, next to its strace text in ``SyscallEvent.args``.

    ``name`` is the kernel's parameter name (include/linux/syscalls.h, from syscope.syscalls),
    ``raw`` the register value, ``value`` the decoded value: an int; a str for a path or string;
    bytes for a data buffer (at most the ``-s`` bytes the decoder read); a tuple of names for a
    flag set (unknown bits as one hex string); an enum's name (str, or the int when unnamed); a
    ``SockAddr``; a dict for a structure; a list for an array; None when it was not read (NULL,
    unreadable, a failed call's output).  An iovec array is ``[{"iov_base": bytes, "iov_len":
    n}]``; a struct msghdr a dict of msg_name (a SockAddr), msg_namelen, msg_iov (an iovec array),
    msg_iovlen, msg_controllen, msg_flags (names); an mmsghdr array ``[{"msg_hdr": {...},
    "msg_len": n}]``; a struct sigaction ``{sa_handler, sa_mask, sa_flags, sa_restorer}``; a
    pollfd array ``[{"fd", "events", "revents"}]``.  Kinds without a structured form yet (select's
    fd sets, epoll events, ioctl arguments ...) give the register itself, the struct's address.
    """

    name: str
    raw: int
    value: Any


class ArgSpec(NamedTuple):
    """How the decoder's plan derives argument i's ``Arg`` (compiled once per (arch, syscall)):
    ``value(ev)`` from the registers, or, when ``memory``, what the decoder stored in
    ``ev.arg_values`` from the bytes it read; neither: the register itself."""

    name: str
    value: Callable[[SyscallEvent], Any] | None = None
    memory: bool = False


class ArgRecipe:
    """A plan's tuple of ``ArgSpec``, made by ``make(*args)`` when ``structured_args`` first asks
    for it (JSON lines, --filter, the report and timeline sinks): a trace's text never does, and
    making it was about a third of building a call's plan, which every call's first occurrence
    pays at start-up.  One per plan, shared by its events."""

    __slots__ = ("_make", "_args", "_made")

    def __init__(self, make: Callable[..., tuple[ArgSpec, ...]], *args: Any) -> None:
        self._make = make
        self._args = args
        self._made: tuple[ArgSpec, ...] | None = None

    def made(self) -> tuple[ArgSpec, ...]:
        if self._made is None:
            self._made = self._make(*self._args)
        return self._made


class SyscallEvent:
    """One system call made by one thread.

    ``args`` holds each argument as strace would print it (decoded text), filled at entry for
    the arguments the kernel reads and at exit for the ones it writes; ``n_entry_args`` says
    how many of them were known at entry.  ``raw_args`` always holds the six register values.
    ``retval`` is None while the call is in flight and for calls that never returned (strace's
    `` = ?``).  ``errno`` is set when the kernel returned -errno (1..4095).
    """

    __slots__ = ("pid", "tid", "arch", "nr", "name", "raw_args", "ts_enter", "phase", "args", "n_entry_args", "retval",
                     "errno", "ret_text", "ts_exit", "unfinished", "detached", "injected", "delayed", "poked", "extra",
                     "ip", "comm", "ppid", "uid", "cpu", "paths", "cpu_enter", "cpu_exit", "arg_values", "arg_spec")
    pid: int  # thread-group id (what ps shows as PID)
    tid: int  # the thread that made the call
    arch: str  # "x86_64", "i386", "aarch64": which syscall table ``nr`` belongs to
    nr: int
    name: str
    raw_args: tuple[int, ...]
    ts_enter: float  # time.time() when the entry stop was seen
    phase: Phase
    args: list[str]
    n_entry_args: int
    retval: int | None
    errno: int | None
    ret_text: str | None  # the decoded return value, e.g. "3", "-1 ENOENT (No such ...)"
    ts_exit: float | None
    unfinished: bool  # the thread vanished (exit, exec, kill) before the call returned
    detached: bool  # the tracer let go of the thread in the call (interrupted: " <detached ...>")
    injected: bool  # the result was changed by -e inject/fault
    delayed: bool  # -e inject=...:delay_enter=/delay_exit= held the call back
    poked: bool  # -e inject=...:poke_enter=/poke_exit= wrote into what an argument points at
    extra: list[str]  # lines printed after the call (-e read= dumps)
    ip: int | None  # instruction pointer at entry (-i)
    # Context that the eBPF source fills in the kernel; the tracer fills what it knows.
    comm: str | None
    ppid: int | None
    uid: int | None
    cpu: int | None
    paths: tuple[str, ...]  # strings the source read itself (eBPF path arguments)
    # the thread's CPU clock (seconds it ran, /proc/TID/schedstat) at the entry and exit stops,
    # when the source reads it (-c without -w): see ``cpu_time``
    cpu_enter: float | None
    cpu_exit: float | None
    # structured arguments: the decoder stores what it read from memory by argument index and the
    # plan's recipe (a tuple of ArgSpec); ``structured_args`` builds the list on demand, so the
    # tracer's hot path only pays for the values it decoded anyway.  The built list replaces the
    # recipe once the call is complete; sources without a decoder (files) set the list itself
    # (``set_structured_args``).  One field for both: every event pays for each field it has.
    arg_values: dict[int, Any] | None
    arg_spec: tuple[ArgSpec, ...] | ArgRecipe | list[Arg] | None

    def __init__(self, pid: int, tid: int, arch: str, nr: int, name: str, raw_args: tuple[int, ...], ts_enter: float,
                 phase: Phase = "enter", args: list[str] | None = None, n_entry_args: int = 0,
                 retval: int | None = None, errno: int | None = None, ret_text: str | None = None,
                 ts_exit: float | None = None, unfinished: bool = False, detached: bool = False, injected: bool = False,
                 delayed: bool = False, poked: bool = False, extra: list[str] | None = None, ip: int | None = None,
                 comm: str | None = None, ppid: int | None = None, uid: int | None = None, cpu: int | None = None,
                 paths: tuple[str, ...] = (), cpu_enter: float | None = None, cpu_exit: float | None = None,
                 arg_values: dict[int, Any] | None = None,
                 arg_spec: tuple[ArgSpec, ...] | ArgRecipe | list[Arg] | None = None) -> None:
        self.pid = pid
        self.tid = tid
        self.arch = arch
        self.nr = nr
        self.name = name
        self.raw_args = raw_args
        self.ts_enter = ts_enter
        self.phase = phase
        self.args = [] if args is None else args
        self.n_entry_args = n_entry_args
        self.retval = retval
        self.errno = errno
        self.ret_text = ret_text
        self.ts_exit = ts_exit
        self.unfinished = unfinished
        self.detached = detached
        self.injected = injected
        self.delayed = delayed
        self.poked = poked
        self.extra = [] if extra is None else extra
        self.ip = ip
        self.comm = comm
        self.ppid = ppid
        self.uid = uid
        self.cpu = cpu
        self.paths = paths
        self.cpu_enter = cpu_enter
        self.cpu_exit = cpu_exit
        self.arg_values = arg_values
        self.arg_spec = arg_spec

    def __repr__(self) -> str:
        return _repr(self, self.__slots__[:-2])  # not arg_values, arg_spec (internal)

    def replace(self, **changes: Any) -> SyscallEvent:
        """A copy with ``changes`` (what ``dataclasses.replace`` did for the dataclass it was)."""
        fields = {n: getattr(self, n) for n in self.__slots__}
        fields.update(changes)
        return SyscallEvent(**fields)

    @property
    def structured_args(self) -> list[Arg]:
        """Each argument's name, register value and decoded value (see ``Arg``)."""
        spec = self.arg_spec
        if spec is None:
            return []
        if isinstance(spec, list):
            return spec
        if isinstance(spec, ArgRecipe):
            spec = spec.made()
        vals = self.arg_values or {}
        raw = self.raw_args
        out = []
        for i, s in enumerate(spec):
            r = raw[i] if i < len(raw) else 0
            v = vals.get(i) if s.memory else s.value(self) if s.value is not None else r
            out.append(Arg(s.name, r, v))
        if self.ret_text is not None:  # the exit half is decoded: nothing changes any more
            self.arg_spec = out
        return out

    def set_structured_args(self, args: list[Arg]) -> None:
        self.arg_spec = list(args)

    def arg(self, name: str) -> Arg | None:
        """The structured argument called ``name`` (the kernel's parameter name), or None."""
        for a in self.structured_args:
            if a.name == name:
                return a
        return None

    @property
    def failed(self) -> bool:
        return self.errno is not None

    @property
    def duration(self) -> float | None:
        """Wall-clock seconds from entry to exit, as strace -T / -w measure it."""
        if self.ts_exit is None:
            return None
        return self.ts_exit - self.ts_enter

    @property
    def cpu_time(self) -> float | None:
        """CPU seconds the thread ran from entry to exit: all of it in the kernel (the thread is
        stopped at both syscall stops and runs no user code between them), so this is the
        call's system CPU time, what strace -c reports without -w (strace 6.1 count.c)."""
        if self.cpu_enter is None or self.cpu_exit is None:
            return None
        return self.cpu_exit - self.cpu_enter

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
            "unfinished": self.unfinished, "detached": self.detached,
            "injected": self.injected, "delayed": self.delayed, "poked": self.poked,
            "structured_args": [{"name": a.name, "raw": a.raw, "value": encode_value(a.value)}
                                for a in self.structured_args],
        }


class SignalEvent:
    """A signal delivered to a thread (strace's ``--- SIGCHLD {...} ---`` line)."""

    __slots__ = ("pid", "tid", "signo", "ts", "siginfo", "text", "stopped", "ip", "nr")
    pid: int
    tid: int
    signo: int
    ts: float
    siginfo: dict[str, Any]  # si_code, si_pid, si_uid, si_status...
    text: str  # the decoded siginfo, e.g. "{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}"
    stopped: bool  # a group-stop (strace's ``--- stopped by SIGSTOP ---``)
    ip: int | None  # instruction pointer when the signal arrived (-i)
    nr: int | None  # the thread's last syscall (-n), when the source knows it

    def __init__(self, pid: int, tid: int, signo: int, ts: float, siginfo: dict[str, Any] | None = None, text: str = "",
                 stopped: bool = False, ip: int | None = None, nr: int | None = None) -> None:
        self.pid = pid
        self.tid = tid
        self.signo = signo
        self.ts = ts
        self.siginfo = {} if siginfo is None else siginfo
        self.text = text
        self.stopped = stopped
        self.ip = ip
        self.nr = nr

    def __repr__(self) -> str:
        return _repr(self, self.__slots__)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "signal", "pid": self.pid, "tid": self.tid, "signo": self.signo,
                "signal": _signal_name(self.signo), "ts": self.ts, "siginfo": dict(self.siginfo),
                "text": self.text, "stopped": self.stopped}


class ExitEvent:
    """A thread or process ended: ``+++ exited with N +++`` / ``+++ killed by SIG +++``."""

    __slots__ = ("pid", "tid", "ts", "exit_code", "signo", "core_dumped", "nr")
    pid: int
    tid: int
    ts: float
    exit_code: int | None
    signo: int | None  # set when killed by a signal
    core_dumped: bool
    nr: int | None  # the thread's last syscall (-n), when the source knows it

    def __init__(self, pid: int, tid: int, ts: float, exit_code: int | None = None, signo: int | None = None,
                 core_dumped: bool = False, nr: int | None = None) -> None:
        self.pid = pid
        self.tid = tid
        self.ts = ts
        self.exit_code = exit_code
        self.signo = signo
        self.core_dumped = core_dumped
        self.nr = nr

    def __repr__(self) -> str:
        return _repr(self, self.__slots__)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "exit", "pid": self.pid, "tid": self.tid, "ts": self.ts,
                "exit_code": self.exit_code, "signo": self.signo,
                "signal": _signal_name(self.signo) if self.signo else None,
                "core_dumped": self.core_dumped}


class ProcessEvent:
    """Lifecycle facts that are not a syscall line: a new task, an exec, an attach or detach.

    ``what`` is one of "spawn" (a new process or thread appeared; ``parent`` is its creator),
    "exec" (``filename``/``argv`` ran; ``old_tid`` is the thread that called execve when it was
    not the leader), "attach", "detach".
    """

    __slots__ = ("what", "pid", "tid", "ts", "parent", "is_thread", "filename", "argv", "old_tid", "nr")
    what: Literal["spawn", "exec", "attach", "detach"]
    pid: int
    tid: int
    ts: float
    parent: int | None
    is_thread: bool
    filename: str | None
    argv: tuple[str, ...]
    old_tid: int | None
    nr: int | None  # the task's last syscall (-n), when the source knows it

    def __init__(self, what: Literal["spawn", "exec", "attach", "detach"], pid: int, tid: int, ts: float,
                 parent: int | None = None, is_thread: bool = False, filename: str | None = None,
                 argv: tuple[str, ...] = (), old_tid: int | None = None, nr: int | None = None) -> None:
        self.what = what
        self.pid = pid
        self.tid = tid
        self.ts = ts
        self.parent = parent
        self.is_thread = is_thread
        self.filename = filename
        self.argv = argv
        self.old_tid = old_tid
        self.nr = nr

    def __repr__(self) -> str:
        return _repr(self, self.__slots__)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {n: getattr(self, n) for n in self.__slots__}
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
                          unfinished=bool(d.get("unfinished")), detached=bool(d.get("detached")),
                          injected=bool(d.get("injected")),
                          delayed=bool(d.get("delayed")), poked=bool(d.get("poked")))
        ev.n_entry_args = len(ev.args)
        sargs = d.get("structured_args")
        if sargs is not None:  # traces written before structured args have none
            ev.set_structured_args([Arg(str(a["name"]), int(a["raw"]), decode_value(a.get("value")))
                                    for a in sargs])
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


# JSON form of structured values: int, str, None, lists and dicts (structs) as themselves; the
# types JSON lacks as a one-key object whose key starts with "$" (struct field names never do):
# {"$bytes": BASE64} (base64: any byte survives, unlike a text escape), {"$flags": [NAMES]},
# {"$sockaddr": {"family": ..., "address": ..., "port": ...}}.  Paths that are not UTF-8 keep
# their bytes as surrogate escapes (os.fsdecode), which json writes as \udcXX.
def encode_value(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, bytes):
        import base64  # JSON output only: not on the tracer's start-up

        return {"$bytes": base64.b64encode(v).decode("ascii")}
    if isinstance(v, SockAddr):
        return {"$sockaddr": {"family": v.family, "address": v.address, "port": v.port}}
    if isinstance(v, tuple):
        return {"$flags": [str(x) for x in v]}
    if isinstance(v, list):
        return [encode_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): encode_value(x) for k, x in v.items()}
    return str(v)


def decode_value(v: Any) -> Any:
    """The inverse of ``encode_value``; a malformed tagged value raises ValueError/TypeError/KeyError,
    which the file readers turn into their one-line error."""
    if isinstance(v, list):
        return [decode_value(x) for x in v]
    if not isinstance(v, dict):
        return v
    if len(v) == 1:
        (k, x), = v.items()
        if k == "$bytes":
            import base64

            return base64.b64decode(str(x), validate=True)
        if k == "$flags":
            return tuple(str(n) for n in x)
        if k == "$sockaddr":
            return SockAddr(str(x["family"]), x.get("address"), x.get("port"))
    return {k: decode_value(x) for k, x in v.items()}


def _errno_name(err: int | None) -> str | None:
    if err is None:
        return None
    import errno as _errno

    return _errno.errorcode.get(err)


def _signal_name(signo: int | None) -> str | None:
    """The name strace prints (kernel numbering, SIGRT_N above SIGRTMIN 32: syscope.syscalls.roles)."""
    if not signo:
        return None
    from syscope.syscalls.roles import signal_name  # JSON's: a traced run's text needs no roles

    return signal_name(signo)
