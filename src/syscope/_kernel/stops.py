"""The ptrace tracer's per-stop system calls: waitpid, PTRACE_GET_SYSCALL_INFO, resume, one
process_vm_readv.

Two implementations with one interface: the optional C extension ``syscope._kernel._stops``
(``_stops.c``, built by pip and by scripts/setup.sh) and the same functions written with
``os.waitpid`` and ctypes.  A full trace makes these calls several times a stop, and a ctypes
crossing costs about a microsecond where a C function costs tens of nanoseconds: the extension is
used when it was built, the Python one otherwise, or when ``SYSCOPE_PURE_PYTHON=1`` is set (the
tests run the tracer both ways).

- ``wait_stop(flags) -> (tid, status, info)``: waitpid(-1, flags); ``info`` is ``syscall_info(tid)``
  for a syscall stop (status 0x857f with PTRACE_O_TRACESYSGOOD) or a seccomp stop (0x7057f), else
  None; ``(0, 0, None)`` when WNOHANG found nothing; ChildProcessError when no child is left.
- ``syscall_info(tid)``: struct ptrace_syscall_info (include/uapi/linux/ptrace.h), its fields in
  order: ``(op, arch, ip, sp, nr, a0..a5)`` at entry and at a seccomp stop,
  ``(op, arch, ip, sp, rval, is_error)`` at exit, ``(op, arch, ip, sp)`` otherwise; None when the
  task is gone.
- ``resume(request, tid, sig) -> errno`` (0 on success): PTRACE_SYSCALL/CONT/LISTEN.
- ``vm_read(pid, addr, size) -> bytes | None | int``: the bytes (short at a fault), None when
  nothing was readable (EFAULT, ESRCH, EIO), or the errno of another failure.
- ``wait_call(flags) -> (tid, status, info, entry, ts)``: ``wait_stop``, except that the extension
  handles the entry stop of a call marked by ``fast_call(audit_arch, nr, on)`` (``on`` 2: only
  the entries a command's line plan selects, ``fmt_call``'s select: ioctl's) made by a thread
  armed by ``arm(tid, on[, proc_pid])`` (proc_pid: /proc's number of its process, where the
  lines of -y read the descriptors' links) itself: it keeps the entry's info and the time (as ``time.time()``),
  resumes the thread with PTRACE_SYSCALL and waits on; the thread's next report carries them as
  ``entry`` and ``ts`` (else None and 0.0).  On one CPU each stop handled in Python is the
  tracee's time too.  ``take(tid) -> (entry, ts) | None`` takes back the entry kept for a thread
  that has not reported since (interrupted in that call); ``keep(tid, entry, ts) -> bool`` keeps
  an entry the engine handled itself and resumed (the first of a call whose line format it has
  just handed over), so that the extension makes that line at the exit too: True when a line
  plan serves it; ``keep(tid, entry, ts, True)`` makes the arguments of an entry now, the thread
  still stopped at it (execve's, whose image is gone at the exit stop), and keeps them past the
  exec event for its line at the exit stop (an entry handed back then is ``entry`` with their
  text as a twelfth item); the extension also ends "= ?" the line of a kept call whose arguments
  all print at entry when its task exits in it (PTRACE_EVENT_EXIT: exit_group's); ``reset()``
  forgets every armed thread, kept entry, marked call and untraced mark.  The Python versions
  keep no entry (``arm`` and ``keep`` return False): every entry stop goes to the engine.
- ``wake()``: the next ``wait_call`` returns ``(0, 0, None, None, 0.0)`` before it handles another
  stop itself (a signal handler's request, which runs inside ``wait_call``: ptrace(2)'s
  PTRACE_INTERRUPT of a thread in a call comes as that call's syscall-exit-stop under
  PTRACE_SYSCALL, which ``wait_call`` would handle and resume for an untraced call).
- ``spin(polls[, long_wait[, budget]])``, ``handled() -> int``, ``waited() -> float``: after a stop
  ``wait_call`` handled itself it polls with WNOHANG up to ``polls`` times before blocking again
  (the engine's choice, waiting.py); ``handled()`` counts those stops (the engine measures the
  cost of a stop, not of a report); with ``long_wait`` > 0 seconds, ``waited()`` sums the time
  ``wait_call`` spent waiting for stops (polls and blocking waits), less the blocking waits that
  lasted that long (the tracee's own time in a call): what the ways of waiting change, without
  the tracer's own work on each stop (timing a whole ``wait_call`` would count it too); with
  ``budget`` > 0 ``wait_call`` returns ``(0, 0, None, None, 0.0)`` after handling that many
  stops itself, so that the engine measures its windows when every stop is handled there.
- ``fmt_setup(string_limit, align, errno_texts) -> bool``, ``fmt_xlat(rows, zero) -> id``,
  ``fmt_call(audit_arch, nr, name, ops, ret[, select[, entry_only]]) -> bool`` (select: the plan
  of one command, e.g. fcntl's; entry_only: cformat.CPlan's), ``fmt_load(audit_arch, ahead,
  tables[, skip]) -> int`` (every format made ahead, decode/cplans_<arch>.py's AHEAD and TABLES
  text, read by the extension at once, and each call marked as ``fast_call`` would, but those
  ``skip[nr]`` names: how many were; -1 when the tables do not fit), ``fmt_enable(on[, fd]) -> bool``,
  ``fmt_times(timestamps, ts_digits, show_time, duration_digits, pid, relative, relative_digits)
  -> bool`` (the lines' -t/-tt/-ttt prefix and -T suffix, -f -o's thread id first, -r's prefix),
  ``fmt_last([ts]) -> float | None`` (-r's time of the last line printed, which the sink's lines
  share), ``fmt_text() -> str | None``: the
  extension makes the whole strace line of a call it was given the format of (decode/cformat.py)
  at the call's exit stop inside ``wait_call``, resumes the thread and waits on; ``fmt_text``
  takes the lines made (sources/ptrace/lines.py), which with ``fd`` (a live output) are also
  written there before each blocking wait.  The Python versions make none (``fmt_setup`` returns
  False).  ``FMT_VERSION``: the ops the extension's ``fmt_call`` takes (``decode.cformat.VERSION``;
  a build from another ``_stops.c`` makes none).
- ``spawn(path, argv, envp, prefix, ignore) -> pid | None``: the launched command's process,
  made in the tracer's memory (CLONE_VM, ``_stops_spawn.c``: no copy of its page tables), stopped
  by its own SIGSTOP before its execve and waited for, its signals as ``command.restore_signals``
  leaves a forked child's (``ignore``: the bits of those ignored at start, signal N bit N-1);
  ``envp`` None: the tracer's environment; an exec that fails writes ``prefix`` and the error's
  text to stderr and exits 1.  None: not made here (the Python version; the engine forks).
  ``spawn_release(pid)``: its exec or its end was seen: the memory of its set-up is freed.
- ``untraced(tid, on[, audit_arch, nr]) -> bool``: mark (or unmark) the thread's next syscall stop
  as the exit of a call not traced (-e trace=), and say whether it was marked; ``wait_call`` then
  resumes the thread at that stop itself (PTRACE_SYSCALL) without PTRACE_GET_SYSCALL_INFO, both
  versions, as strace reads nothing at the exit of a filtered call (syscall.c
  syscall_exiting_decode).  With ``audit_arch, nr`` the untraced call is named too: after that
  exit, ``wait_call`` handles the thread's entry stops of named calls as the engine does (mark,
  PTRACE_SYSCALL) until a report of the thread goes back to the caller.  An exit or a kill the
  wait reports forgets the mark; unmarking ends the thread's run of untraced calls.
"""

from __future__ import annotations

import errno as _errno
import os
import struct
import time

from syscope._kernel import ptrace as _pt
from syscope.errors import KernelError
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

SyscallInfo = tuple[int, ...]
WaitResult = tuple[int, int, "SyscallInfo | None"]
CallResult = tuple[int, int, "SyscallInfo | None", "SyscallInfo | None", float]

_ENTRY = struct.Struct("=BxxxIQQQ6Q")  # op, arch, ip, sp, nr, args[6]
_EXIT = struct.Struct("=BxxxIQQqB")  # op, arch, ip, sp, rval, is_error
_HEAD = struct.Struct("=BxxxIQQ")  # op, arch, ip, sp
_INFO_SIZE = 88
_SYSGOOD_STOP = ((0x05 | 0x80) << 8) | 0x7F
_SECCOMP_STOP = (((_pt.PTRACE_EVENT_SECCOMP << 8) | 0x05) << 8) | 0x7F


class _CtypesSide:
    """What the Python versions call through ctypes, made at their first use: with the
    extension a traced run imports no ctypes (~2 ms of start-up)."""

    def __init__(self) -> None:
        import ctypes

        from syscope._kernel import ptrace_ctypes

        self.raw = ptrace_ctypes.raw_ptrace
        self.vm_read = ptrace_ctypes.process_vm_read
        self.get_errno = ctypes.get_errno
        self.info_buf = ctypes.create_string_buffer(_INFO_SIZE)
        self.info_addr = ctypes.addressof(self.info_buf)
        self.info_view = memoryview(self.info_buf).cast("B")


_side: list[_CtypesSide] = []


def _ctypes_side() -> _CtypesSide:
    if not _side:
        _side.append(_CtypesSide())
    return _side[0]


def py_syscall_info(tid: int) -> SyscallInfo | None:
    c = _side[0] if _side else _ctypes_side()
    if c.raw(_pt.PTRACE_GET_SYSCALL_INFO, tid, _INFO_SIZE, c.info_addr) <= 0:
        return None
    view = c.info_view
    op = view[0]
    if op == _pt.SYSCALL_INFO_ENTRY or op == _pt.SYSCALL_INFO_SECCOMP:
        return _ENTRY.unpack_from(view)
    if op == _pt.SYSCALL_INFO_EXIT:
        return _EXIT.unpack_from(view)
    return _HEAD.unpack_from(view)


def py_wait_stop(flags: int) -> WaitResult:
    tid, status = os.waitpid(-1, flags)
    if tid and (status == _SYSGOOD_STOP or status == _SECCOMP_STOP):
        return tid, status, py_syscall_info(tid)
    return tid, status, None


def py_resume(request: int, tid: int, sig: int) -> int:
    c = _side[0] if _side else _ctypes_side()
    if c.raw(request, tid, None, sig) == -1:
        return c.get_errno() or _errno.EIO
    return 0


def py_vm_read(pid: int, addr: int, size: int) -> bytes | None | int:
    if size <= 0:
        return b""
    try:
        c = _side[0] if _side else _ctypes_side()
        got: bytes | None = c.vm_read(pid, addr, size)
        return got
    except KernelError as exc:
        return exc.errno or _errno.EIO


_untraced: set[int] = set()  # py_untraced's marks
_runs: set[int] = set()  # threads whose untraced calls py_wait_call handles (until one reports)
_untraced_calls: set[tuple[int, int]] = set()  # (audit arch, nr) named by py_untraced


_wake: list[bool] = [False]  # py_wake's request


def py_wake() -> None:
    _wake[0] = True


def py_wait_call(flags: int) -> CallResult:
    global _waited_seconds
    while True:
        if _wake[0]:  # a signal handler's request_stop: the engine looks at its flags first
            _wake[0] = False
            return 0, 0, None, None, 0.0
        if _long_wait:
            t0 = time.monotonic()
            tid, status = os.waitpid(-1, flags)
            waited = time.monotonic() - t0
            if flags & os.WNOHANG or waited < _long_wait:  # a long one: the tracee's own time
                _waited_seconds += waited
        else:
            tid, status = os.waitpid(-1, flags)
        if not tid:
            return 0, 0, None, None, 0.0
        if status == _SYSGOOD_STOP and tid in _untraced:
            # the exit stop of a call not traced: nothing to read (on failure, ESRCH, its exit
            # status comes next); the thread's next untraced calls are handled here too
            _untraced.discard(tid)
            _runs.add(tid)
            _ctypes_side().raw(_pt.PTRACE_SYSCALL, tid, None, 0)
            continue
        info = None
        if status == _SYSGOOD_STOP or status == _SECCOMP_STOP:
            info = syscall_info(tid)  # the extension's when it is older than untraced
            if (info is not None and info[0] == _pt.SYSCALL_INFO_ENTRY and status == _SYSGOOD_STOP
                    and tid in _runs and (info[1], info[4]) in _untraced_calls):
                _untraced.add(tid)  # the entry of an untraced call in its run: as the engine does
                _ctypes_side().raw(_pt.PTRACE_SYSCALL, tid, None, 0)
                continue
        elif not os.WIFSTOPPED(status):  # exited or killed: its id may be a new thread's next
            _untraced.discard(tid)
        _runs.discard(tid)  # a report for the caller: the thread's run of untraced calls ends
        return tid, status, info, None, 0.0


def py_untraced(tid: int, on: bool, audit_arch: int | None = None, nr: int | None = None) -> bool:
    was = tid in _untraced
    if on:
        _untraced.add(tid)
        if audit_arch is not None and nr is not None:
            _untraced_calls.add((audit_arch, nr))
    else:
        _untraced.discard(tid)
        _runs.discard(tid)
    return was


def py_arm(tid: int, on: bool, proc_pid: int = 0) -> bool:
    return False


def py_fast_call(audit_arch: int, nr: int, on: int) -> bool:
    return False


def py_reset() -> None:
    _untraced.clear()
    _runs.clear()
    _untraced_calls.clear()


def py_keep(tid: int, entry: SyscallInfo, ts: float, now: bool = False) -> bool:
    return False


def py_take(tid: int) -> tuple[SyscallInfo, float] | None:
    return None


def py_take_other(tid: int) -> tuple[int, SyscallInfo, float] | None:
    return None


_long_wait = 0.0  # py_spin's long_wait, and py_waited's sum
_waited_seconds = 0.0


def py_spin(polls: int, long_wait: float | None = None, budget: int = 0) -> None:
    # py_wait_call handles no stop that it then polls after (nor any its budget counts); it
    # times its waits
    global _long_wait
    if long_wait is not None:
        _long_wait = max(long_wait, 0.0)


def py_handled() -> int:
    return 0


def py_waited() -> float:
    return _waited_seconds


def py_fmt_setup(string_limit: int, align: int, errno_texts: tuple[str | None, ...]) -> bool:
    return False  # no lines are made here: the engine prints every one


def py_fmt_xlat(rows: tuple[tuple[int, str], ...], zero: str | None) -> int:
    return -1


def py_fmt_call(audit_arch: int, nr: int, name: str, ops: tuple[tuple[Any, ...], ...], ret: int | tuple[Any, ...],
                select: tuple[int, int, int] | None = None) -> bool:
    return False


def py_fmt_load(audit_arch: int, ahead: str, tables: tuple[tuple[str | None, str], ...],
                skip: bytes | None = None) -> int:
    return -1


def py_spawn(path: bytes, argv: list[bytes], envp: list[bytes] | None, prefix: bytes, ignore: int) -> int | None:
    return None  # the engine forks


def py_spawn_release(pid: int) -> bool:
    return False


def py_fmt_enable(on: bool, fd: int = -1) -> bool:
    return False


def py_fmt_times(timestamps: int, ts_digits: int, show_time: bool, duration_digits: int, pid: int,
                 relative: bool, relative_digits: int) -> bool:
    return False


_last_line: list[float | None] = [None]


def py_fmt_last(*ts: float | None) -> float | None:
    if ts:
        _last_line[0] = ts[0]
    return _last_line[0]


def py_fmt_text() -> str | None:
    return None


def py_fmt_open(*text: str | None) -> bool | None:
    return True if not text else None  # still open: no line is made here to cut the sink's


def py_fmt_nprocs(n: int) -> None:
    return None


wait_stop: Callable[[int], WaitResult] = py_wait_stop
wait_call: Callable[[int], CallResult] = py_wait_call
wake: Callable[[], None] = py_wake
arm: Callable[..., bool] = py_arm
fast_call: Callable[[int, int, int], bool] = py_fast_call
reset: Callable[[], None] = py_reset
take: Callable[[int], tuple[SyscallInfo, float] | None] = py_take
take_other: Callable[[int], tuple[int, SyscallInfo, float] | None] = py_take_other
keep: Callable[..., bool] = py_keep
untraced: Callable[..., bool] = py_untraced
syscall_info: Callable[[int], SyscallInfo | None] = py_syscall_info
resume: Callable[[int, int, int], int] = py_resume
vm_read: Callable[[int, int, int], Any] = py_vm_read
spin: Callable[..., None] = py_spin
handled: Callable[[], int] = py_handled
waited: Callable[[], float] = py_waited
fmt_setup: Callable[[int, int, tuple[str | None, ...]], bool] = py_fmt_setup
fmt_xlat: Callable[[tuple[tuple[int, str], ...], str | None], int] = py_fmt_xlat
fmt_call: Callable[..., bool] = py_fmt_call
fmt_load: Callable[..., int] = py_fmt_load
fmt_enable: Callable[..., bool] = py_fmt_enable
spawn: Callable[[bytes, list[bytes], list[bytes] | None, bytes, int], int | None] = py_spawn
spawn_release: Callable[[int], bool] = py_spawn_release
fmt_text: Callable[[], str | None] = py_fmt_text
fmt_times: Callable[[int, int, bool, int, int, bool, int], bool] = py_fmt_times
fmt_last: Callable[..., float | None] = py_fmt_last
fmt_open: Callable[..., bool | None] = py_fmt_open
fmt_nprocs: Callable[[int], None] = py_fmt_nprocs
FMT_VERSION = 0  # the ops fmt_call takes (decode/cformat.py VERSION); 0: no lines made
IMPLEMENTATION = "python"

if os.environ.get("SYSCOPE_PURE_PYTHON") != "1":
    try:
        from syscope._kernel import _stops  # type: ignore[attr-defined]
    except ImportError:  # not built (no compiler when installed): the ctypes versions above
        pass
    else:
        wait_stop = _stops.wait_stop
        syscall_info = _stops.syscall_info
        resume = _stops.resume
        vm_read = _stops.vm_read
        # an extension built before untraced has the rest only: wait_call, reset and untraced
        # keep one set of marks, so they come from one side
        if hasattr(_stops, "untraced"):
            wait_call = _stops.wait_call
            wake = getattr(_stops, "wake", py_wake)
            arm = _stops.arm
            fast_call = _stops.fast_call
            reset = _stops.reset
            take = _stops.take
            keep = getattr(_stops, "keep", py_keep)
            untraced = _stops.untraced
        if hasattr(_stops, "fmt_text"):  # lines are made with the wait_call above only
            fmt_setup = _stops.fmt_setup
            fmt_xlat = _stops.fmt_xlat
            fmt_call = _stops.fmt_call
            fmt_load = getattr(_stops, "fmt_load", py_fmt_load)
            fmt_enable = _stops.fmt_enable
            fmt_text = _stops.fmt_text
            fmt_times = getattr(_stops, "fmt_times", py_fmt_times)
            fmt_last = getattr(_stops, "fmt_last", py_fmt_last)
            # (FMT_VERSION 24 on: the lines of more than one task, their cuts shared with the sink)
            fmt_open = getattr(_stops, "fmt_open", py_fmt_open)
            fmt_nprocs = getattr(_stops, "fmt_nprocs", py_fmt_nprocs)
            take_other = getattr(_stops, "take_other", py_take_other)
            FMT_VERSION = getattr(_stops, "FMT_VERSION", 1)
        if hasattr(_stops, "waited"):  # with the wait_call above too (they time its waits)
            spin = _stops.spin
            handled = _stops.handled
            waited = _stops.waited
        spawn = getattr(_stops, "spawn", py_spawn)
        spawn_release = getattr(_stops, "spawn_release", py_spawn_release)
        IMPLEMENTATION = "c"
