"""Container facts (name, image, runtime, Kubernetes pod) from the runtimes' own state on the host.

The cgroup path gives a process's container *id* (syscope.proc.cgroup); the name and image live
only in the runtime's state.  This module reads that state from the files the runtimes keep, not
through their CLIs or APIs: a file read costs microseconds and needs no daemon (podman has none,
``podman inspect`` takes ~100 ms and the storage lock), and watch may ask for every new container.

- podman and CRI-O (containers/storage): ``<graphroot>/overlay-containers/containers.json`` (one
  JSON list: id, names, image id, and ``metadata`` - a JSON string with ``image-name``, and for
  CRI-O ``pod-name``/``pod-id``), and each container's OCI bundle ``<id>/userdata/config.json``
  whose annotations carry the CRI labels (``io.kubernetes.pod.name``, ``.pod.namespace``,
  ``io.kubernetes.cri-o.ImageName``).  graphroot: ``/etc/containers/storage.conf``
  (containers-storage.conf(5)), default ``/var/lib/containers/storage``.
- docker: ``/var/lib/docker/containers/<id>/config.v2.json`` (``Name``, ``Config.Image``,
  ``Config.Labels``; dockershim put the CRI labels there).
- containerd (and its CRI plugin): the task bundle
  ``/run/containerd/io.containerd.runtime.v2.task/<namespace>/<id>/config.json``, whose
  annotations the CRI plugin fills (``io.kubernetes.cri.container-name``, ``.image-name``,
  ``.sandbox-name``, ``.sandbox-namespace``); nerdctl puts ``nerdctl/name`` there.

Answers are cached per container id and kept while the state file is unchanged (its mtime):
containers.json is rewritten on every create/remove.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from syscope.errors import KernelError
from syscope.proc.cgroup import ContainerInfo, container_info, parse_cgroup

STORAGE_CONF = ("/etc/containers/storage.conf", "/usr/share/containers/storage.conf")
DEFAULT_GRAPHROOT = "/var/lib/containers/storage"
DOCKER_ROOT = "/var/lib/docker"
CONTAINERD_TASKS = "/run/containerd/io.containerd.runtime.v2.task"


@dataclass(frozen=True)
class ContainerFacts:
    id: str  # full id (64 hex)
    type: str  # podman, docker, containerd, cri-o
    name: str | None = None
    image: str | None = None  # the reference it was started from: "docker.io/library/nginx:1.25"
    image_id: str | None = None
    pod_name: str | None = None  # k8s.pod.name, from the CRI labels
    pod_namespace: str | None = None  # k8s.ns.name
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    privileged: bool | None = None  # as the runtime records it; None when it does not say
    # epoch ns: docker's State.StartedAt; podman/CRI-O: creation (containers.json "created"; the
    # start time is only in podman's database)
    start_ts: int | None = None

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def image_repository(self) -> str | None:
        return split_image(self.image)[0]

    @property
    def image_tag(self) -> str | None:
        return split_image(self.image)[1]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "name": self.name, "image": self.image,
                "image_repository": self.image_repository, "image_tag": self.image_tag,
                "image_id": self.image_id, "pod_name": self.pod_name, "pod_namespace": self.pod_namespace}


def parse_time(text: Any) -> int | None:
    """RFC 3339 with up to nanoseconds, as Go writes time.Time in JSON
    ("2026-12-05T17:34:55.773295809Z"), to epoch ns; None for anything else (Go's zero time
    "0001-01-01T00:00:00Z" included)."""
    import datetime

    if not isinstance(text, str) or not text or text.startswith("0001-"):
        return None
    m = re.match(r"^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$", text)
    if m is None:
        return None
    head, frac, zone = m.group(1), m.group(2) or "", m.group(3)
    try:
        dt = datetime.datetime.fromisoformat(head + (zone.replace("Z", "+00:00") or "+00:00"))
    except ValueError:
        return None
    return int(dt.timestamp()) * 1_000_000_000 + int((frac + "000000000")[:9])


def split_image(ref: str | None) -> tuple[str | None, str | None]:
    """(repository, tag) of an image reference as the distribution reference grammar has it:
    ``repo[:tag][@digest]``; a ``:`` before the last ``/`` is a registry port, not a tag.  A
    reference without a tag means ``latest`` to a puller, but reports it as not given (None)."""
    if not ref:
        return None, None
    name = ref.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:]
    return name, None


@lru_cache(maxsize=1)
def graphroots() -> list[str]:
    """containers/storage roots to look in: storage.conf's graphroot, then the default."""
    roots: list[str] = []  # cached for the process's life: storage.conf changes need a restart
    for conf in STORAGE_CONF:
        try:
            with open(conf, "rb") as f:
                root = tomllib.load(f).get("storage", {}).get("graphroot")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if isinstance(root, str) and root not in roots:
            roots.append(root)
        break  # the first file found is the one containers/storage reads
    if DEFAULT_GRAPHROOT not in roots:
        roots.append(DEFAULT_GRAPHROOT)
    return roots


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def _read_json(path: str) -> Any:
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=8)
def _storage_containers(path: str, mtime: float) -> dict[str, dict[str, Any]]:
    """containers.json by id; cached per (file, mtime) so a new container is seen at once."""
    del mtime  # part of the cache key only
    data = _read_json(path)
    out: dict[str, dict[str, Any]] = {}
    for c in data if isinstance(data, list) else []:
        if isinstance(c, dict) and isinstance(c.get("id"), str):
            out[c["id"]] = c
    return out


def _annotations(bundle_config: str) -> dict[str, str]:
    data = _read_json(bundle_config)
    ann = data.get("annotations") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in ann.items()} if isinstance(ann, dict) else {}


def _from_storage(cid: str) -> ContainerFacts | None:
    for root in graphroots():
        path = os.path.join(root, "overlay-containers", "containers.json")
        mtime = _mtime(path)
        if mtime is None:
            continue
        ent = _storage_containers(path, mtime).get(cid)
        if ent is None:
            continue
        try:
            meta = json.loads(ent.get("metadata") or "{}")
        except ValueError:
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        ann = _annotations(os.path.join(root, "overlay-containers", cid, "userdata", "config.json"))
        names = ent.get("names") if isinstance(ent.get("names"), list) else []
        # CRI-O writes pod-name/pod-id into the storage metadata and io.kubernetes.* annotations;
        # podman writes neither (its pods are not Kubernetes pods).
        # (podman also writes a few io.kubernetes.cri-o.* annotations, but marks itself libpod).
        crio = ann.get("io.container.manager") != "libpod" and (
            "pod-name" in meta or "io.kubernetes.cri-o.ContainerID" in ann)
        name = ann.get("io.kubernetes.container.name") if crio else None
        return ContainerFacts(
            id=cid, type="cri-o" if crio else "podman",
            name=name or meta.get("name") or (names[0] if names else None),
            image=ann.get("io.kubernetes.cri-o.ImageName") or meta.get("image-name"),
            image_id=meta.get("image-id") or ent.get("image"),
            pod_name=ann.get("io.kubernetes.pod.name") or meta.get("pod-name"),
            pod_namespace=ann.get("io.kubernetes.pod.namespace"),
            labels=ann,
            privileged=_bool(ann.get("io.podman.annotations.privileged")),
            start_ts=parse_time(ent.get("created")))
    return None


def _bool(v: str | None) -> bool | None:
    return None if v is None else v.strip().lower() == "true"


def _from_docker(cid: str) -> ContainerFacts | None:
    data = _read_json(os.path.join(DOCKER_ROOT, "containers", cid, "config.v2.json"))
    if not isinstance(data, dict):
        return None
    cfg: dict[str, Any] = data["Config"] if isinstance(data.get("Config"), dict) else {}
    labels: dict[str, Any] = cfg["Labels"] if isinstance(cfg.get("Labels"), dict) else {}
    name = data.get("Name")
    host = _read_json(os.path.join(DOCKER_ROOT, "containers", cid, "hostconfig.json"))
    state = data["State"] if isinstance(data.get("State"), dict) else {}
    return ContainerFacts(
        id=cid, type="docker", name=name.lstrip("/") if isinstance(name, str) else None,
        image=cfg.get("Image"), image_id=data.get("Image"),
        pod_name=labels.get("io.kubernetes.pod.name"), pod_namespace=labels.get("io.kubernetes.pod.namespace"),
        labels={str(k): str(v) for k, v in labels.items()},
        privileged=host["Privileged"] if isinstance(host, dict) and isinstance(host.get("Privileged"), bool)
        else None,
        start_ts=parse_time(state.get("StartedAt")))


def _from_containerd(cid: str) -> ContainerFacts | None:
    try:
        namespaces = os.listdir(CONTAINERD_TASKS)
    except OSError:
        return None
    for ns in namespaces:
        cfg = os.path.join(CONTAINERD_TASKS, ns, cid, "config.json")
        if not os.path.exists(cfg):
            continue
        ann = _annotations(cfg)
        return ContainerFacts(
            id=cid, type="containerd",
            name=ann.get("io.kubernetes.cri.container-name") or ann.get("nerdctl/name"),
            image=ann.get("io.kubernetes.cri.image-name"),
            pod_name=ann.get("io.kubernetes.cri.sandbox-name"),
            pod_namespace=ann.get("io.kubernetes.cri.sandbox-namespace"),
            labels=ann)
    return None


# Which state to read first for the runtime the cgroup path named (cgroup.py's names).
_ORDER = {"podman": (_from_storage,), "cri-o": (_from_storage,), "docker": (_from_docker, _from_containerd),
          "containerd": (_from_containerd,)}
_ALL = (_from_storage, _from_docker, _from_containerd)


# Found facts by id: a container keeps its image and pod for life (a `podman rename` is not seen
# by a running syscope).  Misses are not kept: the state of a new container may be written after
# its first process runs.
_FACTS: dict[str, ContainerFacts] = {}


def facts_for_id(cid: str, runtime: str | None = None) -> ContainerFacts | None:
    """Facts of the container with full id ``cid``, or None when no runtime state names it."""
    if cid in _FACTS:
        return _FACTS[cid]
    first = _ORDER.get(runtime or "", ())
    for reader in (*first, *(r for r in _ALL if r not in first)):
        found = reader(cid)
        if found is not None:
            _FACTS[cid] = found
            return found
    return None


def facts_for_info(info: ContainerInfo) -> ContainerFacts | None:
    if info.id is None:
        return None
    return facts_for_id(info.id, info.runtime)


def container_facts(pid: int | None = None, *, cgroup_id: int | None = None,
                    cgroup_text: str | None = None) -> ContainerFacts | None:
    """The facts of the container a process lives in (by ``pid``), of the cgroup with inode
    ``cgroup_id`` (what bpf_get_current_cgroup_id() returns), or of a /proc/PID/cgroup text
    already read.  None for the host, an unknown container, or a process that is gone: event
    sources call this for tasks that may exit at any moment."""
    try:
        if cgroup_text is not None:
            info = parse_cgroup(cgroup_text)
        elif cgroup_id is not None:
            path = cgroup_path_of_id(cgroup_id)
            if path is None:
                return None
            info = parse_cgroup(f"0::{path}\n")
        elif pid is not None:
            info = container_info(pid)
        else:
            raise TypeError("container_facts: give a pid, a cgroup_id or a cgroup_text")
    except KernelError:
        return None
    return facts_for_info(info)


def all_containers() -> list[ContainerFacts]:
    """Every container the runtimes' state on this host knows, running or not."""
    out: list[ContainerFacts] = []
    for root in graphroots():
        path = os.path.join(root, "overlay-containers", "containers.json")
        mtime = _mtime(path)
        if mtime is not None:
            out += [f for cid in _storage_containers(path, mtime) if (f := _from_storage(cid))]
    try:
        out += [f for cid in os.listdir(os.path.join(DOCKER_ROOT, "containers")) if (f := _from_docker(cid))]
    except OSError:
        pass
    try:
        for ns in os.listdir(CONTAINERD_TASKS):
            out += [f for cid in os.listdir(os.path.join(CONTAINERD_TASKS, ns)) if (f := _from_containerd(cid))]
    except OSError:
        pass
    return out


def oci_runtime(facts: ContainerFacts) -> str | None:
    """The OCI runtime (runc, crun...) that runs the container, where the state says it: docker's
    ``hostconfig.json`` ``Runtime``; podman keeps it only in its database, so ``podman container
    inspect`` is asked (the one CLI call here, made once per recording, ~0.2 s)."""
    if facts.type == "docker":
        host = _read_json(os.path.join(DOCKER_ROOT, "containers", facts.id, "hostconfig.json"))
        rt = host.get("Runtime") if isinstance(host, dict) else None
        return rt if isinstance(rt, str) and rt else None
    if facts.type == "podman":
        import subprocess

        try:
            r = subprocess.run(["podman", "container", "inspect", "--format", "{{.OCIRuntime}}", facts.id],
                               capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        rt = r.stdout.strip()
        return rt if r.returncode == 0 and rt else None
    return None


def find_container(ref: str) -> ContainerFacts | None:
    """A container by name, full id or unique id prefix (as podman and docker accept them)."""
    known = all_containers()
    for f in known:
        if ref in (f.id, f.name):
            return f
    prefixed = [f for f in known if f.id.startswith(ref)] if len(ref) >= 3 else []
    return prefixed[0] if len(prefixed) == 1 else None


def container_pids(cid: str) -> list[int]:
    """The pids (tgids) of live processes whose cgroup names container ``cid``."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cgroup") as f:
                text = f.read()
        except OSError:
            continue
        if parse_cgroup(text).id == cid:
            out.append(int(entry))
    return out


def unified_root() -> str:
    """Where the cgroup v2 hierarchy is mounted: /sys/fs/cgroup on a unified host, its
    ``unified`` subdirectory on a hybrid one (systemd's layout; cgroups(7))."""
    for cand in ("/sys/fs/cgroup/unified", "/sys/fs/cgroup"):
        if os.path.exists(os.path.join(cand, "cgroup.controllers")) or \
                os.path.exists(os.path.join(cand, "cgroup.procs")) and os.path.exists(
                    os.path.join(cand, "cgroup.subtree_control")):
            return cand
    return "/sys/fs/cgroup"


def cgroup_id_of_pid(pid: int) -> int | None:
    """The cgroup v2 id of ``pid``'s cgroup: the inode number of its directory in the unified
    hierarchy (kernfs: the id bpf_get_current_cgroup_id() returns is that inode, kernel/cgroup)."""
    try:
        with open(f"/proc/{pid}/cgroup") as f:
            text = f.read()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("0::"):
            try:
                return os.stat(unified_root() + line[3:].rstrip("\n")).st_ino
            except OSError:
                return None
    return None


_CGROUP_PATHS: dict[int, str] = {}


def cgroup_path_of_id(cgroup_id: int) -> str | None:
    """The unified-hierarchy path of the cgroup with this id.  Found paths are kept (a cgroup id
    is a 64-bit kernfs id, not reused while the kernel runs); a miss walks again next time, as
    the cgroup may be created after the first event that names it."""
    if cgroup_id in _CGROUP_PATHS:
        return _CGROUP_PATHS[cgroup_id]
    root = unified_root()
    for dirpath, _dirs, _files in os.walk(root):
        try:
            ino = os.stat(dirpath).st_ino
        except OSError:
            continue
        path = "/" + str(Path(dirpath).relative_to(root)).removeprefix(".")
        _CGROUP_PATHS[ino] = path
        if ino == cgroup_id:
            return path
    return None
