"""The ptrace source: launches or attaches, follows tasks, yields syscope.events.

Launch: fork; the child stops itself with SIGSTOP; the parent PTRACE_SEIZEs it (options
TRACESYSGOOD|TRACE{FORK,VFORK,CLONE,EXEC}|EXITKILL) and sends SIGCONT; the child then execs.
Entry and exit are told apart by PTRACE_GET_SYSCALL_INFO (kernel >= 5.3), so no per-thread
"entering" flag is kept by hand, but for one case: the exit of a call -e trace= leaves out is
resumed without reading anything, as strace does (a mark per thread, ``_stops.untraced``).
Events before the child's first execve are the tracer's own
set-up and are hidden, as strace does.  Attach: PTRACE_SEIZE + PTRACE_INTERRUPT on every thread
in /proc/PID/task.  On SIGINT/SIGTERM/SIGHUP every task is detached and runs on, its call in
flight printed "<detached ...>" (sources/ptrace/detach.py, strace's cleanup()).

Filtered traces of a launched command use a seccomp-bpf prefilter (sources/ptrace/prefilter.py): the child installs it
before exec, tasks run under PTRACE_CONT and stop only for the traced calls (PTRACE_EVENT_SECCOMP, then the exit stop).
Since Linux 4.8 the seccomp stop comes after the syscall-entry stop (ptrace(2), "Syscall-stops"), so a task resumed with
PTRACE_SYSCALL by mistake is still handled: its entry stop is filtered in user space and the seccomp stop that follows
is recognised as the same call. The filter is inherited by every child and thread, and a SECCOMP_RET_TRACE with no
tracer fails the call with ENOSYS, so the prefilter is used only with -f (as strace 6.1: --seccomp-bpf needs -f):
without -f the children must stay untraced, free for another tracer (PTRACE_TRACEME, gdb, strace under syscope).
"""

from __future__ import annotations

import os
import time

from syscope._kernel import ptrace as pt
from syscope._kernel import stops as _stops
from syscope.command import ignored_at_start, resolve_command, restore_signals
from syscope.decode.options import DecodeOptions
from syscope.errors import KernelError, NoSuchProcess, SyscopeError, UnsupportedError, progname
from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.sources.ptrace import taskinfo
from syscope.sources.ptrace.decoding import TracerDecoding
from syscope.sources.ptrace.detach import TracerDetach
from syscope.sources.ptrace.late_decode import LateDecode, late_decoding_allowed
from syscope.sources.ptrace.lines import AT_ENTRY, TracerLines
from syscope.sources.ptrace.memory import ProcessMemory
from syscope.sources.ptrace.policies import TracerPolicies
from syscope.sources.ptrace.prefetch import Prefetcher
from syscope.sources.ptrace.waiting import LONG_WAIT, StopWindow, WaitPolicy
from syscope.syscalls import arch_from_audit, native_arch, table
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    import signal
    from collections.abc import Callable, Iterator, Sequence

    from syscope._kernel.seccomp_filter import PreparedFilter
    from syscope.decode import Decoder
    from syscope.decode.registry import Memory
    from syscope.sources.ptrace.inject import InjectRule

    # -e inject=/fault= rules for one (arch, nr): syscope.filters.strace_expr.TraceSpec.injected
    Injector = Callable[[str, int], Sequence[InjectRule]]
else:  # signal's enum wrappers (Signals, Handlers) cost ~1.5 ms at start-up: its C core's plain ints
    import _signal as signal

_STOP_SIGNALS = {signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU}
_TRAP_SYSGOOD = signal.SIGTRAP | 0x80
_SYSCALL_STOP_STATUS = (_TRAP_SYSGOOD << 8) | 0x7F
# the prefilter's stop: SIGTRAP | PTRACE_EVENT_SECCOMP << 8 in the stop signal byte (ptrace(2))
_SECCOMP_STOP_STATUS = (((pt.PTRACE_EVENT_SECCOMP << 8) | signal.SIGTRAP) << 8) | 0x7F
_NATIVE = native_arch()
_SYSCALL, _CONT = pt.PTRACE_SYSCALL, pt.PTRACE_CONT
_ENTRY_OP, _EXIT_OP, _SECCOMP_OP = pt.SYSCALL_INFO_ENTRY, pt.SYSCALL_INFO_EXIT, pt.SYSCALL_INFO_SECCOMP

# struct user_regs_struct offsets (arch/x86/include/asm/user_64.h); a 64-bit tracer sees this
# layout for 32-bit tracees too.
_X86_64_RAX = 10 * 8
_X86_64_RIP = 16 * 8


class _Task:
    __slots__ = ("tid", "pid", "mem", "inflight", "hidden", "seccomp", "silent", "attached", "counts",
                 "pending", "last_name", "armed", "last_nr", "reprint")

    def __init__(self, tid: int, pid: int, hidden: bool = False, seccomp: bool = False,
                 silent: bool = False, attached: bool = False, memory: str | None = None) -> None:
        self.tid = tid
        self.pid = pid
        self.mem = ProcessMemory(tid, memory)
        self.inflight: SyscallEvent | None = None
        self.hidden = hidden  # before the launched command's execve: the tracer's own set-up
        self.seccomp = seccomp  # under the prefilter: resume with PTRACE_CONT outside traced calls
        self.silent = silent  # traced only because the prefilter demands it (no -f): no events
        self.attached = attached  # attached with -p (or a child of such): detached at the end
        self.counts: dict[tuple[str, int], int] | None = None  # calls seen, for inject when=
        self.pending: InjectRule | None = None  # injection to finish at this call's exit
        self.last_name: str | None = None  # the previous call, for restart_syscall's line
        self.armed = False  # the extension handles its entry stops of marked calls (_stops.wait_call)
        self.last_nr: int | None = None  # the number of its last syscall-entry stop (-n: Tracer.last_calls)
        # its next traced call's exit prints "<... NAME resumed>": an execve from another of its
        # threads took this pid (strace's TCB_REPRINT, the sink's); the extension keeps none till then
        self.reprint = False
        _stops.untraced(tid, False)  # a new task: a mark a gone one of that id left is not its


class Tracer(TracerPolicies, TracerLines, TracerDetach, TracerDecoding):
    """One tracing session.  Iterate ``events()``; ``exit_status`` is the command's wait status.

    ``select(arch, nr)`` picks the traced syscalls (None: all).  With a launched command and a
    selection, ``prefilter`` (default on) moves that choice into a seccomp filter in the kernel.
    ``inject(arch, nr)`` returns the -e inject= rules for a call (x86_64 only).  ``keep(ev)``
    drops returned calls before their exit decoding.  A syscall event is complete (read and
    decoded) when it is yielded, and its task already runs on; ``hold_stops`` keeps the task
    stopped until the consumer asks for the next event (for consumers that look at the task
    themselves, e.g. its /proc/PID/fd).
    """

    def __init__(self, argv: list[str] | None = None, pids: list[int] | None = None, *,
                 follow_forks: bool = False, decode: bool = True, options: DecodeOptions | None = None,
                 select: Callable[[str, int], bool] | None = None,
                 entries: bool = False, env: dict[str, str] | None = None,
                 prefilter: bool = True, inject: Injector | None = None,
                 user: tuple[int, int, str] | None = None, want_ip: bool = False,
                 memory: str | None = None, keep: Callable[[SyscallEvent], bool] | None = None,
                 hold_stops: bool = False, select_call: Callable[[str, int, int], bool] | None = None) -> None:
        self.argv = argv
        self.pids = pids or []
        self.follow = follow_forks
        # the decoder is made when a call first needs Python's decoding (``decoder``): the
        # calls the C extension formats (lines.py, decode/cplans.py) need none of it
        self.options = options or DecodeOptions()
        self.decoding = decode
        self._decoder: Decoder | None = None
        self.select = select
        # i386 socketcall/ipc: is the call one stands for traced (select: any is; filters/subcalls.py)
        self._sub = select_call or (lambda arch, nr, arg0: True)
        self._muxed = frozenset() if select_call is None else frozenset(
            ("i386", i.nr) for n in ("socketcall", "ipc") if (i := table("i386").by_name(n)))
        self.entries = entries
        self.env = env
        self.inject = inject
        self.user = user  # -u: (uid, gid, name) the command runs as
        self.want_ip = want_ip  # -i: read the instruction pointer at signal stops too
        self.memory = memory  # pin one way of reading tracee memory (sources/ptrace/memory.py METHODS)
        # keep(ev) on a returned but undecoded call (retval/errno set): False drops it before its
        # exit half is decoded (-e status=failed need not decode the calls that succeeded)
        self.keep = keep
        # the consumer looks at the stopped task while it handles a syscall event (-P reads
        # /proc/PID/fd, a filter reads process state): resume only after it has; otherwise the
        # task runs on while its line is formatted and written
        self.hold_stops = hold_stops
        if inject is not None and _NATIVE != "x86_64":
            raise UnsupportedError("-e inject/fault: only x86_64 is supported")
        self.tasks: dict[int, _Task] = {}
        self.child: int | None = None
        self._spawned = 0  # the launched child's pid while _stops.spawn's memory holds its set-up
        self.exit_status: int | None = None
        self.prefilter_active = False  # the launched tree runs under the seccomp prefilter
        self.detached: list[int] = []  # tasks detached alive at the end (strace's "Process N detached")
        self._init_policies()  # policies.py: strace's ways with unknown tasks, -b, -D, pokes
        self._init_detach()  # detach.py: interrupted, every task is let go
        self._want_prefilter = prefilter and follow_forks and select is not None and argv is not None
        self._stop = False
        self._draining = False
        self._delayed: list[tuple[float, int, int, int]] = []  # (due, tid, request, sig) resumes, sorted
        self._warned: set[str] = set()  # syscalls whose decoding failed once
        self._names: dict[tuple[int, int], tuple[str, str]] = {}  # (audit arch, nr) -> (arch, name)
        self._late: SyscallEvent | None = None  # a call to decode once its thread runs on
        self._late_mem: Memory = ProcessMemory(0)  # and the memory it reads (prefetch.py)
        self._late_decode = LateDecode(self.options, lambda: self.decoder) if decode else None
        self._late_exits = self._late_decode if self._late_decode and self._late_decode.exits else None  # not -y
        self._prefetch = Prefetcher(self.options)
        # Read an exit half's memory at the stop and decode it after the resume (prefetch.py)?
        # That overlaps the decoding with the tracee's run on another CPU; on one CPU the two
        # take turns, and the copies are work on top (None: decided by the CPUs we may run on).
        self.prefetch_exits: bool | None = None
        # -n: each thread's last entry stop, untraced too, numbers its signal/exit lines (strace's print_syscall_number)
        self.last_calls = False
        self._init_lines()  # lines.py: the lines the extension makes (line_out)

    # -- setup -----------------------------------------------------------------------------
    def _prefilter_program(self) -> bytes:
        from syscope.sources.ptrace.prefilter import build_program

        assert self.select is not None
        archs = ["x86_64", "i386"] if _NATIVE == "x86_64" else [_NATIVE]
        traced: dict[str, list[int]] = {}
        for arch in archs:
            # -n: execve(at) stops untraced too, as in strace's filter (TRACE_SECCOMP_DEFAULT): it numbers lines
            execs = {info.nr for info in table(arch) if self.last_calls and info.name.startswith("execve")}
            top = max((info.nr for info in table(arch)), default=0)
            traced[arch] = [nr for nr in range(top + 1) if self.select(arch, nr) or nr in execs]
        return build_program(traced)

    def _launch(self) -> None:
        assert self.argv is not None
        path = resolve_command(self.argv)
        filt, nnp = None, False
        if self._want_prefilter:
            from syscope._kernel.seccomp_filter import PreparedFilter

            filt = PreparedFilter(self._prefilter_program())
            # Without CAP_SYS_ADMIN seccomp(2) demands no_new_privs, which also stops set-uid
            # programs from gaining privileges: only root traces without it, as strace does.
            nnp = os.geteuid() != 0
        # the child made in the tracer's memory (_stops_spawn.c: no copy of its page tables), unless
        # it has Python work to do before its exec (the prefilter, -u) or the extension is not there
        pid = None if filt is not None or self.user is not None else _stops.spawn(
            os.fsencode(path), [os.fsencode(a) for a in self.argv],
            None if self.env is None else [os.fsencode(k) + b"=" + os.fsencode(v) for k, v in self.env.items()],
            f"{progname()}: exec: ".encode(), sum(1 << (signo - 1) for signo in ignored_at_start()))
        self._spawned = pid or 0  # (its mapping freed once it has exec'd or ended: _spawn_done)
        if pid is None:
            pid = self._fork_stopped(path, filt, nnp)
        opts = pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_TRACEEXEC | pt.PTRACE_O_TRACEEXIT | pt.PTRACE_O_EXITKILL
        if self.follow or filt is not None:
            opts |= pt.PTRACE_O_TRACEFORK | pt.PTRACE_O_TRACEVFORK | pt.PTRACE_O_TRACECLONE
        if filt is not None:
            opts |= pt.PTRACE_O_TRACESECCOMP
        try:
            pt.ptrace(pt.PTRACE_SEIZE, pid, 0, opts)
            self.tasks[pid] = _Task(pid, pid, hidden=True, memory=self.memory)
        except BaseException:
            # not traceable (EPERM: another tracer already follows our children), or its task
            # not made: the child has not exec'd the command yet, so it goes rather than stay
            # stopped (under the Python API the tracer lives on: PTRACE_O_EXITKILL never fires)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self._spawn_done()
            raise
        self.child = pid
        os.kill(pid, signal.SIGCONT)

    def _fork_stopped(self, path: str, filt: PreparedFilter | None, nnp: bool) -> int:
        """The command's process forked, stopped by its own SIGSTOP before its exec (waited for)."""
        assert self.argv is not None
        pid = os.fork()
        if pid == 0:  # child: stop until the tracer has seized us, then become the command
            try:
                restore_signals()  # SIGPIPE/SIGXFSZ back to default: CPython ignores them
                os.kill(os.getpid(), signal.SIGSTOP)
                if filt is not None:
                    try:
                        filt.install(nnp)
                    except KernelError:
                        pass  # no seccomp here: the tracer sees no filter and traces everything
                if self.user is not None:  # strace -u: groups, then gid, then uid (setuid(2) last)
                    uid, gid, name = self.user
                    os.initgroups(name, gid)
                    os.setgid(gid)
                    os.setuid(uid)
                os.execve(path, self.argv, self.env if self.env is not None else os.environ)
            except OSError as exc:
                # strace 6.1's child: perror_msg_and_die("exec") -> "strace: exec: <strerror>" on
                # stderr and exit status 1; the failed execve itself is traced (see _syscall_stop)
                os.write(2, f"{progname()}: exec: {exc.strerror}\n".encode())
                os._exit(1)
            except BaseException:
                os._exit(127)
        os.waitpid(pid, os.WUNTRACED)
        return pid

    def _spawn_done(self) -> None:
        """The launched command has exec'd, or is gone: the memory its set-up ran in is freed."""
        if self._spawned:
            _stops.spawn_release(self._spawned)
            self._spawned = 0

    def _attach(self, pid: int) -> list[ProcessEvent]:
        opts = pt.PTRACE_O_TRACESYSGOOD | pt.PTRACE_O_TRACEEXEC | pt.PTRACE_O_TRACEEXIT
        if self.follow:
            opts |= pt.PTRACE_O_TRACEFORK | pt.PTRACE_O_TRACEVFORK | pt.PTRACE_O_TRACECLONE
        out = []
        from syscope.sources.attach import tasks_to_attach  # -p only (start-up)

        for tid in tasks_to_attach(pid, self.follow):
            blocked = taskinfo.blocked_in(tid)  # before the interrupt wakes it
            try:
                pt.ptrace(pt.PTRACE_SEIZE, tid, 0, opts)
                pt.ptrace(pt.PTRACE_INTERRUPT, tid)
            except SyscopeError as exc:
                if tid == pid:
                    raise SyscopeError(f"attach: {exc}") from None
                continue
            task = self.tasks[tid] = _Task(tid, pid, attached=True, memory=self.memory)
            task.last_name = blocked
            out.append(ProcessEvent("attach", pid, tid, time.time(), is_thread=tid != pid))
        # the named task's event last: "Process P attached with N threads" counts the others
        return out[1:] + out[:1]

    # -- the loop --------------------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        if self.argv is not None:
            self._launch()
            if self.on_launched is not None:
                self.on_launched()
        for pid in self.pids:
            yield from self._attach(pid)
        try:
            yield from self._loop()
            if self.dying:
                self._kept_entries()  # -I1: the calls in flight, before reset() drops their entries
            elif self._stop:
                yield from self._let_go()  # interrupted: calls in flight end "<detached ...>"
        finally:
            self._take_lines()  # before anything else is written: they came first
            if self.tasks and not self.dying:
                # Interrupted (SIGINT/TERM/HUP): every task is detached and runs on, but the
                # prefilter's, which get a few seconds to exit on their own, still serviced
                # (detach.py).  A consumer that stopped iterating ends the launched command at
                # once, as EXITKILL would.
                self.drain(grace=3.0 if self._stop else 0.0)
            _stops.reset()  # entries kept for tasks drained or gone: nothing of this session
            _stops.spin(0, 0.0, 0)  # nor its polls, timing or budget

    def _loop(self) -> Iterator[Event]:
        tasks = self.tasks
        wait_stop = _stops.wait_call
        handle = self._handle
        syscall_stop = self._syscall_stop
        resume = pt.resume
        fast_resume = _stops.resume
        fast = self.inject is None
        hold = self.hold_stops
        # decode a call after resuming its thread when that cannot change what is printed
        # (late_decode.py); the event is still complete before the next stop is waited for
        defer = fast and not hold and self.decoding and late_decoding_allowed(self.options)
        # ... and then the extension may handle those calls' entry stops itself (stops.wait_call):
        # their entry half is decoded at the exit stop, where what it reads is the same
        # (-f's entry events are for "<unfinished ...>" only: lines.py _one_task)
        may_keep = defer and (not self.entries or self.interleave_entries) and self.cpu_clock is None
        if self.prefetch_exits is None:
            self.prefetch_exits = len(os.sched_getaffinity(0)) > 1
        _stops.reset()
        keep_entries, lines, one_task, spawning = self._start_lines(may_keep)
        cuts = one_task and self.line_cuts  # an entry kept may be another thread's (lines.py)
        wall, poll = pt.WALL, pt.WALL | os.WNOHANG
        policy = WaitPolicy()
        polls = policy.polls
        learning = len(policy.choices) > 1  # one CPU: never polls, nothing to time
        window = left = policy.window
        # the same polls after the stops the extension handles itself; it times its waits (a
        # long blocking one is the tracee's own time, left out of a window's cost) and, as a
        # window is counted in stops, comes back after a window of stops handled there
        _stops.spin(polls, LONG_WAIT if learning else 0.0, window if learning else 0)
        meter = StopWindow(policy, _stops.handled, _stops.waited)
        while tasks and not self._stop:
            if fast and not self._delayed:
                # Poll a little before sleeping in waitpid when the measured windows say it pays
                # (sources/ptrace/waiting.py): a tracer that went to sleep must be woken.
                try:
                    tid = 0
                    if polls:
                        for _ in range(polls):
                            tid, status, info, entry, ts = wait_stop(poll)
                            if tid:
                                break
                    if not tid:
                        tid, status, info, entry, ts = wait_stop(wall)
                except ChildProcessError:
                    break
                if lines:  # the extension's lines first: their calls came before this report
                    lines = self._take_lines()
                if cuts and tid:  # then the call of another thread whose entry it kept
                    sev = self._other_entry(tid)
                    if sev is not None:
                        yield sev
                if entry is not None:  # _kept_entry, inline: once a call
                    task = tasks.get(tid)
                    if task is not None:
                        syscall_stop(task, entry, False, ts)
                if self._stop and (status & 0xFF) == 0x7F:
                    self._held = (tid, status)  # interrupted meanwhile: the detach's stop (detach.py)
                    break
                left -= tid != 0  # a report (tid 0: none, see below)
                if learning and (left <= 0 or not tid):
                    measured = meter.done(window - left)
                    if measured is not None:  # the next window (longer after the warm-up)
                        polls, window, left = measured, policy.window, policy.window
                        _stops.spin(polls, LONG_WAIT, window)
                if not tid:  # no report: the extension handled a window of stops (spin's budget)
                    continue
                # The hot path, a syscall stop (WIFSTOPPED with SIGTRAP|0x80 and no event: status
                # 0x857f) or the prefilter's seccomp stop (0x7057f), handled inline: no generator
                # per stop.  Everything the line needs is read and decoded while the thread is
                # stopped; it is resumed before the event goes to the consumer, so formatting and
                # writing overlap its run (unless the consumer looks at the stopped task: hold_stops).
                # wait_stop read the stop's PTRACE_GET_SYSCALL_INFO already (info; None when it
                # failed: _handle then finds out why).
                if info is not None:
                    task = tasks.get(tid)
                    if task is not None and not task.silent:
                        try:
                            sev = syscall_stop(task, info, defer)
                        except NoSuchProcess:
                            continue
                        if hold and sev is not None:
                            yield sev
                            sev = None
                        req = _SYSCALL if (task.inflight is not None or not task.seccomp) else _CONT
                        if fast_resume(req, tid, 0):
                            resume(req, tid, 0)  # again, to read errno: gone (ESRCH, its exit follows) or raise
                        late = self._late
                        if late is not None:
                            self._late = None
                            # (-f: its entry event, sev, is dropped then: the tree is one task, so
                            # nothing can cut the line it was for)
                            if (keep_entries and info[0] == _ENTRY_OP and not (task.attached or task.seccomp)
                                    and late.name not in spawning and not task.reprint
                                    and self._keep_from_now(task, info[1], info[4], late, lines, info)):
                                continue  # its line is the extension's, at its exit (lines.py)
                            self._decode(late, task, self._late_mem)
                        if sev is not None:
                            yield sev
                        continue
                yield from handle(tid, status)
                # a task may have come or gone (only reports handled here do that)
                keep_entries, lines = self._tasks_changed(one_task, may_keep, keep_entries, lines)
                continue
            got = self._wait_slow()  # (-e inject=, delay: its waits)
            if got is None:
                break
            tid, status = got
            if not tid:
                continue
            if self._stop and (status & 0xFF) == 0x7F:
                self._held = (tid, status)
                break
            yield from handle(tid, status)

    def _wait_slow(self) -> tuple[int, int] | None:
        """The loop's wait when it does not take the fast path: (tid, status), (0, 0) when a
        delayed resumption is due first (-e inject=...:delay_*), None when no task is left."""
        try:
            if not self._delayed:
                return os.waitpid(-1, pt.WALL)
            due = self._run_delayed(wait=True)
            got = os.waitpid(-1, pt.WALL | (os.WNOHANG if due else 0))
        except ChildProcessError:
            return None
        if got[0] == 0:
            time.sleep(min(0.001, max(0.0, due - time.monotonic())) if due else 0.001)
        return got

    def _run_delayed(self, wait: bool) -> float:
        """Resume tasks whose -e inject delay is over; the next due time (0 when none left)."""
        now = time.monotonic()
        while self._delayed and self._delayed[0][0] <= now:
            _, tid, req, sig = self._delayed.pop(0)
            pt.resume(req, tid, sig)
        return self._delayed[0][0] if self._delayed else 0.0

    def _resume(self, task: _Task, sig: int = 0) -> None:
        req = _SYSCALL if (task.inflight is not None or not task.seccomp) else _CONT
        pt.resume(req, task.tid, sig)

    def _exited(self, task: _Task, tid: int, status: int) -> Iterator[Event]:
        """The last events of a task that exited or was killed: its call that never returned, and
        its ``+++ exited``/``+++ killed`` line."""
        if tid == self.child:
            self.exit_status = status
            self._spawn_done()
        _stops.untraced(tid, False)  # (waited for by os.waitpid) its id may be a new task's next
        if task.silent or self._draining:
            del self.tasks[tid]
            return
        now = time.time()
        # the task stays in the table while its last lines are consumed (strace counts it
        # in nprocs for its "+++ exited" line)
        try:
            if task.inflight is not None and not task.hidden:
                ev = task.inflight
                ev.unfinished, ev.phase, ev.ret_text = True, "exit", "?"
                yield ev
            if os.WIFEXITED(status):
                yield ExitEvent(task.pid, tid, now, exit_code=os.WEXITSTATUS(status), nr=task.last_nr)
            else:
                yield ExitEvent(task.pid, tid, now, signo=os.WTERMSIG(status),
                                core_dumped=os.WCOREDUMP(status), nr=task.last_nr)
        finally:
            self.tasks.pop(tid, None)

    def _handle(self, tid: int, status: int) -> Iterator[Event]:
        tasks = self.tasks
        task = tasks.get(tid)
        if (status & 0xFF) != 0x7F:  # not stopped: exited or killed (WIFEXITED/WIFSIGNALED)
            if task is not None:
                yield from self._exited(task, tid, status)
            else:
                self._unknown_exit(tid)
            return
        if task is None:  # a new child reporting before its parent's fork event
            if self._unwanted(tid):
                return
            task = tasks[tid] = _Task(tid, tid, silent=not self.follow and self.prefilter_active,
                                      memory=self.memory)
        sig = (status >> 8) & 0xFF
        event = status >> 16
        quiet = task.silent or self._draining
        try:
            if sig == _TRAP_SYSGOOD or event == pt.PTRACE_EVENT_SECCOMP:
                if sig == _TRAP_SYSGOOD and _stops.untraced(tid, False):
                    # the exit of a call not traced (-e trace=): nothing to read, as strace
                    # (wait_call does the same; this is the waitpid path of -e inject and drain)
                    pt.resume(_SYSCALL, tid)
                    return
                if quiet:
                    task.inflight = None
                    pt.resume(_CONT if task.seccomp else _SYSCALL, tid)
                    return
                sev = self._syscall_stop(task)
                if sev is not None:
                    yield sev
                if task.pending is not None and task.inflight is not None:
                    delay = task.pending.delay_enter if task.inflight.phase == "enter" else None
                    if delay:
                        task.inflight.delayed = True
                        self._delayed = sorted([*self._delayed, (time.monotonic() + delay / 1e6, tid, _SYSCALL, 0)])
                        return
                if task.inflight is None and task.pending is not None:
                    rule, task.pending = task.pending, None
                    if rule.delay_exit:
                        req = _CONT if task.seccomp else _SYSCALL
                        self._delayed = sorted([*self._delayed, (time.monotonic() + rule.delay_exit / 1e6, tid, req,
                                                                 rule.signo or 0)])
                        return
                    if rule.signo:
                        self._resume(task, rule.signo)
                        return
                self._resume(task)
                return
            if event == pt.PTRACE_EVENT_STOP:
                if sig in _STOP_SIGNALS:  # group-stop: stay stopped but keep watching
                    if not quiet and not task.hidden:
                        yield SignalEvent(task.pid, tid, sig, time.time(), stopped=True, nr=task.last_nr)
                    pt.resume(pt.PTRACE_LISTEN, tid)
                    return
            elif event in (pt.PTRACE_EVENT_FORK, pt.PTRACE_EVENT_VFORK, pt.PTRACE_EVENT_CLONE):
                new = pt.get_event_msg(tid)
                is_thread = event == pt.PTRACE_EVENT_CLONE and taskinfo.same_tgid(new, task.pid)
                npid = task.pid if is_thread else new
                silent = task.silent or not self.follow
                t = tasks.get(new)
                sec = task.seccomp and not self.last_calls  # -n: PTRACE_SYSCALL until its first seccomp stop
                if t is None:
                    tasks[new] = _Task(new, npid, False, sec, silent, task.attached, self.memory)
                else:
                    t.pid, t.seccomp, t.silent, t.attached = npid, sec, silent, task.attached
                    # its run of untraced calls in wait_call ends: resumed as it now must be
                    _stops.untraced(new, False)
                if not quiet and not silent:
                    yield ProcessEvent("spawn", npid, new, time.time(), parent=tid, is_thread=is_thread)
            elif event == pt.PTRACE_EVENT_EXIT:  # in do_exit: its call ends here (policies.py)
                yield from self._exit_stop(task, quiet)
            elif event == pt.PTRACE_EVENT_EXEC:
                old = pt.get_event_msg(tid)
                if old != tid and old in tasks:  # execve from a non-leader (policies.py)
                    task = yield from self._exec_switch(task, old, quiet)
                    task.reprint = True
                task.mem = ProcessMemory(tid, self.memory)  # a new address space (/proc/PID/mem)
                self._exec_event(task, old)  # (lines.py) the tid may now be another task's (policies.py)
                if (yield from self._release_at_exec(task, quiet)):
                    return
                if task.hidden:
                    task.hidden = False
                    self._spawn_done()
                    if self._want_prefilter and taskinfo.seccomp_filters(tid) > 0:
                        task.seccomp = self.prefilter_active = True
                self._untraced_execve(task, old)
                if not quiet:
                    yield ProcessEvent("exec", task.pid, tid, time.time(), old_tid=old, nr=task.last_nr)
            elif event == 0:
                # a signal, SIGTRAP too: syscall stops are SIGTRAP|0x80 (PTRACE_O_TRACESYSGOOD)
                # and exec reports PTRACE_EVENT_EXEC, so a plain SIGTRAP was sent (kill, int3)
                if not quiet and not task.hidden:
                    info = pt.get_siginfo(tid)
                    ip = pt.peek_user(tid, _X86_64_RIP) if self.want_ip else None
                    text = self._siginfo(info, tid)
                    yield SignalEvent(task.pid, tid, sig, time.time(), text=text, ip=ip, nr=task.last_nr)
                self._resume(task, sig)
                return
            self._resume(task)
        except NoSuchProcess:
            return  # it died under us (SIGKILL from elsewhere): its exit status follows

    def _syscall_stop(self, task: _Task, raw: _stops.SyscallInfo | None = None,
                      defer: bool = False, ts: float | None = None) -> SyscallEvent | None:
        """The call of a stop (``raw``: its syscall info); ``defer``: see late_decode.py; ``ts``:
        the time of an entry stop the extension kept (stops.wait_call), met again later."""
        if raw is None:
            raw = _stops.syscall_info(task.tid)
            if raw is None:
                pt.get_syscall_info(task.tid)  # raises why (ESRCH: NoSuchProcess, EIO: kernel < 5.3)
                raise NoSuchProcess(f"ptrace(PTRACE_GET_SYSCALL_INFO, {task.tid}): no such process")
        op = raw[0]
        if op == _ENTRY_OP or op == _SECCOMP_OP:
            if op == _SECCOMP_OP and not task.seccomp:
                self._first_seccomp_stop(task)  # policies.py
            if op == _SECCOMP_OP and task.inflight is not None and task.inflight.ts_exit is None:
                return None  # the seccomp stop of a call whose entry stop was already seen
            audit, ip, nr = raw[1], raw[2], raw[4]  # (op, arch, ip, sp, nr, args...): stops.py
            try:
                arch, name = self._names[audit, nr]
            except KeyError:
                arch, name = self._name_of(audit, nr)
            task.last_nr = nr
            muxed = (arch, nr) in self._muxed
            if self.select is not None and not (self.select(arch, nr) and (not muxed or self._sub(arch, nr, raw[5]))):
                task.inflight = None
                if not task.seccomp:
                    # resumed with PTRACE_SYSCALL (the callers' rule): the next syscall stop is this call's exit,
                    # which _stops.wait_call (or _handle) resumes unread; the call named (not a multiplexer,
                    # whose next call may be traced; nor with -n's last_calls), wait_call handles its next ones
                    _stops.untraced(task.tid, True, *(() if muxed or self.last_calls else (audit, nr)))
                return None
            ev = SyscallEvent(task.pid, task.tid, arch, nr, name, raw[5:11], ts or time.time(), ip=ip)
            task.inflight = ev
            if self.cpu_clock is not None:  # -c: the call's system time (sources/ptrace/cputime.py)
                ev.cpu_enter = self.cpu_clock(task.tid)
            if task.hidden and not name.startswith("execve"):
                return None  # the tracer's own set-up before the first execve (strace hides it)
            if self.inject is not None and not task.hidden:
                self._inject_entry(task, arch, nr)
            if name in AT_ENTRY and self._at_entry and not task.reprint and self._keep_at_entry(task, raw, ev):
                return None  # its line is the extension's, at the exit (lines.py)
            if self.decoding:
                if len(raw) > 11 and type(raw[11]) is str:  # execve's, rt_sigreturn's made (lines.py AT_ENTRY)
                    ev.args, ev.n_entry_args = [str(raw[11])], 1
                elif (defer and self._late_decode is not None and not task.mem.needs_stop
                        and self._late_decode.entry(arch, name, raw)):
                    # the call starts when the tracee resumes: -T and -c measure the kernel's time
                    ev.ts_enter = ts or time.time()
                    self._late, self._late_mem = ev, task.mem
                else:  # (a twelfth int: the value-result length the extension read at the entry stop)
                    self._decode(ev, task, None, raw[11] if len(raw) > 11 else None)
                    # the call starts when the tracee resumes, not before syscope's decoding: -T
                    # and -c measure the kernel's time, not ours (a kept entry: its stop's time)
                    if ts is None:
                        ev.ts_enter = time.time()
            task.last_name = name
            return ev if self.entries else None
        if op == _EXIT_OP:
            pending = task.inflight
            if pending is None:
                return None
            ev = pending
            task.inflight = None
            task.reprint = False  # (this exit is the "<... resumed>" line, when one was due)
            rval, is_error = raw[4], raw[5]
            rule = task.pending
            if rule is not None:
                if rule.error or rule.retval is not None:
                    rval = -rule.error if rule.error else int(rule.retval or 0)
                    pt.poke_user(task.tid, _X86_64_RAX, rval)
                    is_error = 1 if rule.error else 0
                    ev.injected = True
                if rule.delay_exit:
                    ev.delayed = True
                for poke in rule.poke_exit:
                    self._poke(ev, poke.arg, poke.data)
            ev.ts_exit = time.time()
            ev.retval = rval
            if self.cpu_clock is not None:
                ev.cpu_exit = self.cpu_clock(task.tid)
            if is_error:
                ev.errno = -rval
            ev.phase = "exit"
            # An execve that failed before the command ran is shown, as strace shows it: it is
            # the reason the command never started (EACCES, ENOENT of a #! interpreter...).
            if task.hidden and not (is_error and ev.name.startswith("execve")):
                return None  # the set-up before exec: not decoded
            if self.keep is not None and not self.keep(ev):
                return None  # a call the consumer drops: not decoded
            if self.decoding:
                late = self._late_exits if defer and not task.mem.needs_stop else None
                # decoded once the thread runs: reads nothing, or what prefetch.py read now
                mem = None if late is None else task.mem if late.exit(ev) else (
                    self._prefetch.fetch(ev, task.mem)
                    if self.prefetch_exits and late.entry(ev.arch, ev.name) else None)
                if mem is None:
                    self._decode(ev, task)
                else:
                    self._late, self._late_mem = ev, mem
            return ev
        return None

    def _name_of(self, audit: int, nr: int) -> tuple[str, str]:
        """(arch, name) of a call, kept for the next stops: a dict hit on the hot path."""
        arch = arch_from_audit(audit) or "x86_64"
        if arch != _NATIVE:
            self._lines_off()  # lines.py
        info = table(arch).by_nr(nr)
        got = self._names[audit, nr] = (arch, info.name if info is not None else f"syscall_{nr:#x}")
        return got



def trace(argv: list[str] | None = None, *, pids: list[int] | None = None, follow_forks: bool = False,
          decode: bool = True, options: DecodeOptions | None = None,
          select: Callable[[str, int], bool] | None = None) -> Iterator[Event]:
    """Trace a command (or attach to ``pids``) and yield complete events.

    >>> for ev in trace(["/bin/true"]): ...
    """
    tracer = Tracer(argv, pids, follow_forks=follow_forks, decode=decode, options=options, select=select)
    yield from tracer.events()
