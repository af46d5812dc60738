"""Process facts that events do not carry: ``ProcInfo`` per pid and the ``Context`` every stage
shares (sources fill it, sysdig's fields and the sinks read it), from /proc for a live session or
from a capture file's process table."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(slots=True)
class ProcInfo:
    pid: int
    name: str = ""
    exe: str = ""
    cmdline: tuple[str, ...] = ()
    ppid: int = 0
    uid: int | None = None
    container: str = "host"
    start: float | None = None


@dataclass
class Context:
    """Process and fd facts that events do not carry.  ``live`` reads /proc for unknown pids."""

    live: bool = True
    procs: dict[int, ProcInfo] = field(default_factory=dict)
    fds: dict[tuple[int, int], str] = field(default_factory=dict)  # (pid, fd) -> name
    num: int | None = None  # evt.num of the event being evaluated (the source numbers events)

    def proc(self, pid: int) -> ProcInfo | None:
        p = self.procs.get(pid)
        if p is None and self.live:
            p = _proc_from_procfs(pid)
            if p is not None:
                self.procs[pid] = p
        return p

    def fd_name(self, pid: int, fd: int) -> str | None:
        name = self.fds.get((pid, fd))
        if name is None and self.live:
            try:
                name = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                return None
            self.fds[(pid, fd)] = name
        return name


class PtraceContext(Context):
    """The Context of events from the ptrace source, which carry no process facts of their own
    (comm, ppid, uid, paths are left empty by the tracer) but come while the thread is stopped:
    /proc/PID is then the truth about the process and its fds, read on first use and cached per
    pid until an exec (or the process's exit) makes it stale."""

    def fd_name(self, pid: int, fd: int) -> str | None:
        # The tracee is stopped at the syscall's exit: /proc/PID/fd/N is exact, even for fds this
        # context never saw opened (inherited, or opened by calls left out by -e trace=).
        try:
            live = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            live = None  # the call closed it (close(2)): the name it had, from the table
        known = self.fds.get((pid, fd))
        if live is None:
            return known
        if live.startswith("socket:[") and known is not None and not known.startswith("/"):
            return known  # the address connect/bind/accept gave: more than "socket:[inode]"
        if known is not None and known != live and not live.startswith("socket:["):
            self.fds[(pid, fd)] = live
        return live

    def forget(self, pid: int) -> None:
        """Drop what is cached about ``pid`` (after an exec: new program, new name, cloexec fds
        gone; after its exit: the pid may be reused)."""
        self.procs.pop(pid, None)
        for key in [k for k in self.fds if k[0] == pid]:
            del self.fds[key]


def _proc_from_procfs(pid: int) -> ProcInfo | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return None
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    ppid = int(stat[stat.rindex(")") + 2:].split()[1])
    info = ProcInfo(pid=pid, name=name, ppid=ppid)
    try:
        info.uid = os.stat(f"/proc/{pid}").st_uid
    except OSError:
        pass
    fill_from_procfs(info)
    return info


def fill_from_procfs(info: ProcInfo) -> None:
    """Set ``info``'s exe, cmdline and container from /proc/PID; what cannot be read (the process
    is gone, or a kernel thread has no exe) keeps the value it had."""
    pid = info.pid
    try:
        info.exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            info.cmdline = tuple(a.decode(errors="replace") for a in f.read().split(b"\0")[:-1])
        with open(f"/proc/{pid}/cgroup") as f:
            info.container = container_id(f.read())
    except OSError:
        pass


def container_id(cgroup_text: str) -> str:
    """sysdig's container.id: the 12-digit short id of the container the cgroup path names (a
    named one's name: nspawn, LXC), as syscope.proc.cgroup reads the runtimes' layouts; "host"
    outside a container."""
    from syscope.proc.cgroup import parse_cgroup

    return parse_cgroup(cgroup_text).short_id or "host"


__all__ = ["ProcInfo", "Context", "PtraceContext", "fill_from_procfs", "container_id"]
