"""The ptrace source: launches or attaches, follows tasks, yields syscope.events.

Launch: fork; the child stops itself with SIGSTOP; the parent PTRACE_SEIZEs it (options
TRACESYSGOOD|TRACE{FORK,VFORK,CLONE,EXEC}|EXITKILL) and sends SIGCONT; the child then execs.
Entry and exit are told apart by PTRACE_GET_SYSCALL_INFO (kernel >= 5.3), so no per-thread
"entering" flag is kept by hand.  Events before the child's first execve are the tracer's own
set-up and are hidden, as strace does.  Attach: PTRACE_SEIZE + PTRACE_INTERRUPT on every thread
in /proc/PID/task; on SIGINT/SIGTERM/SIGHUP every attached task is detached and runs on.
"""

from __future__ import annotations

import os
import signal
import struct
import time
from collections.abc import Callable, Iterator

from syscope._kernel import ptrace as pt
from syscope.command import resolve_command
from syscope.decode import DecodeOptions, Decoder, format_siginfo
from syscope.errors import NoSuchProcess, SyscopeError
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.syscalls import arch_from_audit, table
from syscope.trace.memory import ProcessMemory

_ENTRY = struct.Struct("=BxxxIQQQ6Q")  # op, arch, ip, sp, nr, args[6]
_EXIT = struct.Struct("=BxxxIQQqB")  # op, arch, ip, sp, rval, is_error
_STOP_SIGNALS = {signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU}
_TRAP_SYSGOOD = signal.SIGTRAP | 0x80


class _Task:
    __slots__ = ("tid", "pid", "mem", "inflight", "hidden")

    def __init__(self, tid: int, pid: int, hidden: bool = False) -> None:
        self.tid = tid
        self.pid = pid
        self.mem = ProcessMemory(tid)
        self.inflight: SyscallEvent | None = None
        self.hidden = hidden


class Tracer:
    """One tracing session.  Iterate ``events()``; ``exit_status`` is the command's wait status."""

    def __init__(self, argv: list[str] | None = None, pids: list[int] | None = None, *,
                 follow_forks: bool = False, decode: bool = True,
                 options: DecodeOptions | None = None,
                 select: Callable[[str, int], bool] | None = None,
                 entries: bool = False, env: dict[str, str] | None = None) -> None:
        self.argv = argv
        self.pids = pids or []
        self.follow = follow_forks
        self.decoder = Decoder(options or DecodeOptions()) if decode else None
        self.select = select
        self.entries = entries
        self.env = env
        self.tasks: dict[int, _Task] = {}
        self.child: int | None = None
        self.exit_status: int | None = None
        self._stop = False

    # -- setup -----------------------------------------------------------------------------
    def _launch(self) -> None:
        assert self.argv is not None
        path = resolve_command(self.argv)
        pid = os.fork()
        if pid == 0:  # child: stop until the tracer has seized us, then become the command
            try:
                os.kill(os.getpid(), signal.SIGSTOP)
                os.execve(path, self.argv, self.env if self.env is not None else os.environ)
            except BaseException:
                os._exit(127)
        _, status = os.waitpid(pid, os.WUNTRACED)
        opts = (pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_TRACEEXEC | pt.PTRACE_O_EXITKILL)
        if self.follow:
            opts |= pt.PTRACE_O_TRACEFORK | pt.PTRACE_O_TRACEVFORK | pt.PTRACE_O_TRACECLONE
        pt.ptrace(pt.PTRACE_SEIZE, pid, 0, opts)
        self.child = pid
        self.tasks[pid] = _Task(pid, pid, hidden=True)
        os.kill(pid, signal.SIGCONT)

    def _attach(self, pid: int) -> list[ProcessEvent]:
        opts = pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_TRACEEXEC
        if self.follow:
            opts |= pt.PTRACE_O_TRACEFORK | pt.PTRACE_O_TRACEVFORK | pt.PTRACE_O_TRACECLONE
        try:
            tids = sorted(int(t) for t in os.listdir(f"/proc/{pid}/task"))
        except OSError:
            tids = [pid]
        out = []
        for tid in tids:
            try:
                pt.ptrace(pt.PTRACE_SEIZE, tid, 0, opts)
                pt.ptrace(pt.PTRACE_INTERRUPT, tid)
            except SyscopeError as exc:
                if tid == pid:
                    raise SyscopeError(f"attach: {exc}") from None
                continue
            self.tasks[tid] = _Task(tid, pid)
            out.append(ProcessEvent("attach", pid, tid, time.time()))
        return out

    # -- teardown --------------------------------------------------------------------------
    def detach_all(self) -> None:
        """Leave every task running: interrupt, wait for its stop, detach (strace's detach())."""
        for task in list(self.tasks.values()):
            tid = task.tid
            if self.child is not None and task.pid == self.child:
                continue  # launched: EXITKILL ends it with us, strace kills it too
            sig = 0
            try:
                pt.ptrace(pt.PTRACE_INTERRUPT, tid)
                while True:
                    _, status = os.waitpid(tid, pt.WALL)
                    if not os.WIFSTOPPED(status):
                        break
                    s = os.WSTOPSIG(status)
                    if (status >> 16) == 0 and s not in (signal.SIGTRAP, _TRAP_SYSGOOD):
                        sig = s  # a real signal arrived meanwhile: hand it over at detach
                    if (status >> 16) == pt.PTRACE_EVENT_STOP or s == _TRAP_SYSGOOD or sig:
                        pt.ptrace(pt.PTRACE_DETACH, tid, 0, sig)
                        break
                    pt.ptrace(pt.PTRACE_SYSCALL, tid)
            except (SyscopeError, ChildProcessError):
                pass
        self.tasks.clear()

    def request_stop(self, *_: object) -> None:
        self._stop = True

    # -- the loop --------------------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        if self.argv is not None:
            self._launch()
        for pid in self.pids:
            yield from self._attach(pid)
        try:
            yield from self._loop()
        finally:
            if self.tasks:
                if self.child is not None:
                    try:
                        os.kill(self.child, signal.SIGKILL)
                    except OSError:
                        pass
                self.detach_all()

    def _loop(self) -> Iterator[Event]:
        tasks = self.tasks
        while tasks and not self._stop:
            try:
                tid, status = os.waitpid(-1, pt.WALL)
            except ChildProcessError:
                break
            task = tasks.get(tid)
            if os.WIFEXITED(status) or os.WIFSIGNALED(status):
                if task is None:
                    continue
                del tasks[tid]
                now = time.time()
                if task.inflight is not None and not task.hidden:
                    ev = task.inflight
                    ev.unfinished, ev.phase, ev.ret_text = True, "exit", "?"
                    yield ev
                if os.WIFEXITED(status):
                    xev = ExitEvent(task.pid, tid, now, exit_code=os.WEXITSTATUS(status))
                else:
                    xev = ExitEvent(task.pid, tid, now, signo=os.WTERMSIG(status),
                                    core_dumped=os.WCOREDUMP(status))
                if tid == self.child:
                    self.exit_status = status
                yield xev
                continue
            if task is None:  # a new child reporting before its parent's fork event
                task = tasks[tid] = _Task(tid, tid)
            sig = os.WSTOPSIG(status)
            event = status >> 16
            inject = 0
            try:
                if sig == _TRAP_SYSGOOD:
                    sev = self._syscall_stop(task)
                    if sev is not None:
                        yield sev
                elif event == pt.PTRACE_EVENT_STOP:
                    if sig in _STOP_SIGNALS:  # group-stop: stay stopped but keep watching
                        if not task.hidden:
                            yield SignalEvent(task.pid, tid, sig, time.time(), stopped=True)
                        pt.ptrace(pt.PTRACE_LISTEN, tid)
                        continue
                elif event in (pt.PTRACE_EVENT_FORK, pt.PTRACE_EVENT_VFORK, pt.PTRACE_EVENT_CLONE):
                    new = pt.get_event_msg(tid)
                    is_thread = event == pt.PTRACE_EVENT_CLONE and _same_tgid(new, task.pid)
                    npid = task.pid if is_thread else new
                    t = tasks.get(new)
                    if t is None:
                        tasks[new] = _Task(new, npid)
                    else:
                        t.pid = npid
                    yield ProcessEvent("spawn", npid, new, time.time(), parent=tid, is_thread=is_thread)
                elif event == pt.PTRACE_EVENT_EXEC:
                    old = pt.get_event_msg(tid)
                    if old != tid and old in tasks:  # execve from a non-leader: it takes the leader's tid
                        moved = tasks.pop(old)
                        if task.inflight is not None and not task.hidden:
                            task.inflight.unfinished = True
                        moved.tid, moved.mem = tid, ProcessMemory(tid)
                        tasks[tid] = task = moved
                    task.hidden = False
                    yield ProcessEvent("exec", task.pid, tid, time.time(), old_tid=old)
                elif event == 0 and sig != signal.SIGTRAP:
                    inject = sig
                    if not task.hidden:
                        info = pt.get_siginfo(tid)
                        yield SignalEvent(task.pid, tid, sig, time.time(),
                                          text=format_siginfo(info, "x86_64"))
                pt.ptrace(pt.PTRACE_SYSCALL, tid, 0, inject)
            except NoSuchProcess:
                continue  # it died under us (SIGKILL from elsewhere): its exit status follows

    def _syscall_stop(self, task: _Task) -> SyscallEvent | None:
        raw = pt.get_syscall_info(task.tid)
        op = raw[0]
        if op == pt.SYSCALL_INFO_ENTRY:
            _, audit, ip, _sp, nr, a0, a1, a2, a3, a4, a5 = _ENTRY.unpack_from(raw)
            arch = arch_from_audit(audit) or "x86_64"
            if self.select is not None and not self.select(arch, nr):
                task.inflight = None
                return None
            info = table(arch).by_nr(nr)
            name = info.name if info is not None else f"syscall_{nr:#x}"
            ev = SyscallEvent(task.pid, task.tid, arch, nr, name, (a0, a1, a2, a3, a4, a5),
                              time.time(), ip=ip)
            task.inflight = ev
            if task.hidden and not name.startswith("execve"):
                return None  # the tracer's own set-up before the first execve (strace hides it)
            if self.decoder is not None:
                self.decoder.decode_entry(ev, task.mem)
            return ev if self.entries else None
        if op == pt.SYSCALL_INFO_EXIT:
            pending = task.inflight
            if pending is None:
                return None
            ev = pending
            task.inflight = None
            _, _, _, _, rval, is_error = _EXIT.unpack_from(raw)
            ev.ts_exit = time.time()
            ev.retval = rval
            if is_error:
                ev.errno = -rval
            ev.phase = "exit"
            if task.hidden:
                return None
            if self.decoder is not None:
                self.decoder.decode_exit(ev, task.mem)
            return ev
        return None


def _same_tgid(tid: int, pid: int) -> bool:
    try:
        with open(f"/proc/{tid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"Tgid:"):
                    return int(line.split()[1]) == pid
    except OSError:
        pass
    return False


def trace(argv: list[str] | None = None, *, pids: list[int] | None = None,
          follow_forks: bool = False, decode: bool = True,
          options: DecodeOptions | None = None) -> Iterator[Event]:
    """Trace a command (or attach to ``pids``) and yield complete events.

    >>> for ev in trace(["/bin/true"]): ...
    """
    tracer = Tracer(argv, pids, follow_forks=follow_forks, decode=decode, options=options)
    yield from tracer.events()
