"""``profile check``, ``diff``, ``explain`` and ``--merge``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from syscope._kernel import libseccomp as L
from syscope.errors import ProfileError
from syscope.seccomp.enforce import LIBSECCOMP_MAX_ERRNO
from syscope.seccomp.formats import detect, validate
from syscope.seccomp.profile import Profile, Rule, load_data, load_documents, parse, split_selector, spo_name, unwrap
from syscope.syscalls import ARCHES, native_arch, table

# One line of why for each call that undoes isolation when allowed unconditionally.
DANGEROUS: dict[str, str] = {
    "ptrace": "reads and writes other processes' memory and registers",
    "process_vm_readv": "reads another process's memory",
    "process_vm_writev": "writes another process's memory",
    "bpf": "loads kernel programs; a long history of verifier escapes",
    "mount": "changes the filesystem view; can expose host paths",
    "umount2": "can uncover what a mount hid",
    "pivot_root": "changes the root filesystem",
    "unshare": "new namespaces (user namespaces expose much more kernel attack surface)",
    "setns": "joins other namespaces, possibly the host's",
    "keyctl": "kernel keyrings are not namespaced",
    "add_key": "kernel keyrings are not namespaced",
    "request_key": "kernel keyrings are not namespaced",
    "kexec_load": "replaces the running kernel",
    "kexec_file_load": "replaces the running kernel",
    "init_module": "loads code into the kernel",
    "finit_module": "loads code into the kernel",
    "delete_module": "unloads kernel modules",
    "perf_event_open": "kernel/hardware profiling; leaks addresses, frequent CVEs",
    "userfaultfd": "lets a process stall the kernel mid-copy (a race exploitation primitive)",
    "io_uring_setup": "io_uring bypasses seccomp for the operations it performs",
    "io_uring_enter": "io_uring bypasses seccomp for the operations it performs",
    "io_uring_register": "io_uring bypasses seccomp for the operations it performs",
    "open_by_handle_at": "opens files by handle, escaping a chroot or mount namespace",
    "reboot": "reboots or halts the machine",
    "swapon": "changes system swap",
    "clock_settime": "changes the host clock (time is not namespaced)",
    "settimeofday": "changes the host clock (time is not namespaced)",
}

ALLOWING = ("SCMP_ACT_ALLOW", "SCMP_ACT_LOG")


@dataclass
class Finding:
    level: str  # "error" | "warning"
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


def check_file(path: str | Path) -> list[Finding]:
    """Schema and lint findings for a profile file; each document of a multi-document SPO file is
    checked (its findings' paths carry ``#NAME``), ``FILE#NAME`` checks one."""
    f, name = split_selector(path)
    docs = [load_data(path)] if name is not None else load_documents(f)
    found: list[Finding] = []
    for i, data in enumerate(docs):
        tag = "" if len(docs) == 1 else f"#{spo_name(data) or i}"
        for fd in _check_document(data, f):
            found.append(Finding(fd.level, tag + fd.path if tag else fd.path, fd.message))
    return found


def _check_document(data: object, path: str) -> list[Finding]:
    inner, where = unwrap_config(data)
    fmt = detect(inner)
    found = [Finding("error", *_prefixed(e, where).split(": ", 1)) for e in validate(inner, fmt)]
    if found:
        return found
    try:
        inner, where = unwrap(data, path)
        prof = parse(inner, where)
    except ProfileError as exc:
        return [Finding("error", *str(exc).split(": ", 1))]
    return lint(prof)


def unwrap_config(data: object) -> tuple[object, str]:
    """A whole OCI runtime config.json is checked on its ``linux.seccomp`` (as ``run`` reads it);
    anything else as it is."""
    if isinstance(data, dict) and data.get("kind") != "SeccompProfile":
        linux = data.get("linux")
        if isinstance(linux, dict) and "seccomp" in linux:
            return linux["seccomp"], "$.linux.seccomp"
    return data, "$"


def _prefixed(err: str, where: str) -> str:
    return where + err[1:] if where != "$" and err.startswith("$") else err


def _lint_errnos(prof: Profile) -> list[Finding]:
    """Errnos the schema allows (0..4095, the kernel's range) but that do not do what a deny is for."""
    out: list[Finding] = []
    places = [("$.defaultErrnoRet", prof.default_action, prof.default_errno_ret)]
    places += [(f"{r.path}.errnoRet", r.action, r.errno_ret) for r in prof.rules]
    for where, action, n in places:
        if action != "SCMP_ACT_ERRNO" or n is None:
            continue
        if n == 0:
            # SECCOMP_RET_ERRNO with data 0: the call is skipped and returns 0 (seccomp(2))
            out.append(Finding("warning", where, "errno 0: a denied call is not run but returns 0, so the "
                                                 "program believes it succeeded"))
        elif n > LIBSECCOMP_MAX_ERRNO:
            out.append(Finding("error", where, f"errno {n}: libseccomp (which loads the filter for run and "
                                               f"runc) refuses values above {LIBSECCOMP_MAX_ERRNO}"))
    return out


def _lint_arches(prof: Profile) -> list[Finding]:
    """Architecture names libseccomp does not resolve: run skips them (and runc refuses them)."""
    out: list[Finding] = []
    places = [(f"$.architectures[{i}]", a) for i, a in enumerate(prof.architectures)]
    for i, (arch, subs) in enumerate(prof.arch_map):
        places.append((f"$.archMap[{i}].architecture", arch))
        places += [(f"$.archMap[{i}].subArchitectures[{j}]", s) for j, s in enumerate(subs)]
    for where, name in places:
        if L.arch_resolve(name.removeprefix("SCMP_ARCH_").lower()) is None:
            out.append(Finding("warning", where, f"unknown architecture {name!r} (libseccomp does not know it; "
                                                 "run skips it)"))
    return out


def lint(prof: Profile) -> list[Finding]:
    out: list[Finding] = _lint_errnos(prof) + _lint_arches(prof)
    if prof.default_action in ALLOWING and all(r.action in ALLOWING for r in prof.rules):
        out.append(Finding("warning", "$.defaultAction", f"{prof.default_action} and no rule denies: the "
                                                         "profile allows every system call (it confines nothing)"))
    native = L.arch_native()
    seen: dict[str, tuple[Rule, int]] = {}
    for rule in prof.rules:
        idx_seen: dict[int, int] = {}
        for a in rule.args:
            idx_seen[a.index] = idx_seen.get(a.index, 0) + 1
        for idx, n in idx_seen.items():
            if n > 1:
                out.append(Finding("warning", f"{rule.path}.args",
                                   f"{n} conditions on argument {idx}: libseccomp turns same-argument "
                                   "conditions of one rule into OR, not AND"))
        if rule.action == prof.default_action and rule.errno_ret == prof.default_errno_ret:
            out.append(Finding("warning", f"{rule.path}.action",
                               "same as defaultAction: the rule has no effect"))
        for j, name in enumerate(rule.names):
            p = f"{rule.path}.names[{j}]"
            if L.syscall_nr(native, name) is None:
                info = table(native_arch()).by_name(name) if native_arch() in ARCHES else None
                how = (f"; run adds it by number {info.nr} for {native_arch()}" if info is not None
                       else ", nor do syscope's syscall tables; run skips it")
                out.append(Finding("warning", p, f"unknown syscall name {name!r} "
                                                 f"(libseccomp does not know it{how})"))
            conditional = bool(rule.args) or bool(rule.includes) or bool(rule.excludes)
            if name in seen:
                prev, pj = seen[name]
                prev_cond = bool(prev.args) or bool(prev.includes) or bool(prev.excludes)
                if not prev_cond and not conditional:
                    what = "duplicate of" if prev.action == rule.action else "conflicts with"
                    out.append(Finding("warning", p, f"{name}: {what} {prev.path}.names[{pj}]"))
                elif not prev_cond:
                    out.append(Finding("warning", p, f"{name}: shadowed by the unconditional rule at "
                                                     f"{prev.path}.names[{pj}]"))
            elif not conditional:
                seen[name] = (rule, j)
            if rule.action in ALLOWING and name in DANGEROUS and not rule.args:
                out.append(Finding("warning", p, f"allows {name}: {DANGEROUS[name]}"))
    return out


def unconditional_allowed(prof: Profile) -> set[str]:
    return {n for r in prof.rules if r.action in ALLOWING and not r.args and not r.includes for n in r.names}


def all_allowed(prof: Profile) -> set[str]:
    return {n for r in prof.rules if r.action in ALLOWING for n in r.names}


def verdicts(prof: Profile, names: Iterable[str]) -> dict[str, str]:
    """What the profile does with each name: "allow", "deny" or "cond" (allowed only under argument,
    capability, arch or kernel conditions).  A name without a rule gets the defaultAction, so an
    allow-all profile allows every call it does not deny."""
    default_allows = prof.default_action in ALLOWING
    by_name: dict[str, list[Rule]] = {}
    for r in prof.rules:
        for n in r.names:
            by_name.setdefault(n, []).append(r)
    out: dict[str, str] = {}
    for n in names:
        rules = by_name.get(n, [])
        uncond = [r for r in rules if not (r.args or r.includes or r.excludes)]
        if uncond:
            out[n] = "allow" if uncond[0].action in ALLOWING else "deny"
        elif rules:
            # a conditional allow under a denying default, or a conditional deny under an
            # allowing one: allowed sometimes either way
            out[n] = "cond" if default_allows or any(r.action in ALLOWING for r in rules) else "deny"
        else:
            out[n] = "allow" if default_allows else "deny"
    return out


def diff(a: Profile, b: Profile) -> tuple[list[str], list[str], list[str]]:
    """(names only A allows, names only B allows, names both allow but under different conditions),
    over every call of this machine's syscall table and every name either profile mentions."""
    universe = {n for p in (a, b) for r in p.rules for n in r.names}
    if native_arch() in ARCHES:
        universe |= {i.name for i in table(native_arch())}
    va, vb = verdicts(a, universe), verdicts(b, universe)
    only_a = sorted(n for n in universe if va[n] != "deny" and vb[n] == "deny")
    only_b = sorted(n for n in universe if vb[n] != "deny" and va[n] == "deny")
    differ = sorted(n for n in universe if {va[n], vb[n]} == {"allow", "cond"})
    return only_a, only_b, differ


def trace_names(path: str | Path) -> set[str]:
    """The names of the calls in a recorded trace: JSON lines of syscope events, or a capture of
    ``syscope watch -w``, as ``syscope report`` and ``timeline`` read them."""
    from syscope.events import SyscallEvent
    from syscope.sources.file import read_events

    return {ev.name for ev in read_events(path) if isinstance(ev, SyscallEvent)}


def explain(prof: Profile, used: Iterable[str]) -> list[str]:
    u = set(used)
    return sorted(all_allowed(prof) - u)


def merge(profiles: list[Profile]) -> Profile:
    """Union of allowed calls.  The defaults must agree (merging EPERM with KILL would loosen one
    silently); conditional rules are kept as they are, and a name that one profile allows
    unconditionally drops the other profiles' conditions for it — said in the merged rule's comment."""
    if not profiles:
        raise ProfileError("nothing to merge")
    first = profiles[0]
    for p in profiles[1:]:
        if (p.default_action, p.default_errno_ret) != (first.default_action, first.default_errno_ret):
            raise ProfileError(f"cannot merge profiles with different default actions "
                               f"({first.default_action} vs {p.default_action}): one would be loosened")
    arches: list[str] = []
    for p in profiles:
        for a in p.architectures:
            if a not in arches:
                arches.append(a)
    uncond: set[str] = set()
    for p in profiles:
        uncond |= unconditional_allowed(p)
    rules: list[Rule] = [Rule(names=sorted(uncond), action="SCMP_ACT_ALLOW")] if uncond else []
    keys: set[str] = set()
    dropped: set[str] = set()
    for p in profiles:
        for r in p.rules:
            if r.action in ALLOWING and not r.args and not r.includes:
                continue
            names = [n for n in r.names if not (r.action in ALLOWING and n in uncond)]
            dropped |= set(r.names) - set(names)
            if not names:
                continue
            key = json.dumps([names, r.action, r.errno_ret, [a.__dict__ for a in r.args],
                              r.includes, r.excludes], sort_keys=True)
            if key in keys:
                continue
            keys.add(key)
            rules.append(Rule(names=names, action=r.action, args=list(r.args), errno_ret=r.errno_ret,
                              includes=dict(r.includes), excludes=dict(r.excludes), comment=r.comment))
    if dropped and rules:
        rules[0].comment = ("argument conditions dropped for " + ", ".join(sorted(dropped)) +
                            ": another merged profile allows them unconditionally")
    comments = [p.comment for p in profiles if p.comment]
    return Profile(default_action=first.default_action, default_errno_ret=first.default_errno_ret,
                   architectures=arches, arch_map=list(first.arch_map), rules=rules,
                   comment="merged: " + " | ".join(comments) if comments else "merged profile")
