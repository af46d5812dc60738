"""Profiles for containers, tried in real podman (runc) containers: the runtime's own calls after
the filter is loaded, ``profile --container`` recording a running container from the host through
eBPF, and ``profile -- podman run ...``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import podman


def syscope(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=timeout)


def _run_with(image: str, profile: Path, *cmd: str) -> subprocess.CompletedProcess[str]:
    return podman.run("run", "--rm", *podman.LIMITS, "--security-opt", f"seccomp={profile}", image, *cmd)


def test_runtime_calls_make_a_host_recorded_profile_start(podman_image: str, tmp_path: Path) -> None:
    bare, merged = tmp_path / "bare.json", tmp_path / "merged.json"
    r = syscope("profile", "-o", str(bare), "--", "/bin/busybox", "ls", "/")
    assert r.returncode == 0, r.stderr
    # runc's init calls things after loading the filter that `ls` never called: it cannot start
    r = _run_with(podman_image, bare, "ls", "/")
    assert r.returncode != 0 and "operation not permitted" in r.stderr, r.stderr
    r = syscope("profile", "--runtime", "runc", "-o", str(merged), "--", "/bin/busybox", "ls", "/")
    assert r.returncode == 0, r.stderr
    rule = json.loads(merged.read_text())["syscalls"][-1]
    assert "runc 1." in rule["comment"] and "fstatfs" in rule["names"]
    r = _run_with(podman_image, merged, "ls", "/")
    assert r.returncode == 0, r.stderr
    assert "bin" in r.stdout.split() and "proc" in r.stdout.split()
    # --merge takes it too
    again = tmp_path / "again.json"
    r = syscope("profile", "--merge", str(bare), "--runtime", "runc", "-o", str(again))
    assert r.returncode == 0, r.stderr
    assert _run_with(podman_image, again, "ls", "/").returncode == 0


def test_unknown_runtime_is_one_line(tmp_path: Path) -> None:
    r = syscope("profile", "--runtime", "nosuch", "--", "/bin/true")
    assert r.returncode != 0 and r.stderr.startswith("syscope: ") and "Traceback" not in r.stderr
    assert "no recorded calls for runtime 'nosuch'" in r.stderr
