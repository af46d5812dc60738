"""struct msghdr / struct mmsghdr as structured values (sendmsg, recvmsg, sendmmsg, recvmmsg) on a
real UDP tracee: the ptrace decoder's whole value, the eBPF source's (what its kernel side copies:
msg_name and the first iovec's data), and the sysdig fields that read them -- fd.sip, fd.sport,
evt.buffer -- through ``syscope --filter`` and ``syscope watch`` as well as from the values alone
(an event whose strace text is gone answers the same)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import syscope
from syscope.context import Context
from syscope.events import SockAddr, SyscallEvent, event_from_dict
from syscope.filters.sysdig import field_value
from syscope.sources.ebpf.stream import watch_events

# argv[1]: the port of a UDP sink on 127.0.0.1.  sendmsg to the sink (two iovecs, one with
# non-printable bytes); then, between two sockets of its own, sendmmsg of two messages, recvmsg of
# the first into a 3-byte and a 64-byte buffer, recvmmsg of the second.
PROG = r"""
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
static void loopback(struct sockaddr_in *a, int port) {
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &a->sin_addr);
}
int main(int argc, char **argv) {
    struct sockaddr_in sink, self, ra, from, from2;
    loopback(&sink, atoi(argv[1]));
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct iovec v[2] = {{"udp-", 4}, {"msg\0\1", 5}};
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_name = &sink; m.msg_namelen = sizeof sink; m.msg_iov = v; m.msg_iovlen = 2;
    if (sendmsg(s, &m, 0) != 9) return 1;
    socklen_t sl = sizeof self;
    getsockname(s, (struct sockaddr *)&self, &sl);
    int r = socket(AF_INET, SOCK_DGRAM, 0);
    loopback(&ra, 0);
    bind(r, (struct sockaddr *)&ra, sizeof ra);
    socklen_t rl = sizeof ra;
    getsockname(r, (struct sockaddr *)&ra, &rl);
    struct iovec mv[2] = {{"first", 5}, {"second", 6}};
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 2; i++) {
        mm[i].msg_hdr.msg_name = &ra; mm[i].msg_hdr.msg_namelen = sizeof ra;
        mm[i].msg_hdr.msg_iov = &mv[i]; mm[i].msg_hdr.msg_iovlen = 1;
    }
    if (sendmmsg(s, mm, 2, 0) != 2) return 2;
    char b1[3], b2[64], c1[64];
    struct iovec rv[2] = {{b1, sizeof b1}, {b2, sizeof b2}};
    struct msghdr rm;
    memset(&rm, 0, sizeof rm);
    rm.msg_name = &from; rm.msg_namelen = sizeof from; rm.msg_iov = rv; rm.msg_iovlen = 2;
    if (recvmsg(r, &rm, 0) != 5) return 3;
    struct iovec cv = {c1, sizeof c1};
    struct mmsghdr rmm[1];
    memset(rmm, 0, sizeof rmm);
    rmm[0].msg_hdr.msg_name = &from2; rmm[0].msg_hdr.msg_namelen = sizeof from2;
    rmm[0].msg_hdr.msg_iov = &cv; rmm[0].msg_hdr.msg_iovlen = 1;
    if (recvmmsg(r, rmm, 1, MSG_DONTWAIT, 0) != 1) return 4;
    return 0;
}
"""

MSG_CALLS = ("sendmsg", "recvmsg", "sendmmsg", "recvmmsg")
FIELDS = ("evt.buffer", "fd.sip", "fd.sport", "fd.cip", "fd.cport", "fd.name")


@pytest.fixture
def sink() -> Iterator[tuple[socket.socket, int]]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with s:
        yield s, s.getsockname()[1]


@pytest.fixture
def prog(build_c: Callable[..., Path]) -> Path:
    return build_c("structured_msghdr", PROG)


def _one(evs: list[SyscallEvent], name: str) -> SyscallEvent:
    (ev,) = [e for e in evs if e.name == name]
    return ev


def _ports(evs: list[SyscallEvent]) -> tuple[int, int]:
    """The sender's port and the receiver's, from the structured values of getsockname(2)."""
    sender, receiver = (e.structured_args[1].value for e in evs if e.name == "getsockname")
    assert isinstance(sender, SockAddr) and isinstance(receiver, SockAddr)
    assert sender.port is not None and receiver.port is not None
    return sender.port, receiver.port


def test_ptrace_decoder_gives_the_whole_msghdr(prog: Path, sink: tuple[socket.socket, int]) -> None:
    sock, port = sink
    evs = [e for e in syscope.trace([str(prog), str(port)]) if isinstance(e, SyscallEvent)]
    assert sock.recv(100) == b"udp-msg\0\1"
    sender, receiver = _ports(evs)
    lo = "127.0.0.1"

    sent = _one(evs, "sendmsg")
    assert [a.name for a in sent.structured_args] == ["fd", "msg", "flags"]
    assert sent.arg("msg").value == {  # type: ignore[union-attr]
        "msg_name": SockAddr("AF_INET", lo, port), "msg_namelen": 16,
        "msg_iov": [{"iov_base": b"udp-", "iov_len": 4}, {"iov_base": b"msg\0\1", "iov_len": 5}],
        "msg_iovlen": 2, "msg_controllen": 0, "msg_flags": ()}

    mm = _one(evs, "sendmmsg").structured_args[1].value
    assert [(m["msg_hdr"]["msg_name"], m["msg_hdr"]["msg_iov"], m["msg_len"]) for m in mm] == [
        (SockAddr("AF_INET", lo, receiver), [{"iov_base": b"first", "iov_len": 5}], 5),
        (SockAddr("AF_INET", lo, receiver), [{"iov_base": b"second", "iov_len": 6}], 6)]

    # recvmsg: the address the kernel wrote (the sender's) and the bytes received, spread over
    # the buffers in order (only as many as the call returned: readv(2))
    got = _one(evs, "recvmsg").structured_args[1].value
    assert got["msg_name"] == SockAddr("AF_INET", lo, sender) and got["msg_namelen"] == 16
    assert got["msg_iov"] == [{"iov_base": b"fir", "iov_len": 3}, {"iov_base": b"st", "iov_len": 64}]
    (rmm,) = _one(evs, "recvmmsg").structured_args[1].value
    assert rmm["msg_len"] == 6 and rmm["msg_hdr"]["msg_name"] == SockAddr("AF_INET", lo, sender)
    assert rmm["msg_hdr"]["msg_iov"] == [{"iov_base": b"second", "iov_len": 64}]

    for ev in evs:  # the one serializer and back
        back = event_from_dict(json.loads(json.dumps(ev.to_dict())))
        assert isinstance(back, SyscallEvent) and back.structured_args == ev.structured_args, ev.name


def _without_text(ev: SyscallEvent) -> SyscallEvent:
    """The event as a reader that has only its structured values sees it: the strace text gone."""
    d = json.loads(json.dumps(ev.to_dict()))
    d["args"] = ["?"] * len(d["args"])
    back = event_from_dict(d)
    assert isinstance(back, SyscallEvent)
    return back


def test_fields_come_from_the_values_not_the_text(prog: Path, sink: tuple[socket.socket, int]) -> None:
    _sock, port = sink
    ctx = Context(live=False)
    evs = [e for e in syscope.trace([str(prog), str(port)]) if isinstance(e, SyscallEvent)]
    sender, receiver = _ports(evs)
    want = {
        "sendmsg": {"evt.buffer": "udp-", "fd.sip": "127.0.0.1", "fd.sport": port},
        "sendmmsg": {"evt.buffer": "first", "fd.sip": "127.0.0.1", "fd.sport": receiver},
        "recvmsg": {"evt.buffer": "fir", "fd.cip": "127.0.0.1", "fd.cport": sender},
        "recvmmsg": {"evt.buffer": "second", "fd.cip": "127.0.0.1", "fd.cport": sender},
    }
    for name, fields in want.items():
        ev = _one(evs, name)
        for f, v in fields.items():
            assert field_value(f, ev, ctx) == v, (name, f)
            assert field_value(f, _without_text(ev), ctx) == v, (name, f)


def test_ebpf_source_gives_what_its_kernel_side_copied(prog: Path, sink: tuple[socket.socket, int]) -> None:
    _sock, port = sink
    ctx = Context()
    evs = [e for e in watch_events([str(prog), str(port)], ctx=ctx) if isinstance(e, SyscallEvent)]
    sender, receiver = _ports(evs)
    lo = "127.0.0.1"
    # the same keys as the decoder's; None for what the kernel side does not copy
    assert _one(evs, "sendmsg").structured_args[1].value == {
        "msg_name": SockAddr("AF_INET", lo, port), "msg_namelen": 16,
        "msg_iov": [{"iov_base": b"udp-", "iov_len": None}],
        "msg_iovlen": None, "msg_controllen": None, "msg_flags": None}
    got = _one(evs, "recvmsg").structured_args[1].value
    assert got["msg_name"] == SockAddr("AF_INET", lo, sender)
    assert got["msg_iov"] == [{"iov_base": b"fir", "iov_len": None}]
    (mm,) = _one(evs, "sendmmsg").structured_args[1].value  # the first message only
    assert mm["msg_hdr"]["msg_name"] == SockAddr("AF_INET", lo, receiver)
    assert mm["msg_hdr"]["msg_iov"] == [{"iov_base": b"first", "iov_len": None}]
    (rmm,) = _one(evs, "recvmmsg").structured_args[1].value
    assert rmm["msg_hdr"]["msg_iov"] == [{"iov_base": b"second", "iov_len": None}]
    sent = _one(evs, "sendmsg")
    assert [field_value(f, sent, ctx) for f in ("evt.buffer", "fd.sip", "fd.sport")] == ["udp-", lo, port]
    for ev in evs:
        back = event_from_dict(json.loads(json.dumps(ev.to_dict())))
        assert isinstance(back, SyscallEvent) and back.structured_args == ev.structured_args, ev.name


def test_filter_and_watch_select_the_udp_sendmsg(prog: Path, sink: tuple[socket.socket, int]) -> None:
    _sock, port = sink
    expr = f"evt.type in (sendmsg, sendmmsg) and fd.sip=127.0.0.1 and fd.sport={port} and evt.buffer contains udp"
    r = subprocess.run([sys.executable, "-m", "syscope", "--filter", expr, "--", str(prog), str(port)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "msg(" in ln]
    assert len(lines) == 1 and lines[0].startswith("sendmsg(3, {msg_name={sa_family=AF_INET, "
                                                   f"sin_port=htons({port})"), r.stderr
    r = subprocess.run([sys.executable, "-m", "syscope", "watch", "-p", "%evt.type %fd.sip %fd.sport %evt.buffer",
                        expr, "--", str(prog), str(port)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"sendmsg 127.0.0.1 {port} udp-"]


def test_report_counts_the_msghdr_peers(prog: Path, sink: tuple[socket.socket, int], tmp_path: Path) -> None:
    from syscope.sinks.report import ReportSink

    _sock, port = sink
    out = tmp_path / "report.html"
    evs: list[SyscallEvent] = []
    with ReportSink(out) as rep:
        for ev in syscope.trace([str(prog), str(port)]):
            rep.handle(ev)
            if isinstance(ev, SyscallEvent):
                evs.append(ev)
        data = rep.data()
    sender, receiver = _ports(evs)
    sockets = {s["key"]: s for s in data["sockets"]}
    # sendmsg's destination, sendmmsg's (its first message's), and the sender recvmsg/recvmmsg saw
    # (the sender itself is bound to 0.0.0.0: its getsockname names another key)
    assert sockets[f"127.0.0.1:{port}"]["syscalls"] == {"sendmsg": 1}
    assert sockets[f"127.0.0.1:{receiver}"]["syscalls"] == {"sendmmsg": 1, "getsockname": 1}
    assert sockets[f"127.0.0.1:{sender}"]["syscalls"] == {"recvmsg": 1, "recvmmsg": 1}
    assert all(s["family"] == "AF_INET" for s in sockets.values())
