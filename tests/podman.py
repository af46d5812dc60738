"""Real containers for the tests: a busybox image made with ``podman import`` from the
busybox-static binary, and podman with runc and low rlimits (this machine refuses raising them:
podman's defaults ask for nofile/nproc 1048576; crun refuses the hybrid cgroup layout)."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

IMAGE = "localhost/syscope-test-busybox"
PODMAN = ["podman", "--runtime", "runc"]
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]


def build_image(work: Path) -> str:
    """A rootfs of busybox-static and its applet links (busybox --install -s), tarred and
    imported; the CMD default is a shell.  Tagged by the busybox binary's hash: built once per
    busybox version, so runs do not pile up unused images."""
    digest = hashlib.sha256(Path("/bin/busybox").read_bytes()).hexdigest()[:12]
    ref = f"{IMAGE}:{digest}"
    if run("image", "exists", ref).returncode == 0:
        return ref
    root = work / "rootfs"
    (root / "bin").mkdir(parents=True)
    shutil.copy("/bin/busybox", root / "bin" / "busybox")
    subprocess.run(["chroot", str(root), "/bin/busybox", "--install", "-s", "/bin"], check=True)
    for d in ("proc", "sys", "dev", "etc", "tmp"):
        (root / d).mkdir(exist_ok=True)
    tar = work / "rootfs.tar"
    subprocess.run(["tar", "-C", str(root), "-cf", str(tar), "."], check=True)
    subprocess.run([*PODMAN, "import", "--change", "CMD=/bin/sh", str(tar), ref], check=True,
                   capture_output=True)
    return ref


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PODMAN, *args], capture_output=True, text=True, timeout=timeout)


def unique_name(prefix: str = "syscope-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def main_pid(name: str) -> int:
    r = run("inspect", "--format", "{{.State.Pid}}", name)
    assert r.returncode == 0, r.stderr
    return int(r.stdout.strip())


@contextlib.contextmanager
def container(image: str, *cmd: str, opts: tuple[str, ...] = ()) -> Iterator[str]:
    """A detached container running ``cmd``; removed (killed if needed) afterwards."""
    name = unique_name()
    r = run("run", "-d", "--name", name, *LIMITS, *opts, image, *cmd)
    assert r.returncode == 0, r.stderr
    try:
        yield name
    finally:
        run("rm", "-f", "-t", "0", name)

