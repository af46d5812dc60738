"""Environments of processes and the secret-like variables in them.

proc(5): /proc/PID/environ holds the environment the process was *started* with (the initial
stack copy); later setenv() calls inside the process are not visible there.  Reading it needs
ptrace read access to the process; psutil's ``Process.environ()`` does the reading.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import psutil

from syscope.errors import AccessDenied, KernelError, NoSuchProcess
from syscope.proc._procfs import is_kernel_thread, psutil_error
from syscope.proc.procs import ProcInfo, list_processes, process_info
from syscope.proc.secrets import Finding, find_secrets


@dataclass(slots=True)
class EnvReport:
    """The environment of one process, or why it could not be read."""

    proc: ProcInfo
    env: dict[str, str] = field(default_factory=dict)
    secrets: list[Finding] = field(default_factory=list)
    error: str | None = None  # "gone", "zombie", "access denied" ...
    kernel_thread: bool = False  # kernel threads have no user-space environment

    def to_dict(self, reveal: bool = False) -> dict[str, Any]:
        flagged = {f.name: f for f in self.secrets}
        env = {k: (v if reveal or k not in flagged else flagged[k].redacted) for k, v in self.env.items()}
        return {**self.proc.to_dict(), "error": self.error, "kernel_thread": self.kernel_thread,
                "environ": env,
                "secrets": [{"name": f.name, "reason": f.reason,
                             "value": self.env[f.name] if reveal else f.redacted} for f in self.secrets]}


def _read_env(proc: ProcInfo) -> EnvReport:
    rep = EnvReport(proc)
    try:
        env = psutil.Process(proc.proc_entry).environ()
    except psutil.Error as exc:
        err = psutil_error(exc, proc.pid, "the environment")
        if isinstance(err, NoSuchProcess) and not isinstance(exc, psutil.ZombieProcess):
            try:
                rep.kernel_thread = is_kernel_thread(proc.proc_entry)
            except KernelError:
                pass
            if rep.kernel_thread:
                return rep
        if isinstance(exc, psutil.ZombieProcess):
            rep.error = "zombie (exited, not yet reaped): no environment left"
        elif isinstance(err, NoSuchProcess):
            rep.error = "gone (exited while being read)"
        elif isinstance(err, AccessDenied):
            rep.error = "access denied"
        else:
            rep.error = str(err)
        return rep
    rep.env = dict(env)
    rep.secrets = find_secrets(rep.env)
    return rep


def read_env(pid: int) -> EnvReport:
    """The environment of one process (``pid``: syscope's pid namespace's, procs.py).  Raises
    NoSuchProcess when there is no such process; a process that may not be read gives a report
    whose ``error`` says so."""
    proc = process_info(pid)
    rep = _read_env(proc)
    if rep.error and rep.error.startswith("gone"):
        raise NoSuchProcess(f"process {pid} exited while its environment was being read")
    return rep


def scan_all(pids: Iterable[int] | None = None) -> list[EnvReport]:
    """Environment reports of every process that exists while the scan runs."""
    out = []
    for proc in list_processes(pids):
        try:
            out.append(_read_env(proc))
        except KernelError:  # the process vanished between listing and reading
            continue
    return out
