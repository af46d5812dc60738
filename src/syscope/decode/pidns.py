"""PIDs as the tracer sees them: ``--decode-pids=pidns`` and ``--decode-pids=comm`` (``-Y``).

A tracee in another PID namespace passes and gets PIDs of its own namespace (getpid() = 3 in a
container).  strace prints each such PID followed by ``/* N in strace's PID NS */`` and, with -Y,
the command name of the process it names, ``N<comm>``.  The facts, from proc(5) and
ioctl_ns(2):

- /proc/P/status has ``NSpid:``, ``NStgid:``, ``NSpgid:``, ``NSsid:`` lines: the id in every PID
  namespace from the one procfs was mounted in down to the process's own (kernel/pid.c,
  fs/proc/array.c task_state);
- /proc/P/ns/pid is the process's namespace, its inode number names it, and ioctl NS_GET_PARENT
  on it opens the parent namespace (EPERM above the caller's own namespace);
- /proc may belong to another namespace than the tracer's (``unshare -pf syscope ...`` without
  remounting /proc): then even the tracer's own pids are not /proc's, and each one is found by
  scanning /proc for the process whose id in that namespace matches.

The lookup is strace's (src/pidns.c): a cache from (namespace, id, kind) to the /proc entry that
matched, checked again against /proc before it is used (pids are reused), then a scan of /proc
and of each process's tasks.
"""

from __future__ import annotations

import fcntl
import os

from syscope.decode import fmt
from syscope.lean import cache

# linux/nsfs.h: _IO(NSIO, 0x2), NSIO 0xb7
NS_GET_PARENT = 0xB702
MAX_NS_DEPTH = 32  # strace's bound on the namespace chain it follows
# the /proc/P/status line of each kind of id (fs/proc/array.c)
STATUS_KEYS = {"tid": b"NSpid:", "tgid": b"NStgid:", "pgid": b"NSpgid:", "sid": b"NSsid:"}
PID_KINDS = tuple(STATUS_KEYS)


def _ns_chain(proc_pid: int | str) -> list[int]:
    """The inode numbers of a process's PID namespace and its ancestors up to the caller's
    (NS_GET_PARENT fails with EPERM above it); empty when the process is gone."""
    try:
        fd = os.open(f"/proc/{proc_pid}/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return []
    chain: list[int] = []
    try:
        while len(chain) < MAX_NS_DEPTH:
            chain.append(os.fstat(fd).st_ino)
            try:
                parent = fcntl.ioctl(fd, NS_GET_PARENT)
            except OSError:
                break  # EPERM: the caller's namespace reached (or ENOTTY: no nsfs ioctls)
            os.close(fd)
            fd = parent
    finally:
        os.close(fd)
    return chain


def _ids(proc_pid: int | str, kind: str) -> list[int]:
    """The ``NSpid:``-style line of /proc/P/status: outermost namespace first."""
    key = STATUS_KEYS[kind]
    try:
        with open(f"/proc/{proc_pid}/status", "rb") as f:
            for line in f:
                if line.startswith(key):
                    return [int(x) for x in line[len(key):].split()]
    except (OSError, ValueError):
        pass
    return []


class PidNamespaces:
    """Translates PIDs between the tracees' namespaces and the tracer's, with a cache."""

    def __init__(self) -> None:
        chain = _ns_chain("self")
        self.our_ns = chain[0] if chain else 0
        # /proc/self/status lists one id when /proc was mounted in our own namespace
        self.proc_is_ours = len(_ids("self", "tid")) <= 1
        self._tracee_ns: dict[int, int] = {}  # tracer-ns tid -> its namespace
        self._found: dict[tuple[int, int, str], int] = {}  # (ns, id, kind) -> /proc pid
        # tracer-ns tid -> (namespace depth, its NSpid ids, its NStgid ids)
        self._own: dict[int, tuple[int, list[int], list[int]]] = {}

    def forget(self, tid: int) -> None:
        """A task ended: its pid may name another process next time."""
        self._tracee_ns.pop(tid, None)
        self._own.pop(tid, None)

    def proc_pid(self, pid: int) -> int:
        """The /proc entry of a process named by a pid of the tracer's namespace (0: none)."""
        if self.proc_is_ours or pid <= 0:
            return pid
        return self._find(self.our_ns, pid, "tid")[1]

    def from_proc(self, proc_pid: int) -> int:
        """The tracer's number of the process /proc calls ``proc_pid`` (a parent's pid read from
        /proc/P/stat is /proc's number); 0 when the process is outside the tracer's namespace
        (as getppid(2) returns 0 for a parent in an ancestor namespace, pid_namespaces(7))."""
        if proc_pid <= 0 or self.proc_is_ours:
            return max(proc_pid, 0)
        ids = _ids(proc_pid, "tgid")
        for depth, ns in enumerate(_ns_chain(proc_pid)):
            if ns == self.our_ns:
                # ids run from /proc's namespace inwards; the chain from the process's outwards
                return ids[len(ids) - depth - 1] if len(ids) > depth else 0
        return 0

    def tracee_ns(self, tid: int) -> int:
        ns = self._tracee_ns.get(tid)
        if ns is None:
            proc = self.proc_pid(tid)
            chain = _ns_chain(proc) if proc else []
            ns = chain[0] if chain else 0
            if ns:
                self._tracee_ns[tid] = ns
                # its own ids, which do not change while it lives: getpid(), kill(self) need no
                # search (a group or session can change: those are always looked up)
                self._own[tid] = (len(chain), _ids(proc, "tid"), _ids(proc, "tgid"))
        return ns

    def translate(self, tid: int | None, pid: int, kind: str) -> int:
        """``pid`` (an id of ``kind`` as task ``tid`` sees it; None: as the tracer sees it) in the
        tracer's namespace; 0 when no process has it."""
        if pid <= 0:
            return 0
        ns = self.our_ns if tid is None else self.tracee_ns(tid)
        if ns == self.our_ns and ns:
            return pid
        if not ns:
            return 0
        own = self._own.get(tid) if tid is not None and kind in ("tid", "tgid") else None
        if own is not None:
            depth, ids = own[0], own[1] if kind == "tid" else own[2]
            if ids and ids[-1] == pid and len(ids) >= depth:
                return ids[len(ids) - depth]
        return self._find(ns, pid, kind)[0]

    def _match(self, proc_pid: int, ns: int, pid: int, kind: str) -> int:
        """The id in our namespace of /proc entry ``proc_pid`` when its id in ``ns`` is ``pid``."""
        chain = _ns_chain(proc_pid)
        ids = _ids(proc_pid, kind)
        if not chain or len(ids) < len(chain):
            return 0
        for depth, each in enumerate(chain):
            if each == ns:
                # ids run from /proc's namespace inwards; chain from the process's outwards
                if ids[len(ids) - depth - 1] != pid:
                    return 0
                return ids[len(ids) - len(chain)]
        return 0

    def _find(self, ns: int, pid: int, kind: str) -> tuple[int, int]:
        """(id in our namespace, /proc pid) of the process whose ``kind`` id in ``ns`` is pid."""
        key = (ns, pid, kind)
        cached = self._found.get(key)
        if cached is not None:
            ours = self._match(cached, ns, pid, kind)
            if ours:
                return ours, cached
            del self._found[key]
        for proc_pid in self._candidates():
            ours = self._match(proc_pid, ns, pid, kind)
            if ours:
                self._found[key] = proc_pid
                return ours, proc_pid
        return 0, 0

    @staticmethod
    def _candidates() -> list[int]:
        """Every process and thread in /proc: the threads of each process, then the process."""
        out: list[int] = []
        try:
            names = os.listdir("/proc")
        except OSError:
            return out
        for name in names:
            if not name.isdigit():
                continue
            try:
                out.extend(int(t) for t in os.listdir(f"/proc/{name}/task") if t != name)
            except OSError:
                pass
            out.append(int(name))
        return out

    def comm(self, pid: int) -> str:
        """/proc/P/comm of a pid of the tracer's namespace, "" when gone."""
        proc = self.proc_pid(pid)
        if not proc:
            return ""
        try:
            with open(f"/proc/{proc}/comm", "rb") as f:
                return f.read().rstrip(b"\n").decode("latin-1")
        except OSError:
            return ""


def comm_suffix(comm: str) -> str:
    """``<comm>`` after a pid (strace print_comm_str): quoted as a string, ``<`` and ``>``
    escaped too; nothing for an unknown name."""
    if not comm:
        return ""
    text = fmt.quote(comm.encode("latin-1"), 0, b"<>")
    return f"<{text}>"


@cache
def shared() -> PidNamespaces:
    """The session's translator: the tracer's namespace and the cache, made on first use."""
    return PidNamespaces()


def proc_dir(pid: int) -> str:
    """``/proc/P`` of the process the tracer calls ``pid``: /proc may be mounted from another
    PID namespace than the tracer's (``unshare -pf syscope ...`` without remounting it), where
    that process has another number (strace's get_proc_pid); /proc/0 (absent) when it has none."""
    return f"/proc/{proc_pid(pid)}"


def proc_pid(pid: int) -> int:
    """The number /proc gives the process the tracer calls ``pid`` (see proc_dir); 0: none."""
    return shared().proc_pid(pid)


class TaskNames:
    """-Y's name of each traced task, as strace keeps one per task (tcb->comm, printed after the
    pid that starts each line): read when the task is first seen and again after a call that
    renames it succeeds (execve(2), execveat(2), prctl(PR_SET_NAME); syscall.c COMM_CHANGE), so
    its exit line still names it after /proc/PID is gone."""

    def __init__(self, namespaces: PidNamespaces) -> None:
        self.namespaces = namespaces
        self.names: dict[int, str] = {}
        self.pr_set_name = next((v for v, n in fmt.consts("x86_64").get("prctl_option", []) if n == "PR_SET_NAME"), -1)

    def suffix(self, tid: int) -> str:
        """``<comm>`` for a task's line prefix: read again while the task lives, since a call
        that renames it may be one -e trace= leaves out (no event reaches after_call then, where
        strace still stops at it); the last name read once /proc/PID is gone."""
        now = self.namespaces.comm(tid)
        if now or tid not in self.names:
            self.names[tid] = comm_suffix(now)
        return self.names[tid]

    def after_call(self, tid: int, name: str, first_arg: int, failed: bool) -> None:
        if not failed and (name in ("execve", "execveat") or (name == "prctl" and first_arg == self.pr_set_name)):
            self.names[tid] = comm_suffix(self.namespaces.comm(tid))
