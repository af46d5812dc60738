"""Data buffers in eBPF events (sysdig's evt.buffer / evt.arg.data): the kernel copies the first
255 bytes that read/write-like calls moved; shown as the ptrace decoder shows them, filterable, and
the same field on ptrace events."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import syscope
from syscope.context import Context, PtraceContext
from syscope.events import SyscallEvent
from syscope.filters.sysdig import event_predicate, field_value
from syscope.sources.ebpf.stream import watch_events

PY = "/usr/bin/python3"
PROG = r"""
import os, socket, sys
r, w = os.pipe()
os.write(w, b"secret-data\x00\x01\n")
os.read(r, 100)
os.write(w, b"x" * 1000)
os.read(r, 2000)
os.writev(w, [b"abc", b"def"])
os.read(r, 100)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"to-an-address", ("127.0.0.1", int(sys.argv[1])))
u.connect(("127.0.0.1", int(sys.argv[1])))
u.send(b"connected-send")
"""


def watch(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "syscope", "watch", *args], capture_output=True,
                          text=True, timeout=120)


def rows(port: int, expr: str) -> list[dict[str, object]]:
    r = watch("-j", expr, "--", PY, "-c", PROG, str(port))
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def udp_port() -> tuple[socket.socket, int]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


def test_write_and_read_data_in_info_and_filters() -> None:
    sink, port = udp_port()
    with sink:
        got = rows(port, "evt.type in (write, read) and evt.buffer contains secret-data")
    assert [r["evt.type"] for r in got] == ["write", "read"]
    for r in got:
        # sysdig's evt.info: its parameter names, data with non-printable bytes as dots
        assert "data=secret-data... fd=" in str(r["evt.info"]), r
        assert r["evt.rawres"] == 14


def test_long_write_keeps_255_bytes_and_says_so() -> None:
    sink, port = udp_port()
    with sink:
        got = rows(port, "evt.type=write and evt.buflen=1000")
    assert len(got) == 1
    info = str(got[0]["evt.info"])
    assert "data=" + "x" * 255 + " fd=" in info
    r = watch("-p", "%evt.buflen %evt.arg.data", "evt.type=write and evt.buflen=1000", "--", PY, "-c", PROG,
              "9")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1000", "x" * 255]


def test_writev_first_iovec_and_format_dots() -> None:
    sink, port = udp_port()
    with sink:
        r = watch("-p", "%evt.type [%evt.buffer]", "evt.type=writev or (evt.type=write and evt.buflen=14)",
                  "--", PY, "-c", PROG, str(port))
    assert r.returncode == 0, r.stderr
    # -p prints data as sysdig does by default: non-printable bytes as dots, one line per event
    assert r.stdout.splitlines() == ["write [secret-data...]", "writev [abc]"]


def test_sendto_address_or_data() -> None:
    sink, port = udp_port()
    with sink:
        got = rows(port, "evt.type=sendto")
    assert len(got) == 2
    to_addr, connected = got
    # with an address the kernel copies both: the address (fd.name) and the data after it
    assert to_addr["fd.name"] == f"127.0.0.1:{port}"
    # sysdig's sendto exit: res, data, fd, size, tuple
    assert str(to_addr["evt.info"]).startswith("res=13 data=to-an-address fd=")
    assert str(to_addr["evt.info"]).endswith(f" size=13 tuple=127.0.0.1:{port}")
    assert "data=connected-send" in str(connected["evt.info"])
    assert connected["fd.name"] == f"127.0.0.1:{port}"


RECVFROM = r"""
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.sendto(b"hello-self", u.getsockname())
u.recvfrom(100)                  # the sender's address written back through addrlen's pointer
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
a.send(b"unnamed")
b.recvfrom(100)                  # an unbound unix peer: address length 0, the data alone
"""


def test_recvfrom_address_and_data() -> None:
    ctx = Context()
    got = [(ev.name, field_value("evt.buffer", ev, ctx), field_value("fd.cip", ev, ctx),
            field_value("fd.cport", ev, ctx), field_value("fd.name", ev, ctx))
           for ev in watch_events([PY, "-c", RECVFROM], ctx=ctx)
           if isinstance(ev, SyscallEvent) and ev.name in ("sendto", "recvfrom")]
    (s_name, s_buf, _ci, _cp, dest), (r_name, r_buf, cip, cport, _n), *rest = got
    assert (s_name, s_buf, r_name, r_buf) == ("sendto", "hello-self", "recvfrom", "hello-self")
    assert dest == f"{cip}:{cport}" and cip == "127.0.0.1"  # sent to itself: the same address
    assert [(n, buf) for n, buf, *_x in rest] == [("sendto", "unnamed"), ("recvfrom", "unnamed")]
    assert rest[1][2] is None


def test_same_field_on_ptrace_events() -> None:
    sink, port = udp_port()
    ctx = PtraceContext()
    pred = event_predicate("evt.is_io_write=true and evt.buffer exists", ctx)
    with sink:
        got = [field_value("evt.buffer", ev, ctx)
               for ev in syscope.trace([PY, "-c", PROG, str(port)]) if pred(ev)]
    assert got[:3] == ["secret-data\x00\x01\n", "x" * 32, "abc"]  # -s 32 is the decoder's default
    assert "connected-send" in got
