"""Profile model and parsing: Docker/moby ``seccomp=`` JSON, OCI runtime-spec ``linux.seccomp`` (bare
or inside a whole ``config.json``), containers/common's (podman, CRI-O: errno *names* in
``defaultErrno``/``errno`` next to the numbers) and security-profiles-operator ``SeccompProfile``
YAML (multi-document, ``baseProfileName`` merged in, ``state`` tolerated).

Parsing is strict: every fault is a ProfileError naming the JSON path (``$.syscalls[3].args[0].op``)
so that a user never gets a traceback and ``run`` never starts a command under a half-understood
profile.
"""

from __future__ import annotations

import errno as _errno
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syscope import docload
from syscope.errors import ProfileError

ACTIONS = ("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
           "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY")
OPS = ("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
       "SCMP_CMP_MASKED_EQ")
# Docker's default capability set (moby oci/caps/defaults.go DefaultCapabilities).
DOCKER_CAPS = frozenset("CAP_" + c for c in (
    "CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE "
    "SYS_CHROOT KILL AUDIT_WRITE").split())


@dataclass(frozen=True)
class Arg:
    index: int
    value: int
    value_two: int
    op: str


@dataclass
class Rule:
    names: list[str]
    action: str
    args: list[Arg] = field(default_factory=list)
    errno_ret: int | None = None
    includes: dict[str, Any] = field(default_factory=dict)
    excludes: dict[str, Any] = field(default_factory=dict)
    comment: str | None = None
    path: str = "$"


@dataclass
class Profile:
    default_action: str
    default_errno_ret: int | None = None
    architectures: list[str] = field(default_factory=list)
    arch_map: list[tuple[str, list[str]]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    comment: str | None = None

    def allowed_names(self) -> set[str]:
        return {n for r in self.rules if r.action in ("SCMP_ACT_ALLOW", "SCMP_ACT_LOG") for n in r.names}


def _err(path: str, msg: str) -> ProfileError:
    return ProfileError(f"{path}: {msg}")


def _int(v: Any, path: str, lo: int = 0, hi: int = 2**64 - 1) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise _err(path, f"expected an integer, got {json.dumps(v)}")
    if not lo <= v <= hi:
        raise _err(path, f"{v} is out of range {lo}..{hi}")
    return v


def _strlist(v: Any, path: str, allow_empty: bool = True) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _err(path, "expected a list of strings")
    if not allow_empty and not v:
        raise _err(path, "must not be empty")
    return list(v)


def _errno_name(v: Any, path: str) -> int:
    """containers/common writes errno names ("EPERM", "ENOSYS") next to the numbers; its Go code
    maps them with golang.org/x/sys/unix.ErrnoValue, i.e. the host's <errno.h> numbering, which
    is what Python's errno module carries too."""
    num = getattr(_errno, v, None) if isinstance(v, str) and v.startswith("E") else None
    if not isinstance(num, int):
        raise _err(path, f"not an errno name: {json.dumps(v)}")
    return num


def _errno_pair(data: dict[str, Any], num_key: str, name_key: str, where: str) -> int | None:
    """The number from ``num_key`` and/or the name in ``name_key``; both given must agree."""
    num = _int(data[num_key], f"{where}.{num_key}", 0, 4095) if data.get(num_key) is not None else None
    if data.get(name_key) in (None, ""):
        return num
    by_name = _errno_name(data[name_key], f"{where}.{name_key}")
    if num is not None and num != by_name:
        raise _err(f"{where}.{name_key}", f"{data[name_key]} is {by_name}, but {num_key} says {num}")
    return by_name


def _action(v: Any, path: str) -> str:
    if v not in ACTIONS:
        raise _err(path, f"unknown action {json.dumps(v)} (one of {', '.join(ACTIONS)})")
    return str(v)


def parse(data: Any, where: str = "$") -> Profile:
    """Validate and build a Profile from decoded JSON (Docker or OCI linux.seccomp shape)."""
    if not isinstance(data, dict):
        raise _err(where, "a profile is a JSON object")
    known = {"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures", "archMap", "syscalls", "comment",
             "flags", "listenerPath", "listenerMetadata"}
    for k in data:
        if k not in known:
            raise _err(f"{where}.{k}", "unknown field")
    if "defaultAction" not in data:
        raise _err(where, "missing defaultAction")
    prof = Profile(default_action=_action(data["defaultAction"], f"{where}.defaultAction"))
    prof.default_errno_ret = _errno_pair(data, "defaultErrnoRet", "defaultErrno", where)
    prof.architectures = _strlist(data.get("architectures"), f"{where}.architectures")
    am = data.get("archMap") or []
    if not isinstance(am, list):
        raise _err(f"{where}.archMap", "expected a list")
    for i, ent in enumerate(am):
        p = f"{where}.archMap[{i}]"
        if not isinstance(ent, dict) or not isinstance(ent.get("architecture"), str):
            raise _err(p, "expected {architecture, subArchitectures}")
        prof.arch_map.append((ent["architecture"], _strlist(ent.get("subArchitectures"),
                                                             f"{p}.subArchitectures")))
    if isinstance(data.get("comment"), str):
        prof.comment = data["comment"]
    calls = data.get("syscalls") or []
    if not isinstance(calls, list):
        raise _err(f"{where}.syscalls", "expected a list")
    for i, c in enumerate(calls):
        prof.rules.append(_parse_rule(c, f"{where}.syscalls[{i}]"))
    return prof


def _parse_rule(c: Any, p: str) -> Rule:
    if not isinstance(c, dict):
        raise _err(p, "a rule is an object")
    for k in c:
        if k not in ("names", "name", "action", "args", "errnoRet", "errno", "includes", "excludes",
                     "comment"):
            raise _err(f"{p}.{k}", "unknown field")
    names = _strlist(c.get("names"), f"{p}.names")
    if isinstance(c.get("name"), str):  # pre-1.13 Docker profiles carried one "name"
        names.append(c["name"])
    if not names:
        raise _err(f"{p}.names", "must name at least one syscall")
    for j, n in enumerate(names):
        if not n.strip():
            raise _err(f"{p}.names[{j}]", "empty syscall name")
    if "action" not in c:
        raise _err(p, "missing action")
    rule = Rule(names=names, action=_action(c["action"], f"{p}.action"), path=p)
    rule.errno_ret = _errno_pair(c, "errnoRet", "errno", p)
    args = c.get("args") or []
    if not isinstance(args, list):
        raise _err(f"{p}.args", "expected a list")
    for j, a in enumerate(args):
        ap = f"{p}.args[{j}]"
        if not isinstance(a, dict):
            raise _err(ap, "an argument condition is an object")
        # The kernel's seccomp_data has six args (include/uapi/linux/seccomp.h).
        idx = _int(a.get("index"), f"{ap}.index", 0, 5)
        op = a.get("op")
        if op not in OPS:
            raise _err(f"{ap}.op", f"unknown op {json.dumps(op)} (one of {', '.join(OPS)})")
        rule.args.append(Arg(idx, _int(a.get("value", 0), f"{ap}.value"),
                             _int(a.get("valueTwo", 0), f"{ap}.valueTwo"), str(op)))
    for key in ("includes", "excludes"):
        f = c.get(key) or {}
        if not isinstance(f, dict):
            raise _err(f"{p}.{key}", "expected an object")
        for k, v in f.items():
            if k not in ("caps", "arches", "minKernel"):
                raise _err(f"{p}.{key}.{k}", "unknown field")
            if k == "minKernel":
                if not isinstance(v, str) or not _parse_kver(v):
                    raise _err(f"{p}.{key}.minKernel", f"not a kernel version: {json.dumps(v)}")
            else:
                _strlist(v, f"{p}.{key}.{k}")
        setattr(rule, key, dict(f))
    if isinstance(c.get("comment"), str):
        rule.comment = c["comment"]
    return rule


def _parse_kver(s: str) -> tuple[int, ...] | None:
    parts = s.split("-")[0].split(".")[:2]
    try:
        return tuple(int(x) for x in parts)
    except ValueError:
        return None


def load_documents(path: str | os.PathLike[str]) -> list[Any]:
    """Every document of a profile file: one for JSON, each ``---`` document of YAML (SPO ships
    several SeccompProfiles in one file); one-line error when bad.  Read by the bounded loader
    (size, nesting, alias expansion, JSON-only values: see syscope.docload)."""
    return docload.load(path, ProfileError) or [None]


def split_selector(path: str | os.PathLike[str]) -> tuple[str, str | None]:
    """``FILE#NAME`` picks the SeccompProfile named NAME out of a multi-document YAML file."""
    s = os.fspath(path)
    if "#" in s and not os.path.exists(s):
        f, name = s.rsplit("#", 1)
        return f, name
    return s, None


def spo_name(doc: Any) -> str | None:
    if isinstance(doc, dict) and doc.get("kind") == "SeccompProfile" and isinstance(doc.get("metadata"), dict):
        name = doc["metadata"].get("name")
        return name if isinstance(name, str) else None
    return None


def load_data(path: str | os.PathLike[str]) -> Any:
    """The one profile document of ``path`` (``FILE#NAME`` for one of several)."""
    f, name = split_selector(path)
    docs = load_documents(f)
    if name is not None:
        for d in docs:
            if spo_name(d) == name:
                return d
        raise ProfileError(f"{f}: no SeccompProfile named {name!r} (there are: "
                           f"{', '.join(str(spo_name(d)) for d in docs)})")
    if len(docs) > 1:
        raise ProfileError(f"{f}: {len(docs)} documents; choose one as {f}#NAME (one of: "
                           f"{', '.join(str(spo_name(d)) for d in docs)})")
    return docs[0]


# SeccompProfile.spec fields that are about the operator, not the filter (SPO api/seccompprofile/v1).
_SPO_ONLY = ("baseProfileName", "state", "disabled")


def unwrap(data: Any, path: str | os.PathLike[str] | None = None) -> tuple[Any, str]:
    """Return (the seccomp object, JSON path prefix): a kubernetes SeccompProfile keeps it in
    ``spec`` (with its ``baseProfileName`` merged in, see _with_base); an OCI config.json in
    ``linux.seccomp``; a bare Docker/OCI/containers object is itself."""
    if isinstance(data, dict) and data.get("kind") == "SeccompProfile":
        spec = data.get("spec")
        if not isinstance(spec, dict):
            raise _err("$.spec", "missing spec")
        inner = {k: v for k, v in spec.items() if k not in _SPO_ONLY}
        base = spec.get("baseProfileName")
        if base is not None:
            if path is None:
                raise _err("$.spec.baseProfileName", "a base profile is read from the file's directory; "
                                                     "no file given")
            inner = _with_base(inner, base, path, {spo_name(data) or ""})
        return inner, "$.spec"
    if isinstance(data, dict) and isinstance(data.get("linux"), dict) and "seccomp" in data["linux"]:
        return data["linux"]["seccomp"], "$.linux.seccomp"
    return data, "$"


def _with_base(spec: dict[str, Any], base: Any, path: str | os.PathLike[str], seen: set[str]) -> dict[str, Any]:
    """SPO merges the base profile's syscalls into the profile's (the profile's defaultAction
    stays): its base is another SeccompProfile, found here in the same multi-document file or as
    NAME.yaml/.yml/.json next to it.  A base of a base is followed; a cycle is an error."""
    where = "$.spec.baseProfileName"
    if not isinstance(base, str) or not base:
        raise _err(where, "expected a profile name")
    if base in seen:
        raise _err(where, f"{base!r}: base profiles form a cycle")
    f, _ = split_selector(path)
    found: Any = None
    for d in load_documents(f):
        if spo_name(d) == base:
            found = d
    folder = Path(f).parent
    for ext in (".yaml", ".yml", ".json"):
        cand = folder / (base + ext)
        if found is None and cand.is_file():
            docs = load_documents(cand)
            found = next((d for d in docs if spo_name(d) in (base, None)), docs[0])
            f = str(cand)
    if found is None:
        found = _runtime_base(base)
    if found is None:
        raise _err(where, f"base profile {base!r} not found in {split_selector(path)[0]} nor as "
                          f"{base}.yaml/.json beside it")
    if spo_name(found) is None:
        base_inner, _ = unwrap(found, None)  # a Docker/OCI JSON file as the base
    else:
        bspec = found.get("spec")
        if not isinstance(bspec, dict):
            raise _err(where, f"base profile {base!r} has no spec")
        base_inner = {k: v for k, v in bspec.items() if k not in _SPO_ONLY}
        if bspec.get("baseProfileName") is not None:
            base_inner = _with_base(base_inner, bspec["baseProfileName"], f, seen | {base})
    if not isinstance(base_inner, dict):
        raise _err(where, f"base profile {base!r} is not a profile object")
    # merged before parse() checks the shapes: a list that is not one is said here
    for key in ("syscalls", "architectures"):
        for doc, at in ((spec, f"$.spec.{key}"), (base_inner, f"{where}: base profile {base!r}: {key}")):
            if doc.get(key) is not None and not isinstance(doc[key], list):
                raise _err(at, "expected a list")
    merged = dict(spec)
    merged["syscalls"] = list(spec.get("syscalls") or []) + list(base_inner.get("syscalls") or [])
    arches = list(spec.get("architectures") or [])
    arches += [a for a in base_inner.get("architectures") or [] if a not in arches]
    if arches:
        merged["architectures"] = arches
    return merged


def _runtime_base(base: str) -> dict[str, Any] | None:
    """SPO's recorder names the OCI runtime as the base (``runc-v1.1.5``, ``crun-v1.8.1``): the
    calls the runtime makes after loading the filter.  Those come from syscope's recorded data
    (syscope.seccomp.runtime) when it has that runtime, whichever version it was recorded from."""
    import re

    m = re.fullmatch(r"(runc|crun)-v[0-9][\w.+~-]*", base)
    if m is None:
        return None
    from syscope.seccomp.runtime import recorded_runtimes, runtime_calls

    if m.group(1) not in recorded_runtimes():
        return None
    _label, calls = runtime_calls(m.group(1))
    return {"defaultAction": "SCMP_ACT_ERRNO",
            "syscalls": [{"names": sorted(calls), "action": "SCMP_ACT_ALLOW"}]}


def load(path: str | os.PathLike[str]) -> Profile:
    data = load_data(path)
    try:
        inner, where = unwrap(data, path)
        return parse(inner, where)
    except ProfileError as exc:
        raise ProfileError(f"{path}: {exc}") from None


def kernel_version() -> tuple[int, ...]:
    v = _parse_kver(os.uname().release)
    return v or (0, 0)


def host_caps() -> frozenset[str]:
    """The capability bounding set of this process (/proc/self/status CapBnd), as CAP_ names
    (bit numbers from <linux/capability.h>, as syscope.decode has them)."""
    from syscope.decode.fmt import consts
    from syscope.syscalls import native_arch

    mask = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapBnd:"):
            mask = int(line.split()[1], 16)
    return frozenset(name for bit, name in consts(native_arch())["capability"] if mask >> bit & 1)


def parse_caps(spec: str) -> frozenset[str]:
    """``--caps docker|host|LIST`` (LIST: comma-separated, with or without CAP_)."""
    if spec == "docker":
        return DOCKER_CAPS
    if spec == "host":
        return host_caps()
    caps = set()
    for c in spec.split(","):
        c = c.strip().upper()
        if not c:
            continue
        caps.add(c if c.startswith("CAP_") else "CAP_" + c)
    return frozenset(caps)


# Go's GOARCH names that Docker compares includes/excludes.arches against (moby
# profiles/seccomp/seccomp_linux.go uses runtime.GOARCH), keyed by os.uname().machine.
GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "armv7l": "arm", "s390x": "s390x",
          "ppc64le": "ppc64le", "riscv64": "riscv64"}


def rule_applies(rule: Rule, caps: frozenset[str], goarch: str, kver: tuple[int, ...]) -> bool:
    """Docker's include/exclude test (moby profiles/seccomp): every included cap must be held, no
    excluded cap may be held; arches against GOARCH; minKernel against the running kernel."""
    inc, exc = rule.includes, rule.excludes
    if any(c in caps for c in exc.get("caps") or []):
        return False
    if goarch in (exc.get("arches") or []):
        return False
    if exc.get("minKernel") and kver >= (_parse_kver(exc["minKernel"]) or (0,)):
        return False
    if not all(c in caps for c in inc.get("caps") or []):
        return False
    if inc.get("arches") and goarch not in inc["arches"]:
        return False
    if inc.get("minKernel") and kver < (_parse_kver(inc["minKernel"]) or (0,)):
        return False
    return True


def errno_of(action: str, errno_ret: int | None) -> int:
    # runc (libcontainer/seccomp/seccomp_linux.go): SCMP_ACT_ERRNO without errnoRet means EPERM.
    return errno_ret if errno_ret is not None else _errno.EPERM


_ALLOWING = ("SCMP_ACT_ALLOW", "SCMP_ACT_LOG")


def add_runtime_calls(prof: Profile, runtime: str) -> list[str]:
    """Allow, in a rule of their own, the runtime's calls the profile does not allow yet.
    Returns the names added."""
    from syscope.seccomp.runtime import runtime_calls

    label, calls = runtime_calls(runtime)
    if prof.default_action in _ALLOWING:
        return []
    have = {n for r in prof.rules if r.action in _ALLOWING and not (r.args or r.includes or r.excludes)
            for n in r.names}
    added = sorted(calls - have)
    if added:
        prof.rules.append(Rule(names=added, action="SCMP_ACT_ALLOW",
                               comment=f"made by the OCI runtime's init after loading the filter "
                                       f"({label}, recorded by tools/gen_runtime_calls.py)"))
    return added
