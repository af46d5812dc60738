"""Fuzzing the seccomp profile readers: every dialect (Docker/moby, OCI linux.seccomp bare and in a
config.json, containers/common, security-profiles-operator SeccompProfile with a base profile),
as JSON and as YAML, through ``load`` (what ``run`` reads), ``check_file`` (``profile check``), the
filter build that ``run`` does before starting the command (libseccomp, nothing loaded into the
kernel), and rendering in every output format.

Each input is a valid profile with a few structural mutations (a value replaced by another type,
an out-of-range integer, a key dropped or added, a node duplicated deep), serialized as JSON or
YAML, then sometimes damaged as text (cut, bytes inserted, YAML anchors/tags/dates spliced in)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from fuzz_harness import clean, fuzz  # tests/fuzz is on sys.path (pytest rootdir import mode)
from hypothesis import given
from hypothesis import strategies as st

from syscope.seccomp import enforce, formats
from syscope.seccomp.check import check_file
from syscope.seccomp.profile import DOCKER_CAPS, load

_RULES = [
    {
        "names": ["read", "write", "exit_group", "execve", "brk", "mmap", "openat", "close"],
        "action": "SCMP_ACT_ALLOW",
    },
    {
        "names": ["personality"],
        "action": "SCMP_ACT_ALLOW",
        "args": [{"index": 0, "value": 0, "valueTwo": 0, "op": "SCMP_CMP_EQ"}],
    },
    {"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
]
DOCKER = {
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 1,
    "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
    "syscalls": _RULES
    + [
        {
            "names": ["clone"],
            "action": "SCMP_ACT_ALLOW",
            "includes": {"caps": ["CAP_SYS_ADMIN"]},
            "excludes": {"arches": ["s390x"], "minKernel": "4.8"},
            "comment": "c",
        }
    ],
}
OCI = {
    "defaultAction": "SCMP_ACT_KILL_PROCESS",
    "architectures": ["SCMP_ARCH_X86_64"],
    "syscalls": _RULES,
    "flags": ["SECCOMP_FILTER_FLAG_LOG"],
}
CONFIG = {"ociVersion": "1.0.2", "process": {"args": ["sh"]}, "linux": {"seccomp": OCI}}
CONTAINERS = {
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 38,
    "defaultErrno": "ENOSYS",
    "syscalls": _RULES + [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "errno": "EPERM"}],
}
SPO = {
    "apiVersion": "security-profiles-operator.x-k8s.io/v1",
    "kind": "SeccompProfile",
    "metadata": {"name": "app"},
    "spec": {
        "defaultAction": "SCMP_ACT_ERRNO",
        "baseProfileName": "base",
        "architectures": ["SCMP_ARCH_X86_64"],
        "syscalls": _RULES[1:],
    },
}
SPO_BASE = {
    "apiVersion": "security-profiles-operator.x-k8s.io/v1",
    "kind": "SeccompProfile",
    "metadata": {"name": "base"},
    "spec": {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": _RULES[:1]},
}
SEEDS = {"docker": DOCKER, "oci": OCI, "config": CONFIG, "containers": CONTAINERS, "spo": SPO}

_INTS = [0, 1, -1, 5, 6, 38, 4094, 4095, 4096, 65535, 2**31, 2**32, 2**63, 2**64 - 1, 2**64, -(2**63), 10**30]
_STRS = [
    "SCMP_ACT_ALLOW",
    "SCMP_ACT_ERRNO",
    "SCMP_ACT_KILL",
    "SCMP_ACT_NOTIFY",
    "SCMP_ACT_TRACE",
    "SCMP_ACT_LOG",
    "SCMP_ACT_TRAP",
    "SCMP_ACT_KILL_THREAD",
    "SCMP_CMP_MASKED_EQ",
    "SCMP_CMP_NE",
    "SCMP_ARCH_X86",
    "SCMP_ARCH_NOPE",
    "EPERM",
    "ENOSYS",
    "E",
    "EWHAT",
    "",
    " ",
    "read",
    "nosuch_call",
    "4.8",
    "x.y",
    "-1",
    "5.4-rc1",
    "base",
    "app",
    "CAP_SYS_ADMIN",
    "s390x",
    "amd64",
    "../../../etc/passwd",
    "🙂",
    "a\nb",
]


def _scalar() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(_INTS),
        st.sampled_from(_STRS),
        st.none(),
        st.booleans(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.integers(),
        st.text(max_size=8),
    )


_json_value = st.recursive(
    _scalar(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_STRS + ["names", "action", "args"]), inner, max_size=3),
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        node = node[p]
    return node


@st.composite
def _profile_doc(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(sorted(SEEDS)))
    doc = copy.deepcopy(SEEDS[kind])
    for _ in range(draw(st.integers(0, 4))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(["replace", "replace", "drop", "add", "duplicate"]))
        if not path:
            if how == "replace":
                doc = draw(_json_value)
            continue
        parent = _get(doc, path[:-1])
        key = path[-1]
        if how == "replace":
            parent[key] = draw(_json_value)
        elif how == "drop":
            del parent[key]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(_STRS + ["errnoRet", "errno", "index", "op", "value", "valueTwo"]))] = draw(
                _json_value
            )
        elif how == "add":
            parent.insert(key, draw(_json_value))
        elif how == "duplicate":
            parent[key] = [copy.deepcopy(parent[key]) for _ in range(draw(st.integers(1, 3)))]
    return kind, doc


_SPLICES = [
    "&a ",
    "*a",
    "*nosuch",
    "<<: *a\n",
    "!!binary aGk=",
    "!!set {a}",
    "2024-01-01",
    ".nan",
    "!!python/object:os.system",
    "{",
    "[",
    "'",
    '"',
    "\t",
    "\x00",
    "\xff",
    "---\n",
    "...\n",
    "? ",
    "%YAML 1.1\n",
    "- ",
    ": ",
    "#",
    "\\u0000",
]


@st.composite
def _profile_file(draw: st.DrawFn) -> tuple[str, bytes]:
    kind, doc = draw(_profile_doc())
    as_yaml = kind == "spo" or draw(st.booleans())
    text = (
        yaml.safe_dump(doc, sort_keys=False) if as_yaml else json.dumps(doc, indent=draw(st.sampled_from([None, 2])))
    )
    raw = text.encode()
    if draw(st.integers(0, 3)) == 0:
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(raw)))
            how = draw(st.sampled_from(["cut", "splice", "byte"]))
            if how == "cut":
                raw = raw[:i]
            elif how == "splice":
                raw = raw[:i] + draw(st.sampled_from(_SPLICES)).encode("utf-8", "surrogatepass") + raw[i:]
            else:
                raw = raw[:i] + bytes([draw(st.integers(0, 255))]) + raw[i + 1 :]
    return (".yaml" if as_yaml else ".json"), raw


def _read_every_way(path: Path) -> None:
    findings = check_file(path)
    assert all(str(f).count("\n") == 0 for f in findings)
    prof = load(path)
    enforce.build(prof, DOCKER_CAPS).filt.close()
    for fmt in formats.FORMATS:
        try:
            formats.render(prof, fmt)
        except Exception as exc:  # each format may refuse what it cannot say, but only as a SyscopeError
            from syscope.errors import SyscopeError

            if not isinstance(exc, SyscopeError):
                raise


@fuzz(1500)
@given(_profile_file())
def test_profiles(tmp_path_factory: Any, case: tuple[str, bytes]) -> None:
    suffix, raw = case
    d = tmp_path_factory.getbasetemp() / "fuzz-profiles"
    d.mkdir(exist_ok=True)
    (d / "base.yaml").write_text(yaml.safe_dump(SPO_BASE))
    f = d / f"profile{suffix}"
    f.write_bytes(raw)
    clean("seccomp profile", _read_every_way, f)
