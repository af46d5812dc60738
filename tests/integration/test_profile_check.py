"""`syscope profile check|diff|explain` on real files, and a trace from a real run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DOCKER = "/work/shared/data/seccomp/docker-default.json"


def syscope(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=60)


def _write(tmp: Path, doc: object, name: str = "p.json") -> str:
    p = tmp / name
    p.write_text(json.dumps(doc))
    return str(p)


def test_check_docker_default_lists_dangerous_and_unknown() -> None:
    r = syscope("profile", "check", DOCKER)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert any("names[" in ln and "unknown syscall name 'mseal'" in ln for ln in lines)
    # ptrace is in the minKernel 4.8 rule, with no argument condition: reported with why
    assert any("allows ptrace: reads and writes other processes' memory" in ln for ln in lines)
    assert any("allows bpf:" in ln for ln in lines)


def test_check_schema_error_has_json_path(tmp_path: Path) -> None:
    p = _write(tmp_path, {"defaultAction": "SCMP_ACT_ERRNO",
                          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                                        "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]}]})
    r = syscope("profile", "check", p)
    assert r.returncode == 2
    assert "error: $.syscalls[0].args[0].index: 7 is greater than the maximum of 5" in r.stdout


def test_check_duplicates_shadowing_same_arg(tmp_path: Path) -> None:
    p = _write(tmp_path, {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["read", "write", "execve"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
        {"names": ["write"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
        {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"},
                  {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
        {"names": ["nonesuch_call"], "action": "SCMP_ACT_ERRNO"},
    ]})
    r = syscope("profile", "check", p)
    out = r.stdout
    assert "$.syscalls[1].names[0]: read: duplicate of $.syscalls[0].names[0]" in out
    assert ("$.syscalls[2].names[0]: write: shadowed by the unconditional rule at "
            "$.syscalls[0].names[1]") in out
    assert "$.syscalls[3].args: 2 conditions on argument 0: libseccomp turns" in out
    assert "$.syscalls[4].names[0]: unknown syscall name 'nonesuch_call'" in out
    assert "$.syscalls[4].action: same as defaultAction" in out


def test_check_clean_profile_ok(tmp_path: Path) -> None:
    p = _write(tmp_path, {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
                          "syscalls": [{"names": ["read", "execve"], "action": "SCMP_ACT_ALLOW"}]})
    r = syscope("profile", "check", p)
    assert r.returncode == 0 and r.stdout.strip().endswith(": ok")


@pytest.mark.parametrize("name, body, msg", [
    ("bad.json", '{"defaultAction": ', "malformed JSON at line 1"),
    ("bad.yaml", "kind: SeccompProfile\nspec: [\n", "malformed YAML at line"),
])
def test_malformed_one_line(tmp_path: Path, name: str, body: str, msg: str) -> None:
    p = tmp_path / name
    p.write_text(body)
    for args in (["profile", "check", str(p)], ["profile", "diff", str(p), DOCKER]):
        r = syscope(*args)
        assert r.returncode == 1 and msg in r.stderr and len(r.stderr.splitlines()) == 1


def test_diff_against_docker(tmp_path: Path) -> None:
    p = _write(tmp_path, {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["read", "execve", "mount", "personality"], "action": "SCMP_ACT_ALLOW"}]})
    r = syscope("profile", "diff", p, DOCKER)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert "< mount" not in lines  # docker allows mount with CAP_SYS_ADMIN
    assert "~ mount (conditions differ)" in lines
    assert "~ personality (conditions differ)" in lines
    assert "> write" in lines and "< read" not in lines
    same = syscope("profile", "diff", DOCKER, DOCKER)
    assert same.returncode == 0 and same.stdout.startswith("0 only in")


def test_explain_against_a_trace(tmp_path: Path) -> None:
    # A profile recorded from a run of /bin/true and a JSON-lines trace of another run of it: the
    # same calls, so the profile has nothing to remove and the trace nothing it denies.
    prof = tmp_path / "t.json"
    assert syscope("profile", "--no-vdso", "-o", str(prof), "--", "/bin/true").returncode == 0
    used = json.loads(prof.read_text())["syscalls"][0]["names"]
    trace = tmp_path / "t.jsonl"
    t = syscope("-f", "--json", "-o", str(trace), "--", "/bin/true")
    assert t.returncode == 0, t.stderr
    r = syscope("profile", "explain", str(prof), str(trace))
    assert r.returncode == 0, r.stderr
    assert "used but not allowed" not in r.stdout
    assert "0 could be removed" in r.stdout
    r = syscope("profile", "explain", DOCKER, str(trace))
    lines = r.stdout.splitlines()
    assert "unused: ptrace  (dangerous: reads and writes other processes' memory and registers)" in lines
    assert not any(ln == f"unused: {n}" for n in used for ln in lines)
    assert lines[-1].startswith(f"{len(used)} of ")


def test_explain_bad_trace_line_is_one_line(tmp_path: Path) -> None:
    trace = tmp_path / "bad.jsonl"
    trace.write_text('{"type": "syscall"\n')
    r = syscope("profile", "explain", DOCKER, str(trace))
    assert r.returncode == 1
    assert r.stderr.startswith("syscope: ") and r.stderr.count("\n") == 1 and f"{trace}:1:" in r.stderr, r.stderr
