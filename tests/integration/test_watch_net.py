"""Network fields and chisels on a real TCP exchange over loopback."""

from __future__ import annotations

import subprocess
import sys

PY = "/usr/bin/python3"
SCRIPT = """
import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
c = socket.create_connection(("127.0.0.1", port))
s, _ = srv.accept()
c.sendall(b"x" * 3000)
got = 0
while got < 3000:
    got += len(s.recv(65536))
print(port)
"""


def watch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", "watch", *args, "--", PY, "-c", SCRIPT],
                          capture_output=True, text=True, timeout=120)


def _port(out: str) -> int:
    return int(out.splitlines()[0])


def test_connect_fields_json() -> None:
    import json

    r = watch("-j", "evt.type=connect and fd.sip=127.0.0.1")
    assert r.returncode == 0, r.stderr
    port = _port(r.stdout)
    rows = [json.loads(ln) for ln in r.stdout.splitlines()[1:]]
    assert len(rows) == 1
    assert rows[0]["fd.name"] == f"127.0.0.1:{port}" and rows[0]["fd.type"] == "ipv4"


def test_topconns_counts_the_bytes() -> None:
    r = watch("-c", "topconns")
    assert r.returncode == 0, r.stderr
    port = _port(r.stdout)
    table = {ln.split()[1]: ln.split()[0] for ln in r.stdout.splitlines()[3:] if ln.strip()}
    # the client's sendall goes through the fd that connect() named
    assert table.get(f"127.0.0.1:{port}", "").endswith(("B", "KB"))
    assert table[f"127.0.0.1:{port}"] == "2.93KB"


def test_topports_server_iobytes_net_fdcount_by() -> None:
    r = watch("-c", "topports_server")
    port = _port(r.stdout)
    rows = {ln.split()[1]: ln.split()[0] for ln in r.stdout.splitlines()[3:] if ln.strip()}
    assert rows[str(port)] == "2.93KB"  # 3000 bytes sent to the server port
    r = watch("-c", "iobytes_net")
    assert int(r.stdout.splitlines()[1].split()[1]) >= 3000
    r = watch("-c", "fdcount_by", "--chisel-arg", "fd.type", "evt.type in (connect, bind)")
    counts = {ln.split()[1]: int(ln.split()[0]) for ln in r.stdout.splitlines()[3:] if ln.strip()}
    assert counts == {"ipv4": 2}
