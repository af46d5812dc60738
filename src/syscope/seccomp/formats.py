"""Writing profiles as Docker/moby JSON, OCI linux.seccomp, containers/common JSON (podman, CRI-O)
or a security-profiles-operator SeccompProfile, and validating documents against the hand-written
schemas in ``schemas/`` (containers/common's is Docker's plus its errno-name fields)."""

from __future__ import annotations

import errno as _errno
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from syscope.errors import ProfileError
from syscope.seccomp.profile import Profile, Rule

FORMATS = ("docker", "oci", "containers", "kubernetes")


@cache
def schema(fmt: str) -> dict[str, Any]:
    if fmt == "containers":
        # containers/common pkg/seccomp/types.go: Docker's fields plus DefaultErrno and each
        # syscall's Errno, the names of the errnos the numbers already give.
        base = json.loads(json.dumps(schema("docker")))
        base["title"] = "containers/common seccomp profile (podman, CRI-O, buildah)"
        name = {"type": "string", "pattern": "^(E[A-Z0-9]+)?$"}
        base["properties"]["defaultErrno"] = name
        base["properties"]["syscalls"]["items"]["properties"]["errno"] = name
        return base
    text = resources.files("syscope.seccomp").joinpath(f"schemas/{fmt}.schema.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def detect(data: Any) -> str:
    if isinstance(data, dict) and data.get("kind") == "SeccompProfile":
        return "kubernetes"
    # detection runs before the schema: "syscalls" may be anything
    rules = data.get("syscalls") if isinstance(data, dict) else None
    rules = rules if isinstance(rules, list) else []
    if isinstance(data, dict) and ("defaultErrno" in data or any(
            isinstance(s, dict) and "errno" in s for s in rules)):
        return "containers"
    if isinstance(data, dict) and ("archMap" in data or "comment" in data or any(
            isinstance(s, dict) and ("includes" in s or "excludes" in s or "comment" in s)
            for s in rules)):
        return "docker"
    return "docker" if isinstance(data, dict) and "defaultAction" in data else "oci"


def validate(data: Any, fmt: str) -> list[str]:
    """Schema faults as ``$.json.path: message`` lines, in document order."""
    v = jsonschema.Draft202012Validator(schema(fmt))
    errs = sorted(v.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{e.json_path}: {e.message}" for e in errs]


def _errno_name(n: int) -> str:
    name = _errno.errorcode.get(n)
    if name is None:
        raise ProfileError(f"errno {n} has no name; containers/common profiles name their errnos")
    return name


def _rule_dict(r: Rule, docker: bool, names: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"names": list(r.names), "action": r.action}
    if r.args:
        d["args"] = [{"index": a.index, "value": a.value, "valueTwo": a.value_two, "op": a.op}
                     for a in r.args]
    if r.errno_ret is not None:
        d["errnoRet"] = r.errno_ret
        if names:
            d["errno"] = _errno_name(r.errno_ret)
    if docker:
        if r.comment:
            d["comment"] = r.comment
        if r.includes:
            d["includes"] = dict(r.includes)
        if r.excludes:
            d["excludes"] = dict(r.excludes)
    return d


def _seccomp_dict(p: Profile, docker: bool, names: bool = False, errno_ret: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if docker and p.comment:
        d["comment"] = p.comment
    d["defaultAction"] = p.default_action
    if p.default_errno_ret is not None and errno_ret:
        d["defaultErrnoRet"] = p.default_errno_ret
        if names:
            d["defaultErrno"] = _errno_name(p.default_errno_ret)
    if p.architectures:
        d["architectures"] = list(p.architectures)
    if docker and p.arch_map:
        d["archMap"] = [{"architecture": a, "subArchitectures": s or None} for a, s in p.arch_map]
    if not docker and any(r.includes or r.excludes for r in p.rules):
        raise ProfileError("rules with includes/excludes exist only in Docker profiles; resolve them "
                           "with --format docker")
    d["syscalls"] = [_rule_dict(r, docker, names) for r in p.rules]
    return d


def render(p: Profile, fmt: str, name: str = "profile") -> str:
    if fmt == "docker":
        return json.dumps(_seccomp_dict(p, True), indent=2) + "\n"
    if fmt == "containers":
        return json.dumps(_seccomp_dict(p, True, names=True), indent=2) + "\n"
    if fmt == "oci":
        return json.dumps(_seccomp_dict(p, False), indent=2) + "\n"
    if fmt == "kubernetes":
        # SPO's CRD (security-profiles-operator.x-k8s.io/v1 SeccompProfileSpec) has no
        # defaultErrnoRet: its ERRNO default is the runtime's, EPERM.  Another errno cannot be said.
        if p.default_action == "SCMP_ACT_ERRNO" and p.default_errno_ret not in (None, _errno.EPERM):
            raise ProfileError(f"a SeccompProfile cannot carry defaultErrnoRet {p.default_errno_ret} "
                               "(the operator's CRD has no such field; its ERRNO default is EPERM)")
        doc = {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile",
               "metadata": {"name": name}, "spec": _seccomp_dict(p, False, errno_ret=False)}
        head = [f"# {line}" for line in (p.comment or "").splitlines()]
        # The CRD is cluster-scoped: the operator writes the profile under the kubelet's seccomp
        # root as operator/<name>.json, and pods refer to it as a Localhost profile.
        head += ["# Use it from a pod or container with:",
                 "#   securityContext:",
                 "#     seccompProfile:",
                 "#       type: Localhost",
                 f"#       localhostProfile: operator/{name}.json"]
        return "\n".join(head) + "\n" + yaml.safe_dump(doc, sort_keys=False)
    raise ProfileError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
