"""syscope ps / env / fds on real processes: a child with a secret in its environment, one in
a new pid namespace, one in cgroups named as the container runtimes name them, one with sockets,
pipes and files open, one in a new network namespace."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PY = "/usr/bin/python3"
# The child says it is ready, then blocks until the test closes its stdin.
# a newline in the script, as CI harnesses' `sh -c` lines have: ps must still print one line a process
WAIT_CHILD = "import sys\nprint('ready', flush=True); sys.stdin.read()"


def syscope(*args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    if user is None:
        return subprocess.run([sys.executable, "-m", "syscope", *args], capture_output=True, text=True,
                              timeout=60)
    # As another user: sys.executable lives under /root (pyenv), which that user may not enter,
    # so run Debian's python3 of the same minor version on syscope's source and site-packages.
    import psutil

    import syscope.proc

    paths = [str(Path(syscope.proc.__file__).parents[2]), str(Path(psutil.__file__).parents[1])]
    return subprocess.run([PY, "-m", "syscope", *args], capture_output=True, text=True, timeout=60,
                          user=user, group=user, cwd="/",
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(paths)})


class Child:
    def __init__(self, argv: list[str], env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=env)
        assert self.proc.stdout is not None
        self.first_line = self.proc.stdout.readline().strip()
        assert self.first_line, "child did not start"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def secret_child() -> Iterator[Child]:
    env = {"PATH": "/usr/bin:/bin", "DB_PASSWORD": "hunter2", "GREETING": "hello",
           "DATABASE_URL": "postgres://app:s3cr3tpw@db.internal:5432/app"}
    c = Child([PY, "-c", WAIT_CHILD], env=env)
    yield c
    c.stop()


def test_env_flags_and_redacts(secret_child: Child) -> None:
    r = syscope("env", str(secret_child.pid))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "hunter2" not in out and "s3cr3tpw" not in out
    assert "! DB_PASSWORD=****" in out
    assert "! DATABASE_URL=postgres://app:****@db.internal:5432/app" in out
    assert "GREETING=hello" in out and "! GREETING" not in out
    assert "2 secret-like" in out
    assert "pid namespace:" in out and "container:" in out


def test_env_reveal(secret_child: Child) -> None:
    r = syscope("env", str(secret_child.pid), "--reveal")
    assert r.returncode == 0, r.stderr
    assert "! DB_PASSWORD=hunter2" in r.stdout
    assert "s3cr3tpw@db.internal" in r.stdout


def test_env_json_and_secrets_only(secret_child: Child) -> None:
    r = syscope("env", str(secret_child.pid), "--json")
    d = json.loads(r.stdout)
    assert d["pid"] == secret_child.pid
    assert {s["name"] for s in d["secrets"]} == {"DB_PASSWORD", "DATABASE_URL"}
    assert d["environ"]["DB_PASSWORD"] == "****" and d["environ"]["GREETING"] == "hello"
    r = syscope("env", str(secret_child.pid), "--secrets")
    assert "GREETING" not in r.stdout and "DB_PASSWORD" in r.stdout


def test_env_all_audit(secret_child: Child) -> None:
    r = syscope("env", "--all")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) <= 24, "the audit must fit one screen"
    assert "hunter2" not in r.stdout
    row = [ln for ln in lines if ln.split() and ln.split()[0] == str(secret_child.pid)]
    assert row and "DB_PASSWORD" in row[0] and "DATABASE_URL" in row[0]
    summary = [ln for ln in lines if "processes expose" in ln]
    assert summary and int(summary[0].split()[0]) >= 1
    r = syscope("env", "--all", "--reveal")
    assert "DB_PASSWORD=hunter2" in r.stdout


def test_env_of_vanished_process() -> None:
    p = subprocess.Popen([PY, "-c", "pass"])
    p.wait()
    r = syscope("env", str(p.pid))
    assert r.returncode != 0
    assert r.stderr.startswith("syscope: ") and len(r.stderr.strip().splitlines()) == 1
    assert "no process" in r.stderr and "Traceback" not in r.stderr


def test_env_of_zombie() -> None:
    p = subprocess.Popen([PY, "-c", "pass"])
    try:
        deadline = time.monotonic() + 30
        while Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        r = syscope("env", str(p.pid))
        assert r.returncode != 0 and "zombie" in r.stdout and "zombie" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
        r = syscope("ps", "-p", str(p.pid))
        assert "<defunct>" in r.stdout
    finally:
        p.wait()


def test_env_access_denied_as_other_user(secret_child: Child) -> None:
    # An unprivileged user may not read root's environ (proc(5): ptrace access mode check).
    r = syscope("env", str(secret_child.pid), user=65534)
    assert r.returncode != 0
    assert "hunter2" not in r.stdout
    assert "access denied" in r.stdout
    assert r.stderr.strip().splitlines() == [r.stderr.strip()] and "permission denied" in r.stderr
    assert "Traceback" not in r.stderr
    r = syscope("fds", str(secret_child.pid), user=65534)
    assert r.returncode != 0 and "permission denied" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("argv", [["env"], ["env", "abc"], ["env", "1", "--all"], ["fds"], ["ps", "--bogus"],
                                  ["fds", "-5"]])
def test_bad_input_one_line(argv: list[str]) -> None:
    r = syscope(*argv)
    assert r.returncode != 0
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("syscope: ")


def test_ps_lists_child_with_parent(secret_child: Child) -> None:
    r = syscope("ps", "--json")
    rows = {d["pid"]: d for d in map(json.loads, r.stdout.splitlines())}
    me = rows[secret_child.pid]
    assert me["ppid"] == os.getpid()
    assert me["cmdline"][0] == PY
    assert me["user"] == "root"
    assert me["pidns"]["inode"] == int(os.readlink("/proc/self/ns/pid").split("[")[1].rstrip("]"))


def test_ps_tree_puts_child_under_parent(secret_child: Child) -> None:
    r = syscope("ps", "--tree")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # one process a line, even for the child whose `python -c` script has newlines in it
    assert all(ln.split()[0].isdigit() for ln in lines[1:]), r.stdout
    assert "\n" in open(f"/proc/{secret_child.pid}/cmdline").read()
    mine = next(i for i, ln in enumerate(lines) if ln.split()[0] == str(os.getpid()))
    child = next(i for i, ln in enumerate(lines) if ln.split()[0] == str(secret_child.pid))
    assert child > mine
    my_cmd_col = lines[mine].index(" ", lines[0].index("COMMAND") - 1)
    assert "─ " in lines[child][my_cmd_col:]


def _ns_inode(pid: int, kind: str) -> int:
    return int(os.readlink(f"/proc/{pid}/ns/{kind}").split("[")[1].rstrip("]"))


def test_new_pid_namespace() -> None:
    unshare = shutil.which("unshare")
    assert unshare, "util-linux unshare is needed"
    c = Child([unshare, "--pid", "--fork", "--mount-proc", PY, "-c",
               "import os, sys; print(os.getpid(), flush=True); sys.stdin.read()"])
    try:
        assert c.first_line == "1"  # pid 1 inside its namespace
        inner = int(subprocess.run(["pgrep", "-P", str(c.pid)], capture_output=True, text=True)
                    .stdout.split()[0])
        r = syscope("ps", "-p", str(inner), "--json")
        d = json.loads(r.stdout)
        assert d["pidns"]["inode"] == _ns_inode(inner, "pid") != _ns_inode(os.getpid(), "pid")
        assert d["pidns"]["ns_pid"] == 1 and d["pidns"]["depth"] == 1
        assert d["pidns"]["same_as_syscope"] is False
        r = syscope("env", str(inner))
        assert f"pid namespace: {_ns_inode(inner, 'pid')} (nested 1 deep; pid 1 inside)" in r.stdout
        r = syscope("ps", "-p", str(inner))
        assert f"{_ns_inode(inner, 'pid')}(pid 1)" in r.stdout
    finally:
        c.stop()


def _cgroup2_root() -> Path:
    for line in Path("/proc/self/mounts").read_text().splitlines():
        f = line.split()
        if f[2] == "cgroup2":
            return Path(f[1])
    raise AssertionError("no cgroup2 hierarchy mounted")


HEX = secrets.token_hex(32)
POD = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


@pytest.mark.parametrize("rel,runtime,cid", [
    (f"docker-{HEX}.scope", "docker", HEX),
    (f"syscope-test.slice/libpod-{HEX}.scope", "podman", HEX),
    (f"syscope-test.slice/crio-{HEX}.scope", "cri-o", HEX),
    (f"kubepods-syscope.slice/kubepods-pod{POD.replace('-', '_')}.slice/cri-containerd-{HEX}.scope",
     "containerd", HEX),
    (f"docker/{HEX}", "docker", HEX),
    ("syscope-test.slice/syscope-test-unit.service", None, None),
])
def test_container_identity_from_real_cgroup(secret_child: Child, rel: str, runtime: str | None,
                                             cid: str | None) -> None:
    root = _cgroup2_root()
    path = root / rel
    created = []
    for parent in reversed([path, *path.relative_to(root).parents]):
        d = root / parent
        if d != root and not d.exists():
            d.mkdir()
            created.append(d)
    try:
        (path / "cgroup.procs").write_text(str(secret_child.pid))
        from syscope.proc import container_id, container_info

        info = container_info(secret_child.pid)
        assert (info.runtime, info.id) == (runtime, cid)
        assert container_id(secret_child.pid) == cid
        # the sysdig field container.id (watch, filters) reads the same cgroup the same way
        from syscope.context import Context

        proc = Context().proc(secret_child.pid)
        assert proc is not None and proc.container == (cid[:12] if cid else "host")
        if cid is None:
            assert info.unit == "syscope-test-unit.service" and info.slice == "syscope-test.slice"
        r = syscope("ps", "--container")
        if cid is not None:
            assert f"{runtime} container {cid}" in r.stdout
            assert str(secret_child.pid) in r.stdout
            r = syscope("env", str(secret_child.pid))
            assert f"container: {runtime} {cid}" in r.stdout
        else:
            assert str(secret_child.pid) not in r.stdout.split()
            r = syscope("ps", "-p", str(secret_child.pid))
            assert "host:syscope-test-unit.service" in r.stdout
    finally:
        # Move the child back to the root cgroup so the directories are empty and can go.
        (root / "cgroup.procs").write_text(str(secret_child.pid))
        for d in reversed(created):
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)


def test_container_id_of_gone_process_is_none() -> None:
    from syscope.proc import container_id

    p = subprocess.Popen([PY, "-c", "pass"])
    p.wait()
    assert container_id(p.pid) is None


FD_CHILD = r"""
import json, os, socket, sys, tempfile
d = tempfile.mkdtemp()
f = open(os.path.join(d, "data.txt"), "w+"); f.write("x" * 10); f.flush()
lst = socket.socket(); lst.bind(("127.0.0.1", 0)); lst.listen()
cli = socket.create_connection(lst.getsockname()); srv, _ = lst.accept()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(("127.0.0.1", 0))
udp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); udp6.bind(("::1", 0))
ux = socket.socket(socket.AF_UNIX); ux.bind(os.path.join(d, "s.sock")); ux.listen()
r, w = os.pipe()
efd = os.eventfd(0)
print(json.dumps({"file": [f.fileno(), f.name], "listen": [lst.fileno(), lst.getsockname()[1]],
      "cli": [cli.fileno(), cli.getsockname()[1]], "srv": srv.fileno(),
      "udp": [udp.fileno(), udp.getsockname()[1]], "udp6": [udp6.fileno(), udp6.getsockname()[1]],
      "unix": [ux.fileno(), os.path.join(d, "s.sock")], "pipe": [r, w], "eventfd": efd}), flush=True)
sys.stdin.read()
"""


def test_fds_describes_what_is_open(tmp_path: Path) -> None:
    c = Child([PY, "-c", FD_CHILD], env={**os.environ, "TMPDIR": str(tmp_path)})  # its files: not in /tmp
    try:
        facts = json.loads(c.first_line)
        r = syscope("fds", str(c.pid), "--json")
        assert r.returncode == 0, r.stderr
        fds = {d["fd"]: d for d in map(json.loads, r.stdout.splitlines())}
        fd, name = facts["file"]
        assert fds[fd]["kind"] == "file" and fds[fd]["target"] == name
        assert fds[fd]["pos"] == 10 and fds[fd]["mode"] == "rw"
        fd, port = facts["listen"]
        assert fds[fd]["socket"] == {"proto": "TCP", "local": f"127.0.0.1:{port}", "remote": None,
                                     "state": "LISTEN"}
        fd, cport = facts["cli"]
        assert fds[fd]["socket"]["remote"] == f"127.0.0.1:{facts['listen'][1]}"
        assert fds[fd]["socket"]["local"] == f"127.0.0.1:{cport}"
        assert fds[fd]["socket"]["state"] == "ESTABLISHED"
        assert fds[facts["srv"]]["socket"]["remote"] == f"127.0.0.1:{cport}"
        fd, port = facts["udp"]
        assert fds[fd]["socket"]["proto"] == "UDP" and fds[fd]["socket"]["local"] == f"127.0.0.1:{port}"
        fd, port = facts["udp6"]
        assert fds[fd]["socket"]["proto"] == "UDP6" and fds[fd]["socket"]["local"] == f"[::1]:{port}"
        fd, path = facts["unix"]
        assert fds[fd]["socket"] == {"proto": "UNIX STREAM", "local": path, "remote": None,
                                     "state": "LISTEN"}
        r_fd, w_fd = facts["pipe"]
        assert fds[r_fd]["kind"] == "pipe" and fds[r_fd]["mode"] == "r" and fds[w_fd]["mode"] == "w"
        assert fds[r_fd]["target"] == fds[w_fd]["target"]
        assert fds[facts["eventfd"]]["kind"] == "anon" and "eventfd" in fds[facts["eventfd"]]["target"]
        # stdin is the pipe from this test: the other end shows up in this process.
        assert [os.getpid(), c.proc.stdin.fileno()] in fds[0]["peers"]  # type: ignore[union-attr]
        text = syscope("fds", str(c.pid)).stdout
        assert f"TCP 127.0.0.1:{facts['listen'][1]} (LISTEN)" in text
        assert f"TCP 127.0.0.1:{cport} -> 127.0.0.1:{facts['listen'][1]} (ESTABLISHED)" in text
    finally:
        c.stop()


def test_fds_reads_the_sockets_of_another_network_namespace() -> None:
    unshare = shutil.which("unshare")
    assert unshare
    child = ("import socket, sys; s = socket.socket(); s.bind(('0.0.0.0', 0)); s.listen(); "
             "print(s.fileno(), s.getsockname()[1], flush=True); sys.stdin.read()")
    c = Child([unshare, "--net", PY, "-c", child])
    try:
        fd, port = map(int, c.first_line.split())
        assert _ns_inode(c.pid, "net") != _ns_inode(os.getpid(), "net")
        inode = os.readlink(f"/proc/{c.pid}/fd/{fd}").split("[")[1].rstrip("]")
        # The socket is not in syscope's own namespace's table, which is what psutil reads.
        host_inodes = {ln.split()[9] for ln in Path("/proc/net/tcp").read_text().splitlines()[1:]}
        assert inode not in host_inodes
        r = syscope("fds", str(c.pid))
        assert f"TCP 0.0.0.0:{port} (LISTEN)" in r.stdout
    finally:
        c.stop()
