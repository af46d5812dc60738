"""Process ids: arguments and return values that name a thread, a process, a process group
or a session (strace's printpid() and RVAL_TID/TGID/PGID/SID).  They print as decimal ints;
with --decode-pids (-Y, --pidns-translation) the decoder adds the command name and the pid in
the tracer's namespace (DecoderBase.pid).  The word names the id a pid stands for, since that
picks the /proc/PID/status line it is looked up in: ``tid`` (a thread: tkill, sched_*),
``tgid`` (a process: kill's positive pid, prlimit64), ``pgid``, ``sid``, and ``tgid_pgid`` for
kill(2)/wait4(2)'s "a process, or -PGID a group".
"""

from __future__ import annotations

from syscope.decode import cformat as c
from syscope.decode import fmt
from syscope.decode.base import DecoderBase, proc_dir
from syscope.decode.fmt import s32 as _s32
from syscope.decode.kinds.scalar import signed32
from syscope.decode.registry import ArgFn, Memory, RetFn, register, returns
from syscope.events import SyscallEvent

PID_KINDS = ("tid", "tgid", "pgid", "sid")


def _c_pid(d: DecoderBase, i: int, arch: str, kind: str) -> c.COp | None:
    """The C form of a pid argument: the int, as printed without -Y/--pidns-translation (with
    either, cformat.options_allow makes every call Python's; checked here too, where it is read)."""
    return c.COp(c.D32, i, mask=c.INT) if d.pidns is None else None


@register(*PID_KINDS, scalar=True, value=signed32, c=_c_pid)
def build_pid(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    if d.pidns is None:
        return lambda ev, mem: str(_s32(ev.raw_args[i]))

    def pid(ev: SyscallEvent, mem: Memory) -> str:
        return d.pid(ev, _s32(ev.raw_args[i]), kind)
    return pid


@register("tgid_pgid", scalar=True, value=signed32, c=_c_pid)
def build_tgid_pgid(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    if d.pidns is None:
        return lambda ev, mem: str(_s32(ev.raw_args[i]))
    return lambda ev, mem: d.pid_or_pgid(ev, _s32(ev.raw_args[i]))


def pidfd_pid(pid: int, pidfd: int) -> int:
    """The process a pidfd of process ``pid`` refers to, as /proc numbers it: the "Pid:" line
    of its fdinfo, a pid of the namespace procfs was mounted in (proc_pid_fdinfo(5),
    kernel/fork.c pidfd_show_fdinfo); 0 when it is no pidfd, -1 once that process is reaped."""
    try:
        with open(f"{proc_dir(pid)}/fdinfo/{pidfd}", "rb") as f:
            for line in f:
                if line.startswith(b"Pid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


@register("pidfd_fd", scalar=True, value=signed32)
def build_pidfd_fd(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    """``pidfd_fd:N``: a descriptor of the process pidfd argument N refers to (pidfd_getfd(2)'s
    targetfd): -y decorates it from that process's fd table (strace's printfd_pid)."""
    src = int(kind.split(":", 1)[1])

    def target_fd(ev: SyscallEvent, mem: Memory) -> str:
        fd = _s32(ev.raw_args[i])
        if not d.fd_kinds or fd < 0:
            return str(fd)
        pid = pidfd_pid(ev.pid, _s32(ev.raw_args[src]))
        return f"{fd}{d.link(f'/proc/{pid}/fd/{fd}')}" if pid > 0 else str(fd)
    return target_fd


def _returns_pid(kind: str) -> None:
    # the C form: the result in decimal, as above without a pid namespace to translate in
    @returns(kind, c=lambda d, arch: c.RET_D if d.pidns is None else None)
    def ret_pid(d: DecoderBase, arch: str) -> RetFn:
        if d.pidns is None:
            return lambda ev: str(ev.retval)
        return lambda ev: d.pid(ev, ev.retval or 0, kind)


for _kind in PID_KINDS:
    _returns_pid(_kind)


@register("who", scalar=True, value=signed32, c=_c_pid)
def build_who(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    """``who:TABLE``: getpriority(2)/ioprio_get(2)'s ``who``, a process, a process group or a
    user as the first argument (``which``, a TABLE constant) says: *_PROCESS names a process,
    *_PGRP a group (strace's priority_print_who, ioprio_print_who)."""
    if d.pidns is None:
        return lambda ev, mem: str(_s32(ev.raw_args[i]))
    names = fmt.enum(arch, kind.split(":", 1)[1])

    def who(ev: SyscallEvent, mem: Memory) -> str:
        value = _s32(ev.raw_args[i])
        which = names.get(ev.raw_args[0] & 0xFFFFFFFF) or ""
        if which.endswith("_PROCESS"):
            return d.pid(ev, value, "tgid")
        if which.endswith("_PGRP"):
            return d.pid(ev, value, "pgid")
        return str(value)
    return who


@register("waitid_id", scalar=True, value=signed32)
def build_waitid_id(d: DecoderBase, i: int, arch: str, kind: str) -> ArgFn:
    """waitid(2)'s id, what its idtype (argument 0) says: a process (P_PID), a process group
    (P_PGID), a pidfd (P_PIDFD, -y decorated), nothing (P_ALL) (strace's wait.c)."""
    names = fmt.enum(arch, "waitid_idtype")

    def waitid_id(ev: SyscallEvent, mem: Memory) -> str:
        value = _s32(ev.raw_args[i])
        which = names.get(ev.raw_args[0] & 0xFFFFFFFF)
        if which == "P_PID":
            return d.pid(ev, value, "tgid")
        if which == "P_PGID":
            return d.pid(ev, value, "pgid")
        if which == "P_PIDFD":
            return d.fd_or_num(ev, value)
        return str(value)
    return waitid_id
