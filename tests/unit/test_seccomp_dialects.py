"""Profile dialects that real runtimes read: containers/common's errno names, SPO SeccompProfile
(multi-document YAML, baseProfileName, state, the operator's own CRD schema), a whole OCI
config.json, and diff that honours defaultAction."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from syscope.errors import ProfileError
from syscope.seccomp import check
from syscope.seccomp.formats import detect, render, validate
from syscope.seccomp.profile import load, load_documents, parse

# Shared test data beside the repository (never copied into it).
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CONTAINERS = DATA / "seccomp" / "containers-common.json"
DOCKER = DATA / "seccomp" / "docker-default.json"
SPO_EXAMPLES = DATA / "spo" / "example-seccompprofile.yaml"


def _crd_schema() -> dict:
    """SPO's CRD openAPIV3Schema (apiextensions: a structural schema, JSON-Schema compatible),
    closed at the spec level as the API server's pruning and strict validation make it."""
    schema = json.loads((DATA / "spo" / "crd-openapi-v1.json").read_text())

    def close(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            for v in node.values():
                close(v)
        elif isinstance(node, list):
            for v in node:
                close(v)

    close(schema["properties"]["spec"])
    return schema


def test_containers_common_errno_names_parse() -> None:
    data = json.loads(CONTAINERS.read_text())
    assert detect(data) == "containers"
    assert validate(data, "containers") == []
    prof = load(CONTAINERS)
    assert (prof.default_action, prof.default_errno_ret) == ("SCMP_ACT_ERRNO", errno.ENOSYS)
    named = [(s, r) for s, r in zip(data["syscalls"], prof.rules, strict=True) if s.get("errno")]
    assert named and all(r.errno_ret == getattr(errno, s["errno"]) for s, r in named)


def test_errno_name_and_number_must_agree() -> None:
    with pytest.raises(ProfileError, match=r"\$\.defaultErrno: EPERM is 1, but defaultErrnoRet says 38"):
        parse({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "defaultErrno": "EPERM"})
    with pytest.raises(ProfileError, match=r"\$\.syscalls\[0\]\.errno: not an errno name"):
        parse({"defaultAction": "SCMP_ACT_ALLOW",
               "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errno": "NOPE"}]})


def test_containers_format_round_trips() -> None:
    prof = load(CONTAINERS)
    doc = json.loads(render(prof, "containers"))
    assert doc["defaultErrno"] == "ENOSYS" and doc["defaultErrnoRet"] == 38
    assert validate(doc, "containers") == []
    again = parse(doc)
    assert [(r.names, r.action, r.errno_ret) for r in again.rules] == \
        [(r.names, r.action, r.errno_ret) for r in prof.rules]


def test_spo_output_validates_against_the_operators_crd() -> None:
    prof = load(DOCKER)
    prof.rules = [r for r in prof.rules if not (r.includes or r.excludes)]
    text = render(prof, "kubernetes", name="web")
    doc = yaml.safe_load(text)
    jsonschema.validate(doc, _crd_schema())
    assert "namespace" not in doc["metadata"] and "defaultErrnoRet" not in doc["spec"]
    assert "localhostProfile: operator/web.json" in text
    # The CRD cannot say ENOSYS as the default: refused rather than silently EPERM.
    with pytest.raises(ProfileError, match="defaultErrnoRet 38"):
        render(load(CONTAINERS), "kubernetes", name="x")


def test_crd_schema_rejects_what_the_operator_rejects() -> None:
    bad = {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile",
           "metadata": {"name": "x"}, "spec": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _crd_schema())
    assert validate(bad, "kubernetes") != []


def test_spo_examples_multi_document_state_and_base(tmp_path: Path) -> None:
    docs = load_documents(SPO_EXAMPLES)
    assert len(docs) > 1
    for d in docs:
        jsonschema.validate(d, _crd_schema())
    r = check.check_file(SPO_EXAMPLES)
    assert not [f for f in r if f.level == "error"], r
    assert all(f.path.startswith("#") for f in r)
    with pytest.raises(ProfileError, match="documents; choose one"):
        load(SPO_EXAMPLES)
    allow = load(f"{SPO_EXAMPLES}#profile-allow-unsafe")
    assert allow.default_action == "SCMP_ACT_ALLOW"
    # a profile built on a base: the base's calls are merged in, state is tolerated
    base = {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile",
            "metadata": {"name": "runtime"},
            "spec": {"defaultAction": "SCMP_ACT_ERRNO",
                     "syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["capset", "execve"]}]}}
    app = {"apiVersion": "security-profiles-operator.x-k8s.io/v1", "kind": "SeccompProfile",
           "metadata": {"name": "app"},
           "spec": {"defaultAction": "SCMP_ACT_ERRNO", "baseProfileName": "runtime", "state": "Enabled",
                    "syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["read"]}]}}
    (tmp_path / "runtime.yaml").write_text(yaml.safe_dump(base))
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(app))
    assert load(tmp_path / "app.yaml").allowed_names() == {"read", "capset", "execve"}
    both = tmp_path / "both.yaml"
    both.write_text(yaml.safe_dump_all([app, base]))
    assert load(f"{both}#app").allowed_names() == {"read", "capset", "execve"}
    # SPO's recorder names the runtime as the base: its calls come from syscope's recorded data
    app["spec"]["baseProfileName"] = "runc-v1.1.5"
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(app))
    from syscope.seccomp.runtime import runtime_calls

    assert load(tmp_path / "app.yaml").allowed_names() == {"read"} | runtime_calls("runc")[1]
    app["spec"]["baseProfileName"] = "missing"
    (tmp_path / "app.yaml").write_text(yaml.safe_dump(app))
    with pytest.raises(ProfileError, match="base profile 'missing' not found"):
        load(tmp_path / "app.yaml")


def test_check_accepts_a_whole_oci_config(tmp_path: Path) -> None:
    cfg = {"ociVersion": "1.0.2", "process": {"args": ["/bin/sh"]}, "root": {"path": "rootfs"},
           "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO",
                                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}}}
    p = tmp_path / "config.json"
    p.write_text(json.dumps(cfg))
    assert check.check_file(p) == []
    cfg["linux"]["seccomp"]["syscalls"][0]["action"] = "SCMP_ACT_MAYBE"
    p.write_text(json.dumps(cfg))
    found = check.check_file(p)
    assert found and found[0].path.startswith("$.linux.seccomp.syscalls[0]")


def test_diff_honours_default_action() -> None:
    allow_all = parse({"defaultAction": "SCMP_ACT_ALLOW",
                       "syscalls": [{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO"}]})
    small = parse({"defaultAction": "SCMP_ACT_ERRNO",
                   "syscalls": [{"names": ["read", "ptrace"], "action": "SCMP_ACT_ALLOW"}]})
    only_a, only_b, differ = check.diff(allow_all, small)
    assert "read" not in only_a and "write" in only_a and "openat" in only_a
    assert only_b == ["ptrace"] and differ == []
