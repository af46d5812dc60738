"""Namespaces of a process from /proc/PID/ns and its pid inside its pid namespace.

namespaces(7): each /proc/PID/ns/<type> is a magic link ``type:[inode]``; two processes are
in the same namespace exactly when the inodes are equal.  Reading the links needs ptrace
read access (proc(5), PTRACE_MODE_READ_FSCREDS), so an unreadable link is reported as None.
psutil exposes neither the links nor NSpid, so both are read by hand.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from syscope.errors import AccessDenied, KernelError
from syscope.proc._procfs import os_error, proc_path, read_text

NS_TYPES = ("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts")
_LINK = re.compile(r"^(\w+):\[(\d+)\]$")


def namespaces(pid: int) -> dict[str, int | None]:
    """Namespace inode per type; None for a type this kernel lacks or that may not be read.

    Raises NoSuchProcess when the process is gone.
    """
    out: dict[str, int | None] = {}
    for kind in NS_TYPES:
        try:
            link = os.readlink(proc_path(pid, "ns", kind))
        except OSError as exc:
            err = os_error(exc, pid, f"ns/{kind}")
            if isinstance(err, AccessDenied):
                out[kind] = None
                continue
            if not os.path.exists(proc_path(pid)):
                raise err from None
            out[kind] = None  # this namespace type does not exist on this kernel
            continue
        m = _LINK.match(link)
        out[kind] = int(m.group(2)) if m else None
    return out


def ns_pids(pid: int) -> list[int]:
    """The process's pid in each nested pid namespace, outermost first (NSpid in proc(5))."""
    for line in read_text(pid, "status").splitlines():
        if line.startswith("NSpid:"):
            return [int(x) for x in line.split()[1:]]
    return [pid]  # kernels before 4.1 have no NSpid line: no nesting is visible


@dataclass(frozen=True, slots=True)
class PidNamespace:
    """Which pid namespace a process is in, relative to the one syscope runs in."""

    inode: int | None
    ns_pid: int  # the pid the process sees for itself (innermost NSpid)
    depth: int  # how many pid namespaces below ours (0 = ours)
    ours: bool = field(default=True)

    def label(self) -> str:
        if self.inode is None:
            return "?"
        if self.ours:
            return str(self.inode)
        return f"{self.inode}(pid {self.ns_pid})"


_OWN_PIDNS: int | None = None


def own_pid_namespace() -> int | None:
    global _OWN_PIDNS
    if _OWN_PIDNS is None:
        try:
            _OWN_PIDNS = int(_LINK.match(os.readlink("/proc/self/ns/pid")).group(2))  # type: ignore[union-attr]
        except (OSError, AttributeError):
            return None
    return _OWN_PIDNS


@functools.cache
def _proc_levels() -> int:
    """How many pid namespaces /proc's is above syscope's: NSpid lists a process's ids from
    /proc's namespace inwards (0 when /proc was mounted in syscope's own)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return len(line.split()) - 2
    except OSError:
        pass
    return 0


def pid_namespace(pid: int) -> PidNamespace:
    """The pid namespace of /proc entry ``pid``, relative to syscope's; raises NoSuchProcess when
    it is gone."""
    try:
        inode = namespaces(pid).get("pid")
    except AccessDenied:
        inode = None
    try:
        nspids = ns_pids(pid)
    except AccessDenied:
        nspids = [pid]
    except KernelError:
        raise
    own = own_pid_namespace()
    ours = inode is None or own is None or inode == own
    return PidNamespace(inode, nspids[-1], max(len(nspids) - 1 - _proc_levels(), 0), ours)
