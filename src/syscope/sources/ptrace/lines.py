"""What the tracer's C extension does for the engine between two reports: the entries it kept
(``_stops.wait_call``), and the lines it makes itself (``_stops_line.c`` fmt_*).

A consumer that writes strace's plain lines to a file, or to a line-buffered stderr, and nothing
else (cli/trace_output.py ``Output.start``) sets ``line_out`` (and ``line_align``, -a;
``line_form``, the -t/-tt/-ttt prefix and -T suffix the extension puts around them; and
``line_fd`` for stderr, which the extension writes its lines to before each blocking wait, so
that none waits there while the tracee blocks in a call).  The engine then hands the extension
the format of each call the decoder can give one (decode/cformat.py), the first time it handles
the entry of such a call that ``_stops.wait_call`` may keep from then on (late_decode.py); at the
exit stop of a kept call the extension reads what the line shows, makes the line, resumes the
thread and waits on.  After each wait the engine takes the lines made (``_stops.fmt_text``) and
writes them before it handles the report, so the order is the calls' order; on the way out of
the loop (end, interrupt, -I1) ``_take_lines`` writes what is left before anything else.
"""

from __future__ import annotations

import os

from syscope._kernel import stops as _stops
from syscope.decode import cplans
from syscope.decode.errnos import errno_texts
from syscope.syscalls import ARCHES, native_arch, numbers, table, table_size
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from syscope.decode import DecodeOptions, Decoder
    from syscope.events import SyscallEvent

_NATIVE = native_arch()
# the calls whose other commands' entries are decoded while the thread is stopped (cformat's)
_SELECTED_ONLY = cplans.module(_NATIVE).SELECTED_ONLY if _NATIVE in ARCHES else frozenset({"ioctl"})
# the calls whose arguments the extension makes at the entry stop (_keep_at_entry): an exec's (the
# kernel replaces the image they are in before the exit stop, execve(2)), rt_sigreturn's (the mask
# of the frame at the entry's stack pointer: at the exit stop the registers are the restored ones)
AT_ENTRY = frozenset({"execve", "execveat", "rt_sigreturn"})


class TracerLines:
    """The engine's part of the extension's kept entries and lines (a part of engine.Tracer)."""

    decoder: Decoder | None  # made when first asked for (decoding.py)
    options: DecodeOptions  # the decoder's, known before it is made
    decoding: bool  # calls are decoded (the decoder is made when one needs Python)
    follow: bool
    detach_on_exec: bool
    keep: Callable[..., bool] | None
    tasks: dict[int, Any]
    _syscall_stop: Callable[..., Any]
    memory: str | None
    select: Callable[[str, int], bool] | None
    _muxed: frozenset[tuple[str, int]]
    line_align = 40  # the column strace pads a line's " = " to (-a)
    # -t/-tt/-ttt, the digits of their fraction, -T, its digits, the thread's id first (0 no, 1
    # -o FILE's "%-5d ", 2 "[pid %5d] " while two tasks or more), -r, its digits
    # (StraceTextSink.c_line_form)
    line_form: tuple[int, int, bool, int, int, bool, int] = (0, 0, False, 6, 0, False, 6)
    # -r: the time of the last line printed, kept by the extension for its lines and the sink's
    line_last = staticmethod(_stops.fmt_last)
    # the sink's open line (a call's entry half), shared with the extension, whose next line cuts
    # it: fmt_open(text) / fmt_open(None) / fmt_open() -> still open (StraceTextSink.open_store)
    line_open = staticmethod(_stops.fmt_open)
    # the entry events are wanted only for "<unfinished ...>" (-f): while one task is traced
    # none can cut a line, so entries are kept and lines made then (_one_task) ...
    interleave_entries = False
    # ... and with more tasks too when the sink shares its open line (line_open): a call whose
    # entry the extension kept is handed back when another thread's report comes first
    # (_stops.take_other), and its entry half printed then, cut by that thread's line
    line_cuts = False

    def _kept_entries(self) -> None:
        """The calls the armed threads are in, their entries still kept by the extension (the
        trace is interrupted): made and decoded now (their inputs do not change in the call)."""
        for task in list(self.tasks.values()):
            kept = _stops.take(task.tid) if task.armed else None
            if kept is not None:
                self._kept_entry(task.tid, *kept)

    def _kept_entry(self, tid: int, entry: _stops.SyscallInfo, ts: float) -> None:
        """The entry stop the extension handled for this thread (stops.wait_call), met again at
        its next report: the call is made and decoded now, with the time of that stop."""
        task = self.tasks.get(tid)
        if task is not None:
            self._syscall_stop(task, entry, ts=ts)

    def _init_lines(self) -> None:
        self.line_out: Callable[[str], object] | None = None
        # a live output's descriptor (strace's stderr: each line out before the tracer sleeps):
        # the extension writes its lines there itself before each blocking wait; -1: a file
        self.line_fd = -1
        self._lines = False  # the extension makes lines now
        self._lines_possible = False  # ... and may this session (_one_task turns them on and off)
        self._formats: set[tuple[int, int]] = set()  # (audit arch, nr) whose format was handed over
        # the execve entries the extension makes the arguments of (_keep_at_entry): with lines,
        # without -f (under -f execve is a %process call, never kept: _start_lines) nor -b execve,
        # whose exec event ends the call "<detached ...>" in Python
        self._at_entry = False
        self._exec_kept = 0  # the thread whose execve's arguments the extension holds
        self._made_ahead = False  # the formats are decode/cplans.py's (the default options)
        self._xlats: dict[int, int] = {}  # its tables handed over: their extension's ids
        # the calls never kept, when every format made ahead is to be given at the command's exec
        # (_load_ahead; None: not this session), and whether they were (no call's is handed then)
        self._ahead_skip: frozenset[str] | None = None
        self._loaded = False

    def _lines_allowed(self) -> bool:
        """May the extension make lines this session?  A consumer asked (line_out), the tree is
        one task (without -f no child or thread is traced, and an attached one is never armed:
        no "<unfinished ...>" can cut a line), nothing looks at a call before its line (keep,
        -c), memory is read with process_vm_readv, and the decoder's options print the kinds as
        the C code does (decode/cformat.py; under the default options the formats made ahead,
        decode/cplans.py, without the decoder).  SYSCOPE_C_LINES=0 turns it off (the tests compare)."""
        if (self.line_out is None or (self.follow and not self.interleave_entries) or self.keep is not None
                or not self.decoding
                or self.memory not in (None, "vm") or os.environ.get("SYSCOPE_C_LINES") == "0"):
            return False
        self._made_ahead = _NATIVE in ARCHES and cplans.serves(self.options)
        if self._made_ahead:
            # (the default options allow every C form: tools/gen_cplans.py checks)
            if _stops.FMT_VERSION != cplans.module(_NATIVE).VERSION:
                return False  # an extension built from another _stops.c: its ops are not these
        else:
            from syscope.decode import cformat

            dec = self.decoder
            assert dec is not None
            if _stops.FMT_VERSION != cformat.VERSION or not cformat.options_allow(dec):
                return False
        self._formats.clear()
        self._xlats.clear()
        self._lines_possible = bool(
            _stops.fmt_setup(self.options.string_limit, self.line_align - 1, errno_texts())
            and _stops.fmt_times(*self.line_form) and _stops.fmt_enable(True, self.line_fd))
        return self._lines_possible

    def _start_lines(self, keep: bool) -> tuple[bool, bool, bool, frozenset[str]]:
        """At the loop's start, entries may be kept (``keep``): are they now, are lines made,
        does that follow the number of tasks (-f: _one_task), and the calls never kept then:
        those that may make a task (_spawning), whose entry half is printed before the new
        task's lines and cut "<unfinished ...>"."""
        self._nprocs = 1  # the count of tasks the extension has (fmt_nprocs: "[pid N] "; reset's 1)
        self._lines = keep and self._lines_allowed()
        # (-f: an execve while the tree is one task, which _one_task's self._lines says)
        self._at_entry = self._lines and not self.detach_on_exec
        self._loaded = False
        if not (self.follow and keep):
            self._ahead_skip = frozenset() if self._at_entry and self._made_ahead else None
            return keep, self._lines, False, frozenset()
        keep, lines = self._one_task(keep)
        spawning = _spawning()
        self._ahead_skip = spawning if self._at_entry and self._made_ahead else None
        return keep, lines, True, spawning

    def _one_task(self, keep: bool) -> tuple[bool, bool]:
        """-f: entries are kept and lines made while the tree is one task (nothing can come
        between a call's entry and its exit); a second task turns both off (its calls' entry
        events come to the sink, which cuts a line "<unfinished ...>"), and they come back with
        the last but one task gone.  Whether entries are kept now, whether lines are made."""
        if self.line_cuts and self._lines_possible:
            self._count_tasks()
            return keep, self._lines
        one = len(self.tasks) == 1
        if not one:
            for task in list(self.tasks.values()):
                if task.armed:
                    kept = _stops.take(task.tid)
                    _stops.arm(task.tid, False)
                    task.armed = False
                    if kept is not None:  # (a task spawns only in a call never kept: none)
                        self._kept_entry(task.tid, *kept)
        if self._lines_possible and one != self._lines:
            self._lines = bool(_stops.fmt_enable(one, self.line_fd))
        return keep and one, self._lines

    def _other_entry(self, tid: int) -> SyscallEvent | None:
        """Before a report of ``tid`` (line_cuts): the call another thread is in, whose entry the
        extension kept, made and decoded now, and its entry event (the sink prints its entry
        half, which what the report prints then cuts "<unfinished ...>"): it began before the
        report.  Decoded while the thread is in the call, as a kept entry is (late_decode.py)."""
        other = _stops.take_other(tid)
        task = self.tasks.get(other[0]) if other is not None else None
        if other is None or task is None:
            return None
        return self._syscall_stop(task, other[1], False, other[2])

    def _tasks_changed(self, follow: bool, may_keep: bool, keep: bool, lines: bool) -> tuple[bool, bool]:
        """After a report the engine handled (the only ones that bring or end a task): whether
        entries are kept now and lines made (-f: _one_task), and the extension's count of tasks
        ("[pid N] " of -p and a command too)."""
        if follow:
            return self._one_task(may_keep)
        if lines and len(self.tasks) != self._nprocs:
            self._count_tasks()
        return keep, lines

    def _count_tasks(self) -> None:
        """The extension's count of tasks, which its "[pid N] " prefix follows (strace's nprocs),
        after a report that may have changed it (only reports Python handles do)."""
        n = len(self.tasks)
        if n != self._nprocs:
            self._nprocs = n
            _stops.fmt_nprocs(n)

    def _keep_from_now(self, task: Any, audit: int, nr: int, ev: SyscallEvent, lines: bool,
                       entry: _stops.SyscallInfo | None) -> bool:
        """A call whose entry may be decoded at its exit (late_decode.py), met at an entry stop
        of a thread the extension may handle: the extension keeps its entries from now on, and
        makes its lines when it is given its format.  With ``entry`` (this stop's info; None
        when its event went to the consumer already), this call's line too when a format serves
        it (True: the engine forgets the call, whose exit is the extension's; its first line
        made in Python cost ~0.3 M instructions, ~44 of them in a Python start-up)."""
        # (ioctl: only the entries of the commands given a line; the others' are Python's at entry)
        _stops.fast_call(audit, nr, 2 if ev.name in _SELECTED_ONLY else 1)
        if not task.armed:
            proc = self._line_proc(task.pid)
            task.armed = _stops.arm(task.tid, True, proc) if proc else _stops.arm(task.tid, True)
        if lines and (audit, nr) not in self._formats:
            self._hand_format(audit, nr, ev.arch, ev.name)
        if not (lines and entry is not None and task.armed and _stops.keep(task.tid, entry, ev.ts_enter)):
            return False
        task.inflight = None
        return True

    def _keep_at_entry(self, task: Any, raw: _stops.SyscallInfo, ev: SyscallEvent) -> bool:
        """An execve's or rt_sigreturn's entry stop (AT_ENTRY), the thread not resumed yet: the
        extension makes its arguments now (the kernel replaces the image they are in before the
        exit stop, execve(2); rt_sigreturn restores the registers its frame is found by) and its
        line at the exit stop, past the exec event (True: the engine forgets the call).  strace
        prints it at the exit too, the set-up's failed one included (engine.py _syscall_stop)."""
        if (not (self._lines and self._at_entry) or task.attached or task.seccomp or task.silent
                or len(raw) > 11):  # (an entry the extension made the arguments of already: kept_tuple)
            return False
        audit, nr = raw[1], raw[4]
        if not task.armed:
            proc = self._line_proc(task.pid)
            task.armed = _stops.arm(task.tid, True, proc) if proc else _stops.arm(task.tid, True)
        if (audit, nr) not in self._formats:
            self._hand_format(audit, nr, ev.arch, ev.name)
        if not (task.armed and _stops.keep(task.tid, raw, ev.ts_enter, True)):
            return False
        task.inflight = None
        task.last_name = ev.name
        if ev.name.startswith("execve"):
            self._exec_kept = task.tid
        return True

    def _exec_event(self, task: Any, old: int) -> None:
        """The exec event: the thread's slot is let go, the tid may now be another task's
        (policies.py _exec_switch), but for the leader's own execve whose arguments the extension
        holds for its exit stop (_keep_at_entry)."""
        if old != task.tid or self._exec_kept != task.tid:
            task.armed = _stops.arm(task.tid, False)
        elif task.hidden and self._ahead_skip is not None:
            self._load_ahead(self._ahead_skip)
        self._exec_kept = 0

    def _load_ahead(self, never: frozenset[str]) -> None:
        """The launched command's exec, its execve kept (its thread armed, lines on): the extension
        is given every format made ahead and keeps the entries of every call whose entry half may
        be decoded late (as _keep_from_now marks them) from now on, so that a call's first line is
        the extension's too, not only the next ones: each call met first in Python cost ~0.1 M
        instructions, and a short program makes a few dozen calls.  From the exec, not before: the
        tracer's set-up in the child (a failed execve's message) is hidden, not printed.  ``never``
        (-f's calls that may make a task) and the calls -e trace= leaves out are not marked."""
        self._ahead_skip = None
        audit, rows = table(_NATIVE).audit_arch, cplans.module(_NATIVE)
        skip = None
        if self.select is not None or never or self._muxed:
            marks = bytearray(table_size(_NATIVE))
            for nr in range(len(marks)):
                marks[nr] = (_NATIVE, nr) in self._muxed or (self.select is not None and not self.select(_NATIVE, nr))
            nrs = numbers(_NATIVE)
            for name in never:
                if name in nrs:
                    marks[nrs[name]] = 1
            skip = bytes(marks)
        self._loaded = _stops.fmt_load(audit, rows.AHEAD, rows.TABLES, skip) >= 0

    def _line_proc(self, pid: int) -> int:
        """/proc's number of a process whose lines the extension may make under -y (the links it
        reads, as base.py DecoderBase.fd: pidns.proc_dir), or 0."""
        if not self._lines_possible or not self.options.decode_fds:
            return 0
        from syscope.decode import pidns  # -y's links only

        return pidns.proc_pid(pid)

    def _hand_format(self, audit: int, nr: int, arch: str, name: str) -> None:
        """Give the extension a call's format(s), when the decoder has them (decode/cformat.py):
        one, or one per command a whole-call decoder prints by table (fcntl); under the default
        options those made ahead (decode/cplans.py)."""
        self._formats.add((audit, nr))
        if arch != _NATIVE or self._loaded:
            return  # (every native format was given at the exec: _load_ahead)
        if self._made_ahead:
            self._hand_made_ahead(audit, nr, arch, name)
            return
        from syscope.decode import cformat

        assert self.decoder is not None
        ids: dict[Any, int] = {}  # a table the call's plans share (futex's operations) handed over once
        for plan in cformat.plans(self.decoder, arch, name):
            ops = [self._c_op(op, ids) for op in (*plan.ops, *([] if isinstance(plan.ret, int) else [plan.ret[3]]))]
            if any(op is None for op in ops):
                return  # the extension's tables are full: Python prints this call (command)
            ret = plan.ret if isinstance(plan.ret, int) else (*plan.ret[:3], ops.pop())
            _stops.fmt_call(audit, nr, name, tuple(ops), ret, plan.select, plan.entry_only)

    def _hand_made_ahead(self, audit: int, nr: int, arch: str, name: str) -> None:
        """_hand_format's formats made ahead (the default options: decode/cplans.py)."""
        for ops, ret, select, entry_only in cplans.plans(arch, name):
            made = [self._ahead_op(arch, op) for op in (*ops, *([] if isinstance(ret, int) else [ret[3]]))]
            if any(op is None for op in made):
                return  # the extension's tables are full: Python prints this call (command)
            form = ret if isinstance(ret, int) else (*ret[:3], made.pop())
            _stops.fmt_call(audit, nr, name, tuple(made), form, select, entry_only)

    def _ahead_op(self, arch: str, op: cplans.Op) -> tuple[Any, ...] | None:
        """An op made ahead as fmt_call takes it, its tables handed over once a session (None:
        the extension's are full)."""
        tables = []
        for index in op[5]:
            got = self._xlats.get(index)
            if got is None:
                got = _stops.fmt_xlat(*cplans.table(arch, index))
                if got < 0:
                    return None
                self._xlats[index] = got
            tables.append(got)
        return (*op[:5], (*tables, -1, -1, -1, -1)[:4])

    @staticmethod
    def _c_op(op: Any, ids: dict[Any, int]) -> tuple[Any, ...] | None:
        """An op as fmt_call takes it, its tables handed over (None: the extension's are full)."""
        tables = []
        for rows in op.tables:
            got = ids.get(rows)
            if got is None:
                got = ids[rows] = _stops.fmt_xlat(*rows)
            tables.append(got)
        if any(t < 0 for t in tables):
            return None
        return (op.op, op.reg, op.param, op.mask, op.aux, (*tables, -1, -1, -1, -1)[:4])

    def _take_lines(self) -> bool:
        """Write the lines the extension made and Python has not taken yet; does it make more?"""
        if self.line_out is not None:
            text = _stops.fmt_text()
            if text is not None:
                self.line_out(text)
        return self._lines

    def _lines_off(self) -> None:
        """Python makes every line from now on (another ABI shows up: the extension makes native
        lines only, and strace announces the change before the next line, trace_output.py)."""
        self._lines_possible = False
        if self._lines:
            _stops.fmt_enable(False)
            self._lines = False


def _spawning() -> frozenset[str]:
    """-f: the calls that may make a task (fork, vfork, clone, clone3: the %process calls that
    return a process id, and wait4 with them, which the roles layer does not tell apart).  Their
    entries are never kept: the new task may report before the call returns, and strace prints
    the entry half first, cut "<unfinished ...>".  The other %process calls (execve, exit_group,
    kill...) make none: while the tree is one task nothing can come between their halves."""
    from syscope.syscalls.roles import roles  # -f only

    return frozenset(n for n in table(_NATIVE).names_in_class("process") if roles(n).returns_pid is not None)
