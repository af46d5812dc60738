"""/proc inspection: processes with their container and pid namespace, environments with the
secret-like variables in them, open file descriptors described as what they are.

``container_id(pid)`` is what the event sources call to fill ``container.id``.
"""

from __future__ import annotations

from syscope.proc.cgroup import ContainerInfo, container_id, container_info, parse_cgroup
from syscope.proc.env import EnvReport, read_env, scan_all
from syscope.proc.fds import FdInfo, SocketInfo, list_fds, socket_table
from syscope.proc.ns import PidNamespace, namespaces, ns_pids, pid_namespace
from syscope.proc.procs import ProcInfo, build_tree, list_processes, process_info
from syscope.proc.secrets import Finding, classify, find_secrets, redact

__all__ = [
    "ContainerInfo", "EnvReport", "FdInfo", "Finding", "PidNamespace", "ProcInfo", "SocketInfo",
    "build_tree", "classify", "container_id", "container_info", "find_secrets", "list_fds",
    "list_processes", "namespaces", "ns_pids", "parse_cgroup", "pid_namespace", "process_info",
    "read_env", "redact", "scan_all", "socket_table",
]
