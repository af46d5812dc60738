"""Container identity from /proc/PID/cgroup text, in the layouts the runtimes write.

The integration tests create these cgroups for real; here the parser meets the layouts that
need a runtime this machine does not run (kubelet with cgroupfs, LXC, nspawn, hybrid v1)."""

from __future__ import annotations

import pytest

from syscope.proc.cgroup import parse_cgroup

ID = "1a83cf2c10b341ae10116fbfa20e3c10e3e89a9759f0d5d6110f5e7566030c2b"
POD = "6d7c3f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f"


@pytest.mark.parametrize("text,runtime,cid", [
    (f"0::/system.slice/docker-{ID}.scope\n", "docker", ID),
    (f"12:pids:/docker/{ID}\n11:memory:/docker/{ID}\n0::/\n", "docker", ID),
    (f"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{POD.replace('-', '_')}.slice/"
     f"cri-containerd-{ID}.scope\n", "containerd", ID),
    (f"0::/kubepods.slice/kubepods-pod{POD.replace('-', '_')}.slice/crio-{ID}.scope\n", "cri-o", ID),
    (f"0::/kubepods/burstable/pod{POD}/{ID}\n", "kubernetes", ID),
    (f"0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope/container\n",
     "podman", ID),
    (f"0::/machine.slice/libpod-{ID}.scope\n", "podman", ID),
    (f"0::/default/{ID}\n", "containerd", ID),
    ("0::/machine.slice/machine-web\\x2d1.scope/payload\n", "systemd-nspawn", "web-1"),
    ("0::/lxc.payload.db1\n", "lxc", "db1"),
    ("5:cpu:/lxc/db2\n0::/\n", "lxc", "db2"),
])
def test_runtimes(text: str, runtime: str, cid: str) -> None:
    info = parse_cgroup(text)
    assert (info.runtime, info.id) == (runtime, cid)


def test_pod_uid_is_reported() -> None:
    info = parse_cgroup(f"0::/kubepods/burstable/pod{POD}/{ID}\n")
    assert info.pod == POD
    assert info.short_id == ID[:12]
    assert info.label() == f"kubernetes:{ID[:12]}"


def test_conmon_is_not_the_container() -> None:
    info = parse_cgroup(f"0::/machine.slice/libpod-conmon-{ID}.scope\n")
    assert info.id is None
    assert info.unit == f"libpod-conmon-{ID}.scope"


def test_host_service_reports_unit_and_slice() -> None:
    info = parse_cgroup("0::/system.slice/ssh.service\n")
    assert info.id is None and info.unit == "ssh.service" and info.slice == "system.slice"
    assert info.label() == "host:ssh.service"


def test_session_scope() -> None:
    info = parse_cgroup("0::/user.slice/user-1000.slice/session-3.scope\n")
    assert (info.unit, info.slice) == ("session-3.scope", "user-1000.slice")


def test_root_is_host() -> None:
    info = parse_cgroup("0::/\n")
    assert info.id is None and info.unit is None and info.label() == "host"
