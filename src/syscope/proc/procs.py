"""The process table with the identity facts ps(1) lacks: container and pid namespace.

psutil reads pid, ppid, user, name, cmdline and status; the cgroup and namespace facts come from
``syscope.proc.cgroup`` and ``syscope.proc.ns``.  Pids are those of syscope's pid namespace, as the
user types them and as ps there shows them, also when /proc was mounted from another namespace
(``unshare -pf`` without remounting /proc): then each is mapped to /proc's number
(``_procfs.to_proc``), and a process outside syscope's namespace, which has no pid there, is not
listed (a /proc mounted in that namespace would not show it either).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import psutil

from syscope.errors import AccessDenied, KernelError
from syscope.proc._procfs import from_proc, proc_is_ours, psutil_error, to_proc
from syscope.proc.cgroup import ContainerInfo, container_info
from syscope.proc.containers import ContainerFacts, facts_for_info
from syscope.proc.ns import PidNamespace, pid_namespace

_ATTRS = ["pid", "ppid", "username", "name", "cmdline", "status"]


@dataclass(slots=True)
class ProcInfo:
    pid: int
    ppid: int
    user: str | None  # None when the owner may not be read
    name: str
    cmdline: list[str]
    status: str
    container: ContainerInfo | None = None  # None when /proc/PID/cgroup may not be read
    pidns: PidNamespace | None = None
    facts: ContainerFacts | None = None  # name, image, pod: from the runtime's state, when it has it
    children: list[ProcInfo] = field(default_factory=list)
    proc_pid: int = 0  # /proc's number of it (0: pid), when /proc is another pid namespace's

    @property
    def proc_entry(self) -> int:
        """The number of its /proc entry, what its files are read by."""
        return self.proc_pid or self.pid

    @property
    def command(self) -> str:
        """The command line, or ``[name]`` for kernel threads, which have none (as ps shows);
        a zombie has lost its memory and so its command line: ps prints ``<defunct>``."""
        if self.status == "zombie":
            return f"[{self.name}] <defunct>"
        return " ".join(self.cmdline) if self.cmdline else f"[{self.name}]"

    @property
    def in_container(self) -> bool:
        return self.container is not None and self.container.id is not None

    def to_dict(self) -> dict[str, Any]:
        c = self.container
        return {
            "pid": self.pid, "ppid": self.ppid, "user": self.user, "name": self.name,
            "cmdline": list(self.cmdline), "status": self.status,
            "container": None if c is None else {
                "id": c.id, "runtime": c.runtime, "pod": c.pod, "unit": c.unit, "slice": c.slice,
                "cgroup": c.cgroup, **_facts_dict(self.facts)},
            "pidns": None if self.pidns is None else {
                "inode": self.pidns.inode, "ns_pid": self.pidns.ns_pid, "depth": self.pidns.depth,
                "same_as_syscope": self.pidns.ours},
        }


def _facts_dict(f: ContainerFacts | None) -> dict[str, Any]:
    if f is None:
        return {"name": None, "image": None, "type": None, "k8s_pod_name": None, "k8s_ns_name": None}
    return {"name": f.name, "image": f.image, "image_repository": f.image_repository,
            "image_tag": f.image_tag, "image_id": f.image_id, "type": f.type,
            "k8s_pod_name": f.pod_name, "k8s_ns_name": f.pod_namespace}


def _augment(info: ProcInfo) -> ProcInfo:
    try:
        info.container = container_info(info.proc_entry)
    except AccessDenied:
        info.container = None
    info.facts = facts_for_info(info.container) if info.container is not None else None
    try:
        info.pidns = pid_namespace(info.proc_entry)
    except AccessDenied:
        info.pidns = None
    return info


def _from_psutil(d: dict[str, Any], pid: int = 0) -> ProcInfo:
    """``d`` read by /proc's number; ``pid``: syscope's (0: mapped from /proc's here)."""
    proc_pid, ppid = d["pid"], d["ppid"] or 0
    if proc_is_ours():
        pid = proc_pid
    else:
        pid = pid or from_proc(proc_pid)
        ppid = from_proc(ppid)  # /proc/P/stat's is /proc's number too
    return ProcInfo(pid=pid, ppid=ppid, user=d["username"], name=d["name"] or "?",
                    cmdline=list(d["cmdline"] or []), status=d["status"] or "?",
                    proc_pid=0 if proc_pid == pid else proc_pid)


def process_info(pid: int) -> ProcInfo:
    """Facts about the process syscope's pid namespace calls ``pid``; raises NoSuchProcess /
    AccessDenied."""
    try:
        p = psutil.Process(to_proc(pid))
        with p.oneshot():
            d = p.as_dict(_ATTRS, ad_value=None)
    except psutil.Error as exc:
        raise psutil_error(exc, pid, "process facts") from None
    return _augment(_from_psutil(d, pid))


def list_processes(pids: Iterable[int] | None = None) -> Iterator[ProcInfo]:
    """Every process (or those in ``pids``) that still exists when it is read.

    Processes that exit while the table is being read are left out, as ps(1) does: they are
    not part of the table any more.
    """
    if pids is not None:
        # Read only the wanted processes (process_iter would read every process's facts first);
        # only pids /proc lists count, as before: a thread id is not a process.
        listed = set(psutil.pids())
        for pid in sorted(set(pids)):
            try:
                if to_proc(pid) in listed:
                    yield process_info(pid)
            except KernelError:  # gone (NoSuchProcess) or not ours to read
                continue
        return
    for p in psutil.process_iter(_ATTRS, ad_value=None):
        try:
            info = _from_psutil(p.info)
            if info.pid:  # else outside syscope's pid namespace: no pid to show it by
                yield _augment(info)
        except KernelError:  # gone (NoSuchProcess) or not ours to read
            continue


def build_tree(procs: list[ProcInfo]) -> list[ProcInfo]:
    """Link children to parents; the roots are processes whose parent is not in the list."""
    by_pid = {p.pid: p for p in procs}
    roots = []
    for p in procs:
        p.children = []
    for p in sorted(procs, key=lambda x: x.pid):
        parent = by_pid.get(p.ppid)
        if parent is not None and parent is not p:
            parent.children.append(p)
        else:
            roots.append(p)
    return roots
