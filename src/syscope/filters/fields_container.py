"""sysdig's container.* and k8s.* fields (libsinsp's container plugin fields): the container a
process runs in, from the cgroup id the kernel recorded at exec or /proc/PID/cgroup, and its facts
from the runtimes' state (syscope.proc.containers: podman/containers-storage, docker,
containerd/CRI), pod and namespace from the CRI labels the runtime records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from syscope.context import Context, ProcInfo
from syscope.events import Event
from syscope.filters.registry import Getter, field


# -- container.* / k8s.* -----------------------------------------------------------------------
def _cgroup_info(ctx: Context, p: ProcInfo) -> Any:
    """The container the cgroup id the kernel recorded at exec names (a process may be gone
    before /proc is read; its cgroup directory stays while the container runs)."""
    if p.cgroup_id is None or not ctx.live:
        return None
    per: dict[int, Any] = ctx.__dict__.setdefault("_sysdig_cgroups", {})
    if p.cgroup_id not in per:
        from syscope.proc.cgroup import parse_cgroup
        from syscope.proc.containers import cgroup_path_of_id

        path = cgroup_path_of_id(p.cgroup_id)
        if path is None:
            return None  # not kept: the cgroup may be created after the first event naming it
        per[p.cgroup_id] = parse_cgroup(f"0::{path}\n")
    return per[p.cgroup_id]


def _cid(ctx: Context, ev: Event) -> str | None:
    p = ctx.proc(ev.pid)
    if p is None:
        return None
    if p.container == "host":
        info = _cgroup_info(ctx, p)
        if info is not None and info.short_id:
            return str(info.short_id)
    return p.container


def _facts(ctx: Context, ev: Event) -> Any:
    cid = _cid(ctx, ev)
    if cid is None or cid == "host" or not ctx.live:
        return None
    cache: dict[str, Any] = ctx.__dict__.setdefault("_sysdig_containers", {})
    if cid in cache:
        return cache[cid]
    from syscope.proc.containers import container_facts, facts_for_info

    p = ctx.proc(ev.pid)
    info = _cgroup_info(ctx, p) if p is not None else None
    facts = facts_for_info(info) if info is not None else container_facts(ev.pid)
    if facts is not None:  # a miss is asked again: the runtime may write its state late
        cache[cid] = facts
    return facts


field("container.id", "str", "the 12-digit container id; host outside a container")(
    lambda ctx, arg: lambda ev: _cid(ctx, ev))


def _on_facts(get: Callable[[Any], Any], host: Any = None) -> Callable[[Context, str | None], Getter]:
    def make(ctx: Context, arg: str | None) -> Getter:
        def g(ev: Event) -> Any:
            if _cid(ctx, ev) == "host":
                return host
            f = _facts(ctx, ev)
            return None if f is None else get(f)
        return g
    return make


field("container.full_id", "str", "the full container id")(_on_facts(lambda f: f.id, "host"))
field("container.name", "str", "the container name")(_on_facts(lambda f: f.name, "host"))
field("container.image", "str", "the image the container runs")(_on_facts(lambda f: f.image))
field("container.image.id", "str", "the image id")(_on_facts(lambda f: f.image_id))
field("container.image.repository", "str", "the image repository")(_on_facts(lambda f: f.image_repository))
field("container.image.tag", "str", "the image tag")(_on_facts(lambda f: f.image_tag))
field("container.type", "str", "the container runtime (podman, docker, containerd, cri-o)")(
    _on_facts(lambda f: f.type))
field("container.privileged", "bool", "the container runs privileged (what its runtime records)")(
    _on_facts(lambda f: getattr(f, "privileged", None)))
field("container.start_ts", "int", "when the container started (epoch ns), as its runtime records")(
    _on_facts(lambda f: getattr(f, "start_ts", None)))
field("k8s.pod.name", "str", "the Kubernetes pod name (from the runtime's CRI labels)")(
    _on_facts(lambda f: f.pod_name))
field("k8s.ns.name", "str", "the Kubernetes namespace (from the runtime's CRI labels)")(
    _on_facts(lambda f: f.pod_namespace))
field("k8s.pod.uid", "str", "the Kubernetes pod uid (CRI label io.kubernetes.pod.uid)")(
    _on_facts(lambda f: f.labels.get("io.kubernetes.pod.uid")))
field("k8s.pod.id", "str", "the Kubernetes pod id (its uid)")(
    _on_facts(lambda f: f.labels.get("io.kubernetes.pod.uid")))


@field("k8s.pod.label", "str", "one label of the pod: k8s.pod.label.NAME / k8s.pod.label[NAME]", "name")
def _pod_label(ctx: Context, arg: str | None) -> Getter:
    return _on_facts(lambda f: f.labels.get(arg or ""))(ctx, arg)


field("k8s.pod.labels", "str", "the pod's labels, key:value, comma separated")(
    _on_facts(lambda f: ", ".join(f"{k}:{v}" for k, v in sorted(f.labels.items())) or None))


@field("container.info", "str", "Falco's output placeholder: container_id=... container_name=... "
       "(the -pc form older rule files append)")
def _info(ctx: Context, arg: str | None) -> Getter:
    name = _on_facts(lambda f: f.name, "host")(ctx, None)

    def g(ev: Event) -> Any:
        return f"container_id={_cid(ctx, ev)} container_name={name(ev)}"
    return g
