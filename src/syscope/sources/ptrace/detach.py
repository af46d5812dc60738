"""How the tracer lets go of its tasks when it is interrupted or ends (a mixin of ``engine.Tracer``),
as strace 6.1's cleanup(), detach() and droptcb() do:

- interrupted (SIGINT/SIGTERM/SIGHUP, ``request_stop``): the command the tracer started gets SIGCONT
  and that signal, then every task is detached and runs on untraced, never left stopped.  A call a
  task was in ends its line ``<detached ...>`` (``SyscallEvent.detached``; strace's droptcb()
  publishes it under ``-e status=detached``).  Tasks under the seccomp prefilter are not detached:
  with no tracer their traced calls would fail with ENOSYS (SECCOMP_RET_TRACE, seccomp(2)), so they
  are serviced without events until they exit (``drain``);
- ``detach_all``: tasks attached with -p (or by the interruption) are interrupted, waited for
  and detached, a signal that arrived meanwhile handed over (strace's detach() wait loop).
"""

from __future__ import annotations

import os
import time

from syscope._kernel import ptrace as pt
from syscope._kernel import stops as _stops
from syscope.errors import SyscopeError
from syscope.events import SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import signal
    from collections.abc import Iterator
    from typing import Any
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal

_TRAP_SYSGOOD = signal.SIGTRAP | 0x80


def _signal_to_hand_over(status: int) -> int:
    """The signal of a signal-delivery stop, given back at PTRACE_DETACH; 0 for a syscall,
    event or group stop, which carry no signal of the tracee's (strace's detach())."""
    sig = os.WSTOPSIG(status)
    if (status >> 16) != 0 or sig in (signal.SIGTRAP, _TRAP_SYSGOOD):
        return 0
    return sig


class TracerDetach:
    # the Tracer's own state these read (engine.Tracer sets them)
    tasks: dict[int, Any]
    child: int | None
    detached: list[int]
    _stop: bool
    _draining: bool

    def _init_detach(self) -> None:
        self._stop_signal = 0  # the signal that interrupted the trace (forwarded to the command)
        # -I1: the trace ends at the loop's next safe point and the consumer dies of the signal;
        # no task is let go first (strace, which sets no handler, just dies)
        self.dying = False
        # a stop waited for after the interruption, not handled: the task is stopped in it
        self._held: tuple[int, int] | None = None

    def request_stop(self, signo: int = 0, *_: object, die: bool = False) -> None:
        """Ask the loop to end (from a signal handler).  The loop may be blocked in waitpid on
        tasks that make no syscalls (sleep): PTRACE_INTERRUPT makes every task report, so the
        loop wakes up and keeps that stop for the detach.  ``die`` (-I1): the loop ends with
        the calls in flight made (``calls_in_flight``) and nothing let go: the consumer then
        dies of the signal.  A handler runs between any two bytecodes, so it only asks: the
        loop's state and the consumer's output are whole when the trace ends."""
        self._stop = True
        self.dying = self.dying or die
        self._stop_signal = signo if isinstance(signo, int) else 0
        # the handler runs inside stops.wait_call, which would handle (and resume) the
        # interrupt's syscall-exit-stop of an untraced call itself: it returns to the loop first
        _stops.wake()
        for task in list(self.tasks.values()):
            try:
                pt.ptrace(pt.PTRACE_INTERRUPT, task.tid)
            except SyscopeError:
                pass

    def _kept_entries(self) -> None:  # engine.Tracer: calls whose entry stop the extension kept
        raise NotImplementedError

    def calls_in_flight(self) -> list[SyscallEvent]:
        """The calls the traced tasks are in now (entry seen, exit not yet), shown ones only."""
        self._kept_entries()
        return [t.inflight for t in self.tasks.values()
                if t.inflight is not None and not t.hidden and not t.silent]

    def _let_go(self) -> Iterator[SyscallEvent]:
        """Interrupted: strace's cleanup().  The launched command gets SIGCONT and the signal
        first (it then dies of it, or handles it, untraced); each task's call in flight is
        yielded as detached; every task but the prefilter's is marked for detach_all()."""
        sig = self._stop_signal
        if sig and self.child is not None and self.child in self.tasks:
            for s in (signal.SIGCONT, sig):
                try:
                    os.kill(self.child, s)
                except OSError:
                    pass
        self._kept_entries()
        for task in list(self.tasks.values()):
            if task.seccomp:
                continue  # under the prefilter: drained (see the module's docstring)
            ev, task.inflight = task.inflight, None
            if ev is not None and not task.hidden and not task.silent:
                ev.unfinished = ev.detached = True
                ev.phase, ev.ret_text = "exit", "?"
                yield ev
            task.attached = True

    def detach_all(self) -> None:
        """Leave every attached task running: interrupt, wait for its stop, detach (strace's
        detach()).  Tasks of the launched command are not detached here: EXITKILL ends them with
        the tracer, or drain() lets the prefilter's finish."""
        held, self._held = self._held, None
        for task in list(self.tasks.values()):
            tid = task.tid
            if not task.attached:
                continue
            try:
                if held is not None and held[0] == tid:
                    status = held[1]  # already waited for: it is stopped in it
                    if os.WIFSTOPPED(status):
                        pt.ptrace(pt.PTRACE_DETACH, tid, 0, _signal_to_hand_over(status))
                        self.detached.append(tid)
                else:
                    self._wait_and_detach(tid)
            except (SyscopeError, ChildProcessError):
                pass
            self.tasks.pop(tid, None)

    def _wait_and_detach(self, tid: int) -> None:
        pt.ptrace(pt.PTRACE_INTERRUPT, tid)
        while True:
            _, status = os.waitpid(tid, pt.WALL)
            if not os.WIFSTOPPED(status):
                return  # it died meanwhile
            sig = _signal_to_hand_over(status)
            if (status >> 16) == pt.PTRACE_EVENT_STOP or os.WSTOPSIG(status) == _TRAP_SYSGOOD or sig:
                pt.ptrace(pt.PTRACE_DETACH, tid, 0, sig)
                self.detached.append(tid)
                return
            pt.ptrace(pt.PTRACE_SYSCALL, tid)

    def drain(self, grace: float = 3.0) -> None:
        """After an interrupt: keep the launched tree running (no events) until it exits; past
        ``grace`` seconds kill it, as EXITKILL would when syscope exits.  Attached tasks are
        detached first."""
        held = self._held
        self.detach_all()
        self._draining = True
        if held is not None and held[0] in self.tasks:
            for _ in self._handle(*held):  # the prefilter's task stopped in the kept stop
                pass
        deadline = time.monotonic() + grace
        killed = False
        while self.tasks:
            if not killed and time.monotonic() > deadline:
                for tid in list(self.tasks):
                    try:
                        os.kill(tid, signal.SIGKILL)
                    except OSError:
                        pass
                killed = True
            try:
                tid, status = os.waitpid(-1, pt.WALL | os.WNOHANG)
            except ChildProcessError:
                break
            if tid == 0:
                self._run_delayed(wait=False)
                time.sleep(0.005)
                continue
            for _ in self._handle(tid, status):
                pass
        self.tasks.clear()

    def _handle(self, tid: int, status: int) -> Iterator[Any]:
        raise NotImplementedError  # engine.Tracer's

    def _run_delayed(self, wait: bool) -> float:
        raise NotImplementedError  # engine.Tracer's
