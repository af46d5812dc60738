"""What the tracer does about tasks and tampering it did not ask for, as strace does (a mixin of
``engine.Tracer``, which calls these from its stop handling):

- a child of ours that ends untraced: "Exit of unknown pid N ignored" (strace.c
  maybe_allocate_tcb; clone(CLONE_PARENT) in a tracee makes its child ours);
- without -f, a task that appears stopped (a tracee's clone(CLONE_PTRACE) child) is detached:
  "Detached unknown pid N";
- -b execve: a task is detached at its exec event, but for the launched command's first one;
- a task's exit stop (PTRACE_O_TRACEEXIT): the call it dies in ends there, "= ?";
- -D: the attached process that becomes the command is hidden until its execve;
- -e inject=...:poke_enter=/poke_exit=: the write, and strace's poke.c messages when it fails;
- -e inject=/fault= at a call's entry: which rule's when= picks it, and skipping the call.

The CLI says the messages: each is a callback here, None by default (the Python API is quiet).
"""

from __future__ import annotations

import os

from syscope._kernel import ptrace as pt
from syscope._kernel import stops as _stops
from syscope.errors import SyscopeError
from syscope.events import SyscallEvent
from syscope.syscalls import table
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterator
    from typing import Any

_X86_64_ORIG_RAX = 15 * 8  # struct user_regs_struct (arch/x86/include/asm/user_64.h)


class TracerPolicies:
    # the Tracer's own state these read (engine.Tracer sets them)
    tasks: dict[int, Any]
    follow: bool
    prefilter_active: bool
    last_calls: bool
    detached: list[int]
    inject: Callable[[str, int], Any] | None

    def _init_policies(self) -> None:
        self.on_unknown_exit: Callable[[int], None] | None = None  # "Exit of unknown pid N ignored"
        self.on_unknown_detach: Callable[[int], None] | None = None  # "Detached unknown pid N"
        self.on_launched: Callable[[], None] | None = None  # told once the command runs, traced
        # a thread's CPU clock read at both syscall stops (-c without -w: cputime.py); None: not read
        self.cpu_clock: Callable[[int], float | None] | None = None
        self.on_tamper_failed: Callable[[str], None] | None = None  # a poke= that wrote nothing
        self.detach_on_exec = False  # -b execve
        self._released: set[int] = set()  # tasks -b execve let go: their exits are not unknown

    def hide_until_exec(self, tid: int) -> None:
        """An attached task whose calls up to its next execve are not shown, as a launched
        command's are not (-D: the process that becomes the command is attached first)."""
        task = self.tasks.get(tid)
        if task is not None:
            task.hidden = True

    def _unknown_exit(self, tid: int) -> None:
        """A child of ours ended that we never traced; not one -b execve let go."""
        if self.on_unknown_exit is not None and tid not in self._released:
            self.on_unknown_exit(tid)

    def _unwanted(self, tid: int) -> bool:
        """A new task without -f can only come from a clone(CLONE_PTRACE) of a tracee: it is let
        go (strace.c maybe_allocate_tcb: "Detached unknown pid N")."""
        if self.follow or self.prefilter_active:
            return False
        try:
            pt.ptrace(pt.PTRACE_DETACH, tid, 0, 0)
        except SyscopeError:
            return True
        if self.on_unknown_detach is not None:
            self.on_unknown_detach(tid)
        return True

    def _release_at_exec(self, task: Any, quiet: bool) -> Generator[SyscallEvent, None, bool]:
        """-b execve: detach a task stopped at its exec event, running its new program untraced
        (strace.c: detach(current_tcp) on PTRACE_EVENT_EXEC with detach_on_execve); not at the
        launched command's first exec (task.hidden until then).  The execve it is in ends
        ``<detached ...>``, as droptcb() ends a call in flight; True when it was let go."""
        if not self.detach_on_exec or task.hidden:
            return False
        call, task.inflight = task.inflight, None
        if call is not None and not quiet and not task.silent:
            call.unfinished = call.detached = True
            call.phase, call.ret_text = "exit", "?"
            yield call
        _stops.untraced(task.tid, False)  # an untraced execve's exit stop: not ours any more
        pt.ptrace(pt.PTRACE_DETACH, task.tid, 0, 0)
        self.tasks.pop(task.tid, None)
        self._released.add(task.tid)
        self.detached.append(task.tid)
        return True

    def _exit_stop(self, task: Any, quiet: bool) -> Iterator[SyscallEvent]:
        """PTRACE_EVENT_EXIT: the task is in do_exit, the call it was in never returns.  The call
        ends here, "= ?", as strace's print_event_exit does, rather than at the exit status: a
        thread leader's status waits for its whole thread group, and a leader a non-leader's
        execve replaces never reports one (ptrace(2), "execve(2) under ptrace")."""
        lost, task.inflight = task.inflight, None
        if lost is not None and not task.hidden and not quiet:
            lost.unfinished, lost.phase, lost.ret_text = True, "exit", "?"
            yield lost

    def _first_seccomp_stop(self, task: Any) -> None:
        """-n: a new task runs under PTRACE_SYSCALL until its first seccomp stop, as strace's new
        tcbs until TCB_SECCOMP_FILTER (strace.c: "We don't know if forks/clones have a seccomp
        filter when they are created"), so its numbers are strace's; PTRACE_CONT from here, and an
        untraced call's exit stop (marked at its entry stop) no longer comes."""
        if self.last_calls and self.prefilter_active and not task.attached:
            task.seccomp = True
            _stops.untraced(task.tid, False)

    def _exec_switch(self, leader: Any, old: int, quiet: bool) -> Generator[SyscallEvent, None, Any]:
        """The exec event of a non-leader thread ``old``: the kernel destroyed the other threads
        and the caller took the leader's tid (execve(2), "All threads other than the calling
        thread are destroyed").  The leader's pending call never returns, unless its exit stop
        ended it already; the caller's task goes on under the leader's tid."""
        yield from self._exit_stop(leader, quiet)
        moved = self.tasks.pop(old)
        moved.tid = leader.tid
        if moved.inflight is not None:
            moved.inflight.tid = leader.tid
        moved.seccomp, moved.silent, moved.attached = leader.seccomp, leader.silent, leader.attached
        self.tasks[leader.tid] = moved
        return moved

    def _untraced_execve(self, task: Any, old: int) -> None:
        """The exec event of a task whose execve may be untraced (marked: _stops.untraced)."""
        if old != task.tid:
            # the caller took the leader's id: so does its mark, its exit stop comes under that id
            _stops.untraced(task.tid, _stops.untraced(old, False))
        if task.seccomp and task.inflight is None:
            # resumed with PTRACE_CONT from here (now under the prefilter): the exit stop of an
            # untraced execve never comes, and the mark would take a traced call's for it
            _stops.untraced(task.tid, False)

    def _poke(self, ev: SyscallEvent, arg: int, data: bytes) -> None:
        """-e inject=...:poke_enter=/poke_exit=@argN=DATA: write where the argument points; the
        line says "(INJECTED: args)" when anything was written (strace's poke.c poke_tcb)."""
        info = table(ev.arch).by_name(ev.name)
        nargs = info.nargs if info is not None else 6
        if arg > nargs:
            self._tamper_failed(f"Failed to tamper with process {ev.tid}: requested to tamper with argument "
                                f"#{arg}, but system call '{ev.name}' has only {nargs} arguments")
            return
        addr = ev.raw_args[arg - 1]
        written, err = pt.process_vm_write(ev.tid, addr, data)
        if not written:
            self._tamper_failed(f"Failed to tamper with process {ev.tid}: couldn't poke")
            return
        ev.poked = True
        if written < len(data):  # the range runs into an unmapped page: ucopy.c upoken's warning
            why = f": {os.strerror(err)}" if err else ""
            self._tamper_failed(f"pid:{ev.tid} short write ({written} < {len(data)}) @{addr:#x}{why}")

    def _tamper_failed(self, message: str) -> None:
        if self.on_tamper_failed is not None:
            self.on_tamper_failed(message)

    def _inject_entry(self, task: Any, arch: str, nr: int) -> None:
        """-e inject/fault at entry: count the call, and if a rule's when= picks it, skip the
        syscall (orig_rax = -1, or the substitute syscall=) so the exit stop can set the result."""
        assert self.inject is not None
        rules = self.inject(arch, nr)
        if not rules:
            return
        counts = task.counts if task.counts is not None else {}
        task.counts = counts
        n = counts[(arch, nr)] = counts.get((arch, nr), 0) + 1
        for rule in rules:
            if rule.when.applies(n):
                task.pending = rule
                if rule.error or rule.retval is not None:
                    # skip the call (-1) or run the syscall= substitute instead; the exit stop
                    # then writes the injected result (strace's tamper_with_syscall_entering)
                    sub = rule.substitute_nr(arch)
                    pt.poke_user(task.tid, _X86_64_ORIG_RAX, -1 if sub is None else sub)
                assert task.inflight is not None
                for poke in rule.poke_enter:
                    self._poke(task.inflight, poke.arg, poke.data)
                return
