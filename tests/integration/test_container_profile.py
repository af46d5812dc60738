"""Profiles for containers, tried in real podman (runc) containers: the runtime's own calls after
the filter is loaded, ``profile --container`` recording a running container from the host through
eBPF, and ``profile -- podman run ...``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
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


# Waits for the test's go-ahead, then starts a fresh shell that lists / : a program's start-up is
# only seen when it starts after the recording began (a running container's past is not).
# The recorded and the replayed command have the same shape up to their last command, which the
# shell execs in place (a command before it is forked: `sh: can't fork` if fork was never seen).
WAIT_THEN = "until [ -e /shared/go ]; do sleep 0.05; done; "
WORK = "sh -c 'ls /'; "


def test_profile_container_records_from_the_host_and_denies_the_rest(podman_image: str,
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "rec.json"
    vol = ("-v", f"{tmp_path}:/shared")
    with podman.container(podman_image, "sh", "-c", WAIT_THEN + WORK + "echo done", opts=vol) as name:
        proc = subprocess.Popen([sys.executable, "-m", "syscope", "profile", "--container", name,
                                 "-o", str(out)], stderr=subprocess.PIPE, text=True)
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith(f"syscope: recording container {name} ("), line
        (tmp_path / "go").write_text("")
        # ends by itself when the container exits
        rest = proc.stderr.read()
        assert proc.wait(timeout=120) == 0, rest
    doc = json.loads(out.read_text())
    assert "the container exited" in doc["comment"] and f"image {podman_image}" in doc["comment"]
    allowed = {n for r in doc["syscalls"] for n in r["names"]}
    assert {"execve", "getdents64", "write", "exit_group", "fstatfs"} <= allowed
    assert "mkdir" not in allowed and "mkdirat" not in allowed, sorted(allowed)
    # the same program starts under its profile; a call it never made gets EPERM
    r = podman.run("run", "--rm", *podman.LIMITS, *vol, "--security-opt", f"seccomp={out}", podman_image,
                   "sh", "-c", WAIT_THEN + WORK + "mkdir /tmp/new")
    assert "bin" in r.stdout.split() and "proc" in r.stdout.split(), (r.stderr, " ".join(sorted(allowed)))
    assert r.returncode == 1 and "mkdir: can't create directory '/tmp/new': Operation not permitted" in r.stderr


def test_profile_podman_run_records_the_container_from_its_start(podman_image: str, tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    r = syscope("profile", "-o", str(out), "--", *podman.PODMAN, "run", "--rm", *podman.LIMITS,
                podman_image, "sh", "-c", "ls /")
    assert r.returncode == 0, r.stderr
    assert "bin" in r.stdout.split()
    doc = json.loads(out.read_text())
    allowed = {n for r in doc["syscalls"] for n in r["names"]}
    assert {"execve", "getdents64", "write"} <= allowed
    # what runc's init does before it loads the filter is not the container's to keep
    assert not {"mount", "pivot_root", "sethostname", "umount2"} & allowed
    # podman's and conmon's own calls are not in it either
    assert "bpf" not in allowed and "socket" not in allowed
    r = podman.run("run", "--rm", *podman.LIMITS, "--security-opt", f"seccomp={out}", podman_image,
                   "sh", "-c", "ls /")
    assert r.returncode == 0 and "bin" in r.stdout.split(), r.stderr
    r = podman.run("run", "--rm", *podman.LIMITS, "--security-opt", f"seccomp={out}", podman_image,
                   "sh", "-c", "ls /; mkdir /tmp/new")
    # `sh -c 'ls /'` execs ls in place; two commands need a fork, which it never made
    assert r.returncode == 2 and "sh: can't fork: Operation not permitted" in r.stderr, r.stderr


def test_container_errors_are_one_line() -> None:
    r = syscope("profile", "--container", "no-such-container-here", "-o", "-")
    assert r.returncode != 0 and r.stderr.startswith("syscope: ") and "Traceback" not in r.stderr
    assert "no container 'no-such-container-here'" in r.stderr
    r = syscope("profile", "--duration", "1", "--", "/bin/true")
    assert r.returncode != 0 and "--duration" in r.stderr and "Traceback" not in r.stderr


def test_profile_podman_run_detached_follows_the_container(podman_image: str, tmp_path: Path) -> None:
    out = tmp_path / "detached.yaml"
    name = podman.unique_name()
    # `run -d` returns at once; the listing happens after podman has exited.  The kubernetes
    # profile is named after the container (read from podman's state while it existed: --rm).
    r = syscope("profile", "--format", "kubernetes", "-o", str(out), "--", *podman.PODMAN, "run", "-d",
                "--rm", "--name", name, *podman.LIMITS, podman_image, "sh", "-c", "sleep 2; ls /")
    assert r.returncode == 0, r.stderr
    assert "podman exited, the container runs on" in r.stderr
    doc = yaml.safe_load(out.read_text())
    assert doc["metadata"]["name"] == name and f"localhostProfile: operator/{name}.json" in out.read_text()
    allowed = {n for r in doc["spec"]["syscalls"] for n in r["names"]}
    assert {"getdents64", "clock_nanosleep"} <= allowed
