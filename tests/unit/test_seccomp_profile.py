"""Profile parsing, Docker's include/exclude resolution, formats and schemas, merge."""

from __future__ import annotations

import json

import pytest
import yaml

from syscope.errors import ProfileError
from syscope.seccomp.check import merge
from syscope.seccomp.formats import render, validate
from syscope.seccomp.profile import DOCKER_CAPS, parse, parse_caps, rule_applies

DOCKER = "/work/shared/data/seccomp/docker-default.json"


def _docker() -> dict:
    with open(DOCKER) as f:
        return json.load(f)


def test_docker_default_parses_and_validates() -> None:
    data = _docker()
    assert validate(data, "docker") == []
    prof = parse(data)
    assert prof.default_action == "SCMP_ACT_ERRNO" and prof.default_errno_ret == 1
    assert prof.arch_map[0] == ("SCMP_ARCH_X86_64", ["SCMP_ARCH_X86", "SCMP_ARCH_X32"])


def test_includes_excludes_as_docker() -> None:
    doc = _docker()
    prof = parse(doc)
    clone3_errno = next(r for r in prof.rules if r.names == ["clone3"] and r.action == "SCMP_ACT_ERRNO")
    assert clone3_errno.errno_ret == 38
    kver = (6, 18)
    assert rule_applies(clone3_errno, DOCKER_CAPS, "amd64", kver)
    assert not rule_applies(clone3_errno, DOCKER_CAPS | {"CAP_SYS_ADMIN"}, "amd64", kver)
    ptrace = next(r for r in prof.rules if "ptrace" in r.names and r.includes.get("minKernel"))
    assert rule_applies(ptrace, DOCKER_CAPS, "amd64", (4, 8))
    assert not rule_applies(ptrace, DOCKER_CAPS, "amd64", (4, 7))
    arch_rule = next(r for r in prof.rules if r.includes.get("arches") == ["amd64", "x32"])
    assert rule_applies(arch_rule, DOCKER_CAPS, "amd64", kver)
    assert not rule_applies(arch_rule, DOCKER_CAPS, "arm64", kver)
    assert len(prof.rules) == len(doc["syscalls"])  # every rule was parsed, none dropped


def test_parse_caps() -> None:
    assert parse_caps("docker") == DOCKER_CAPS and len(DOCKER_CAPS) == 14
    assert parse_caps("sys_admin, CAP_NET_ADMIN") == {"CAP_SYS_ADMIN", "CAP_NET_ADMIN"}
    assert "CAP_SYS_ADMIN" in parse_caps("host")  # the tests run as root with a full bounding set


@pytest.mark.parametrize("doc, path", [
    ({}, "$: missing defaultAction"),
    ({"defaultAction": "ALLOW"}, "$.defaultAction: unknown action"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO",
                                                      "errnoRet": -1}]}, "$.syscalls[0].errnoRet"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [""], "action": "SCMP_ACT_ERRNO"}]},
     "$.syscalls[0].names[0]: empty syscall name"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ERRNO",
                                                      "includes": {"minKernel": "new"}}]},
     "$.syscalls[0].includes.minKernel"),
    ({"defaultAction": "SCMP_ACT_ALLOW", "bogus": 1}, "$.bogus: unknown field"),
])
def test_parse_errors_name_the_path(doc: dict, path: str) -> None:
    with pytest.raises(ProfileError) as ei:
        parse(doc)
    assert path in str(ei.value)


def test_schemas_reject_bad_documents() -> None:
    oci = {"defaultAction": "SCMP_ACT_ERRNO",
           "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                         "args": [{"index": 6, "value": 0, "op": "SCMP_CMP_EQ"}]}]}
    assert validate(oci, "oci") == ["$.syscalls[0].args[0].index: 6 is greater than the maximum of 5"]
    k8s = {"apiVersion": "security-profiles-operator.x-k8s.io/v1beta1", "kind": "SeccompProfile",
           "metadata": {"name": "App"}, "spec": {"defaultAction": "SCMP_ACT_LOG"}}
    errs = validate(k8s, "kubernetes")
    assert any(e.startswith("$.apiVersion:") for e in errs)
    assert any(e.startswith("$.metadata.name:") for e in errs)


def test_render_all_formats_validate() -> None:
    prof = parse({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
                  "architectures": ["SCMP_ARCH_X86_64"],
                  "syscalls": [{"names": ["read", "execve"], "action": "SCMP_ACT_ALLOW"},
                               {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                                "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]})
    prof.comment = "from a test"
    assert validate(json.loads(render(prof, "docker")), "docker") == []
    assert validate(json.loads(render(prof, "oci")), "oci") == []
    text = render(prof, "kubernetes", name="app")
    assert text.startswith("# from a test\n")
    assert validate(yaml.safe_load(text), "kubernetes") == []
    # Docker-only fields cannot be written as OCI: refused rather than dropped
    docker = parse(_docker())
    with pytest.raises(ProfileError, match="includes/excludes"):
        render(docker, "oci")


def test_merge_keeps_conditions_and_refuses_loosening() -> None:
    a = parse({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]})
    b = parse({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]}]})
    m = merge([a, b])
    assert m.rules[0].names == ["read", "write"]
    assert sorted(r.args[0].value for r in m.rules[1:]) == [1, 2]
    c = parse({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["socket"],
                                                                "action": "SCMP_ACT_ALLOW"}]})
    m = merge([a, c])
    assert "socket" in m.rules[0].names and len(m.rules) == 1
    assert "conditions dropped for socket" in (m.rules[0].comment or "")
    k = parse({"defaultAction": "SCMP_ACT_KILL", "syscalls": []})
    with pytest.raises(ProfileError, match="different default actions"):
        merge([a, k])
