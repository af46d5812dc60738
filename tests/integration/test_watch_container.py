"""`syscope watch` names a real podman container: container.* fields from the runtime's state."""

from __future__ import annotations

import subprocess
import sys

from tests import podman


def test_watch_prints_the_container_name_and_image(podman_image: str) -> None:
    loop = "while true; do ls / >/dev/null; sleep 0.1; done"
    with podman.container(podman_image, "sh", "-c", loop) as name:
        r = subprocess.run([sys.executable, "-m", "syscope", "watch", "--duration", "3", "-p",
                            "%container.name %container.image %container.type %proc.name",
                            f"container.name={name}"],
                           capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = {ln for ln in r.stdout.splitlines() if ln.strip()}
    assert lines, r.stderr
    assert all(ln.startswith(f"{name} {podman_image} podman ") for ln in lines), lines
    # busybox's shell runs ls and sleep by re-executing /proc/self/exe: their comm may read "exe"
    assert {ln.rsplit(" ", 1)[-1] for ln in lines} <= {"sh", "ls", "sleep", "exe"}, lines
