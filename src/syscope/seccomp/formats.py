"""Writing profiles as Docker JSON, OCI linux.seccomp, or a security-profiles-operator SeccompProfile,
and validating documents against the hand-written schemas in ``schemas/``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from syscope.errors import ProfileError
from syscope.seccomp.profile import Profile, Rule

FORMATS = ("docker", "oci", "kubernetes")


@cache
def schema(fmt: str) -> dict[str, Any]:
    text = resources.files("syscope.seccomp").joinpath(f"schemas/{fmt}.schema.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def detect(data: Any) -> str:
    if isinstance(data, dict) and data.get("kind") == "SeccompProfile":
        return "kubernetes"
    if isinstance(data, dict) and ("archMap" in data or "comment" in data or any(
            isinstance(s, dict) and ("includes" in s or "excludes" in s or "comment" in s)
            for s in data.get("syscalls") or [])):
        return "docker"
    return "docker" if isinstance(data, dict) and "defaultAction" in data else "oci"


def validate(data: Any, fmt: str) -> list[str]:
    """Schema faults as ``$.json.path: message`` lines, in document order."""
    v = jsonschema.Draft202012Validator(schema(fmt))
    errs = sorted(v.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{e.json_path}: {e.message}" for e in errs]


def _rule_dict(r: Rule, docker: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"names": list(r.names), "action": r.action}
    if r.args:
        d["args"] = [{"index": a.index, "value": a.value, "valueTwo": a.value_two, "op": a.op}
                     for a in r.args]
    if r.errno_ret is not None:
        d["errnoRet"] = r.errno_ret
    if docker:
        if r.comment:
            d["comment"] = r.comment
        if r.includes:
            d["includes"] = dict(r.includes)
        if r.excludes:
            d["excludes"] = dict(r.excludes)
    return d


def _seccomp_dict(p: Profile, docker: bool) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if docker and p.comment:
        d["comment"] = p.comment
    d["defaultAction"] = p.default_action
    if p.default_errno_ret is not None:
        d["defaultErrnoRet"] = p.default_errno_ret
    if p.architectures:
        d["architectures"] = list(p.architectures)
    if docker and p.arch_map:
        d["archMap"] = [{"architecture": a, "subArchitectures": s or None} for a, s in p.arch_map]
    if not docker and any(r.includes or r.excludes for r in p.rules):
        raise ProfileError("rules with includes/excludes exist only in Docker profiles; resolve them "
                           "with --format docker")
    d["syscalls"] = [_rule_dict(r, docker) for r in p.rules]
    return d


def render(p: Profile, fmt: str, name: str = "profile", namespace: str = "default") -> str:
    if fmt == "docker":
        return json.dumps(_seccomp_dict(p, True), indent=2) + "\n"
    if fmt == "oci":
        return json.dumps(_seccomp_dict(p, False), indent=2) + "\n"
    if fmt == "kubernetes":
        doc = {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile",
               "metadata": {"name": name, "namespace": namespace}, "spec": _seccomp_dict(p, False)}
        head = [f"# {line}" for line in (p.comment or "").splitlines()]
        # The operator installs the profile under the kubelet's seccomp root as
        # operator/<namespace>/<name>.json; pods refer to it as a Localhost profile.
        head += ["# Use it from a pod or container with:",
                 "#   securityContext:",
                 "#     seccompProfile:",
                 "#       type: Localhost",
                 f"#       localhostProfile: operator/{namespace}/{name}.json"]
        return "\n".join(head) + "\n" + yaml.safe_dump(doc, sort_keys=False)
    raise ProfileError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
