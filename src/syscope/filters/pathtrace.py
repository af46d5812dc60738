"""strace's -P: the calls that name one of the given paths, in a path argument or through a
descriptor open on it (strace's src/pathtrace.c; descriptors are resolved through
/proc/PID/fd at the call, as strace does).

Which arguments are paths and descriptors comes from the syscall-knowledge layer (each call's
roles); the calls whose arguments mean different things by command say it per command here.
"""

from __future__ import annotations

import os

from syscope.decode import fmt
from syscope.decode.base import proc_dir
from syscope.events import SyscallEvent
from syscope.syscalls import roles
from syscope.typenames import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

# calls whose descriptors are inside arrays or sets, not arguments of their own
FD_ARRAY_CALLS = frozenset({"poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64"})
# fds at or above this are not looked up (pathtrace.c bounds select's sets at 1024*1024)
_MAX_FD = 1 << 20


def _fsconfig_fds(ev: SyscallEvent) -> tuple[list[str], list[int]] | None:
    """fsconfig(2): only FSCONFIG_SET_PATH/SET_PATH_EMPTY name a file (value a path, aux its
    dirfd) and FSCONFIG_SET_FD one (aux); the key and the context fd (fs_fd) never count
    (pathtrace.c SEN_fsconfig).  None: no path and no fd."""
    names = fmt.enum(ev.arch, "fsconfig_cmds")
    cmd = names.get(ev.raw_args[1] & 0xFFFFFFFF) if len(ev.raw_args) > 4 else None
    if cmd in ("FSCONFIG_SET_PATH", "FSCONFIG_SET_PATH_EMPTY"):
        value = (ev.arg_values or {}).get(3)
        return ([value] if isinstance(value, str) else []), [ev.raw_args[4] & 0xFFFFFFFF]
    if cmd == "FSCONFIG_SET_FD":
        return [], [ev.raw_args[4] & 0xFFFFFFFF]
    return None


# calls whose path and descriptor arguments depend on a command argument: (paths, fds) of one
# call, None when it names none
BY_COMMAND: dict[str, Callable[[SyscallEvent], tuple[list[str], list[int]] | None]] = {
    "fsconfig": _fsconfig_fds,
}


def _array_fds(ev: SyscallEvent) -> list[int]:
    """The descriptors poll/select wait on (their decoded arrays and sets), as pathtrace.c."""
    out: list[int] = []
    for v in (ev.arg_values or {}).values():
        if isinstance(v, list):
            out += [x["fd"] if isinstance(x, dict) else x for x in v
                    if isinstance(x, int) or (isinstance(x, dict) and isinstance(x.get("fd"), int))]
    return out


def path_filter(paths: list[str]) -> Callable[[SyscallEvent], bool]:
    """-P PATH...: a predicate selecting the calls that name one of ``paths`` (each also by its
    resolved form, as strace stores both)."""
    wanted = set()
    for p in paths:
        wanted.add(p)
        wanted.add(os.path.realpath(p))
    quoted = {'"' + w + '"' for w in wanted}

    def fd_matches(ev: SyscallEvent, fds: list[int]) -> bool:
        for fd in fds:
            if not 0 <= fd < _MAX_FD:
                continue
            try:
                if os.readlink(f"{proc_dir(ev.pid)}/fd/{fd}") in wanted:
                    return True
            except OSError:
                continue
        return False

    def match(ev: SyscallEvent) -> bool:
        by_command = BY_COMMAND.get(ev.name)
        if by_command is not None:
            got = by_command(ev)
            return got is not None and (any(p in wanted for p in got[0]) or fd_matches(ev, got[1]))
        for a in ev.args:
            if a in quoted or (a.endswith(">") and a[a.find("<") + 1:-1] in wanted):
                return True
        # the descriptor arguments (their roles): an fd is an int, the kernel reads the low 32
        # bits of its register (pathtrace.c: fd arguments and the dirfd of *at calls)
        r = roles.roles(ev.name)
        fds = [ev.raw_args[i] & 0xFFFFFFFF for i in (*r.fds, *r.dirfds) if i < len(ev.raw_args)]
        if ev.name in FD_ARRAY_CALLS:
            fds += _array_fds(ev)
        return fd_matches(ev, fds)
    return match
