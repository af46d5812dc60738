"""Container facts of a real podman container (runc), read from containers/storage's state:
name, image, repository, tag, type, and the cgroup id eBPF sees; shown by ps, env and fds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests import podman

from syscope.proc.containers import (
    cgroup_id_of_pid,
    cgroup_path_of_id,
    container_facts,
    container_pids,
    find_container,
    oci_runtime,
    split_image,
)


def syscope(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                          timeout=60)


def test_facts_of_a_podman_container(podman_image: str) -> None:
    before = time.time_ns() - 1_000_000_000  # containers.json keeps the creation time to the ns
    with podman.container(podman_image, "sleep", "60") as name:
        after = time.time_ns()
        pid = podman.main_pid(name)
        cid = podman.run("inspect", "--format", "{{.Id}}", name).stdout.strip()
        facts = container_facts(pid)
        assert facts is not None
        assert (facts.id, facts.name, facts.type) == (cid, name, "podman")
        assert facts.image == podman_image
        assert (facts.image_repository, facts.image_tag) == tuple(podman_image.rsplit(":", 1))
        assert facts.pod_name is None
        assert facts.privileged is False
        assert oci_runtime(facts) == "runc"
        assert facts.start_ts is not None and before <= facts.start_ts <= after
        # by name, by id prefix; and the processes in it
        assert find_container(name) == facts and find_container(cid[:12]) == facts
        assert container_pids(cid) == [pid]
        # the cgroup id bpf_get_current_cgroup_id() gives names the same container
        cg = cgroup_id_of_pid(pid)
        assert cg is not None and cg != cgroup_id_of_pid(os.getpid())
        assert cgroup_path_of_id(cg) is not None and cid in (cgroup_path_of_id(cg) or "")
        assert container_facts(cgroup_id=cg) == facts
    assert container_facts(os.getpid()) is None
    assert find_container(name) is None  # removed


def test_ps_env_fds_name_the_container(podman_image: str) -> None:
    with podman.container(podman_image, "sleep", "60") as name:
        pid = podman.main_pid(name)
        r = syscope("ps", "-p", str(pid), "--json")
        assert r.returncode == 0, r.stderr
        c = json.loads(r.stdout)["container"]
        assert (c["name"], c["image"], c["type"]) == (name, podman_image, "podman")
        r = syscope("ps", "-p", str(pid))
        assert f"/{name}" in r.stdout.splitlines()[1]
        r = syscope("ps", "--container")
        assert f"name {name} image {podman_image}" in r.stdout
        r = syscope("env", str(pid))
        assert f"name {name} image {podman_image}" in r.stdout
        r = syscope("fds", str(pid))
        assert r.stdout.startswith(f"pid {pid} (sleep, in podman container ") and name in r.stdout.splitlines()[0]


def test_split_image_reference() -> None:
    assert split_image("docker.io/library/nginx:1.25") == ("docker.io/library/nginx", "1.25")
    assert split_image("registry:5000/app") == ("registry:5000/app", None)
    assert split_image("registry:5000/app:v2@sha256:" + "0" * 64) == ("registry:5000/app", "v2")
    assert split_image(None) == (None, None)
