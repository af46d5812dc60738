"""Process facts that events do not carry: ``ProcInfo`` per pid and the ``Context`` every stage
shares (sources fill it, sysdig's fields and the sinks read it), from /proc for a live session or
from a capture file's process table.

The process table (``Context.procs``) is kept by the source from fork/exec/exit facts: the eBPF
source records them in the kernel (``exec``: exe path, argv, uid/gid, comm, cgroup id and pid
namespace read in sched_process_exec, so a program that is gone before user space looks still has
its arguments), after seeding the table from /proc at start (``seed_from_procfs``).  Field code
reads it through ``Context.proc(pid)``, ``Context.ancestor(pid, n)`` (proc.aname[N], proc.apid[N],
proc.pname) and ``ProcInfo``'s attributes (``cmdline``: argv, ``exe``: the path executed).
"""

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
    gid: int | None = None
    cgroup_id: int | None = None  # cgroup v2 id (the cgroup directory's inode number)
    pidns: int | None = None  # inode number of the pid namespace (/proc/PID/ns/pid)
    args_truncated: bool = False  # argv was longer than the source records (cmdline is a prefix)


@dataclass(eq=False)  # compared and hashed by identity: per-session caches key on it
class Context:
    """Process and fd facts that events do not carry.  ``live`` reads /proc for unknown pids."""

    live: bool = True
    procs: dict[int, ProcInfo] = field(default_factory=dict)
    fds: dict[tuple[int, int], str] = field(default_factory=dict)  # (pid, fd) -> name
    num: int | None = None  # evt.num of the event being evaluated (the source numbers events)

    def proc_pid(self, pid: int) -> int:
        """/proc's number of the process this context calls ``pid`` (0: none): the eBPF
        source's pids are the kernel's (bpf_get_current_pid_tgid: the initial namespace's),
        which /proc mounted there uses too."""
        return pid

    def proc_dir(self, pid: int) -> str:
        """/proc's directory of the process this context calls ``pid`` (see proc_pid)."""
        return f"/proc/{self.proc_pid(pid)}"

    def pid_from_proc(self, proc_pid: int) -> int:
        """This context's number of the process /proc calls ``proc_pid`` (see proc_dir)."""
        return proc_pid

    def proc(self, pid: int) -> ProcInfo | None:
        p = self.procs.get(pid)
        if p is None and self.live:
            p = _proc_from_procfs(self, pid)
            if p is not None:
                self.procs[pid] = p
        return p

    def ancestor(self, pid: int, n: int) -> ProcInfo | None:
        """The process ``n`` generations above ``pid`` (0: itself, 1: its parent), as the table
        knows them; None past the top (pid 0) or where a link is unknown."""
        cur = self.proc(pid)
        for _ in range(n):
            if cur is None or cur.ppid <= 0:
                return None
            cur = self.proc(cur.ppid)
        return cur

    def on_fork(self, child: int, parent: int) -> ProcInfo:
        """A new process ``child`` (a tgid) forked by process ``parent``: it runs the parent's
        program until it execs, so it starts with the parent's facts (fork(2))."""
        p = self.procs.get(parent)
        info = ProcInfo(pid=child, ppid=parent)
        if p is not None:
            info.name, info.exe, info.cmdline = p.name, p.exe, p.cmdline
            info.uid, info.gid, info.container = p.uid, p.gid, p.container
            info.cgroup_id, info.pidns, info.args_truncated = p.cgroup_id, p.pidns, p.args_truncated
        self.procs[child] = info
        # the child has copies of the parent's fds (fork(2)): same names, until it changes them
        for (_pid, fd), name in [(k, v) for k, v in self.fds.items() if k[0] == parent]:
            self.fds[(child, fd)] = name
        return info

    def on_exec(self, info: ProcInfo) -> None:
        """``info.pid`` now runs a new program (the facts recorded at its exec)."""
        old = self.procs.get(info.pid)
        if old is not None and info.container == "host" and old.container != "host":
            info.container = old.container  # exec(2) keeps the cgroup
        self.procs[info.pid] = info

    def on_exit(self, pid: int) -> None:
        """Process ``pid`` is gone: forget it (the pid may be reused) and its fds."""
        self.procs.pop(pid, None)
        for key in [k for k in self.fds if k[0] == pid]:
            del self.fds[key]

    def seed_from_procfs(self, pid: int | None = None) -> None:
        """The tables' start, from /proc, before fork/exec/exit facts arrive: every process
        running now and its fds, or (``pid``) one process, its fds and its ancestors."""
        if pid is None:
            pids = [p_ for n in os.listdir("/proc") if n.isdigit() and (p_ := self.pid_from_proc(int(n)))]
            for p_ in pids:
                self.proc(p_)
        else:
            pids = [pid]
            self.ancestor(pid, 64)  # reads the chain up to init
        for p_ in pids:
            fd_dir = f"{self.proc_dir(p_)}/fd"
            try:
                fds = os.listdir(fd_dir)
            except OSError:
                continue
            for fd in fds:
                try:
                    self.fds.setdefault((p_, int(fd)), os.readlink(f"{fd_dir}/{fd}"))
                except OSError:
                    continue

    def fd_name(self, pid: int, fd: int) -> str | None:
        name = self.fds.get((pid, fd))
        if name is None and self.live:
            try:
                name = os.readlink(f"{self.proc_dir(pid)}/fd/{fd}")
            except OSError:
                return None
            self.fds[(pid, fd)] = name
        return name


class PtraceContext(Context):
    """The Context of events from the ptrace source, which carry no process facts of their own
    (comm, ppid, uid, paths are left empty by the tracer) but come while the thread is stopped:
    /proc/PID is then the truth about the process and its fds, read on first use and cached per
    pid until an exec (or the process's exit) makes it stale.

    Its pids are the tracer's (ptrace(2) and waitpid(2) give the tracer's namespace's numbers),
    which /proc calls otherwise when it was mounted in another pid namespace (syscope run under
    ``unshare -pf`` without remounting /proc): every read maps them through the decoder's
    translator (syscope.decode.pidns), as the -y decorations do."""

    def proc_pid(self, pid: int) -> int:
        from syscope.decode import pidns  # the ptrace source has loaded it: the decoder uses it

        return pidns.proc_pid(pid)

    def pid_from_proc(self, proc_pid: int) -> int:
        from syscope.decode import pidns

        return pidns.shared().from_proc(proc_pid)

    def fd_name(self, pid: int, fd: int) -> str | None:
        # The tracee is stopped at the syscall's exit: /proc/PID/fd/N is exact, even for fds this
        # context never saw opened (inherited, or opened by calls left out by -e trace=).
        try:
            live = os.readlink(f"{self.proc_dir(pid)}/fd/{fd}")
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


def _proc_from_procfs(ctx: Context, pid: int) -> ProcInfo | None:
    proc_dir = ctx.proc_dir(pid)
    try:
        with open(f"{proc_dir}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return None
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    ppid = ctx.pid_from_proc(int(stat[stat.rindex(")") + 2:].split()[1]))  # /proc's number
    info = ProcInfo(pid=pid, name=name, ppid=ppid)
    try:
        info.uid = os.stat(proc_dir).st_uid
    except OSError:
        pass
    fill_from_procfs(info, proc_dir)
    return info


def fill_from_procfs(info: ProcInfo, proc_dir: str | None = None) -> None:
    """Set ``info``'s exe, cmdline and container from its /proc directory (``proc_dir``, by
    default /proc/PID); what cannot be read (the process is gone, or a kernel thread has no exe)
    keeps the value it had."""
    proc_dir = proc_dir or f"/proc/{info.pid}"
    try:
        info.exe = os.readlink(f"{proc_dir}/exe")
    except OSError:
        pass
    try:
        with open(f"{proc_dir}/cmdline", "rb") as f:
            info.cmdline = tuple(a.decode(errors="replace") for a in f.read().split(b"\0")[:-1])
        with open(f"{proc_dir}/cgroup") as f:
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
