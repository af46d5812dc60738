"""sysdig's chisels that watch had not, each on real traffic: a program that serves and fetches
over TCP on loopback, writes to stdout/stderr, reads stdin and files; a podman container for the
container tops."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tests import podman

PY = "/usr/bin/python3"
PROG = r"""
import os, socket, sys
srv = socket.socket(); srv.bind(("127.0.0.1", int(sys.argv[1]))); srv.listen()
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s, _ = srv.accept()
c.sendall(b"GET /hello HTTP/1.1\r\n\r\n")
s.recv(100)
s.sendall(b"HTTP/1.1 200 OK\r\n\r\nbody")
c.recv(100)
sys.stdout.write("to-stdout\n"); sys.stdout.flush()
sys.stderr.write("to-stderr\n"); sys.stderr.flush()
sys.stdin.read()
with open(sys.argv[2], "w") as f:
    f.write("x" * 5000)
with open(sys.argv[2]) as f:
    f.read()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def last_table(out: str) -> list[list[str]]:
    """The rows of the last table a top chisel printed (live, it prints one a second)."""
    lines = out.splitlines()
    start = max(i for i, ln in enumerate(lines) if ln.startswith("-----")) + 1
    return [ln.split() for ln in lines[start:] if ln.strip()]


def chisel(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    prog = tmp_path / "prog.py"
    prog.write_text(PROG)
    port = free_port()
    return subprocess.run([sys.executable, "-m", "syscope", "watch", "-c", *[a.replace("PORT", str(port))
                                                                            for a in args],
                           "--", PY, str(prog), str(port), str(tmp_path / "data")],
                          input="from-stdin\n", capture_output=True, text=True, timeout=120)


def test_spy_ip_and_port(tmp_path: Path) -> None:
    r = chisel(tmp_path, "spy_ip", "127.0.0.1")
    assert r.returncode == 0, r.stderr
    assert "------ Write 23B from 127.0.0.1:" in r.stdout and "GET /hello HTTP/1.1" in r.stdout
    assert "------ Read 23B from 127.0.0.1:" in r.stdout and "HTTP/1.1 200 OK" in r.stdout
    r = chisel(tmp_path, "spy_port", "PORT")
    assert r.returncode == 0, r.stderr
    assert "GET /hello" in r.stdout and "to-stdout" not in r.stdout.replace("to-stdout\n", "", 1)


@pytest.mark.parametrize("name,want", [("stdout", "to-stdout"), ("stderr", "to-stderr"),
                                       ("stdin", "from-stdin")])
def test_std_streams(tmp_path: Path, name: str, want: str) -> None:
    r = chisel(tmp_path, name)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert want in lines
    others = {"to-stdout", "to-stderr", "from-stdin"} - {want}
    # stdout itself goes to the captured stdout too: only the chisel's lines are checked
    assert not (others - {"to-stdout"}) & set(lines)


def test_topprocs_net_iobytes_fileslower_fdtime_by(tmp_path: Path) -> None:
    r = chisel(tmp_path, "topprocs_net")
    assert r.returncode == 0, r.stderr
    # the request and the response, 23 bytes each, written once and read once
    assert ["92B", "python3"] in last_table(r.stdout)
    r = chisel(tmp_path, "iobytes")
    assert r.returncode == 0, r.stderr
    last = r.stdout.splitlines()[-1].split()
    tin, tout = int(last[1][3:]), int(last[2][4:])
    assert tin >= 5000 and tout >= 5000
    r = chisel(tmp_path, "fileslower", "0")
    assert r.returncode == 0, r.stderr
    assert any(ln.split()[2:4] == ["python3", "write"] and ln.endswith(str(tmp_path / "data"))
               for ln in r.stdout.splitlines())
    r = chisel(tmp_path, "fdtime_by", "proc.name")
    assert r.returncode == 0, r.stderr
    assert ["Time", "proc.name"] in [ln.split() for ln in r.stdout.splitlines()]
    assert any(row[1:] == ["python3"] for row in last_table(r.stdout))


def test_scallslower_and_list_login_shells(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-c", "scallslower", "100", "--",
                        "/bin/sh", "-c", "sleep 0.3"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    (line,) = [ln for ln in r.stdout.splitlines() if "clock_nanosleep" in ln or "nanosleep" in ln]
    assert line.split()[2] == "sleep" and int(line.split()[-1].rstrip("us")) >= 300_000
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-c", "list_login_shells", "--",
                        "/bin/bash", "-c", "/bin/true; /bin/ls >/dev/null"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.split()) == 1 and r.stdout.split()[0].isdigit()


def test_container_tops(podman_image: str) -> None:
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-c", "topcontainers_file", "--",
                        *podman.PODMAN, "run", "--rm", *podman.LIMITS, podman_image, "sh", "-c",
                        "dd if=/bin/busybox of=/dev/null bs=4096 2>/dev/null; sleep 0.5"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    # every table printed (one a second, each since the last): the container's rows
    rows = [ln.split() for ln in r.stdout.splitlines() if ln and not ln.startswith(("Bytes", "---"))]
    assert rows and all(row[1] not in ("host", "<NA>") for row in rows)
    assert any(row[0].endswith("MB") for row in rows)  # busybox read and written: megabytes
