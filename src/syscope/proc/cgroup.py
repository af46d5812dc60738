"""Container identity from /proc/PID/cgroup.

Container runtimes do not tell the kernel "this is a container"; they put the container's
processes in a cgroup whose path names it.  The names below are the runtimes' conventions:

- systemd cgroup driver (docker, containerd/cri, cri-o, podman, nerdctl): one transient scope
  per container, ``<prefix>-<64 hex id>.scope`` (``docker-``, ``cri-containerd-``, ``crio-``,
  ``libpod-``, ``nerdctl-``), under a slice (``system.slice``, ``kubepods-*.slice``,
  ``machine.slice``, ``user@UID.service`` for rootless podman).
- cgroupfs driver: a directory named by the bare 64-hex id under the runtime's parent
  (``/docker/<id>``, ``/kubepods/burstable/pod<uid>/<id>``, ``/libpod_parent/libpod-<id>``,
  ``/<containerd namespace>/<id>``).
- systemd-nspawn / machinectl: ``machine.slice/machine-<name>.scope`` (systemd.special(7)).
- LXC: ``/lxc/<name>`` or ``/lxc.payload.<name>``.

A process that is not in a container still has a systemd unit and slice when systemd runs the
machine (``system.slice/ssh.service``); that is reported as ``unit``/``slice``.

Conmon helper scopes (``libpod-conmon-<id>.scope``, ``crio-conmon-<id>.scope``) belong to the
runtime, not to the container, so they deliberately do not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from syscope.errors import KernelError
from syscope.proc._procfs import read_text

_HEX64 = "[0-9a-f]{64}"
# (regex on one path component, runtime name)
_SCOPE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^docker-({_HEX64})\.scope$"), "docker"),
    (re.compile(rf"^cri-containerd-({_HEX64})\.scope$"), "containerd"),
    (re.compile(rf"^crio-({_HEX64})\.scope$"), "cri-o"),
    (re.compile(rf"^libpod-({_HEX64})(?:\.scope)?$"), "podman"),
    (re.compile(rf"^nerdctl-({_HEX64})\.scope$"), "containerd"),
    (re.compile(r"^machine-(.+)\.scope$"), "systemd-nspawn"),
    (re.compile(r"^lxc\.payload\.(.+)$"), "lxc"),
)
_BARE_ID = re.compile(rf"^{_HEX64}$")
_POD_UID = re.compile(r"pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})")
_SYSTEMD_UNIT = re.compile(r"\.(service|scope|slice|socket|mount|swap|target|timer)$")


@dataclass(frozen=True, slots=True)
class ContainerInfo:
    """Where a process lives, as its cgroup path says."""

    cgroup: str  # the cgroup path this was read from (the v2 one when the host has it)
    runtime: str | None = None  # docker, containerd, cri-o, podman, kubernetes, systemd-nspawn, lxc
    id: str | None = None  # full container id (64 hex) or machine/container name
    pod: str | None = None  # Kubernetes pod UID when the path carries one
    unit: str | None = None  # systemd unit (ssh.service, docker-<id>.scope, session-3.scope)
    slice: str | None = None  # systemd slice holding the unit

    @property
    def short_id(self) -> str | None:
        """The 12-character id docker and podman print, or the name for named containers."""
        if self.id is not None and _BARE_ID.match(self.id):
            return self.id[:12]
        return self.id

    def label(self) -> str:
        """One word for tables: ``docker:1a83cf2c10b3``, ``host`` or ``host:ssh.service``."""
        if self.id is not None:
            return f"{self.runtime}:{self.short_id}"
        if self.unit:
            return f"host:{self.unit}"
        return "host"


def _unescape_systemd(name: str) -> str:
    # systemd-escape(1): unit names encode "-" inside a name as "\x2d" and other bytes likewise.
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), name)


def _from_path(path: str) -> ContainerInfo | None:
    """A container found in one cgroup path, or None."""
    parts = [p for p in path.split("/") if p]
    pod_m = _POD_UID.search(path)
    pod = pod_m.group(1).replace("_", "-") if pod_m else None
    # The deepest component names the container: nested runtimes (kind, docker-in-docker)
    # put the inner container below the outer one.
    for i in range(len(parts) - 1, -1, -1):
        comp = parts[i]
        for rx, runtime in _SCOPE_PATTERNS:
            m = rx.match(comp)
            if m:
                cid = _unescape_systemd(m.group(1))
                return ContainerInfo(path, runtime, cid, pod, unit=comp, slice=_slice_of(parts[:i]))
        if _BARE_ID.match(comp):
            parent = parts[i - 1] if i > 0 else ""
            if parent == "docker":
                runtime = "docker"
            elif pod or parent.startswith("kubepods"):
                runtime = "kubernetes"
            else:
                # containerd's cgroupfs layout is /<namespace>/<id> (default, moby, k8s.io);
                # docker with --cgroup-parent puts it under any name.
                runtime = "containerd" if parent in ("default", "moby", "k8s.io") else "container"
            return ContainerInfo(path, runtime, comp, pod)
        if comp == "lxc" and i + 1 < len(parts):
            return ContainerInfo(path, "lxc", parts[i + 1])
    return None


def _slice_of(parts: list[str]) -> str | None:
    for comp in reversed(parts):
        if comp.endswith(".slice"):
            return comp
    return None


def parse_cgroup(text: str) -> ContainerInfo:
    """Container identity from the text of /proc/PID/cgroup (cgroups(7): ``id:controllers:path``).

    The unified (v2) line ``0::path`` is preferred; on hybrid hosts the v1 hierarchies are
    consulted too because runtimes using the v1 driver only create the container's cgroup there.
    """
    lines = []
    for line in text.splitlines():
        fields = line.split(":", 2)
        if len(fields) == 3:
            lines.append((fields[0], fields[1], fields[2]))
    # v2 first, then name=systemd, then every other v1 controller.
    order = sorted(lines, key=lambda f: (f[0] != "0", f[1] != "name=systemd"))
    for _hid, _ctrl, path in order:
        found = _from_path(path)
        if found is not None:
            return found
    # Not a container: report the systemd unit and slice from the v2 (or name=systemd) path.
    for _hid, ctrl, path in order:
        if _hid == "0" or ctrl == "name=systemd":
            parts = [p for p in path.split("/") if p]
            unit = parts[-1] if parts and _SYSTEMD_UNIT.search(parts[-1]) and \
                not parts[-1].endswith(".slice") else None
            return ContainerInfo(path, unit=unit, slice=_slice_of(parts))
    return ContainerInfo(order[0][2] if order else "/")


def container_info(pid: int) -> ContainerInfo:
    """Container identity of a live process; raises NoSuchProcess / AccessDenied."""
    return parse_cgroup(read_text(pid, "cgroup"))


def container_id(pid: int) -> str | None:
    """The full container id of ``pid`` (what events carry as ``container.id``), or None.

    None means the host (no container) *or* a process that is gone or unreadable: an event
    source calls this for tasks that may exit at any moment and must not fail because of it.
    Callers cache the answer per pid for the life of the process; a process does not change
    container, though pids are reused after it exits.
    """
    try:
        return container_info(pid).id
    except KernelError:
        return None
