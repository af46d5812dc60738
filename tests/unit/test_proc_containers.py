"""Container facts from the state files of the runtimes this machine does not run (docker,
containerd's CRI plugin, CRI-O), laid out as those runtimes write them under a test root; podman's
are read from a real podman in tests/integration/test_container_facts.py."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from syscope.proc import containers


def _id() -> str:
    return uuid.uuid4().hex + uuid.uuid4().hex


@pytest.fixture
def roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(containers, "DOCKER_ROOT", str(tmp_path / "docker"))
    monkeypatch.setattr(containers, "CONTAINERD_TASKS", str(tmp_path / "containerd"))
    monkeypatch.setattr(containers, "graphroots", lambda: [str(tmp_path / "storage")])
    return tmp_path


def test_docker_config_v2(roots: Path) -> None:
    cid = _id()
    d = roots / "docker" / "containers" / cid
    d.mkdir(parents=True)
    (d / "config.v2.json").write_text(json.dumps({
        "ID": cid, "Name": "/web", "Image": "sha256:" + "1" * 64,
        "State": {"StartedAt": "2026-12-05T17:34:55.773295809Z"},
        "Config": {"Image": "nginx:1.25", "Labels": {"io.kubernetes.pod.name": "web-0",
                                                     "io.kubernetes.pod.namespace": "shop"}}}))
    (d / "hostconfig.json").write_text(json.dumps({"Privileged": True}))
    f = containers.container_facts(cgroup_text=f"0::/system.slice/docker-{cid}.scope\n")
    assert f is not None
    assert (f.type, f.name, f.image, f.image_repository, f.image_tag) == ("docker", "web", "nginx:1.25",
                                                                          "nginx", "1.25")
    assert (f.pod_name, f.pod_namespace) == ("web-0", "shop")
    assert f.privileged is True and f.start_ts == 1796492095773295809


def test_containerd_cri_annotations(roots: Path) -> None:
    cid = _id()
    d = roots / "containerd" / "k8s.io" / cid
    d.mkdir(parents=True)
    (d / "config.json").write_text(json.dumps({"ociVersion": "1.1.0", "annotations": {
        "io.kubernetes.cri.container-name": "app",
        "io.kubernetes.cri.image-name": "registry.local:5000/team/app:v3",
        "io.kubernetes.cri.sandbox-name": "app-7d9f", "io.kubernetes.cri.sandbox-namespace": "prod"}}))
    text = f"0::/kubepods.slice/kubepods-pod1.slice/cri-containerd-{cid}.scope\n"
    f = containers.container_facts(cgroup_text=text)
    assert f is not None and (f.type, f.name) == ("containerd", "app")
    assert (f.image_repository, f.image_tag) == ("registry.local:5000/team/app", "v3")
    assert (f.pod_name, f.pod_namespace) == ("app-7d9f", "prod")
    assert containers.find_container("app") == f


def test_crio_in_containers_storage(roots: Path) -> None:
    cid = _id()
    store = roots / "storage" / "overlay-containers"
    (store / cid / "userdata").mkdir(parents=True)
    meta = {"image-name": "quay.io/org/api:2.1", "pod-name": "api-5c", "pod-id": "p" * 64,
            "name": "k8s_api_api-5c_default_uid_0"}
    (store / "containers.json").write_text(json.dumps([
        {"id": cid, "names": ["k8s_api_api-5c_default_uid_0"], "image": "2" * 64,
         "metadata": json.dumps(meta)}]))
    (store / cid / "userdata" / "config.json").write_text(json.dumps({"annotations": {
        "io.kubernetes.cri-o.ContainerID": cid, "io.kubernetes.container.name": "api",
        "io.kubernetes.pod.name": "api-5c", "io.kubernetes.pod.namespace": "default",
        "io.kubernetes.cri-o.ImageName": "quay.io/org/api:2.1"}}))
    f = containers.container_facts(cgroup_text=f"0::/kubepods.slice/crio-{cid}.scope\n")
    assert f is not None
    assert (f.type, f.name, f.image, f.pod_name, f.pod_namespace) == (
        "cri-o", "api", "quay.io/org/api:2.1", "api-5c", "default")


def test_unknown_and_host(roots: Path) -> None:
    assert containers.container_facts(cgroup_text=f"0::/docker/{_id()}\n") is None
    assert containers.container_facts(cgroup_text="0::/system.slice/ssh.service\n") is None
    assert containers.find_container("nothing-by-this-name") is None
