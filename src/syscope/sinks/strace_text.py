"""strace's text output: ``name(args) = ret`` lines, pid prefixes, timestamps, signals, exits.

Layout facts from strace 6.1's output: the `` = `` starts after padding the line to column 39
(-a 40), ``%-5d `` pid prefix when writing to a file with -f, ``[pid N] `` on stderr when more than
one process is traced, `` <unfinished ...>`` / ``<... NAME resumed>`` when another thread's line
comes between a call's entry and exit.
"""

from __future__ import annotations

import time

from syscope.events import Event, ExitEvent, ProcessEvent, SignalEvent, SyscallEvent
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO


class StraceTextSink:
    def __init__(self, out: TextIO, *, pid_prefix: str = "none", timestamps: int = 0,
                 relative: bool = False, show_time: bool = False, align: int = 40,
                 nprocs: Callable[[], int] | None = None,
                 exit_args_follow: Callable[[SyscallEvent], bool] | None = None,
                 show_ip: bool = False, show_nr: bool = False, quiet_superseded: bool = False,
                 ts_digits: int | None = None, relative_digits: int = 6, duration_digits: int = 6,
                 comm: Callable[[int], str] | None = None) -> None:
        self.out = out
        self.comm = comm  # -Y: "<comm>" after the pid of the prefix (strace printleader)
        self.pid_prefix = pid_prefix  # "none", "file" (%-5d), "bracket" ([pid N])
        self.timestamps = timestamps  # 0, 1 (-t), 2 (-tt), 3 (-ttt): none, time of day, unix seconds
        # digits after the point (--absolute-timestamps=precision:, --relative-timestamps=,
        # --syscall-times=): -t prints none, -tt and -ttt six
        self.ts_digits = ts_digits if ts_digits is not None else (0 if timestamps == 1 else 6)
        self.relative = relative
        self.relative_digits = relative_digits
        self.show_time = show_time
        self.duration_digits = duration_digits
        self.align = align - 1
        # strace prefixes "[pid N] " only while more than one task is traced (nprocs > 1);
        # without a count every line of a bracket sink gets it
        self.nprocs = nprocs
        self.exit_args_follow = exit_args_follow
        self.show_ip = show_ip  # -i: "[%016lx] " before each line, "[????????????????] " if unknown
        # -n: "[%4d] " syscall number; on other lines the thread's last call, which the event
        # carries when its source knows it (an untraced call too), else the last one printed
        self.show_nr = show_nr
        self._last_nr: dict[int, int] = {}
        self.quiet_superseded = quiet_superseded  # -e quiet=thread-execve
        self._open: SyscallEvent | None = None  # entry printed, exit pending
        self._last_ts: float | None = None
        # -r's last line time kept where the tracer's C lines keep theirs (_stops.fmt_last: get
        # with no argument, set with one), when they may be made (cli/trace_output.py)
        self.last_store: Callable[..., float | None] | None = None
        # the open line shared with the tracer's C extension, whose next line cuts it (its
        # _stops.fmt_open: (text) open, cut by text; (None) closed here; () still open?)
        self.open_store: Callable[..., bool | None] | None = None
        self.open_flush = False  # ... which writes its lines to the descriptor itself (stderr)
        self._col = 0
        self._started: set[int] = set()
        self._expect_resumed: set[int] = set()  # tids whose execve resumes after a pid change
        # no prefix at all (the usual trace): the hot path skips _prefix
        self._prefixed = bool(pid_prefix != "none" or timestamps or relative or show_nr or show_ip)
        self._plain_lines = not self._prefixed and not show_time  # finished_call's own line

    @property
    def plain_lines(self) -> bool:
        """Are finished calls written as ``name(args)``, padded to the -a column, `` = ret``, with
        nothing before or after (no prefix, timestamp, duration)?  What the tracer's C extension
        makes (sources/ptrace/lines.py) when this is the only sink."""
        return self._plain_lines

    @property
    def c_line_form(self) -> tuple[int, int, bool, int, int, bool, int] | None:
        """The forms of a finished call's line the tracer's C extension makes as this sink does
        (sources/ptrace/lines.py, ``_stops.fmt_times``): (timestamps, ts_digits, show_time,
        duration_digits, pid, relative, relative_digits), a -t/-tt/-ttt prefix, a -T suffix,
        (-f -o FILE) the thread's id first, -r (the last line's time then shared: ``last_store``);
        None when the line has anything else around it (-i, -n, -Y).  The pid form is 0, 1 (the
        file's "%-5d ") or 2 ("[pid %5d] " while more than one task is traced)."""
        if (self.show_nr or self.show_ip or self.comm is not None
                or (self.pid_prefix == "bracket" and self.nprocs is None)):
            return None
        return (self.timestamps, self.ts_digits, self.show_time, self.duration_digits,
                {"file": 1, "bracket": 2}.get(self.pid_prefix, 0), self.relative, self.relative_digits)

    def _prefix(self, tid: int, ts: float, ip: int | None = None, nr: int | None = None) -> str:
        p = ""
        if self.pid_prefix == "file":
            comm = self.comm(tid) if self.comm is not None else ""
            p = f"{tid}{comm} " if comm else f"{tid:<5d} "
        elif self.pid_prefix == "bracket" and (self.nprocs is None or self.nprocs() > 1):
            p = f"[pid {tid:5d}{self.comm(tid) if self.comm is not None else ''}] "
        if self.timestamps:
            whole = time.strftime("%H:%M:%S", time.localtime(ts)) if self.timestamps < 3 else str(int(ts))
            p += _with_fraction(whole, ts, self.ts_digits) + " "
        if self.relative:
            store = self.last_store
            before = self._last_ts if store is None else store()
            last = before if before is not None else ts
            delta = max(ts - last, 0.0)
            # strace.c printleader(): "%6ld.%0*ld", inside "(+...)" after an absolute timestamp
            rel = _with_fraction(f"{int(delta):6d}", delta, self.relative_digits)
            p += f"(+{rel}) " if self.timestamps else f"{rel} "
            if store is None:
                self._last_ts = ts
            else:
                store(ts)
        if self.show_nr:
            if nr is None:
                nr = self._last_nr.get(tid)
            else:
                self._last_nr[tid] = nr
            p += f"[{nr:4d}] " if nr is not None else "[????] "
        if self.show_ip:
            p += f"[{ip:016x}] " if ip is not None else "[????????????????] "
        return p

    def _unfinished_tail(self, ev: SyscallEvent) -> str:
        """``read(0,  <unfinished ...>) = ?``: a call whose task died before it returned."""
        # A call decoded whole at entry (exit_group(0), write(1, "x", 1)) just closes: strace
        # marks only the ones still waiting for their exit arguments.
        if self.exit_args_follow is None or not self.exit_args_follow(ev):
            return ")"
        return (", " if ev.n_entry_args else "") + " <unfinished ...>)"

    def _args_follow(self, ev: SyscallEvent) -> bool:
        """Does the call print arguments at exit after entry ones?  strace then ends its cut
        entry half with the separator: "read(3,  <unfinished ...>"."""
        return ev.n_entry_args > 0 and self.exit_args_follow is not None and self.exit_args_follow(ev)

    def _sync(self) -> None:
        """The open line as the tracer's C extension left it: a line it made has cut it."""
        if self._open is not None and self.open_store is not None and not self.open_store():
            self._open = None

    def _opened(self, ev: SyscallEvent) -> None:
        """An entry half written: the line stays open, and the extension is told what cuts it."""
        self._open = ev
        if self.open_store is not None:
            self.open_store((", " if self._args_follow(ev) else "") + " <unfinished ...>\n")
            if self.open_flush:
                self.out.flush()

    def _closed(self) -> None:
        """The open line ended here."""
        self._open = None
        if self.open_store is not None:
            self.open_store(None)

    def pid_changed(self, ev: ProcessEvent) -> None:
        """The execve line of the thread that took the leader's pid (strace's "pid changed")."""
        self._sync()
        if self._open is not None and self._open.tid == ev.tid and self._open.name.startswith("execve"):
            self.out.write(f" <pid changed to {ev.tid} ...>\n")
            self._closed()
        else:
            self._interrupt()

    def hidden_exit(self, ev: SyscallEvent) -> None:
        """The exit of a traced call whose line is not shown (-e status=): strace's
        TCB_REPRINT is consumed by it all the same, so the call after it prints whole."""
        self._expect_resumed.discard(ev.tid)

    def flush_partial(self) -> None:
        """End a pending entry half before something else is written to the same stream."""
        self._sync()
        self._interrupt()

    def _interrupt(self) -> None:
        ev = self._open
        if ev is not None:
            self.out.write((", " if self._args_follow(ev) else "") + " <unfinished ...>\n")
            self._closed()

    def entry_half(self, ev: SyscallEvent) -> None:
        """The entry half of a call in flight as strace's line has it until the call returns:
        with the separator when arguments follow at exit ("nanosleep({...}, ")."""
        self.handle(ev)
        if self._args_follow(ev):
            self.out.write(", ")
        self._closed()

    def _detached(self, ev: SyscallEvent) -> None:
        """A call the tracer let go of while it was in it (interrupted): strace's droptcb() ends
        the line being printed " <detached ...>"; an entry half that another line already cut
        ("<unfinished ...>") stays as it is.  Its entry half is printed now if it was not."""
        tail = (", " if self._args_follow(ev) else "") + " <detached ...>\n"
        if self._open is ev:
            self._closed()
            self.out.write(tail)
        elif id(ev) not in self._started:
            self._interrupt()
            head = (self._prefix(ev.tid, ev.ts_enter, ev.ip, ev.nr) if self._prefixed else "") + ev.name + "("
            self.out.write(head + ", ".join(ev.args[: ev.n_entry_args]) + tail)
        self._started.discard(id(ev))

    def finished_call(self, ev: SyscallEvent) -> None:
        """``handle`` of a call at its exit (phase "exit"): the hot path of a full trace, a line
        of its own without prefix or marks written at once."""
        if self._open is not None:
            self._sync()
        if (self._plain_lines and self._open is None and not self._started and not self._expect_resumed
                and not (ev.unfinished or ev.detached or ev.extra or ev.injected or ev.delayed or ev.poked)):
            text = f"{ev.name}({', '.join(ev.args)})"
            ret = ev.ret_text if ev.ret_text is not None else "?"
            # no padding when the text reaches the column already (" " * a negative count)
            self.out.write(f"{text}{' ' * (self.align - len(text))} = {ret}\n")
        else:
            self._syscall(ev)

    def handle(self, ev: Event) -> None:
        if self._open is not None:
            self._sync()
        if isinstance(ev, SyscallEvent):
            if ev.phase == "exit":
                self.finished_call(ev)
            else:
                self._syscall(ev)
            return
        self._other(ev)

    def _syscall(self, ev: SyscallEvent) -> None:
        if ev.detached:
            self._detached(ev)
            return
        if ev.phase == "enter":
            self._interrupt()
            head = self._prefix(ev.tid, ev.ts_enter, ev.ip, ev.nr) + ev.name + "(" + ", ".join(
                ev.args[: ev.n_entry_args])
            self.out.write(head)
            self._col = len(head)
            self._started.add(id(ev))
            self._opened(ev)
            return
        rest = ev.args[ev.n_entry_args:]
        # strace's TCB_REPRINT (strace.c maybe_switch_tcbs): after "+++ superseded by execve", the
        # next exit printed for that pid is a "<... NAME resumed>" line, its entry half cut
        # " <unfinished ...>" first: the execve's own when it is traced, else the next call's
        reprint = ev.tid in self._expect_resumed
        if self._open is ev and not reprint:  # entry half is on this line already
            if ev.unfinished:  # the task died in the call: strace closes the open line so
                text = self._unfinished_tail(ev)
            else:
                sep = ", " if ev.n_entry_args and rest else ""
                text = sep + ", ".join(rest) + ")"
            col = self._col + len(text)
            self._closed()
        elif id(ev) in self._started or reprint:
            # entry printed, then interrupted by another thread (or by the pid change)
            self._expect_resumed.discard(ev.tid)
            if reprint and self._open is not ev and id(ev) not in self._started and not ev.name.startswith("execve"):
                # its entry half, as strace printed it at the entry (an execve's ended the
                # calling thread's line " <pid changed to ...>")
                self._interrupt()
                self.out.write(self._prefix(ev.tid, ev.ts_enter, ev.ip, ev.nr) + ev.name + "("
                               + ", ".join(ev.args[: ev.n_entry_args]))
                self._opened(ev)
            self._interrupt()
            text = self._prefix(ev.tid, ev.ts_exit or ev.ts_enter, ev.ip, ev.nr) + f"<... {ev.name} resumed>"
            if not ev.unfinished:
                text += ", ".join(rest) + ")"
            elif self.exit_args_follow is not None and self.exit_args_follow(ev):
                # strace's print_event_exit: the exit half it will never decode is marked
                text += " <unfinished ...>)"
            else:
                text += ")"
            col = len(text)
        else:
            if self._open is not None:
                self._interrupt()
            text = (self._prefix(ev.tid, ev.ts_enter, ev.ip, ev.nr) if self._prefixed else "") + ev.name + "("
            if ev.unfinished:  # as if the entry half had been printed (strace always does)
                text += ", ".join(ev.args[: ev.n_entry_args]) + self._unfinished_tail(ev)
            else:
                text += ", ".join(ev.args) + ")"
            col = len(text)
        if self._started:
            self._started.discard(id(ev))
        ret = ev.ret_text if ev.ret_text is not None and not ev.unfinished else "?"
        line = text + " " * (self.align - col) + " = " + ret if col < self.align else text + " = " + ret
        # strace's print_injected_note: what -e inject= changed, the result and/or arguments
        if ev.poked:
            line += " (INJECTED: args, retval)" if ev.injected else " (INJECTED: args)"
        elif ev.injected:
            line += " (INJECTED)"
        if ev.delayed:
            line += " (DELAYED)"
        if self.show_time and ev.duration is not None:
            line += f" <{_with_fraction(str(int(ev.duration)), ev.duration, self.duration_digits)}>"
        if ev.extra:
            line += "\n" + "\n".join(ev.extra)
        self.out.write(line + "\n")  # one write a line

    def _other(self, ev: Event) -> None:
        if isinstance(ev, SignalEvent):
            self._interrupt()
            from syscope.decode import signame

            if ev.stopped:
                body = f"--- stopped by {signame(ev.signo)} ---"
            else:
                body = f"--- {signame(ev.signo)} {ev.text} ---"
            self.out.write(self._prefix(ev.tid, ev.ts, ev.ip, ev.nr) + body + "\n")
        elif isinstance(ev, ProcessEvent):
            if ev.what == "exec" and ev.old_tid is not None and ev.old_tid != ev.tid:
                # execve from a non-leader thread: its line ends " <pid changed to L ...>", the
                # old leader is reported superseded, and the call resumes under the leader's pid
                self.pid_changed(ev)
                if not self.quiet_superseded:
                    # strace.c maybe_switch_tcbs prints it with the execve caller's tcb, whose
                    # number (-n) is its last syscall-entry stop, the execve: the event's nr
                    self.out.write(self._prefix(ev.tid, ev.ts, nr=ev.nr)
                                   + f"+++ superseded by execve in pid {ev.old_tid} +++\n")
                self._expect_resumed.add(ev.tid)
        elif isinstance(ev, ExitEvent):
            self._interrupt()
            if ev.signo is not None:
                from syscope.decode import signame

                core = " (core dumped)" if ev.core_dumped else ""
                body = f"+++ killed by {signame(ev.signo)}{core} +++"
            else:
                body = f"+++ exited with {ev.exit_code} +++"
            self.out.write(self._prefix(ev.tid, ev.ts, nr=ev.nr) + body + "\n")

    def close(self) -> None:
        self._sync()
        self._interrupt()
        self.out.flush()


def _with_fraction(whole: str, seconds: float, digits: int) -> str:
    """``whole`` and the first ``digits`` digits of the fraction of ``seconds``, truncated as
    strace divides tv_nsec by its scale (strace.c printleader, syscall.c -T)."""
    if not digits:
        return whole
    return f"{whole}.{int(seconds % 1 * 10 ** digits):0{digits}d}"
